/** The Runs page: every run folder with its table, plot and files, and (filled in by the script) the live runs. */
import { escapeHtml as e } from '../../report/escape.js';
import { formatAccuracy, formatChapter, formatCountOf, formatSeconds } from '../../report/format.js';
import type { RunListing } from '../shared/api-types.js';
import { renderPage } from './layout.js';

/** `/files/<run>/<file>` with each segment encoded. */
export function fileUrl(run: string, file: string): string {
  return `/files/${encodeURIComponent(run)}/${file.split('/').map(encodeURIComponent).join('/')}`;
}

function summaryTable(run: RunListing): string {
  if (run.summary.length === 0) return '';
  const best = Math.max(...run.summary.filter((s) => !s.allNonFinite).map((s) => s.mean));
  const rows = run.summary.map((s) => `<tr${s.mean === best && !s.allNonFinite ? ' class="best"' : ''}><td><strong>${e(s.variant)}</strong><span class="what-inline">${e(s.label)}</span></td><td class="what">${e(s.label)}</td>` +
    `<td class="num acc">${e(formatAccuracy(s))}${s.nonFinite === undefined ? '' : `<br><small>${e(`${formatCountOf(s.nonFinite, 'run')} with NaN weights left out`)}</small>`}</td><td class="num">${e(formatChapter(s.chapter))}</td><td class="num">${e(formatSeconds(s.meanTrainSeconds))}</td></tr>`).join('');
  return `<div class="table-wrap"><table class="summary"><thead><tr><th>Variant</th><th class="what">What changed</th><th class="num">Test accuracy</th><th class="num">Chapter</th><th class="num">Train time</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function fileLinks(run: RunListing): string {
  const order = (f: string): number => (f === 'report.html' ? 0 : f === 'results.json' ? 1 : f.endsWith('.safetensors') ? 3 : 2);
  const files = [...run.files].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  if (files.length === 0) return '';
  return `<p class="files">${files.map((f) => `<a href="${e(fileUrl(run.name, f))}">${e(f)}</a>`).join(' ')}</p>`;
}

/** One run folder as a card. */
export function runCard(run: RunListing): string {
  const created = run.createdAt === null ? '' : `<span class="muted">${e(new Date(run.createdAt).toLocaleString('en-GB', { timeZone: 'UTC' }))} UTC</span>`;
  const report = run.files.includes('report.html') ? `<a href="${e(fileUrl(run.name, 'report.html'))}">report</a>` : '';
  // Runs of one variant have no overlay: their own plot shows them (as PNG: its SVG draws every dot, megabytes).
  const only = run.summary.length === 1 ? `loss-${run.summary[0]!.variant}.png` : undefined;
  const shown = run.files.includes('loss-all.svg') ? 'loss-all.svg' : only !== undefined && run.files.includes(only) ? only : undefined;
  const plot = shown === undefined ? '' : `<img src="${e(fileUrl(run.name, shown))}" alt="Loss curves of ${e(run.name)}" loading="lazy">`;
  const command = run.command === null ? '' : `<p class="files"><code>${e(run.command)}</code></p>`;
  const problem = run.problem === undefined ? '' : `<p class="problem">${e(run.problem)}</p>`;
  return `<article class="card run" id="${e(run.name)}" data-run="${e(run.name)}">
<header><h2>${e(run.name)}</h2>${created}${report}</header>
${problem}<div class="run-body"><div>${summaryTable(run)}${command}${fileLinks(run)}</div><div>${plot}</div></div>
</article>`;
}

/** The list part of the page (the script swaps it in again when a job finishes). */
export function runList(runs: readonly RunListing[], runsDir: string): string {
  if (runs.length === 0) {
    return `<div class="empty">No runs yet in <code>${e(runsDir)}</code>. Start one on the <a href="/train">Train</a> page, or run <code>kindling reproduce</code>.</div>`;
  }
  return runs.map(runCard).join('\n');
}

/** The Runs page for `runs` (already listed, newest first) of the folder `runsDir`. */
export function runsPage(runs: readonly RunListing[], runsDir: string): string {
  return renderPage({
    tab: 'runs',
    title: 'Runs',
    script: 'runs.js',
    body: `<h1>Runs</h1>
<p class="lead">Every run folder in <code>${e(runsDir)}</code>: its table, its loss curves and its files. A run in progress shows up live at the top.</p>
<section id="live" hidden><h2>Live</h2><div id="jobs"></div></section>
<h2>Run folders</h2>
<div id="run-list">${runList(runs, runsDir)}</div>`,
  });
}
