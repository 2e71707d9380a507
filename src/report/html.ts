/**
 * `report.html`: one self-contained page (inline CSS, images as data URIs, no scripts, no network) with the
 * results table, the loss plots, test images each variant gets wrong, and the best variant's confusion matrix.
 */
import { confusionTableHtml, sumConfusion } from './confusion.js';
import { digitDataUri } from './digits.js';
import { escapeHtml } from './escape.js';
import {
  bestVariant,
  formatAccuracy,
  formatChapter,
  formatCount,
  formatCountOf,
  formatPercent,
  formatReference,
  formatSeconds,
  percentText,
  pytorchSeedsNote,
  severalReferenceRuns,
} from './format.js';
import { REPORT_CSS } from './html-style.js';
import { countedRuns, runsOf, type ReferenceFigures, type ResultsFile, type RunResult, type VariantSummary } from './results.js';
import { nonFiniteNote } from './table.js';

/** A rendered plot as `plots.ts` returns it. */
export interface PlotImage {
  readonly svg: string;
  readonly png: Uint8Array;
}

export interface ReportPlots {
  /** All variants' curves together; absent for runs of one variant, whose own plot holds them all. */
  readonly overlay?: PlotImage;
  /** Keyed by variant name. */
  readonly variants: Readonly<Record<string, PlotImage>>;
}

export interface HtmlOptions {
  /** PyTorch's measured accuracy per variant; adds a column when given (default: the results' `meta.pytorch`). */
  readonly pytorch?: ReferenceFigures;
  /** Which PyTorch measured them (e.g. "PyTorch 1.13.0a0 on one thread, 2026-11-29"), named under the table. */
  readonly pytorchSource?: string;
  readonly title?: string;
  /** Embed plots as PNG (default; small and fast to display) or as SVG (sharp at any zoom, but megabytes each). */
  readonly embed?: 'png' | 'svg';
  /** Most misclassified test images shown per variant (default 8). */
  readonly maxWrongPerVariant?: number;
}

const e = escapeHtml;

function plotImg(plot: PlotImage, embed: 'png' | 'svg', alt: string): string {
  // The SVG's own size is the intended display size; the PNG has `scale` times as many pixels for sharpness.
  const width = /^<svg[^>]*\swidth="(\d+(?:\.\d+)?)"/.exec(plot.svg)?.[1];
  const src =
    embed === 'svg'
      ? `data:image/svg+xml;base64,${Buffer.from(plot.svg).toString('base64')}`
      : `data:image/png;base64,${Buffer.from(plot.png).toString('base64')}`;
  return `<img src="${src}" alt="${e(alt)}"${width ? ` width="${width}"` : ''}>`;
}

/** Distinct values of one field over the runs, for the header ("3 epochs" or "1, 3 epochs"). */
function distinct(runs: readonly RunResult[], pick: (r: RunResult) => number): string {
  return [...new Set(runs.map(pick))].sort((a, b) => a - b).map(formatCount).join(', ');
}

/** `distinct` with its noun, singular only for the one value 1: "1 epoch", "3 epochs", "1, 3 epochs". */
function distinctOf(runs: readonly RunResult[], pick: (r: RunResult) => number, noun: string, plural = `${noun}s`): string {
  const values = distinct(runs, pick);
  return `${values} ${values === '1' ? noun : plural}`;
}

