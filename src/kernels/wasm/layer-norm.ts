import type { WasmKernels } from './load.js';

// Layer normalisation on wasm (assembly/layer-norm.ts, layer-norm-backward.ts: the reference's operations in the same
// order and precision). Arrays outside the WebAssembly memory (activations, gradients) are copied in and out around
// the call.

/** See ref/layer-norm.ts layerNormForward. */
export function layerNormForward(
  w: WasmKernels, X: Float32Array, rows: number, n: number, weight: Float32Array | null, bias: Float32Array | null, eps: number,
  Y: Float32Array, xhat: Float32Array | null, mean: Float32Array, rstd: Float32Array,
): void {
  const fr = w.frame.begin();
  const x = fr.in(X);
  const ws = weight === null ? -1 : fr.in(weight);
  const bs = bias === null ? -1 : fr.in(bias);
  const y = fr.out(Y, false);
  const h = xhat === null ? -1 : fr.out(xhat, false);
  const m = fr.out(mean, false);
  const r = fr.out(rstd, false);
  fr.open();
  w.exports.layerNormForward(fr.ptr(x), rows, n, ws < 0 ? 0 : fr.ptr(ws), bs < 0 ? 0 : fr.ptr(bs), eps, fr.ptr(y), h < 0 ? 0 : fr.ptr(h), fr.ptr(m), fr.ptr(r));
  fr.finish(y);
  if (h >= 0) fr.finish(h);
  fr.finish(m);
  fr.finish(r);
}

/** See ref/layer-norm.ts layerNormBackward. */
export function layerNormBackward(
  w: WasmKernels, G: Float32Array, xhat: Float32Array, rstd: Float32Array, rows: number, n: number, weight: Float32Array | null,
  GX: Float32Array | null, GW: Float32Array | null, GB: Float32Array | null, into: boolean,
): void {
  const fr = w.frame.begin();
  const g = fr.in(G);
  const h = fr.in(xhat);
  const r = fr.in(rstd);
  const ws = weight === null ? -1 : fr.in(weight);
  const gx = GX === null ? -1 : fr.out(GX, false);
  const gw = GW === null ? -1 : fr.out(GW, into);
  const gb = GB === null ? -1 : fr.out(GB, into);
  const acc = rows > 1 ? fr.space(n * 16) : -1;
  fr.open();
  w.exports.layerNormBackward(fr.ptr(g), fr.ptr(h), fr.ptr(r), rows, n, ws < 0 ? 0 : fr.ptr(ws), gx < 0 ? 0 : fr.ptr(gx), gw < 0 ? 0 : fr.ptr(gw), gb < 0 ? 0 : fr.ptr(gb), acc < 0 ? 0 : fr.ptr(acc), into ? 1 : 0);
  if (gx >= 0) fr.finish(gx);
  if (gw >= 0) fr.finish(gw);
  if (gb >= 0) fr.finish(gb);
}
