// Tensor.unfold(dimension, size, step), as PyTorch 1.13's: every slice of `size` elements along `dimension`, `step`
// apart, as a new last dimension of a view over the same storage (slices may overlap); its gradient adds each
// slice's back into place (UnfoldBackward0).
import { contiguousStrides, formatShape, normalizeDim } from '../tensor/shape.js';
import { describeValue } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';
import { offsetView } from './view.js';

export function unfold(x: Tensor, dimension: number, size: number, step: number): Tensor {
  checkTensor(x, 'unfold');
  for (const [what, v] of [['dimension', dimension], ['size', size], ['step', step]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`unfold: ${what} must be an integer, got ${describeValue(v)}`);
  }
  const d = x.ndim === 0 ? normalizeDim(dimension, 1, 'unfold') : normalizeDim(dimension, x.ndim, 'unfold');
  const n = x.ndim === 0 ? 1 : x.shape[d]!;
  if (size > n) throw new RangeError(`maximum size for tensor at dimension ${d} is ${n} but size is ${size}`);
  if (size < 0) throw new RangeError(`unfold: size is ${size} but must be >= 0 (shape ${formatShape(x.shape)})`);
  if (step <= 0) throw new RangeError(`step is ${step} but must be > 0`);
  if (x.ndim === 0) return offsetView(x, 'unfold', [size], [1], 0, 0, [1], 'UnfoldBackward0');
  const count = Math.floor((n - size) / step) + 1;
  const shape = [...x.shape, size];
  shape[d] = count;
  const withSlice = (strides: readonly number[]): number[] => {
    const s = [...strides, strides[d]!];
    s[d] = strides[d]! * step;
    return s;
  };
  return offsetView(x, 'unfold', shape, withSlice(x.strides), 0, 0, withSlice(contiguousStrides(x.shape)), 'UnfoldBackward0');
}
