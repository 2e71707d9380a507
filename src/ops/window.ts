/**
 * The geometry shared by 2-D convolution and pooling: PyTorch's `int or (int, int)` arguments, and the size of the
 * output a sliding window gives.
 */
import { describeValue } from '../options.js';
import { formatShape } from '../tensor/shape.js';

export type Pair = readonly [number, number];

/** PyTorch's `int or tuple of two ints` (kernel size, stride, padding, dilation): one number for both dimensions. */
export type IntPair = number | readonly [number, number];

/** `v` as a (height, width) pair of integers ≥ `min`, or a TypeError/RangeError naming `what` and the value. */
export function pair(where: string, what: string, v: unknown, min: number): Pair {
  const p = typeof v === 'number' ? [v, v] : Array.isArray(v) && v.length === 2 ? v : null;
  if (p === null || !p.every((x) => typeof x === 'number' && Number.isInteger(x))) {
    throw new TypeError(`${where}: ${what} must be an integer or a pair of integers [height, width], got ${describeValue(v)}`);
  }
  if (!p.every((x) => x >= min)) {
    throw new RangeError(`${where}: ${what} must be ${min === 0 ? 'non-negative' : `at least ${min}`}, got ${describeValue(v)}`);
  }
  return [p[0] as number, p[1] as number];
}

/**
 * The output length of a window of `k` taps `d` apart, moved `s` at a time over `n` inputs padded by `before` and
 * `after`: ⌊(n + before + after − d·(k − 1) − 1) / s⌋ + 1 (or ⌈…⌉ with `ceil`, dropping a last window that would
 * start in the padding after the input, as PyTorch's pooling does).
 */
export function outLength(n: number, k: number, s: number, d: number, before: number, after: number, ceil = false): number {
  const span = n + before + after - d * (k - 1) - 1;
  // PyTorch's pooling_output_shape: with ceil, a window that overhangs the input's end by less than a stride still
  // gives one output (a 1×1 input under a 2×2 ceil-mode pool gives 1×1), so the span may be negative here.
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (out - 1) * s >= n + before) out--;
  return Math.max(out, 0);
}

/** Refuses an empty output, as PyTorch does ("Output size is too small"), naming the input's shape. */
export function checkOutput(where: string, shape: readonly number[], ho: number, wo: number, detail: string): void {
  if (ho <= 0 || wo <= 0) {
    throw new RangeError(
      `${where}: the output would be ${ho}×${wo} (empty) for an input of shape ${formatShape(shape)} with ${detail}: ` +
        'the input is smaller than the (dilated) kernel; pad it or use a smaller kernel',
    );
  }
}
