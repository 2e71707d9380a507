// The order in which PyTorch draws the values of a tensor that may be a view, and the uniform and normal values it
// draws for it: shared by the tensor-level fills (random-fills.ts), the like-draws and nn.init, whose functions
// PyTorch runs as those same tensor methods under no_grad, so that all give the same values on the same view.
import type { Generator } from '../random.js';
import { contiguousStrides } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * The order in which PyTorch draws a tensor's values: null when PyTorch holds the tensor contiguous (row-major
 * order), else the row-major indices of its elements in PyTorch's memory order (TensorIterator's, for the views
 * slicing and transposing make). A tensor that is no view PyTorch holds contiguous, whatever Kindling's layout (a
 * `Linear` weight, stored transposed); a view is laid out in PyTorch as in its base, taken as contiguous.
 */
export function drawOrder(t: Tensor): Int32Array | null {
  const offsets = torchOffsets(t);
  if (offsets === null) return null;
  const n = offsets.length;
  let contiguous = true;
  for (let i = 1; i < n && contiguous; i++) contiguous = offsets[i] === offsets[0]! + i;
  if (contiguous) return null;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => offsets[a]! - offsets[b]!);
  return order;
}

/**
 * The offset of each of a view's elements (row-major) in PyTorch's storage, counted from the base's first element;
 * null when PyTorch holds t contiguous (no view, a view as laid out as a contiguous base, or one element).
 */
function torchOffsets(t: Tensor): Float64Array | null {
  const base = t.viewBase;
  if (base === null || t.numel() <= 1) return null;
  if (t.isContiguous() && base.isContiguous()) return null;
  const n = t.numel();
  // Each element's offset in Kindling's storage, from the base's first element.
  const from = (t.unsettledData.byteOffset - base.unsettledData.byteOffset) / 4;
  const offsets = new Float64Array(n);
  const index = new Array<number>(t.ndim).fill(0);
  let off = from;
  for (let i = 0; i < n; i++) {
    offsets[i] = off;
    for (let d = t.ndim - 1; d >= 0; d--) {
      index[d]!++;
      off += t.strides[d]!;
      if (index[d]! < t.shape[d]!) break;
      off -= t.strides[d]! * t.shape[d]!;
      index[d] = 0;
    }
  }
  // Kindling's offset in the base's storage → the element's offset in PyTorch's contiguous base.
  if (!base.isContiguous()) {
    const dims = base.shape.map((_, d) => d).filter((d) => base.shape[d]! > 1).sort((a, b) => base.strides[b]! - base.strides[a]!);
    const rowMajor = contiguousStrides(base.shape);
    for (let i = 0; i < n; i++) {
      let rest = offsets[i]!;
      let at = 0;
      for (const d of dims) {
        const k = Math.floor(rest / base.strides[d]!);
        rest -= k * base.strides[d]!;
        at += k * rowMajor[d]!;
      }
      offsets[i] = at;
    }
  }
  return offsets;
}

/**
 * The order in which PyTorch draws the values of a new tensor made "like" t (`rand_like`, `randn_like`,
 * `randint_like`): `empty_like` with `preserve_format` lays it out with t's strides when t is non-overlapping and
 * dense, else with `infer_dense_strides`' (t's dimensions ordered by stride, a stride of 0, as an expand's, keeping
 * the row-major place), and the draws fill that layout in memory order. null for row-major.
 */
export function likeDrawOrder(t: Tensor): Int32Array | null {
  const offsets = torchOffsets(t);
  if (offsets === null) return null;
  const shape = t.shape;
  const ndim = shape.length;
  const rowMajor = contiguousStrides(shape);
  // PyTorch's strides of t, read off its offsets (a dimension of size 1 keeps Kindling's, which moves no element).
  const strides = shape.map((size, d) => (size > 1 ? offsets[rowMajor[d]!]! - offsets[0]! : t.strides[d]!));
  // infer_dense_strides (ATen's TensorUtils.cpp) for a dense layout; for one already non-overlapping and dense it
  // gives back t's own order. An insertion sort from the innermost dimension, in which a stride of 0 compares as
  // "ambiguous" and leaves the order as it is.
  const perm = Array.from({ length: ndim }, (_, i) => ndim - 1 - i);
  const shouldSwap = (d0: number, d1: number): number => {
    const [s0, s1] = [strides[d0]!, strides[d1]!];
    if (s0 === 0 || s1 === 0) return 0;
    if (s0 !== s1) return s0 < s1 ? -1 : 1;
    return shape[d0]! > shape[d1]! ? 1 : 0;
  };
  for (let i = 1; i < ndim; i++) {
    let d1 = i;
    for (let d0 = i - 1; d0 >= 0; d0--) {
      const c = shouldSwap(perm[d0]!, perm[d1]!);
      if (c > 0) {
        [perm[d0], perm[d1]] = [perm[d1]!, perm[d0]!];
        d1 = d0;
      } else if (c < 0) break;
    }
  }
  const dense = new Array<number>(ndim);
  let step = 1;
  for (const d of perm) {
    dense[d] = step;
    if (shape[d]! > 1) step *= shape[d]!;
  }
  // The elements in that layout's memory order: element i (row-major) lands at its dense offset.
  const n = offsets.length;
  const order = new Int32Array(n);
  const index = new Array<number>(ndim).fill(0);
  let off = 0;
  let identity = true;
  for (let i = 0; i < n; i++) {
    order[off] = i;
    if (off !== i) identity = false;
    for (let d = ndim - 1; d >= 0; d--) {
      index[d]!++;
      off += dense[d]!;
      if (index[d]! < shape[d]!) break;
      off -= dense[d]! * shape[d]!;
      index[d] = 0;
    }
  }
  return identity ? null : order;
}

/** `drawn` (values in draw order) in row-major order. @internal */
export function inRowMajor(drawn: Float32Array, order: Int32Array | null): Float32Array {
  if (order === null) return drawn;
  const out = new Float32Array(drawn.length);
  for (let k = 0; k < order.length; k++) out[order[k]!] = drawn[k]!;
  return out;
}

/** Uniform values drawn for a tensor whose draw order is `order`, as PyTorch's `uniform_`, row-major. @internal */
export function uniformValues(n: number, order: Int32Array | null, from: number, to: number, gen: Generator): Float32Array {
  const drawn = new Float32Array(n);
  for (let i = 0; i < n; i++) drawn[i] = gen.uniform(from, to);
  return inRowMajor(drawn, order);
}

/**
 * Normal values as PyTorch's `normal_`: on a tensor PyTorch holds contiguous, its float32 kernel (16 values or more;
 * see `Generator.normalFill`), else one float64 Box–Muller value at a time, in memory order. @internal
 */
export function normalValues(n: number, order: Int32Array | null, mean: number, std: number, gen: Generator): Float32Array {
  const drawn = new Float32Array(n);
  if (order === null) gen.normalFill(drawn, mean, std);
  else for (let i = 0; i < n; i++) drawn[i] = gen.normal(mean, std);
  return inRowMajor(drawn, order);
}
