/**
 * `fetch` for the lab's own server. When the server cannot be reached (stopped, or restarting), the browser's
 * message is "Failed to fetch" or "NetworkError …"; this one says what happened and what to do, and its class lets a
 * page tell it from a refusal (and try again when the server is back).
 */
export const UNREACHABLE = 'The server is not answering (was it stopped?). Start it again in its terminal, then try again: this page reconnects by itself, with no need to reload it.';

/** The server gave no answer at all: it is not running, or restarting. */
export class ServerUnreachable extends Error {
  constructor(options?: ErrorOptions) {
    super(UNREACHABLE, options);
    this.name = 'ServerUnreachable';
  }
}

export async function labFetch(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    // fetch rejects with a TypeError only when no answer came at all; an aborted request is left as it is.
    if (err instanceof TypeError) throw new ServerUnreachable({ cause: err });
    throw err;
  }
}
