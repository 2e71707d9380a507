/** Small DOM and formatting helpers shared by the page scripts. */
import { labFetch } from './lab-fetch.js';

/** The element with `id`, typed; throws naming the id when the page lacks it (a page/script mismatch). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`page element #${id} is missing`);
  return el as T;
}

/** Creates an element with attributes and children (strings become text nodes, never HTML). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | undefined> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children) el.append(c);
  return el;
}

/**
 * Makes `children` the children of `parent`, in order, moving only what is out of place: a child taken out and put
 * back (as `replaceChildren` does to every child) loses the keyboard's focus, here a Stop button's at a job's news.
 */
export function arrangeChildren(parent: HTMLElement, children: readonly HTMLElement[]): void {
  children.forEach((child, i) => {
    const at = parent.children[i] ?? null;
    if (at !== child) parent.insertBefore(child, at);
  });
  while (parent.children.length > children.length) parent.lastElementChild!.remove();
}

/** Escapes text for the SVG/HTML strings the charts are built from. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `1,234,567`. */
export function count(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A duration: `42 s`, `3 min 05 s`, `1 h 02 min`. */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  const m = Math.round(seconds / 60);
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** Shows a message in a `.notice` element (or hides it with an empty text). */
export function notice(el: HTMLElement, text: string, kind: 'info' | 'warn' | 'error' = 'info'): void {
  el.textContent = text;
  el.className = `notice ${kind}`;
  el.hidden = text === '';
}

/** JSON from the API; a non-2xx answer throws its `error` message. */
export async function fetchJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await labFetch(url, init);
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // Not JSON: the status line says what happened.
  }
  if (!res.ok) {
    const message = typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string' ? (body as { error: string }).error : `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, message);
  }
  return body as T;
}

/** POSTs `body` as JSON. */
export function postJson<T>(url: string, body: unknown): Promise<T> {
  return fetchJson<T>(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Series colours, the report's palette, so a variant looks the same on the page and in the plots. */
export const PALETTE = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#b279a2', '#eeca3b', '#9d755d', '#ff9da6', '#bab0ac'];
