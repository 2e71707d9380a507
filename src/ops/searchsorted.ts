// Binary search in sorted boundaries, as PyTorch 1.13's torch.searchsorted and torch.bucketize: for each value the
// index where it would be inserted to keep the order (left: the first boundary ≥ it; right: the first > it; NaN goes
// to the end, as PyTorch's comparisons send it). Indices come back as a float32 tensor (Kindling's tensors are
// float32), with no gradient.
import { KindlingError } from '../errors.js';
import { describeValue } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';

export interface SearchsortedOptions {
  /** Insert after equal boundaries (default false). */
  right?: boolean;
  /** 'left' or 'right', the same as `right`; both given must agree. */
  side?: 'left' | 'right';
  /** Indices that sort the boundaries along their last dimension (for boundaries that are not sorted themselves). */
  sorter?: Tensor;
  /** Accepted for PyTorch's signature: indices are float32 here either way. */
  outInt32?: boolean;
}

const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;

/**
 * `searchsorted(boundaries, values)`: boundaries 1-D (one sorted sequence for every value) or N-D whose first N−1
 * dimensions are the values' (one sequence per row); values a tensor or a number (a 0-D result).
 */
export function searchsorted(boundaries: Tensor, values: Tensor | number, options: SearchsortedOptions = {}): Tensor {
  checkTensor(boundaries, 'searchsorted', 'sortedSequence');
  const scalar = typeof values === 'number';
  const v = scalar ? new Tensor(Float32Array.of(values), []) : values;
  if (!scalar) checkTensor(v, 'searchsorted', 'values');
  const { right = false, side, sorter } = options;
  if (typeof right !== 'boolean') throw new TypeError(`searchsorted: right must be true or false, got ${describeValue(right)}`);
  if (side !== undefined && side !== 'left' && side !== 'right') throw new RangeError(`torch.searchsorted(): side can only be 'left' or 'right' but got ${String(side)}`);
  if (side !== undefined && right && side === 'left') throw new RangeError("torch.searchsorted(): side and right can't be set to opposites, got side of left while right was True");
  const upper = right || side === 'right';
  if (boundaries.ndim === 0) throw new RangeError('torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 dimension');
  if (boundaries.ndim > 1 && v.ndim === 0) {
    throw new RangeError(`torch.searchsorted(): input value can be a scalar only when boundaries tensor dimension is 1, but we got boundaries tensor dim(${boundaries.ndim}) and input value's dim(0) numel(1)`);
  }
  if (boundaries.ndim > 1) {
    const lead = boundaries.shape.slice(0, -1);
    if (v.ndim !== boundaries.ndim || lead.some((s, i) => s !== v.shape[i])) {
      throw new RangeError(`torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries tensor and input value tensor must match, but we got boundaries tensor ${shapeText(boundaries.shape)} and input value tensor ${shapeText(v.shape)}`);
    }
  }
  let order: Float32Array | null = null;
  if (sorter !== undefined) {
    checkTensor(sorter, 'searchsorted', 'sorter');
    if (sorter.shape.length !== boundaries.shape.length || sorter.shape.some((s, i) => s !== boundaries.shape[i])) {
      throw new RangeError(`torch.searchsorted(): boundary and sorter must have the same size, but got boundary tensor ${shapeText(boundaries.shape)}and got sorter tensor ${shapeText(sorter.shape)}`);
    }
    order = sorter.toArray();
  }
  const len = boundaries.shape[boundaries.ndim - 1]!;
  const bd = boundaries.toArray();
  if (order !== null) {
    for (const k of order) {
      if (!Number.isInteger(k) || k < 0 || k >= len) throw new KindlingError(`torch.searchsorted(): sorter index out of range: ${k} (the last dimension has ${len} boundaries)`);
    }
  }
  const vals = v.toArray();
  const perRow = boundaries.ndim === 1 ? vals.length : (v.shape[v.ndim - 1] ?? 1);
  const out = new Float32Array(vals.length);
  for (let i = 0; i < vals.length; i++) {
    const base = boundaries.ndim === 1 ? 0 : Math.floor(i / perRow) * len;
    const val = vals[i]!;
    let lo = 0;
    let hi = len;
    while (lo < hi) {
      const mid = lo + ((hi - lo) >> 1);
      const at = base + (order === null ? mid : order[base + mid]!);
      const b = bd[at]!;
      if (upper ? !(b > val) : !(b >= val)) lo = mid + 1;
      else hi = mid;
    }
    out[i] = lo;
  }
  return new Tensor(out, v.shape);
}

/** The bucket of each element among 1-D sorted `boundaries`, as `torch.bucketize(input, boundaries, right)`. */
export function bucketize(input: Tensor | number, boundaries: Tensor, options: { right?: boolean; outInt32?: boolean } | boolean = {}): Tensor {
  checkTensor(boundaries, 'bucketize', 'boundaries');
  if (boundaries.ndim !== 1) throw new RangeError(`boundaries tensor must be 1 dimension, but got dim(${boundaries.ndim})`);
  const right = typeof options === 'boolean' ? options : (options.right ?? false);
  return searchsorted(boundaries, input, { right });
}
