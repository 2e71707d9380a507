/**
 * Vega-Lite specifications of the loss plots, built from runs as plain data (rendering is in `plots.ts`).
 *
 * The per-variant plot follows the chapter: every recorded loss a faint dot against the step, y from 0 to 1 with
 * grid lines at 0, 0.25 and 0.5 (we add 0.75 and 1), plus a smoothed curve the chapter did not have.
 */
import type { TopLevelSpec } from 'vega-lite';
import { formatCount, formatCountOf } from './format.js';
import type { RunResult } from './results.js';
import { meanSeries, movingAverage, smoothingWindow, thinnedIndices, thinningStride } from './smooth.js';

export interface PlotSpecOptions {
  /** Plot area size in CSS pixels (axes and titles come on top). */
  readonly width?: number;
  readonly height?: number;
  /** Most dots drawn per plot; more recorded losses are thinned to every k-th (default 20,000). */
  readonly maxDots?: number;
  /** Most points per smoothed line; a smoothed curve loses nothing visible when thinned (default 1,500). */
  readonly maxLinePoints?: number;
}

export const DOT_COLOR = '#1f77b4';
/** Seed curves on a per-variant plot: the first seed's curve is the strong one, drawn over the dots and the others. */
// Twelve: more seeds than the Train page allows (10) each get a colour of their own.
const SEED_COLORS = ['#c0392b', '#2c3e50', '#e67e22', '#8e44ad', '#16a085', '#7f8c8d', '#d35400', '#27ae60', '#2980b9', '#b7950b', '#6c3483', '#a04000'];
const VARIANT_COLORS = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#b279a2', '#eeca3b', '#9d755d', '#ff9da6', '#bab0ac'];

const CONFIG = {
  font: 'DejaVu Sans',
  background: 'white',
  title: { fontSize: 15, subtitleFontSize: 11, subtitleColor: '#555', anchor: 'start', offset: 12 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#e3e3e3', domainColor: '#888', tickColor: '#888' },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: 'bottom', direction: 'horizontal' },
  view: { stroke: '#ccc' },
} as const;

const LOSS_TICKS = [0, 0.25, 0.5, 0.75, 1];
/** A mark property left out of the drawing (Vega-Lite passes null on as Vega's `{ value: null }`). */
const NO_VALUE = null as unknown as number;

interface Point {
  step: number;
  loss: number;
}
interface SeriesPoint extends Point {
  series: string;
}

/** Step after which record `i` was taken: the chapter records after every 10th step, so record 0 is step 10. */
function stepOf(i: number, lossEvery: number): number {
  return (i + 1) * lossEvery;
}

/** Steps a finished run trained: each epoch's last batch holds what is left of the images. */
export function stepsTrained(run: RunResult): number {
  return run.epochs * Math.ceil(run.trainSamples / run.batchSize);
}

/** The smoothed curve of `losses`, thinned for drawing, with the window used. */
function smoothedLine(
  losses: readonly (number | null)[],
  lossEvery: number,
  series: string,
  maxPoints: number,
): { points: SeriesPoint[]; window: number } {
  const window = smoothingWindow(losses.length);
  const smooth = movingAverage(losses, window);
  const points: SeriesPoint[] = [];
  for (const i of thinnedIndices(smooth.length, thinningStride(smooth.length, maxPoints), true)) {
    const loss = smooth[i];
    if (loss !== null && loss !== undefined) points.push({ step: stepOf(i, lossEvery), loss, series });
  }
  return { points, window };
}

interface LinePoint extends SeriesPoint {
  /** Which unbroken piece of its series' line the point belongs to (`<series>:<k>`). */
  part: string;
}

/**
 * A series' line cut to the plot's y range [0, top], as clipping would draw it: where the line leaves the range, the
 * piece ends exactly where it crosses `top` (and a new piece starts where it comes back), so the points outside are
 * not drawn at all. resvg cannot draw a path lying wholly outside the plot, or reaching millions of pixels beyond it
 * (a diverged run's loss of 10^6): it aborts the process.
 */
function clipLine(points: readonly SeriesPoint[], top: number): LinePoint[] {
  const out: LinePoint[] = [];
  let part = 0;
  const at = (p: SeriesPoint): LinePoint => ({ ...p, part: `${p.series}:${part}` });
  const crossing = (a: SeriesPoint, b: SeriesPoint): LinePoint => at({ step: a.step + ((top - a.loss) / (b.loss - a.loss)) * (b.step - a.step), loss: top, series: a.series });
  points.forEach((p, i) => {
    const inside = p.loss <= top;
    const prev = i > 0 ? points[i - 1] : undefined;
    const wasInside = prev !== undefined && prev.loss <= top;
    if (prev !== undefined && inside !== wasInside) {
      out.push(crossing(prev, p));
      if (!inside) part++;
    }
    if (inside) out.push(at(p));
  });
  return out;
}

function smoothingNote(window: number, lossEvery: number, prefix = 'line'): string {
  // A run of fewer than 20 records has a window of one: its line is the records themselves.
  if (window === 1) return `${prefix}: not smoothed (too few records to average)`;
  return `${prefix}: centred moving average over ${formatCountOf(window, 'record')} (${formatCountOf(window * lossEvery, 'step')})`;
}

function lossTitle(runs: readonly RunResult[]): string {
  const losses = new Set(runs.map((r) => r.config.loss));
  return losses.size === 1 && losses.has('bce') ? 'loss (BCE)' : losses.size === 1 ? 'loss (MSE)' : 'loss';
}

function ordinal(k: number): string {
  const teen = k % 100 >= 11 && k % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][k % 10] ?? 'th');
  return `${k}${suffix}`;
}

