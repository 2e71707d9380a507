/** The frame every lab page shares: the top bar with its three tabs, the stylesheet, and the page's own script. */
import { escapeHtml } from '../../report/escape.js';

export type Tab = 'runs' | 'train' | 'draw';

const TABS: ReadonlyArray<[Tab, string, string]> = [
  ['runs', '/runs', 'Runs'],
  ['train', '/train', 'Train'],
  ['draw', '/draw', 'Draw'],
];

export interface PageParts {
  readonly tab: Tab | null;
  readonly title: string;
  readonly body: string;
  /** Bundled module under `/assets/` (e.g. `runs.js`), or none. */
  readonly script?: string;
  /** Data for the script, embedded as JSON (read with `JSON.parse`, never executed). */
  readonly data?: unknown;
}

/** JSON that is safe inside a `<script type="application/json">` element (no `</script>` can end it early). */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** A complete HTML page. */
export function renderPage(parts: PageParts): string {
  const tabs = TABS.map(([id, href, label]) => `<a class="tab${id === parts.tab ? ' current' : ''}" href="${href}"${id === parts.tab ? ' aria-current="page"' : ''}>${label}</a>`).join('');
  const data = parts.data === undefined ? '' : `\n<script type="application/json" id="page-data">${embedJson(parts.data)}</script>`;
  const script = parts.script === undefined ? '' : `\n<script type="module" src="/assets/${parts.script}"></script>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(parts.title)} · Kindling lab</title>
<link rel="stylesheet" href="/assets/style.css">
<link rel="icon" href="data:,">
</head>
<body>
<header class="topbar"><nav><a class="brand" href="/runs">Kindling <span>lab</span></a>${tabs}</nav></header>
<main>
${parts.body}
</main>${data}${script}
</body>
</html>
`;
}

/** The 404 page for anything that is not a page, an asset or a run file. */
export function notFoundPage(what = 'There is nothing at this address.'): string {
  return renderPage({
    tab: null,
    title: 'Not found',
    body: `<h1>Not found</h1><p class="lead">${escapeHtml(what)} The lab has three pages: <a href="/runs">Runs</a>, <a href="/train">Train</a> and <a href="/draw">Draw</a>.</p>`,
  });
}
