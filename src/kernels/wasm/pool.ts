import type { MaxPoolPlan } from '../pool-plan.js';
import { callBytesLimit } from './conv.js';
import type { WasmKernels } from './load.js';

/** Max pooling on the wasm kernels (assembly/pool.ts): the reference's maxima and positions. */

/** Planes per kernel call: their arrays stay within the convolutions' limit of bytes a call. */
function planesPerCall(bytesPerPlane: number): number {
  return Math.max(1, Math.floor(callBytesLimit() / Math.max(1, bytesPerPlane)));
}

export function maxPoolForward(w: WasmKernels, p: MaxPoolPlan, X: Float32Array, Y: Float32Array, arg: Int32Array): void {
  const [inPlane, outPlane] = [p.H * p.W, p.Ho * p.Wo];
  const step = planesPerCall((inPlane + 2 * outPlane) * 4);
  for (let c0 = 0; c0 < p.planes; c0 += step) {
    const c1 = Math.min(p.planes, c0 + step);
    const fr = w.frame.begin();
    const x = fr.in(X.subarray(c0 * inPlane, c1 * inPlane));
    const y = fr.out(Y.subarray(c0 * outPlane, c1 * outPlane), false);
    const a = fr.out(arg.subarray(c0 * outPlane, c1 * outPlane), false);
    fr.open();
    w.exports.maxPool2dForward(
      fr.ptr(x), c1 - c0, p.H, p.W, p.Ho, p.Wo, p.kh, p.kw, p.sh, p.sw, p.ph, p.pw, p.dh, p.dw, fr.ptr(y), fr.ptr(a), c0 * inPlane,
    );
    fr.finish(y);
    fr.finish(a);
  }
}

/** GX[arg[o]] += G[o] for every o with arg[o] ≥ 0, in increasing o: the reference's additions. */
export function scatterAdd(w: WasmKernels, p: MaxPoolPlan, G: Float32Array, arg: Int32Array, GX: Float32Array): void {
  const [inPlane, outPlane] = [p.H * p.W, p.Ho * p.Wo];
  const step = planesPerCall((2 * inPlane + 2 * outPlane) * 4);
  for (let c0 = 0; c0 < p.planes; c0 += step) {
    const c1 = Math.min(p.planes, c0 + step);
    const fr = w.frame.begin();
    const g = fr.in(G.subarray(c0 * outPlane, c1 * outPlane));
    const a = fr.in(arg.subarray(c0 * outPlane, c1 * outPlane));
    const gx = fr.out(GX.subarray(c0 * inPlane, c1 * inPlane), true);
    fr.open();
    w.exports.scatterAdd(fr.ptr(g), fr.ptr(a), (c1 - c0) * outPlane, fr.ptr(gx), c0 * inPlane);
    fr.finish(gx);
  }
}
