/** Pure helpers behind the loss plots: smoothing, deterministic thinning, and averaging seeds. */

/** Records the smoothed curve averages over: 100 records = 1,000 steps of the chapter's protocol. */
export const SMOOTHING_WINDOW = 100;

/**
 * The window actually used for a series of `n` records: `SMOOTHING_WINDOW`, but at most a tenth of a short run
 * (a quick `--train-limit` run has only a few hundred records) and at least 1.
 */
export function smoothingWindow(n: number): number {
  return Math.max(1, Math.min(SMOOTHING_WINDOW, Math.floor(n / 10)));
}

/**
 * Centred moving average over `window` records. A centred window does not lag behind the data the way a trailing
 * one does; near the ends it shrinks to the records available. `null` (non-finite) records are skipped; a point
 * whose whole window is `null` stays `null`.
 *
 * @example movingAverage([1, 2, 3, 4, 5], 3) // [1.5, 2, 3, 4, 4.5]
 */
export function movingAverage(values: readonly (number | null)[], window: number): (number | null)[] {
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`movingAverage: window must be a positive integer, got ${window}`);
  const n = values.length;
  // Each window summed on its own: differences of running sums would lose every later window to cancellation
  // after one huge loss (1e19 from a diverging run), and the windows are short (at most SMOOTHING_WINDOW).
  const before = Math.floor((window - 1) / 2);
  const after = window - 1 - before;
  const out: (number | null)[] = new Array<number | null>(n);
  for (let i = 0; i < n; i++) {
    const hi = Math.min(n, i + after + 1);
    let sum = 0;
    let count = 0;
    for (let j = Math.max(0, i - before); j < hi; j++) {
      const v = values[j];
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      sum += v;
      count++;
    }
    out[i] = count === 0 ? null : sum / count;
  }
  return out;
}

/**
 * The stride that keeps at most `max` of `n` points when taking every stride-th one (1 = keep all).
 * @example thinningStride(54000, 20000) // 3
 */
export function thinningStride(n: number, max: number): number {
  return Math.max(1, Math.ceil(n / Math.max(1, max)));
}

/**
 * Indices 0, k, 2k, … below `n`, plus the last index so a thinned line still reaches the end of training.
 */
export function thinnedIndices(n: number, stride: number, keepLast: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i += stride) out.push(i);
  if (keepLast && n > 0 && out[out.length - 1] !== n - 1) out.push(n - 1);
  return out;
}

/**
 * Element-wise mean of several loss series of equal length (several seeds of one variant), skipping `null`s.
 * Returns `undefined` when the lengths differ, since records at the same index would not be the same step.
 */
export function meanSeries(series: readonly (readonly (number | null)[])[]): (number | null)[] | undefined {
  const first = series[0];
  if (!first || series.some((s) => s.length !== first.length)) return undefined;
  const out: (number | null)[] = new Array<number | null>(first.length);
  for (let i = 0; i < first.length; i++) {
    let sum = 0;
    let count = 0;
    for (const s of series) {
      const v = s[i];
      if (v !== null && v !== undefined && Number.isFinite(v)) {
        sum += v;
        count++;
      }
    }
    out[i] = count === 0 ? null : sum / count;
  }
  return out;
}
