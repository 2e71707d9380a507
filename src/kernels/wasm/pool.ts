import type { AvgPoolPlan, MaxPoolPlan } from '../pool-plan.js';
import { callBytesLimit } from './conv.js';
import type { WasmKernels } from './load.js';

/** Max pooling on the wasm kernels (assembly/pool.ts): the reference's maxima and positions. */

/** Planes per kernel call: their arrays stay within the convolutions' limit of bytes a call. */
function planesPerCall(w: WasmKernels, bytesPerPlane: number): number {
  return Math.max(1, Math.floor(callBytesLimit(w) / Math.max(1, bytesPerPlane)));
}

export function maxPoolForward(w: WasmKernels, p: MaxPoolPlan, X: Float32Array, Y: Float32Array, arg: Int32Array): void {
  const [inPlane, outPlane] = [p.H * p.W, p.Ho * p.Wo];
  const step = planesPerCall(w, (inPlane + 2 * outPlane) * 4);
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
  const step = planesPerCall(w, (2 * inPlane + 2 * outPlane) * 4);
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

/** Average pooling, forward (`backward` false: X → Y) or backward (G → GX, added), in parts of planes. */
export function avgPool(w: WasmKernels, p: AvgPoolPlan, backward: boolean, from: Float32Array, to: Float32Array): void {
  const [inPlane, outPlane] = [p.H * p.W, p.n];
  const step = planesPerCall(w, (2 * inPlane + outPlane) * 4);
  for (let c0 = 0; c0 < p.planes; c0 += step) {
    const c1 = Math.min(p.planes, c0 + step);
    const [fromPlane, toPlane] = backward ? [outPlane, inPlane] : [inPlane, outPlane];
    const fr = w.frame.begin();
    const src = fr.in(from.subarray(c0 * fromPlane, c1 * fromPlane));
    const dst = fr.out(to.subarray(c0 * toPlane, c1 * toPlane), backward);
    const [t, b, l, r, d] = [fr.in(p.top), fr.in(p.bottom), fr.in(p.left), fr.in(p.right), fr.space(8 * p.n)];
    fr.open();
    w.heap.f64.set(p.divisor, fr.ptr(d) >>> 3);
    const run = backward ? w.exports.avgPool2dBackward : w.exports.avgPool2dForward;
    run(fr.ptr(src), c1 - c0, p.H, p.W, p.n, fr.ptr(t), fr.ptr(b), fr.ptr(l), fr.ptr(r), fr.ptr(d), fr.ptr(dst));
    fr.finish(dst);
  }
}
