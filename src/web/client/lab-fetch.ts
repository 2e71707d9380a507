/**
 * `fetch` for the lab's own server. When the server cannot be reached (stopped, or restarting), the browser's
 * message is "Failed to fetch" or "NetworkError …"; this one says what happened and what to do.
 */
export const UNREACHABLE = 'the lab server cannot be reached: is `kindling serve` still running? Start it again, then reload this page';

export async function labFetch(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    // fetch rejects with a TypeError only when no answer came at all; an aborted request is left as it is.
    if (err instanceof TypeError) throw new Error(UNREACHABLE, { cause: err });
    throw err;
  }
}
