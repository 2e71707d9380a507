import type { WasmKernels } from './load.js';

/** Batch normalisation's passes on the wasm kernels (assembly/batch-norm.ts): the reference's bits. */

export function channelStats(w: WasmKernels, X: Float32Array, N: number, C: number, S: number, mean: Float64Array, sq: Float64Array): void {
  const fr = w.frame.begin();
  const x = fr.in(X);
  const out = fr.space(16 * C);
  const lanes = fr.space(32);
  fr.open();
  const o = fr.ptr(out);
  w.exports.channelStats(fr.ptr(x), N, C, S, o, o + 8 * C, fr.ptr(lanes));
  mean.set(w.heap.f64.subarray(o >>> 3, (o >>> 3) + C));
  sq.set(w.heap.f64.subarray((o >>> 3) + C, (o >>> 3) + 2 * C));
}

export function normalizeChannels(
  w: WasmKernels, X: Float32Array, N: number, C: number, S: number, mean: Float64Array, scale: Float64Array, shift: Float64Array, Y: Float32Array,
): void {
  const fr = w.frame.begin();
  const x = fr.in(X);
  const y = fr.out(Y, false);
  const f = fr.space(24 * C);
  fr.open();
  const p = fr.ptr(f);
  const f64 = w.heap.f64;
  f64.set(mean, p >>> 3);
  f64.set(scale, (p >>> 3) + C);
  f64.set(shift, (p >>> 3) + 2 * C);
  w.exports.normalizeChannels(fr.ptr(x), N, C, S, p, p + 8 * C, p + 16 * C, fr.ptr(y));
  fr.finish(y);
}

export function channelGradSums(
  w: WasmKernels, G: Float32Array, X: Float32Array, N: number, C: number, S: number, mean: Float64Array, sumG: Float64Array, dot: Float64Array,
): void {
  const fr = w.frame.begin();
  const g = fr.in(G);
  const x = fr.in(X);
  const f = fr.space(24 * C);
  const lanes = fr.space(64);
  fr.open();
  const p = fr.ptr(f);
  const f64 = w.heap.f64;
  f64.set(mean, p >>> 3);
  w.exports.channelGradSums(fr.ptr(g), fr.ptr(x), N, C, S, p, p + 8 * C, p + 16 * C, fr.ptr(lanes));
  sumG.set(f64.subarray((p >>> 3) + C, (p >>> 3) + 2 * C));
  dot.set(f64.subarray((p >>> 3) + 2 * C, (p >>> 3) + 3 * C));
}

export function normalizeBackward(
  w: WasmKernels, G: Float32Array, X: Float32Array, N: number, C: number, S: number,
  mean: Float64Array, gMean: Float64Array, k: Float64Array, wr: Float64Array, training: boolean, GX: Float32Array,
): void {
  const fr = w.frame.begin();
  const g = fr.in(G);
  const x = fr.in(X);
  const gx = fr.out(GX, false);
  const f = fr.space(32 * C);
  fr.open();
  const p = fr.ptr(f);
  const f64 = w.heap.f64;
  f64.set(mean, p >>> 3);
  f64.set(gMean, (p >>> 3) + C);
  f64.set(k, (p >>> 3) + 2 * C);
  f64.set(wr, (p >>> 3) + 3 * C);
  w.exports.normalizeBackward(fr.ptr(g), fr.ptr(x), N, C, S, p, p + 8 * C, p + 16 * C, p + 24 * C, training ? 1 : 0, fr.ptr(gx));
  fr.finish(gx);
}
