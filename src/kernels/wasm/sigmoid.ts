import { sigmoidOf } from '../ref/elementwise.js';
import type { WasmKernels } from './load.js';
import { partlyOverlapping } from './overlap.js';

// The sigmoid on wasm (assembly/sigmoid.ts). Arrays outside the WebAssembly memory are copied in and out around the
// call. The kernel covers whole vectors of four and leaves out lanes it cannot vouch for, storing their x in the
// output; those, and the last n mod 4 elements, are computed here with the reference's formula.

/**
 * out[i] = float32(sigmoidOf(x[i])), the same bits as the reference; out may be x itself. Returns false
 * (nothing done) when out and x partly overlap: the reference loop then decides.
 */
export function sigmoid(w: WasmKernels, X: Float32Array, out: Float32Array): boolean {
  if (partlyOverlapping(X, out)) return false;
  const n = out.length;
  const body = n & ~3;
  const fr = w.frame.begin();
  const x = fr.in(X);
  const y = fr.out(out, false);
  const redo = fr.space(body * 4);
  fr.open();
  const xs = fr.ptr(x) >>> 2;
  const ys = fr.ptr(y) >>> 2;
  const count = w.exports.sigmoidForward(fr.ptr(x), n, fr.ptr(y), fr.ptr(redo));
  // Read before anything else can touch the scratch block.
  const f32 = w.heap.f32;
  const i32 = w.heap.i32;
  const r = fr.ptr(redo) >>> 2;
  for (let t = 0; t < count; t++) {
    const at = ys + i32[r + t]!;
    f32[at] = sigmoidOf(f32[at]!);
  }
  for (let i = body; i < n; i++) f32[ys + i] = sigmoidOf(f32[xs + i]!);
  fr.finish(y);
  return true;
}

/** out[i] = g[i]·((1 − y[i])·y[i]) in float32, y the sigmoid's output; false (nothing done) when out partly overlaps y or g. */
export function sigmoidBackward(w: WasmKernels, Y: Float32Array, G: Float32Array, out: Float32Array): boolean {
  if (partlyOverlapping(Y, out) || partlyOverlapping(G, out)) return false;
  const fr = w.frame.begin();
  const y = fr.in(Y);
  const g = fr.in(G);
  const o = fr.out(out, false);
  fr.open();
  w.exports.sigmoidBackward(fr.ptr(y), fr.ptr(g), out.length, fr.ptr(o));
  fr.finish(o);
  return true;
}
