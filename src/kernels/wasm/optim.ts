import type { AdamScalars } from '../ref/optim.js';
import type { WasmKernels } from './load.js';

// Optimizer kernels on wasm. Each returns false when its big arrays are not all in the WebAssembly memory: copying
// a parameter in and out would cost more than the reference loop, so the caller runs that instead. Numbers passed
// to f32 parameters are rounded to float32 by the call, exactly as Math.fround does in the reference.

/** p ← p − lr·g, over the listed rows of `width` elements only when `rows` is given. */
export function sgd(w: WasmKernels, p: Float32Array, g: Float32Array, lr: number, rows: Int32Array | null, width: number): boolean {
  const h = w.heap;
  if (!h.isResident(p) || !h.isResident(g)) return false;
  if (rows === null) {
    w.exports.sgd(p.byteOffset, g.byteOffset, p.length, -lr);
    return true;
  }
  const fr = w.frame.begin();
  const r = fr.in(rows);
  fr.open();
  w.exports.sgdRows(p.byteOffset, g.byteOffset, width, fr.ptr(r), rows.length, -lr);
  return true;
}

/** Zeroes the listed rows of `width` elements. */
export function zeroRows(w: WasmKernels, a: Float32Array, width: number, rows: Int32Array): boolean {
  if (!w.heap.isResident(a)) return false;
  const fr = w.frame.begin();
  const r = fr.in(rows);
  fr.open();
  w.exports.zeroRows(a.byteOffset, width, fr.ptr(r), rows.length);
  return true;
}

/** One fused Adam step (same arithmetic as ref/optim.ts adam). */
export function adam(w: WasmKernels, p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, vmax: Float32Array | null, s: AdamScalars): boolean {
  const h = w.heap;
  if (!h.isResident(p) || !h.isResident(g) || !h.isResident(m) || !h.isResident(v) || (vmax !== null && !h.isResident(vmax))) return false;
  const rule = (s.maximize ? 1 : 0) | (s.weightDecay !== 0 ? 2 : 0) | (vmax !== null ? 4 : 0);
  // The zero-gradient shortcuts (see assembly/optim.ts) hold for the plain rule with a step that moves p (lr > 0)
  // and a denominator that cannot vanish (eps > 0).
  const eps32 = Math.fround(s.eps);
  const step32 = Math.fround(s.stepSize);
  const shortcuts = rule === 0 && step32 > 0 && eps32 > 0;
  // |p| from which an update built from |m| < 2^-120 is below half an ulp of p: |step|·2^-120/eps·2^25, with margin.
  const pMin = shortcuts ? Math.max(2 ** -126, (step32 / eps32) * 2 ** -95 * 1.01) : Infinity;
  const fr = w.frame.begin();
  const tmp = fr.space(128);
  fr.open();
  w.exports.adam(p.byteOffset, g.byteOffset, m.byteOffset, v.byteOffset, vmax === null ? 0 : vmax.byteOffset, p.length,
    rule | (shortcuts ? 8 | 16 : 0),
    s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2, s.weightDecay, s.eps, s.bc2Sqrt, -s.stepSize, pMin, fr.ptr(tmp));
  return true;
}

/** p ← p·factor. */
export function scale(w: WasmKernels, p: Float32Array, factor: number): boolean {
  if (!w.heap.isResident(p)) return false;
  w.exports.scale(p.byteOffset, p.length, factor);
  return true;
}

/** dst ← dst + src (src copied in when it is an ordinary array). */
export function addInPlace(w: WasmKernels, dst: Float32Array, src: Float32Array): boolean {
  if (!w.heap.isResident(dst)) return false;
  const fr = w.frame.begin();
  const s = fr.in(src);
  fr.open();
  w.exports.addInPlace(dst.byteOffset, fr.ptr(s), dst.length);
  return true;
}
