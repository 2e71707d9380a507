import type { MaxPoolPlan } from '../pool-plan.js';
import type { WasmKernels } from './load.js';

/** Max pooling on the wasm kernels (assembly/pool.ts): the reference's maxima and positions. */
export function maxPoolForward(w: WasmKernels, p: MaxPoolPlan, X: Float32Array, Y: Float32Array, arg: Int32Array): void {
  const fr = w.frame.begin();
  const x = fr.in(X);
  const y = fr.out(Y, false);
  const a = fr.out(arg, false);
  fr.open();
  w.exports.maxPool2dForward(fr.ptr(x), p.planes, p.H, p.W, p.Ho, p.Wo, p.kh, p.kw, p.sh, p.sw, p.ph, p.pw, p.dh, p.dw, fr.ptr(y), fr.ptr(a));
  fr.finish(y);
  fr.finish(a);
}

/** GX[arg[o]] += G[o] for every o, in increasing o: the reference's additions. */
export function scatterAdd(w: WasmKernels, G: Float32Array, arg: Int32Array, GX: Float32Array): void {
  const fr = w.frame.begin();
  const g = fr.in(G);
  const a = fr.in(arg);
  const gx = fr.out(GX, true);
  fr.open();
  w.exports.scatterAdd(fr.ptr(g), fr.ptr(a), G.length, fr.ptr(gx));
  fr.finish(gx);
}
