// maskedSelect, nonzero and argwhere, as PyTorch 1.13's: maskedSelect picks x's elements where the (broadcast) mask
// is non-zero into a 1-D tensor, its gradient added back into those places (summed over broadcast copies);
// nonzero and argwhere give the coordinates of the non-zero elements (NaN counts), as whole numbers in float32.
import { KindlingError } from '../errors.js';
import { checkOptions } from '../options.js';
import { broadcastStrides, contiguousStrides, formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { pick } from './gather.js';
import { checkTensor } from './util.js';

/** nonzero's `asTuple`: one 1-D tensor of coordinates per dimension instead of one [n, ndim] tensor. */
export interface NonzeroOptions { asTuple?: boolean }

/** The common shape of the mask (a) and x (b), as PyTorch's message words a mismatch. */
function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new KindlingError(`maskedSelect: The size of tensor a (${da}) must match the size of tensor b (${db}) at non-singleton dimension ${i} (mask ${formatShape(a)}, input ${formatShape(b)})`);
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** x's elements where `mask` is non-zero (both broadcast to one shape), in row-major order, as `torch.masked_select`. */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  checkTensor(x, 'maskedSelect');
  checkTensor(mask, 'maskedSelect', 'mask');
  const shape = broadcastShape(mask.shape, x.shape);
  const xs = broadcastStrides(x.shape, shape);
  const ms = broadcastStrides(mask.shape, shape);
  const mv = mask.values();
  const count = shape.reduce((p, d) => p * d, 1);
  const from: number[] = [];
  const at = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < count; i++) {
    let xo = 0;
    let mo = 0;
    for (let d = 0; d < shape.length; d++) {
      xo += at[d]! * xs[d]!;
      mo += at[d]! * ms[d]!;
    }
    if (mv[mo] !== 0) from.push(xo);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++at[d]! < shape[d]!) break;
      at[d] = 0;
    }
  }
  return pick(x, [from.length], Int32Array.from(from), 'maskedSelect', mask, 'MaskedSelectBackward0');
}

/** The coordinates of x's non-zero elements, one row each in row-major order ([n, ndim]). */
function coordinates(x: Tensor): { data: Float32Array; count: number } {
  const v = x.values();
  const strides = contiguousStrides(x.shape);
  const rows: number[] = [];
  let count = 0;
  for (let i = 0; i < v.length; i++) {
    if (v[i] === 0) continue;
    count++;
    for (let d = 0; d < x.ndim; d++) rows.push(Math.floor(i / strides[d]!) % x.shape[d]!);
  }
  return { data: Float32Array.from(rows), count };
}

/**
 * The coordinates of x's non-zero elements (NaN counts), as `torch.nonzero`: an [n, ndim] tensor, or with
 * `{ asTuple: true }` one 1-D tensor per dimension (a 0-d x gives one, as PyTorch's). Whole numbers in float32.
 */
export function nonzero(x: Tensor, options?: { asTuple?: false }): Tensor;
export function nonzero(x: Tensor, options: { asTuple: true }): Tensor[];
export function nonzero(x: Tensor, options?: NonzeroOptions): Tensor | Tensor[];
export function nonzero(x: Tensor, options: NonzeroOptions = {}): Tensor | Tensor[] {
  checkTensor(x, 'nonzero');
  const { asTuple = false } = checkOptions('nonzero', options, ['asTuple']);
  const { data, count } = coordinates(x);
  if (!asTuple) return new Tensor(data, [count, x.ndim]);
  if (x.ndim === 0) return [new Tensor(new Float32Array(count), [count])];
  return x.shape.map((_, d) => new Tensor(Float32Array.from({ length: count }, (_, r) => data[r * x.ndim + d]!), [count]));
}

/** The coordinates of x's non-zero elements as an [n, ndim] tensor, as `torch.argwhere` (nonzero without asTuple). */
export function argwhere(x: Tensor): Tensor {
  checkTensor(x, 'argwhere');
  return nonzero(x);
}
