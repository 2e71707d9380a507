import type { WasmKernels } from './load.js';
import { partlyOverlapping } from './overlap.js';

// Softmax and log-softmax over rows on wasm (assembly/softmax.ts): the reference's order and bits, its e^x being
// fdlibm's exp, Math.exp's algorithm, ported operation for operation. Arrays outside the WebAssembly memory are
// copied in and out around the call.

/**
 * out = softmax (or, with `log`, log-softmax) of each of `rows` rows of n values of X; false (nothing done) when out
 * partly overlaps X. out may be X itself: each row is read whole before any of it is written.
 */
export function softmaxRows(w: WasmKernels, X: Float32Array, rows: number, n: number, out: Float32Array, log: boolean): boolean {
  if (partlyOverlapping(X, out)) return false;
  const fr = w.frame.begin();
  const x = fr.in(X);
  const o = fr.out(out, false);
  const e = fr.space(log ? 0 : n * 8);
  const stats = fr.space(log ? rows * 16 : 0);
  fr.open();
  w.exports.softmaxRows(fr.ptr(x), rows, n, fr.ptr(o), fr.ptr(e), fr.ptr(stats), log ? 1 : 0);
  if (log) {
    // Each row's sum of e^(x − max) becomes its log, taken by Math.log as the reference takes it.
    const s = new Float64Array(w.heap.memory.buffer, fr.ptr(stats), rows * 2);
    for (let r = 1; r < s.length; r += 2) s[r] = Math.log(s[r]!);
    w.exports.logSoftmaxRows(fr.ptr(x), rows, n, fr.ptr(stats), fr.ptr(o));
  }
  fr.finish(o);
  return true;
}

/**
 * gx = g − e^y · Σ g over each of `rows` rows of n (log-softmax's backward); false when gx partly overlaps y or g. gx may
 * be y or g itself: each value is read before its place is written.
 */
export function logSoftmaxBackwardRows(w: WasmKernels, Y: Float32Array, G: Float32Array, rows: number, n: number, GX: Float32Array): boolean {
  if (partlyOverlapping(Y, GX) || partlyOverlapping(G, GX)) return false;
  const fr = w.frame.begin();
  const y = fr.in(Y);
  const g = fr.in(G);
  const gx = fr.out(GX, false);
  fr.open();
  w.exports.logSoftmaxBackwardRows(fr.ptr(y), fr.ptr(g), rows, n, fr.ptr(gx));
  fr.finish(gx);
  return true;
}
