import { sigmoidOf } from '../ref/elementwise.js';
import type { WasmKernels } from './load.js';
import { bracketed } from './bracketed.js';
import { partlyOverlapping } from './overlap.js';

// The sigmoid on wasm (assembly/sigmoid.ts), bracketed as bracketed.ts says.

/**
 * out[i] = float32(sigmoidOf(x[i])), the same bits as the reference; out may be x itself. Returns false
 * (nothing done) when out and x partly overlap: the reference loop then decides.
 */
export function sigmoid(w: WasmKernels, X: Float32Array, out: Float32Array): boolean {
  return bracketed(w, (x, n, y, redo) => w.exports.sigmoidForward(x, n, y, redo), sigmoidOf, X, out);
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