function metaHtml(results: ResultsFile): string {
  const { runs, meta } = results;
  const seeds = distinct(runs, (r) => r.seed);
  const items: [string, string][] = [
    ['Created', meta.createdAt],
    ['Data', meta.dataDigest === undefined ? meta.data : `${meta.data} (fingerprints: training ${meta.dataDigest.train}, test ${meta.dataDigest.test})`],
    [
      'Protocol',
      `${distinctOf(runs, (r) => r.epochs, 'epoch')}, batch size ${distinct(runs, (r) => r.batchSize)}, ` +
        `${distinctOf(runs, (r) => r.trainSamples, 'training image')} and ${distinctOf(runs, (r) => r.testSamples, 'test image')}, ` +
        `loss recorded every ${distinctOf(runs, (r) => r.lossEvery, 'step')}`,
    ],
    ['Seeds', seeds],
  ];
  if (meta.wallSeconds !== undefined) {
    const session = meta.resumedWith === undefined ? '' : '; this is the resuming command\'s own, while the runs\' train times count every session';
    items.push(['Wall time', `${formatSeconds(meta.wallSeconds)} of training and testing${meta.workers ? ` with ${formatCountOf(meta.workers, 'worker')}` : ''}, before this report was drawn${session}`]);
  }
  for (const f of meta.failed ?? []) items.push([`Failed: ${f.variant} seed ${f.seed}`, `${f.message} (not in the table or plots)`]);
  for (const r of runs) {
    if (r.nonFiniteWeights === undefined) continue;
    items.push([`NaN weights: ${r.variant} seed ${r.seed}`, `${formatCountOf(r.nonFiniteWeights, 'weight')} ended NaN or infinite (it trained on through a non-finite loss with --allow-nonfinite): its accuracy in the tables means nothing`]);
  }
  const kernels = [...new Set(runs.flatMap((r) => (r.kernels === undefined ? [] : [r.kernels])))];
  items.push(['Software', `Kindling ${meta.kindlingVersion}, Node.js ${meta.node}${kernels.length > 0 ? `, kernels: ${kernels.join(', ')}` : ''}`]);
  const rows = items.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`);
  if (meta.command) rows.push(`<dt>Command</dt><dd><code>${e(meta.command)}</code></dd>`);
  if (meta.resumedWith) rows.push(`<dt>Resumed with</dt><dd><code>${e(meta.resumedWith)}</code></dd>`);
  return `<dl class="meta">${rows.join('')}</dl>`;
}

function deltaCell(s: VariantSummary): string {
  if (s.chapter === null || s.allNonFinite) return '<td class="num">—</td>';
  // The difference of the two figures as shown (87.00% against 87%), so it never reads −0.00.
  const pp = Math.round((Number(percentText(s.mean)) - s.chapter * 100) * 100) / 100;
  const cls = pp >= 0 ? 'delta-up' : 'delta-down';
  return `<td class="num ${cls}">${pp >= 0 ? '+' : '−'}${Math.abs(pp).toFixed(2)} pp</td>`;
}

/** The PyTorch note's seeds clause: `; its runs of the same seeds`, or '' when not known. */
function pytorchSeedsOf(figures: ReferenceFigures): string {
  const note = pytorchSeedsNote(figures);
  return note === null ? '' : `; ${note.replace(/^PyTorch: /, '').replace(/\.$/, '')}`;
}

function resultsTableHtml(summary: readonly VariantSummary[], pytorch: ReferenceFigures | undefined): string {
  const best = bestVariant(summary);
  const several = summary.some((s) => s.n > 1);
  const ns = new Set(summary.map((s) => s.n));
  // One seed count for all: say it in the header; otherwise every row needs its own.
  const seedsColumn = ns.size > 1;
  const oursHeader = !several ? 'Ours' : seedsColumn ? 'Ours (mean ± std)' : `Ours (mean ± std, ${summary[0]!.n} seeds)`;
  const head = [
    '<th>Variant</th>',
    '<th class="what">What changed</th>',
    `<th class="num">${e(oursHeader)}</th>`,
    seedsColumn ? '<th class="num">Seeds</th>' : '',
    '<th class="num">Chapter</th>',
    '<th class="num">Ours − chapter</th>',
    pytorch ? '<th class="num">PyTorch</th>' : '',
    `<th class="num">Train time${several ? ' (mean)' : ''}</th>`,
  ].join('');
  const rows = summary.map((s) => {
    const range = (s.n > 1 ? `${s.n} seeds, from ${formatPercent(s.min)} to ${formatPercent(s.max)}` : 'one run') +
      (s.nonFinite === undefined ? '' : `; ${s.nonFinite} with NaN weights left out`);
    const cells = [
      // On a phone the "what changed" column gives way to a line under the variant's name (html-style.ts), so
      // that our accuracy stays on screen.
      `<td><code>${e(s.variant)}</code><span class="what-inline">${e(s.label)}</span></td>`,
      `<td class="what">${e(s.label)}</td>`,
      `<td class="num ours" title="${e(range)}">${e(formatAccuracy(s))}</td>`,
      seedsColumn ? `<td class="num">${s.n}</td>` : '',
      `<td class="num">${e(formatChapter(s.chapter))}</td>`,
      deltaCell(s),
      pytorch ? `<td class="num">${e(formatReference(Object.hasOwn(pytorch, s.variant) ? pytorch[s.variant] : undefined))}</td>` : '',
      `<td class="num">${e(formatSeconds(s.meanTrainSeconds))}</td>`,
    ];
    return `<tr${s === best ? ' class="best"' : ''}>${cells.join('')}</tr>`;
  });
  return `<div class="scroll"><table class="results"><thead><tr>${head}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table></div>`;
}

function runsDetailsHtml(runs: readonly RunResult[]): string {
  const rows = runs.map(
    (r) =>
      `<tr><td><code>${e(r.variant)}</code></td><td class="num">${r.seed}</td><td class="num">${formatPercent(r.accuracy)}</td>` +
      `<td class="num">${e(formatSeconds(r.trainSeconds))}</td><td class="num">${formatCount(r.stepsPerSecond)}</td></tr>`,
  );
  return `<details><summary>Every run (${runs.length})</summary>
<table class="results"><thead><tr><th>Variant</th><th class="num">Seed</th><th class="num">Accuracy</th><th class="num">Train time</th><th class="num">Steps/s</th></tr></thead>
<tbody>\n${rows.join('\n')}\n</tbody></table></details>`;
}

function plotsHtml(results: ResultsFile, plots: ReportPlots, embed: 'png' | 'svg'): string {
  const figures = results.summary.map((s) => {
    const plot = plots.variants[s.variant];
    if (!plot) return '';
    const caption = `<figcaption><code>${e(s.variant)}</code>: ${e(s.label)}</figcaption>`;
    return `<figure>${plotImg(plot, embed, `Training loss of ${s.variant}`)}${caption}</figure>`;
  });
  const overlay = plots.overlay === undefined ? '' : `<figure>${plotImg(plots.overlay, embed, 'Smoothed training loss of every variant')}
<figcaption>Every variant's smoothed training loss. Below, one plot per variant in the chapter's style: each recorded loss a faint dot, y from 0 to 1.</figcaption></figure>
`;
  return `${overlay}<div class="plots">\n${figures.join('\n')}\n</div>`;
}

function wrongHtml(results: ResultsFile, max: number): string {
  return results.summary
    .map((s) => {
      // The first run whose accuracy counts: not one whose weights ended NaN (it gets every image but one class wrong).
      const run = countedRuns(runsOf(results, s.variant))[0];
      if (!run) return '';
      const shown = run.misclassified.slice(0, max);
      const body =
        shown.length === 0
          ? '<p class="note">No misclassified images were recorded for this run.</p>'
          : `<div class="wrong">${shown
              .map(
                (m) =>
                  `<figure><img src="${digitDataUri(m.pixels)}" ` +
                  `alt="${e(`test image ${m.index}: a ${m.label} predicted as ${m.predicted}`)}">` +
                  `<figcaption>${m.label} → ${m.predicted}<small>#${m.index}</small></figcaption></figure>`,
              )
              .join('')}</div>`;
      return `<h3><code>${e(s.variant)}</code> <span class="note">seed ${run.seed}, true label → predicted</span></h3>${body}`;
    })
    .join('\n');
}

/** The table's note on runs left out of the accuracy (NaN weights), as a sentence after the others, or ''. */
function leftOutNote(summary: readonly VariantSummary[]): string {
  const note = nonFiniteNote(summary);
  return note === null ? '' : ` ${note}`;
}

function confusionHtml(results: ResultsFile): string {
  const best = bestVariant(results.summary);
  // Every run's weights ended NaN or infinite: no variant has an accuracy to rank, so there is no best one to show.
  if (!best) return '<p class="note">None: every run\'s weights ended NaN or infinite, so no variant has an accuracy (see the note under the results table).</p>';
  // The runs its accuracy counts: not one whose weights ended NaN (it predicts one digit for everything).
  const runs = countedRuns(runsOf(results, best.variant));
  const images = runs.reduce((a, r) => a + r.testSamples, 0);
  const caption =
    `Best variant: ${best.variant} (${formatAccuracy(best)}). ` +
    (runs.length > 1
      ? `Summed over its ${runs.length} seeds, ${formatCount(images)} test predictions. `
      : `${formatCountOf(images, 'test image')}. `) +
    'Rows: true digit; columns: predicted digit; shade: share of the row.';
  return confusionTableHtml(sumConfusion(runs), caption);
}

/** Whether some row follows the chapter's protocol (and so has the book's figure beside it). */
function followsChapter(results: ResultsFile): boolean {
  return results.summary.some((s) => s.chapter !== null);
}

function lead(results: ResultsFile): string {
  const variants = results.summary.length;
  const runs = results.runs.length;
  const classifier = followsChapter(results) ? "the chapter's MNIST classifier" : 'an MNIST classifier';
  const failed = results.meta.failed?.length ?? 0;
  const more = failed === 0 ? '' : ` ${failed === 1 ? 'One more run' : `${failed} more runs`} failed (see below).`;
  return (variants === 1
    ? `One configuration of ${classifier}, ${runs === 1 ? 'one run' : `${runs} seeds`}, trained and tested by Kindling.`
    : `${variants} ways to train ${classifier}, ${runs} runs in all, trained and tested by Kindling.`) + more;
}

/**
 * The report page as one HTML string. Plots are embedded as data URIs, so the file can be mailed or opened
 * from disk; every interpolated string is escaped.
 *
 * @param plots the rendered plots, keyed by variant (variants without a plot are skipped).
 * @example writeFileSync('report.html', renderReportHtml(results, { overlay, variants }, { pytorch }));
 */
export function renderReportHtml(results: ResultsFile, plots: ReportPlots, options: HtmlOptions = {}): string {
  const title = options.title ?? (followsChapter(results) ? 'Kindling: the MNIST chapter, reproduced' : 'Kindling: MNIST runs');
  const embed = options.embed ?? 'png';
  const pytorch = options.pytorch ?? results.meta.pytorch?.figures;
  const source = options.pytorchSource ?? results.meta.pytorch?.source;
  const pytorchNote = pytorch
    ? ` PyTorch: the same protocol measured with ${source ?? 'PyTorch'} (the project's reference script)${pytorchSeedsOf(pytorch)}.`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header>
<h1>${e(title)}</h1>
<p class="lead">${lead(results)}</p>
${metaHtml(results)}
</header>
<section id="results">
<h2>Test accuracy</h2>
${resultsTableHtml(results.summary, pytorch)}
<p class="note">Accuracy on the test images${results.summary.some((s) => s.n > 1) || severalReferenceRuns(pytorch) ? '; ± is the sample standard deviation over seeds, in percentage points' : ''}. Chapter: the book's own figure.${e(pytorchNote)} ${pytorch ? 'Both are' : 'It is'} shown only beside runs of the chapter's protocol (the full MNIST, 3 epochs, one image per step, the variant's own settings).${e(leftOutNote(results.summary))}</p>
${runsDetailsHtml(results.runs)}
</section>
<section id="loss">
<h2>Training loss</h2>
${plotsHtml(results, plots, embed)}
</section>
<section id="mistakes">
<h2>Test images each variant gets wrong</h2>
${wrongHtml(results, options.maxWrongPerVariant ?? 8)}
</section>
<section id="confusion">
<h2>Confusion matrix of the best variant</h2>
${confusionHtml(results)}
</section>
<footer>Generated by Kindling ${e(results.meta.kindlingVersion)} from <code>results.json</code> in the same folder.</footer>
</main>
</body>
</html>
`;
}
