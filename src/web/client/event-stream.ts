/** The server's event stream `/api/events` in this tab, its messages parsed. */
import type { JobNews, JobSnapshot, ProgressEvent } from '../shared/api-types.js';

/** The stream's first message on every connection: every job the server remembers, and which server start it is. */
export interface Hello {
  /** Different for each start of the server (job ids start again at 1); undefined from a server that does not say. */
  readonly server?: string;
  readonly jobs: JobSnapshot[];
}

/** One message of the stream, parsed. */
export type FeedEvent =
  | { readonly type: 'hello'; readonly data: Hello }
  /** A job's news: its snapshot without the loss points (the page has them from the hello and the progress). */
  | { readonly type: 'job'; readonly data: JobNews }
  | { readonly type: 'progress'; readonly data: ProgressEvent }
  /** The stream is down (the next hello says it is back). */
  | { readonly type: 'offline' };

/** Pause before a new connection once the browser has given up on one. */
const RETRY_MS = 3000;

/**
 * Opens the event stream in this tab; each connection starts with a hello. The browser reconnects by itself after a
 * dropped connection, but gives up for good on one refused with an HTTP error (such as the 503 of a server that is
 * closing, or a proxy's error page): then a new one is opened after a pause, so the stream (and, when this tab
 * relays it, every other tab's news) does not end there.
 */
export function openEventSource(onEvent: (e: FeedEvent) => void): { close(): void } {
  let source: EventSource | null = null;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const data = (e: Event): unknown => JSON.parse((e as MessageEvent<string>).data);
  const open = (): void => {
    const s = new EventSource('/api/events');
    source = s;
    s.addEventListener('hello', (e) => {
      const { jobs, server } = data(e) as { jobs: JobSnapshot[]; server?: unknown };
      onEvent({ type: 'hello', data: typeof server === 'string' ? { jobs, server } : { jobs } });
    });
    s.addEventListener('job', (e) => onEvent({ type: 'job', data: data(e) as JobNews }));
    s.addEventListener('progress', (e) => onEvent({ type: 'progress', data: data(e) as ProgressEvent }));
    s.addEventListener('error', () => {
      if (closed) return;
      onEvent({ type: 'offline' });
      if (s.readyState === EventSource.CLOSED) timer = setTimeout(open, RETRY_MS);
    });
  };
  open();
  return {
    close(): void {
      closed = true;
      clearTimeout(timer);
      source?.close();
    },
  };
}
