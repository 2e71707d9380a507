/**
 * A line at the top of a live page while the server's event stream is down (the server stopped, or restarting):
 * without it the page keeps showing its last state as if it were current. It goes when the stream is back.
 */
import { h } from './dom.js';

export const OFFLINE_TEXT = 'The server is not answering (was it stopped?): what this page shows may be out of date. It reconnects by itself when the server is back.';

let banner: HTMLElement | null = null;

/** Shows or hides the banner (made on first use, as the first child of `<main>`, or of the body). */
export function showOffline(offline: boolean): void {
  if (!offline) {
    if (banner !== null) banner.hidden = true;
    return;
  }
  if (banner === null) {
    banner = h('div', { id: 'server-offline', class: 'notice warn', role: 'status' }, OFFLINE_TEXT);
    (document.querySelector('main') ?? document.body).prepend(banner);
  }
  banner.hidden = false;
}
