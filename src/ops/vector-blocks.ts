// Which values of an elementwise op on x PyTorch 1.13's CPU loop computes in its vector loop and which in its scalar
// loop. The two can round differently (pow's vector loop takes a number exponent in float32, its scalar loop in
// float64), so an op that follows both needs to know. PyTorch's loop (cpu_kernel_vec) runs over the innermost
// dimension TensorIterator leaves after coalescing, in whole blocks of 16 values (two AVX2 vectors), and the n mod 16
// values after them in scalar code; an inner dimension that is neither contiguous nor broadcast is all scalar code.
import type { Tensor } from '../tensor/tensor.js';

/** Values per block of PyTorch's AVX2 vector loop over float32: two vectors of 8. */
const BLOCK = 16;

/**
 * For each of x's values in row-major order, whether PyTorch's vector loop computes it (single-threaded, as a
 * tensor under 32,768 values always is). A contiguous x is one run of values; a dense x in another order (a
 * transpose) is read, and its result laid out, in x's memory order; any other x gives a contiguous result, run over
 * row by row (the trailing dimensions that lie evenly in memory coalesced into one).
 */
export function inVectorLoop(x: Tensor): (i: number) => boolean {
  const n = x.numel();
  if (x.isContiguous()) return (i) => i < n - (n % BLOCK);
  const dims = x.shape.map((size, d) => ({ size, stride: x.strides[d]! })).filter((d) => d.size !== 1);
  const rowMajor = dims.map((_, d) => dims.slice(d + 1).reduce((p, e) => p * e.size, 1));
  const offsetOf = (i: number, strides: readonly number[]): number => {
    let off = 0;
    for (let d = 0; d < dims.length; d++) off += Math.floor(i / rowMajor[d]!) % dims[d]!.size * strides[d]!;
    return off;
  };
  const byStride = [...dims].sort((a, b) => b.stride - a.stride);
  const dense = byStride.every((d, k) => d.stride === byStride.slice(k + 1).reduce((p, e) => p * e.size, 1));
  if (dense) {
    const strides = dims.map((d) => d.stride);
    return (i) => offsetOf(i, strides) < n - (n % BLOCK);
  }
  let run = dims.length === 0 ? 1 : dims[dims.length - 1]!.size;
  for (let d = dims.length - 1; d > 0 && dims[d - 1]!.stride === dims[d]!.stride * dims[d]!.size; d--) run *= dims[d - 1]!.size;
  const inner = dims.length === 0 ? 1 : dims[dims.length - 1]!.stride;
  if (inner !== 1 && inner !== 0) return () => false;
  return (i) => i % run < run - (run % BLOCK);
}