/**
 * The chapter draws 18,000 dots at alpha 0.1, where only their density shows; a short run's few hundred dots would
 * vanish at that alpha, so sparser plots get stronger dots.
 */
function dotOpacity(dots: number): number {
  return Math.min(0.6, Math.max(0.12, 0.15 * Math.sqrt(18_000 / Math.max(1, dots))));
}

/** What a loss plot with dots draws: the first series' losses as dots, each series' smoothed curve on top. */
export interface DotPlotData {
  readonly title: string;
  /** The subtitle's first line (e.g. the variant's description), if any. */
  readonly label?: string;
  /** The y axis title. */
  readonly lossTitle: string;
  /** Steps between recorded losses (the chapter: 10). */
  readonly lossEvery: number;
  /** Steps trained, where the x axis ends (default: the last recorded loss's step). */
  readonly steps?: number;
  /** One or more loss series of equal spacing; the first one's losses are the dots. */
  readonly series: ReadonlyArray<{ readonly name: string; readonly losses: readonly (number | null)[] }>;
}

/**
 * One variant's loss plot: the first run's recorded losses as faint dots, each run's smoothed curve on top.
 *
 * @param runs the runs of one variant (one per seed); the first one's dots are drawn.
 * @returns the spec and how many dots it draws (the rest were thinned away or lie above 1).
 */
export function lossPlotSpec(runs: readonly RunResult[], options: PlotSpecOptions = {}): { spec: TopLevelSpec; dots: number } {
  const first = runs[0];
  if (!first) throw new RangeError('lossPlotSpec: no runs given');
  const variant = first.variant;
  const stray = runs.find((r) => r.variant !== variant);
  if (stray) throw new RangeError(`lossPlotSpec: runs of '${variant}' and '${stray.variant}' mixed; give one variant's runs`);
  return dotPlotSpec(
    {
      title: `Training loss: ${variant}`,
      label: first.label,
      lossTitle: lossTitle(runs),
      lossEvery: first.lossEvery,
      steps: Math.max(...runs.map(stepsTrained)),
      series: runs.map((r) => ({ name: `seed ${r.seed}`, losses: r.losses })),
    },
    options,
  );
}

