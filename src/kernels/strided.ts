import { activeWasm } from './backend.js';
import * as ref from './ref/strided.js';
import { transpose } from './wasm/transpose.js';

// The 2-D strided copies, dispatched: a tensor [r, c] laid out as the transpose of its row-major layout (strides
// [1, r], as an nn.Linear weight and its gradient are stored) is copied by the wasm transpose kernel; every other
// layout, and small ones, by the reference loops (ref/strided.ts). Copies either way: the same values.

/** Below this many elements the reference tiles run (a kernel call costs about as much there). */
const KERNEL_FROM = 4096;

/** Whether `shape` under `strides` is the transpose of a row-major [shape[1], shape[0]] block, big enough for the kernel. */
function transposed(shape: readonly number[], strides: readonly number[]): boolean {
  return shape.length === 2 && strides[0] === 1 && strides[1] === shape[0] && shape[0]! > 1 && shape[0]! * shape[1]! >= KERNEL_FROM;
}

/** Copies `src`, read through `strides` over `shape`, into contiguous `out` (row-major). */
export function gatherStrided(src: Float32Array, shape: readonly number[], strides: readonly number[], out: Float32Array): void {
  const w = activeWasm();
  if (w !== null && transposed(shape, strides)) {
    const [r, c] = shape as [number, number];
    // The storage is a row-major c × r block; its transpose is the r × c row-major copy.
    if (transpose(w, src.subarray(0, r * c), c, r, out.subarray(0, r * c))) return;
  }
  ref.gatherStrided(src, shape, strides, out);
}

/** dst[offsets of `shape` under `strides`] = src[k] in row-major order: the inverse of gatherStrided. */
export function scatterStrided(src: Float32Array, dst: Float32Array, shape: readonly number[], strides: readonly number[]): void {
  const w = activeWasm();
  if (w !== null && transposed(shape, strides)) {
    const [r, c] = shape as [number, number];
    if (transpose(w, src.subarray(0, r * c), r, c, dst.subarray(0, r * c))) return;
  }
  ref.scatterStrided(src, dst, shape, strides);
}
