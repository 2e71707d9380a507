import type { WasmKernels } from './load.js';
import { partlyOverlapping } from './overlap.js';
import { sharesElements } from '../storage.js';

// Sums (assembly/reduce.ts) and the max or min over one dimension (assembly/extreme.ts) on wasm, the reference's
// order and bits. Arrays outside the WebAssembly memory are copied in and out around the call.

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

/**
 * values and indices of the max over the middle dimension of x viewed as [outer, n, inner], or of the min with `min`;
 * false (nothing done) when `values` overlaps x.
 */
export function extremeDim(
  w: WasmKernels, X: Float32Array, outer: number, n: number, inner: number, min: boolean, values: Float32Array, indices: Int32Array,
): boolean {
  if (sharesElements(X, values)) return false;
  const fr = w.frame.begin();
  const x = fr.in(X);
  const v = fr.out(values, false);
  const i = fr.out(indices, false);
  fr.open();
  w.exports.extremeDim(fr.ptr(x), outer, n, inner, min ? 1 : 0, fr.ptr(v), fr.ptr(i));
  fr.finish(v);
  fr.finish(i);
  return true;
}

/**
 * The float64 sum of X in lanes, the sum of its magnitudes, and the largest |sum before a block of `block` values| +
 * that block's sum of magnitudes (assembly/reduce.ts's sumBlocks), for the caller's bounds.
 */
export function sumBlocks(w: WasmKernels, X: Float32Array, block: number): [sum: number, magnitudes: number, most: number] {
  const fr = w.frame.begin();
  const x = fr.in(X);
  const o = fr.space(24);
  fr.open();
  w.exports.sumBlocks(fr.ptr(x), X.length, block, fr.ptr(o));
  const r = new Float64Array(w.heap.memory.buffer, fr.ptr(o), 3);
  return [r[0]!, r[1]!, r[2]!];
}
