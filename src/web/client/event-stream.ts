/** The server's event stream `/api/events` in this tab, its messages parsed. */
import type { JobSnapshot, ProgressEvent } from '../shared/api-types.js';

/** The stream's first message on every connection: every job the server remembers, and which server start it is. */
export interface Hello {
  /** Different for each start of the server (job ids start again at 1); undefined from a server that does not say. */
  readonly server?: string;
  readonly jobs: JobSnapshot[];
}

/** One message of the stream, parsed. */
export type FeedEvent =
  | { readonly type: 'hello'; readonly data: Hello }
  | { readonly type: 'job'; readonly data: JobSnapshot }
  | { readonly type: 'progress'; readonly data: ProgressEvent };

/** Opens the event stream in this tab (the browser reconnects by itself, and each connection starts with a hello). */
export function openEventSource(onEvent: (e: FeedEvent) => void): EventSource {
  const source = new EventSource('/api/events');
  const data = (e: Event): unknown => JSON.parse((e as MessageEvent<string>).data);
  source.addEventListener('hello', (e) => {
    const { jobs, server } = data(e) as { jobs: JobSnapshot[]; server?: unknown };
    onEvent({ type: 'hello', data: typeof server === 'string' ? { jobs, server } : { jobs } });
  });
  source.addEventListener('job', (e) => onEvent({ type: 'job', data: data(e) as JobSnapshot }));
  source.addEventListener('progress', (e) => onEvent({ type: 'progress', data: data(e) as ProgressEvent }));
  return source;
}
