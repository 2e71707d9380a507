// tensorSplit, hsplit, vsplit and dsplit, as PyTorch 1.13's: views (narrow, SliceBackward0) cut into a number of
// near-equal parts (the first n mod k one longer) or at given indices (clamped, as Python's slices), and the
// NumPy-style splits along dimension 1 (0 for 1-D), 0 and 2 with their messages.
import { normalizeDim } from '../tensor/shape.js';
import { describeValue } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';
import { narrow } from './view.js';

/**
 * A tensor given for tensorSplit's sections or indices, as PyTorch's `tensor_indices_or_sections`: 0-d, the number
 * of sections; 1-D, the indices (whole numbers, as Kindling's integer tensors hold them in float32).
 */
function fromTensor(t: Tensor): number | number[] {
  if (t.ndim > 1) {
    throw new RangeError(`tensor_split expected tensor_indices_or_sections to be a zero-dimensional or one-dimensional tensor, but got a tensor with ${t.ndim} dims`);
  }
  const v = Array.from(t.values());
  const bad = v.find((i) => !Number.isInteger(i));
  if (bad !== undefined) throw new TypeError(`tensorSplit: the tensor of ${t.ndim === 0 ? 'sections' : 'indices'} must hold whole numbers (PyTorch's long), got ${bad}`);
  return t.ndim === 0 ? v[0]! : v;
}

/**
 * x cut into `sections` parts along `dim` (sizes differing by at most one), or at the `indices` given; either may
 * come as a tensor, as PyTorch's (0-d: the sections; 1-D: the indices).
 */
export function tensorSplit(x: Tensor, sectionsOrIndices: number | readonly number[] | Tensor, dim = 0): Tensor[] {
  checkTensor(x, 'tensorSplit');
  if (x.ndim === 0) throw new RangeError(`tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims`);
  const d = normalizeDim(dim, x.ndim, 'tensorSplit');
  const n = x.shape[d]!;
  if (sectionsOrIndices instanceof Tensor) sectionsOrIndices = fromTensor(sectionsOrIndices);
  if (typeof sectionsOrIndices === 'number') {
    const k = sectionsOrIndices;
    if (!Number.isInteger(k)) throw new TypeError(`tensorSplit: sectionsOrIndices must be a whole number of sections (PyTorch's int), an array of indices or a tensor, got ${describeValue(k)}`);
    if (k <= 0) throw new RangeError(`tensorSplit: number of sections must be larger than 0, got ${k}`);
    const small = Math.floor(n / k);
    const big = n % k;
    const parts: Tensor[] = [];
    let start = 0;
    for (let i = 0; i < k; i++) {
      const len = small + (i < big ? 1 : 0);
      parts.push(narrow(x, d, start, len));
      start += len;
    }
    return parts;
  }
  if (!Array.isArray(sectionsOrIndices) || sectionsOrIndices.some((i) => !Number.isInteger(i))) {
    throw new TypeError(`tensorSplit: expects a number of sections or an array of integer indices, got ${describeValue(sectionsOrIndices)}`);
  }
  // Python's slices x[a:b] between consecutive indices (PyTorch's at::slice: negative ones wrap, all clamped).
  const clamp = (i: number): number => Math.min(n, Math.max(0, i < 0 ? i + n : i));
  const parts: Tensor[] = [];
  let start = 0;
  for (const index of [...sectionsOrIndices, n]) {
    const from = clamp(start);
    parts.push(narrow(x, d, from, Math.max(0, clamp(index) - from)));
    start = index;
  }
  return parts;
}

/** `tensorSplit` along `dim`, as NumPy's hsplit/vsplit/dsplit: a number of sections must divide the dimension. */
function numpySplit(op: 'hsplit' | 'vsplit' | 'dsplit', x: Tensor, sections: number | readonly number[], minDims: number, dim: number): Tensor[] {
  checkTensor(x, op);
  if (x.ndim < minDims) {
    throw new RangeError(`torch.${op} requires a tensor with at least ${minDims} dimension, but got a tensor with ${x.ndim} dimensions!`);
  }
  if (typeof sections === 'number') {
    const n = x.shape[dim]!;
    if (sections === 0 || (Number.isInteger(sections) && n % sections !== 0)) {
      throw new RangeError(`torch.${op} attempted to split along dimension ${dim}, but the size of the dimension ${n} is not divisible by the split_size ${sections}!`);
    }
  }
  return tensorSplit(x, sections, dim);
}

/** Split along dimension 1 (0 for a 1-D tensor), as NumPy's `hsplit`. */
export const hsplit = (x: Tensor, sections: number | readonly number[]): Tensor[] => numpySplit('hsplit', x, sections, 1, x?.ndim === 1 ? 0 : 1);
/** Split along dimension 0 (2-D or more), as NumPy's `vsplit`. */
export const vsplit = (x: Tensor, sections: number | readonly number[]): Tensor[] => numpySplit('vsplit', x, sections, 2, 0);
/** Split along dimension 2 (3-D or more), as NumPy's `dsplit`. */
export const dsplit = (x: Tensor, sections: number | readonly number[]): Tensor[] => numpySplit('dsplit', x, sections, 3, 2);
