import { activeWasm } from './backend.js';
import * as ref from './ref/strided.js';
import { binaryFlat, binaryScaledFlat, type BinaryOp } from './elementwise.js';
import { opTransposed, transpose, transposeThen } from './wasm/transpose.js';

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

/**
 * out = g op b, where g is `src` read through `strides` over `shape` and b is flat (out.length values) or one value;
 * with `gOnRight`, out = b op g. A transposed layout is gathered by the kernel straight into out's place in the
 * kernels' memory and the op runs there (out is written once); others are gathered into out, then the op runs on it.
 */
export function gatheredBinary(
  op: BinaryOp, src: Float32Array, shape: readonly number[], strides: readonly number[], b: Float32Array, gOnRight: boolean, out: Float32Array,
): void {
  const w = activeWasm();
  if (w !== null && transposed(shape, strides)) {
    const [r, c] = shape as [number, number];
    if (transposeThen(w, op, src.subarray(0, r * c), c, r, b, gOnRight, out)) return;
  }
  gatherStrided(src, shape, strides, out);
  if (gOnRight) binaryFlat(op, b, out, out);
  else binaryFlat(op, out, b, out);
}

/**
 * dest = dest op alpha·x, in place: dest is the storage of a tensor of `shape` laid out by `strides` (covering it
 * exactly), x the operand's values in row-major order. alpha 1 leaves the product
 * out (add and sub with alpha round once, as PyTorch's). x is laid out as dest is (by the transpose kernel, in scratch memory, for a transposed layout), then the op runs
 * over the storage.
 */
export function opIntoStrided(op: BinaryOp, dest: Float32Array, shape: readonly number[], strides: readonly number[], x: Float32Array, alpha: number): void {
  const w = activeWasm();
  if (w !== null && transposed(shape, strides)) {
    const [r, c] = shape as [number, number];
    if (opTransposed(w, op, dest, x, r, c, alpha)) return;
  }
  const u = new Float32Array(dest.length);
  scatterStrided(x, u, shape, strides);
  if (alpha === 1) binaryFlat(op, dest, u, dest);
  else binaryScaledFlat(op, dest, u, alpha, dest);
}
