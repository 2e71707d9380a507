import type { WasmKernels } from './load.js';
import { partlyOverlapping } from './overlap.js';

// Sums over one dimension on wasm (assembly/reduce.ts), the reference's order and bits. Arrays outside the
// WebAssembly memory are copied in and out around the call.

/** out = the sums over the middle dimension of x viewed as [outer, n, inner]; false (nothing done) when out overlaps x. */
export function sumDim(w: WasmKernels, X: Float32Array, outer: number, n: number, inner: number, out: Float32Array): boolean {
  if (X === out || partlyOverlapping(X, out)) return false;
  const fr = w.frame.begin();
  const x = fr.in(X);
  const o = fr.out(out, false);
  const acc = fr.space(inner * 8);
  fr.open();
  w.exports.sumDim(fr.ptr(x), outer, n, inner, fr.ptr(acc), fr.ptr(o));
  fr.finish(o);
  return true;
}