/**
 * A loss plot in the chapter's style from plain series (see {@link lossPlotSpec} for a variant's runs): every
 * recorded loss of the first series as a faint dot, y from 0 to 1, and each series' smoothed curve.
 */
export function dotPlotSpec(data: DotPlotData, options: PlotSpecOptions = {}): { spec: TopLevelSpec; dots: number } {
  const first = data.series[0];
  if (!first) throw new RangeError('dotPlotSpec: no series given');
  const n = first.losses.length;
  const stride = thinningStride(n, options.maxDots ?? 20_000);
  const dots: Point[] = [];
  let above = 0;
  let missing = 0;
  for (const i of thinnedIndices(n, stride, false)) {
    const loss = first.losses[i];
    if (loss === null || loss === undefined) {
      missing++; // a loss that was not finite (recorded as null with --allow-nonfinite)
      continue;
    }
    // Points above the chapter's y range are invisible anyway; leaving them out keeps the SVG smaller.
    if (loss > 1) above++;
    else dots.push({ step: stepOf(i, data.lossEvery), loss });
  }
  const several = data.series.length > 1;
  const lines = data.series.map((r) => smoothedLine(r.losses, data.lossEvery, r.name, options.maxLinePoints ?? 1500));
  const recorded = formatCountOf(n, 'recorded loss', 'recorded losses');
  const shown = stride !== 1 ? `every ${ordinal(stride)} of ${recorded}` : n === 1 ? 'the one recorded loss' : `${above + missing > 0 ? 'the' : 'all'} ${recorded}`;
  const every = formatCountOf(data.lossEvery, 'step');
  const subtitle = n === 0 ? [
    ...(data.label === undefined ? [] : [data.label]),
    `no loss recorded: one is recorded every ${every}, and the run took ${data.steps === undefined ? 'fewer' : formatCount(data.steps)}`,
  ] : [
    ...(data.label === undefined ? [] : [data.label]),
    `dots: ${shown} (one per ${every})${several ? `, ${first.name}` : ''}` +
      (above > 0 ? `; ${formatCount(above)} above 1 not shown` : '') +
      (missing > 0 ? `; ${formatCount(missing)} not finite (NaN or ∞), not shown` : ''),
    smoothingNote(lines[0]!.window, data.lossEvery) + (several ? ', one per seed' : ''),
  ];
  const seriesNames = data.series.map((r) => r.name);
  const spec: TopLevelSpec = {
    width: options.width ?? 720,
    height: options.height ?? 320,
    config: CONFIG,
    title: { text: data.title, subtitle },
    encoding: {
      // The whole run, also when its last losses were not finite (and so not drawn), or it took fewer steps than
      // one record needs; whole steps only (a 5-step run's axis would otherwise read 0, 0, 1, 1, …).
      x: { field: 'step', type: 'quantitative', title: 'training step', scale: { domain: [0, Math.max(1, data.steps ?? n * data.lossEvery)] }, axis: { format: ',d', tickCount: 8, tickMinStep: 1 } },
      y: {
        field: 'loss',
        type: 'quantitative',
        title: data.lossTitle,
        scale: { domain: [0, 1] },
        axis: { values: LOSS_TICKS, format: '.2~f', grid: true },
      },
    },
    layer: [
      {
        data: { values: dots },
        // No stroke width: a filled point has no stroke, and Vega's default of 2 would write stroke-width="2" on each
        // of up to 20,000 dots (about 300 KB of a plot's SVG) for nothing (the PNG has the same pixels). Null becomes
        // Vega's `{ value: null }`, which leaves the property out; Vega-Lite's types do not list it.
        mark: { type: 'point', filled: true, size: 4, opacity: dotOpacity(dots.length), color: DOT_COLOR, strokeWidth: NO_VALUE, clip: true, aria: false },
      },
      // The other seeds' curves first, then the first seed's over them: its curve is the one that goes with the dots.
      ...[lines.slice(1), lines.slice(0, 1)].filter((ls) => ls.length > 0).map((ls, k) => ({
        data: { values: ls.flatMap((l) => clipLine(l.points, 1)) },
        mark: { type: 'line' as const, strokeWidth: several && k === 1 ? 2.5 : 2, clip: true, aria: false },
        encoding: {
          detail: { field: 'part', type: 'nominal' as const },
          color: {
            field: 'series',
            type: 'nominal' as const,
            scale: { domain: seriesNames, range: SEED_COLORS },
            legend: several ? { title: null } : null,
          },
        },
      })),
    ],
  };
  return { spec, dots: dots.length };
}

