import type { WasmKernels } from './load.js';

// A matrix transpose on wasm (assembly/transpose.ts): a copy, so the reference loops' values. Arrays outside the
// WebAssembly memory are copied in and out around the call.

/** dst (cols × rows) ← the transpose of src (rows × cols); false (nothing done) when the two overlap. */
export function transpose(w: WasmKernels, src: Float32Array, rows: number, cols: number, dst: Float32Array): boolean {
  if (src.buffer === dst.buffer && src.byteOffset < dst.byteOffset + dst.byteLength && dst.byteOffset < src.byteOffset + src.byteLength) return false;
  const fr = w.frame.begin();
  const ss = fr.in(src);
  const sd = fr.out(dst, false);
  fr.open();
  w.exports.transpose(fr.ptr(ss), rows, cols, fr.ptr(sd));
  fr.finish(sd);
  return true;
}
