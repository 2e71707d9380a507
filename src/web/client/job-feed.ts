/**
 * Where a page's news of the server's jobs comes from: the event stream `/api/events`. A browser allows six
 * HTTP/1.1 connections per host, so a stream in every tab would stop a seventh tab from loading at all; where the
 * browser can, one tab holds the stream and relays it to the others (`shared-feed.ts`), else each tab opens its own.
 */
import { openEventSource, type FeedEvent } from './event-stream.js';
import { sharedFeed } from './shared-feed.js';

export type { FeedEvent, Hello } from './event-stream.js';

/** Whether tabs can share one stream: a BroadcastChannel to relay it, and Web Locks to pick the tab holding it. */
function canShare(): boolean {
  // Web Locks exist only in secure contexts (https, or http on localhost / 127.0.0.1).
  return typeof BroadcastChannel === 'function' && typeof navigator.locks?.request === 'function';
}

/** Calls `onEvent` with every message of the server's event stream, from this tab's stream or a shared one. */
export function openJobFeed(onEvent: (e: FeedEvent) => void): void {
  if (canShare()) sharedFeed(onEvent);
  else openEventSource(onEvent);
}