/**
 * All variants' smoothed curves on one plot, coloured by variant. Where a variant has several seeds of equal length,
 * their losses are averaged record by record before smoothing.
 */
export function overlayPlotSpec(runs: readonly RunResult[], options: PlotSpecOptions = {}): TopLevelSpec {
  const variants = [...new Set(runs.map((r) => r.variant))];
  if (variants.length === 0) throw new RangeError('overlayPlotSpec: no runs given');
  const points: SeriesPoint[] = [];
  let averaged = false;
  const windows = new Set<number>();
  let lossEvery = 0;
  for (const variant of variants) {
    // Runs that ended with NaN or infinite weights (trained on with --allow-nonfinite) are left out of the mean, as
    // they are out of the table's mean ± std; a variant with nothing else keeps them.
    const all = runs.filter((r) => r.variant === variant);
    const finite = all.filter((r) => r.nonFiniteWeights === undefined);
    const own = finite.length > 0 ? finite : all;
    const first = own[0]!;
    const mean = own.length > 1 ? meanSeries(own.map((r) => r.losses)) : undefined;
    if (mean) averaged = true;
    const line = smoothedLine(mean ?? first.losses, first.lossEvery, variant, options.maxLinePoints ?? 1500);
    windows.add(line.window);
    lossEvery = first.lossEvery;
    points.push(...line.points);
  }
  const top = Math.min(1, Math.ceil(Math.max(0.05, ...points.map((p) => p.loss)) * 20) / 20);
  const smoothing =
    windows.size === 1
      ? smoothingNote([...windows][0]!, lossEvery, 'lines')
      : 'lines: centred moving averages (windows differ by run length)';
  // An empty frame says why: nothing recorded (runs of under 10 steps), every recorded loss NaN or infinite (trained
  // on with --allow-nonfinite), or every curve above the axis's top of 1.
  const empty = points.length === 0
    ? runs.some((r) => r.losses.length > 0) ? 'every recorded loss is NaN or infinite: none is shown' : 'no loss was recorded (one is recorded every 10 steps)'
    : points.every((p) => p.loss > top) ? `every curve stays above ${top}, the top of the y axis: none is shown` : null;
  const subtitle = [
    ...(empty === null ? [`${smoothing}${averaged ? ', of the loss averaged over seeds' : ''}`] : [empty]),
    'MSE and BCE losses measure different things: compare shapes, not heights across losses',
  ];
  return {
    width: options.width ?? 720,
    height: options.height ?? 320,
    config: CONFIG,
    title: { text: 'Training loss, all variants (smoothed)', subtitle },
    data: { values: variants.flatMap((v) => clipLine(points.filter((p) => p.series === v), top)) },
    mark: { type: 'line', strokeWidth: 2, clip: true, aria: false },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'training step', axis: { format: ',d', tickCount: 8 } },
      y: { field: 'loss', type: 'quantitative', title: 'loss', scale: { domain: [0, top] }, axis: { grid: true } },
      detail: { field: 'part', type: 'nominal' },
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: variants, range: VARIANT_COLORS } },
    },
  };
}
