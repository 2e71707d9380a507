/**
 * How the server answers a request it refuses: JSON `{ "error": … }` for the API, the run files and the bundled
 * scripts (what programs and the pages' scripts read), an HTML page for the pages' own addresses and for a run file
 * opened as a page (what people see in a browser). Every refusal, ours or the framework's, goes through here, so none leaks another format.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { escapeHtml } from '../report/escape.js';
import { notFoundPage, renderPage } from './pages/layout.js';

/** True for addresses programs read (answered in JSON), false for the pages people open. */
export function wantsJson(url: string): boolean {
  return url.startsWith('/api/') || url.startsWith('/files/') || url.startsWith('/assets/');
}

const TITLES: Readonly<Record<number, string>> = { 400: 'Bad request', 403: 'Forbidden', 404: 'Not found', 413: 'Too large', 414: 'Address too long', 415: 'Unsupported type', 429: 'Too many requests', 503: 'Busy' };

/** An HTML page saying what went wrong (the message is escaped: it may quote the address). */
export function errorPage(status: number, message: string): string {
  // A run file gone (its folder deleted while a page linked to it) says so; any other 404 stays the generic page.
  if (status === 404) return notFoundPage(message.startsWith('there is no file') ? `${message.charAt(0).toUpperCase()}${message.slice(1)}.` : undefined);
  const title = TITLES[status] ?? (status >= 500 ? 'Server error' : 'Request refused');
  return renderPage({ tab: null, title, body: `<h1>${escapeHtml(title)}</h1><p class="lead">${escapeHtml(message)}</p><p>The lab has three pages: <a href="/runs">Runs</a>, <a href="/train">Train</a> and <a href="/draw">Draw</a>.</p>` });
}

/** Sends `status` with `message` in the format the address calls for. */
export function sendError(req: FastifyRequest, reply: FastifyReply, status: number, message: string): FastifyReply {
  const url = req.raw.url ?? '';
  // A run file opened in the browser (a report link) is a page for a person: it gets the HTML page, not JSON.
  const navigation = req.headers['sec-fetch-mode'] === 'navigate' && url.startsWith('/files/');
  if (wantsJson(url) && !navigation) return reply.code(status).type('application/json; charset=utf-8').send({ error: message });
  return reply.code(status).type('text/html; charset=utf-8').send(errorPage(status, message));
}

/** An address shortened for a message (a refused address may be thousands of characters long). */
export function shortUrl(url: string, max = 80): string {
  return url.length <= max ? url : `${url.slice(0, max)}…`;
}
