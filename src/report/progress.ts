/**
 * `plotProgress`: the chapter's `plot_progress()` for a training loop of your own — the losses you recorded as faint
 * dots against the training step, y from 0 to 1, with a smoothed curve on top, drawn by the same charting path as
 * the lab's report (Vega-Lite → SVG → resvg PNG) and written atomically.
 */
import { extname } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { checkOptions, describeValue } from '../options.js';
import { dotPlotSpec } from './plot-specs.js';

export interface ProgressPlotOptions {
  /** Training steps between two recorded losses (default 10, the chapter's). */
  readonly every?: number;
  /** The plot's title (default 'Training loss'). */
  readonly title?: string;
  /** The y axis title (default 'loss'). */
  readonly lossName?: string;
  /** Plot area size in CSS pixels (default 720 × 320). */
  readonly width?: number;
  readonly height?: number;
  /** PNG pixels per SVG pixel (default 2). */
  readonly scale?: number;
}

const PROGRESS_OPTIONS = ['every', 'title', 'lossName', 'width', 'height', 'scale'] as const;

/**
 * Draws recorded losses in the chapter's style and writes the plot to `path`: PNG for a `.png` name, SVG for `.svg`.
 * A NaN or infinite loss is left out (the curve has a gap there); losses above 1 are off the chart, as in the book.
 *
 * @example
 * const progress: number[] = [];
 * // … in the training loop, every 10th step: progress.push(loss.item());
 * await plotProgress(progress, 'progress.png');
 */
export async function plotProgress(losses: ArrayLike<number>, path: string, options: ProgressPlotOptions = {}): Promise<void> {
  const o = checkOptions('plotProgress', options, PROGRESS_OPTIONS);
  if (typeof path !== 'string' || !['.png', '.svg'].includes(extname(path).toLowerCase())) {
    throw new TypeError(`plotProgress: the file name must end in .png or .svg, got ${describeValue(path)}`);
  }
  if (typeof losses !== 'object' || losses === null || typeof losses.length !== 'number' || losses.length === 0) {
    const got = typeof losses === 'object' && losses !== null && losses.length === 0 ? 'an empty one' : describeValue(losses);
    throw new TypeError(`plotProgress: expects a non-empty array of recorded losses, got ${got}`);
  }
  const values: (number | null)[] = [];
  for (let i = 0; i < losses.length; i++) {
    const v = losses[i];
    if (typeof v !== 'number') throw new TypeError(`plotProgress: loss ${i} is not a number (${describeValue(v)}); record loss.item()`);
    values.push(Number.isFinite(v) ? v : null);
  }
  const every = o.every ?? 10;
  if (!Number.isInteger(every) || every < 1) throw new RangeError(`plotProgress: every must be a positive integer (steps between records), got ${describeValue(every)}`);
  for (const k of ['title', 'lossName'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'string') throw new TypeError(`plotProgress: ${k} must be a string, got ${describeValue(o[k])}`);
  }
  if (o.scale !== undefined && !(typeof o.scale === 'number' && o.scale > 0 && o.scale <= 8)) {
    throw new RangeError(`plotProgress: scale must be a number above 0 and at most 8 (PNG pixels per SVG pixel), got ${describeValue(o.scale)}`);
  }
  for (const k of ['width', 'height'] as const) {
    const v = o[k];
    if (v !== undefined && !(Number.isInteger(v) && v >= 50 && v <= 4000)) throw new RangeError(`plotProgress: ${k} must be a whole number of pixels from 50 to 4000, got ${describeValue(v)}`);
  }
  const { spec } = dotPlotSpec(
    {
      title: o.title ?? 'Training loss',
      lossTitle: o.lossName ?? 'loss',
      lossEvery: every,
      series: [{ name: 'recorded', losses: values }],
    },
    { ...(o.width === undefined ? {} : { width: o.width }), ...(o.height === undefined ? {} : { height: o.height }) },
  );
  // Loaded on first use: the rasteriser is a native module that `import 'kindling'` should not load.
  const { renderInWorker } = await import('./plots.js');
  const plot = await renderInWorker(spec, o.scale ?? 2);
  writeFileAtomic(path, extname(path).toLowerCase() === '.png' ? plot.png : plot.svg);
}
