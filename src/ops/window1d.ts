/**
 * The geometry of 1-D convolution and pooling: PyTorch's `int or (int,)` arguments (`_single`), and an input as
 * the planes of the 2-D kernels, one row high.
 */
import { describeValue } from '../options.js';
import { formatShape } from '../tensor/shape.js';

/** PyTorch's `int or tuple of one int` (kernel size, stride, padding, dilation, output size). */
export type Int1 = number | readonly [number];

/** `v` as one integer ≥ `min` (a number or a one-element array), or a TypeError/RangeError naming `what` and the value. */
export function single(where: string, what: string, v: unknown, min: number): number {
  const x = typeof v === 'number' ? v : Array.isArray(v) && v.length === 1 ? (v[0] as unknown) : null;
  if (typeof x !== 'number' || !Number.isInteger(x)) {
    throw new TypeError(`${where}: ${what} must be an integer or an array of one integer, got ${describeValue(v)}`);
  }
  if (x < min) throw new RangeError(`${where}: ${what} must be ${min === 0 ? 'non-negative' : `at least ${min}`}, got ${describeValue(v)}`);
  return x;
}

/** A size as PyTorch prints a `_single` one: (3,). */
export const tuple1 = (n: number): string => `(${n},)`;

/** PyTorch's "Output size is too small" refusal of a pooling whose output would be empty (as its 2-D kernel words it). */
export function checkPoolOutput(where: string, shape: readonly number[], lo: number): void {
  if (lo <= 0) {
    const c = shape.length === 3 ? shape[1]! : shape[0]!;
    const l = shape[shape.length - 1]!;
    throw new RangeError(`${where}: Given input size: (${c}x1x${l}). Calculated output size: (${c}x1x${lo}). Output size is too small (input ${formatShape(shape)})`);
  }
}
