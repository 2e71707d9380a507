// Which values of an elementwise op on x PyTorch 1.13's CPU loop computes in its vector loop and which in its scalar
// loop. The two can round differently (pow's vector loop takes a number exponent in float32, its scalar loop in
// float64), so an op that follows both needs to know. PyTorch's TensorIterator orders x's dimensions by stride
// (reorder_dimensions), merges those that lie evenly in memory (coalesce_dimensions), and runs its loop
// (cpu_kernel_vec) over the innermost merged dimension, once per place in the others: in whole blocks of 16 values
// (two AVX2 vectors) when that dimension is contiguous or broadcast, then the run's n mod 16 values in scalar code; an
// innermost dimension that is neither is all scalar code.
import type { Tensor } from '../tensor/tensor.js';

/** Values per block of PyTorch's AVX2 vector loop over float32: two vectors of 8. */
const BLOCK = 16;

/**
 * For each of x's values in row-major order, whether PyTorch's vector loop computes it (single-threaded, as a
 * tensor under 32,768 values always is). A contiguous x is one run of values; any other x is run over in the order
 * of its strides, so a transpose in memory order and a row slice row by row.
 */
export function inVectorLoop(x: Tensor): (i: number) => boolean {
  const n = x.numel();
  if (x.isContiguous()) return (i) => i < n - (n % BLOCK);
  const { shape, strides } = x;
  const perm = innermostFirst(shape, strides);
  // The innermost run: the dimensions that merge with the innermost one (coalesce_dimensions: each lies where the one
  // before ends, or one of the two has size 1, whose stride then gives way to the other's).
  let group = 1;
  let inner = strides[perm[0]!] ?? 0;
  let size = shape[perm[0]!] ?? 1;
  for (; group < perm.length; group++) {
    const d = perm[group]!;
    if (size !== 1 && shape[d] !== 1 && inner * size !== strides[d]) break;
    if (size === 1) inner = strides[d]!;
    size *= shape[d]!;
  }
  if (inner !== 1 && inner !== 0) return () => false;
  // Each value's place in its run, from its row-major index: the run's dimensions read as a number, innermost digit first.
  const rowMajor = shape.map((_, d) => shape.slice(d + 1).reduce((p, s) => p * s, 1));
  const place = perm.slice(0, group).map((d, k) => ({ d, weight: perm.slice(0, k).reduce((p, e) => p * shape[e]!, 1) }));
  const run = place.reduce((p, { d }) => p * shape[d]!, 1);
  const vectorEnd = run - (run % BLOCK);
  return (i) => {
    let at = 0;
    for (const { d, weight } of place) at += (Math.floor(i / rowMajor[d]!) % shape[d]!) * weight;
    return at < vectorEnd;
  };
}

/**
 * PyTorch's reorder_dimensions for one input: an insertion sort from the last dimension to the first in which a
 * smaller stride goes inner, equal strides put the smaller size inner, and a stride 0 (broadcast) decides nothing, so
 * the sort looks further out past it. Size-1 dimensions take part, as in PyTorch (their strides can move others).
 */
function innermostFirst(shape: readonly number[], strides: readonly number[]): number[] {
  const perm = shape.map((_, d) => shape.length - 1 - d);
  const compare = (a: number, b: number): number => {
    const sa = strides[a]!;
    const sb = strides[b]!;
    if (sa === 0 || sb === 0) return 0;
    if (sa !== sb) return sa < sb ? -1 : 1;
    return shape[a]! > shape[b]! ? 1 : 0;
  };
  for (let i = 1; i < perm.length; i++) {
    let d1 = i;
    for (let d0 = i - 1; d0 >= 0; d0--) {
      const c = compare(perm[d0]!, perm[d1]!);
      if (c > 0) {
        [perm[d0], perm[d1]] = [perm[d1]!, perm[d0]!];
        d1 = d0;
      } else if (c < 0) break;
    }
  }
  return perm;
}
