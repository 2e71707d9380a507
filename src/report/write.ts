/** Writes a lab run's folder: `results.json`, the loss plots as SVG and PNG, and `report.html`. */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { renderReportHtml, type HtmlOptions, type PlotImage } from './html.js';
import { PlotSequence, renderLossPlot, renderOverlayPlot, type PlotOptions, type RenderedPlot } from './plots.js';
import { runsOf, type ResultsFile } from './results.js';
import { validateResults } from './validate.js';

export interface WriteRunOptions extends HtmlOptions {
  /** Size and density of the plots. */
  readonly plot?: PlotOptions;
  /**
   * Variants' loss plots already drawn from these same runs with these plot options (see EarlyPlots), used as
   * they are.
   */
  readonly prerendered?: ReadonlyMap<string, Promise<RenderedPlot>>;
}

function isPrimitive(v: unknown): boolean {
  return v === null || typeof v !== 'object';
}

/**
 * JSON for people and for diffs: objects indented, arrays of plain values (losses, pixels, a confusion row) on one
 * line — 54,000 losses one per line would make the file unreadable. Non-finite numbers become `null`, as in
 * `JSON.stringify`.
 */
export function stringifyResults(value: unknown, indent = ''): string {
  if (isPrimitive(value)) return JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isPrimitive)) return JSON.stringify(value);
    return `[\n${value.map((v) => inner + stringifyResults(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${stringifyResults(v, inner)}`).join(',\n')}\n${indent}}`;
}

/**
 * The names of the files `writeRunFolder` writes for runs of these variants: `loss-all` too, which it writes for two
 * or more only, but which an older Kindling wrote for one as well (and removes for one).
 */
export function reportFileNames(variants: readonly string[]): Set<string> {
  const names = new Set(['results.json', 'report.html', 'loss-all.svg', 'loss-all.png']);
  for (const v of variants) names.add(`loss-${v}.svg`).add(`loss-${v}.png`);
  return names;
}

/**
 * Writes everything a lab run leaves behind into `dir` (created if missing), each file atomically:
 * `results.json`, `loss-<variant>.svg` and `.png` for every variant, `loss-all.svg` and `.png` when there are two or
 * more, and `report.html`.
 * The results are checked against the schema first, so a bad result never leaves a half-written folder.
 *
 * @returns the paths written, in order.
 * @throws ResultsError when `results` does not satisfy the schema (see `validateResults`).
 * @example const files = await writeRunFolder('runs/2025-01-02T03-04-05', results, { pytorch });
 */
export async function writeRunFolder(dir: string, results: ResultsFile, options: WriteRunOptions = {}): Promise<string[]> {
  const json = `${stringifyResults(results)}\n`;
  // Validate exactly what will be on disk (NaN has become null), not the in-memory object.
  const checked = validateResults(JSON.parse(json), join(dir, 'results.json'));
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const write = (name: string, data: string | Uint8Array): void => {
    const path = join(dir, name);
    writeFileAtomic(path, data);
    written.push(path);
  };
  write('results.json', json);

  const plotOptions = options.plot ?? {};
  // The overlay (a few smoothed curves, small to draw) is drawn alongside the variants' plots, which are drawn in
  // turn (each holds about 100 MB while it is drawn). Runs of one variant get none: it would repeat their own plot.
  const overlayPlot = checked.summary.length > 1 ? renderOverlayPlot(checked.runs, plotOptions) : undefined;
  overlayPlot?.catch(() => undefined); // awaited below; a variant's plot failing first must not leave it unhandled
  // The variants' plots not drawn yet are drawn in turn, each one's PNG made while the next one's SVG is drawn.
  const sequence = new PlotSequence();
  const plots = checked.summary.map((s) => options.prerendered?.get(s.variant) ?? renderLossPlot(runsOf(checked, s.variant), plotOptions, sequence));
  for (const p of plots) p.catch(() => undefined); // each awaited below, in order; one failing first must not leave the others unhandled
  const variants: Record<string, PlotImage> = {};
  for (const [i, s] of checked.summary.entries()) {
    const plot = await plots[i]!;
    write(`loss-${s.variant}.svg`, plot.svg);
    write(`loss-${s.variant}.png`, plot.png);
    variants[s.variant] = plot;
  }
  const overlay = await overlayPlot;
  for (const [name, data] of [['loss-all.svg', overlay?.svg], ['loss-all.png', overlay?.png]] as const) {
    // A folder resumed from an older Kindling's one-variant run may hold its overlay: it would outlive the report.
    if (data === undefined) rmSync(join(dir, name), { force: true });
    else write(name, data);
  }

  write('report.html', renderReportHtml(checked, { ...(overlay === undefined ? {} : { overlay }), variants }, options));
  return written;
}
