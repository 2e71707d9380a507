import type { BatchNormStats } from '../ref/batch-norm.js';
import type { WasmKernels } from './load.js';

/** Batch normalisation's two passes on the wasm kernels (assembly/batch-norm.ts), each array copied in once. */

export function batchNormForward(
  wk: WasmKernels, X: Float32Array, N: number, C: number, S: number, training: boolean, eps: number,
  w: Float32Array | null, b: Float32Array | null, st: BatchNormStats, Y: Float32Array,
): void {
  const fr = wk.frame.begin();
  const x = fr.in(X);
  const ws = w === null ? -1 : fr.in(w);
  const bs = b === null ? -1 : fr.in(b);
  const y = fr.out(Y, false);
  const stats = fr.space(24 * C);
  const scratch = fr.space(16 * C + 32);
  fr.open();
  const p = fr.ptr(stats);
  const f64 = wk.heap.f64;
  const [mean, sq, invstd] = [p >>> 3, (p >>> 3) + C, (p >>> 3) + 2 * C];
  if (!training) {
    f64.set(st.mean, mean);
    f64.set(st.invstd, invstd);
  }
  wk.exports.batchNormForward(
    fr.ptr(x), N, C, S, training ? 1 : 0, eps, ws < 0 ? 0 : fr.ptr(ws), bs < 0 ? 0 : fr.ptr(bs), p, p + 8 * C, p + 16 * C, fr.ptr(scratch), fr.ptr(y),
  );
  if (training) {
    st.mean.set(f64.subarray(mean, mean + C));
    st.sq.set(f64.subarray(sq, sq + C));
    st.invstd.set(f64.subarray(invstd, invstd + C));
  }
  fr.finish(y);
}

export function batchNormBackward(
  wk: WasmKernels, G: Float32Array, X: Float32Array, N: number, C: number, S: number, mean: Float64Array, invstd: Float64Array,
  w: Float32Array | null, training: boolean, sumG: Float64Array, dot: Float64Array, GX: Float32Array | null,
): void {
  const fr = wk.frame.begin();
  const g = fr.in(G);
  const x = fr.in(X);
  const ws = w === null ? -1 : fr.in(w);
  const gx = GX === null ? -1 : fr.out(GX, false);
  const f = fr.space(32 * C);
  const scratch = fr.space(24 * C + 64);
  fr.open();
  const p = fr.ptr(f);
  const f64 = wk.heap.f64;
  f64.set(mean, p >>> 3);
  f64.set(invstd, (p >>> 3) + C);
  wk.exports.batchNormBackward(
    fr.ptr(g), fr.ptr(x), N, C, S, p, p + 8 * C, ws < 0 ? 0 : fr.ptr(ws), training ? 1 : 0, p + 16 * C, p + 24 * C, fr.ptr(scratch), gx < 0 ? 0 : fr.ptr(gx),
  );
  sumG.set(f64.subarray((p >>> 3) + 2 * C, (p >>> 3) + 3 * C));
  dot.set(f64.subarray((p >>> 3) + 3 * C, (p >>> 3) + 4 * C));
  if (gx >= 0) fr.finish(gx);
}
