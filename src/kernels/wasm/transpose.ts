import type { WasmKernels } from './load.js';

// A matrix transpose on wasm (assembly/transpose.ts): a copy, so the reference loops' values. Arrays outside the
// WebAssembly memory are copied in and out around the call.

/** dst (cols × rows) ← the transpose of src (rows × cols); false (nothing done) when the two overlap. */
export function transpose(w: WasmKernels, src: Float32Array, rows: number, cols: number, dst: Float32Array): boolean {
  if (overlapping(w, src, dst)) return false;
  const fr = w.frame.begin();
  const ss = fr.in(src);
  const sd = fr.out(dst, false);
  fr.open();
  w.exports.transpose(fr.ptr(ss), rows, cols, fr.ptr(sd));
  fr.finish(sd);
  return true;
}

/** The op codes of assembly/elementwise.ts. */
const CODES: Readonly<Record<string, number>> = { add: 0, sub: 1, mul: 2, div: 3 };

/**
 * out = t op b, where t is the transpose of src (rows × cols, row-major) and b is flat (cols × rows) or one value:
 * the transpose lands in out's slot of the kernels' memory and the op runs there, so out is copied out once. With
 * `tOnRight`, out = b op t. False (nothing done) for another op, or when out overlaps src or b.
 */
export function transposeThen(
  w: WasmKernels, op: string, src: Float32Array, rows: number, cols: number, b: Float32Array, tOnRight: boolean, out: Float32Array,
): boolean {
  const code = CODES[op];
  if (code === undefined || overlapping(w, src, out) || overlapping(w, b, out)) return false;
  const fr = w.frame.begin();
  const ss = fr.in(src);
  const sb = fr.in(b);
  const so = fr.out(out, false);
  fr.open();
  const po = fr.ptr(so);
  w.exports.transpose(fr.ptr(ss), rows, cols, po);
  const bStep = b.length === 1 ? 0 : 1;
  if (tOnRight) w.exports.binaryFlat(code, fr.ptr(sb), bStep, po, 1, po, out.length);
  else w.exports.binaryFlat(code, po, 1, fr.ptr(sb), bStep, po, out.length);
  fr.finish(so);
  return true;
}

/**
 * dest[i] = dest[i] op (alpha·u[i]), where u is the transpose of src (rows × cols, row-major), dest flat (cols ×
 * rows): an in-place op on a tensor stored transposed with a row-major operand, the transpose made in scratch
 * memory. The product is rounded to float32 first; alpha 1 leaves it out. False (nothing done) for another op, or
 * when src and dest overlap.
 */
export function opTransposed(w: WasmKernels, op: string, dest: Float32Array, src: Float32Array, rows: number, cols: number, alpha: number): boolean {
  const code = CODES[op];
  if (code === undefined || overlapping(w, src, dest)) return false;
  const fr = w.frame.begin();
  const ss = fr.in(src);
  const su = fr.space(dest.byteLength);
  const sd = fr.out(dest, true);
  fr.open();
  const pu = fr.ptr(su);
  const pd = fr.ptr(sd);
  w.exports.transpose(fr.ptr(ss), rows, cols, pu);
  if (alpha === 1) w.exports.binaryFlat(code, pd, 1, pu, 1, pd, dest.length);
  else w.exports.binaryScaled(code, pd, pu, alpha, pd, dest.length);
  fr.finish(sd);
  return true;
}

/** True when a and b share elements: views of one buffer, or both in the kernels' memory, overlapping. */
function overlapping(w: WasmKernels, a: Float32Array, b: Float32Array): boolean {
  if (a.buffer !== b.buffer && !(w.heap.isResident(a) && w.heap.isResident(b))) return false;
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}
