import type { AdamScalars, SgdOptions } from '../ref/optim.js';
import { placeFactors } from './factors.js';
import type { WasmKernels } from './load.js';

// Optimizer kernels on wasm. Arrays outside the WebAssembly memory (parameters made by hand rather than by a layer,
// gradients assigned by the user) are copied in and out around the call — still far quicker than the reference
// loops for dense updates; a sparse SGD step on such arrays returns false and runs on the reference kernel. Numbers
// passed to f32 parameters are rounded to float32 by the call, exactly as Math.fround does in the reference.

/** p ← p − lr·g, over the listed rows of `width` elements only when `rows` is given. */
export function sgd(w: WasmKernels, p: Float32Array, g: Float32Array, lr: number, rows: Int32Array | null, width: number): boolean {
  const h = w.heap;
  const resident = h.isResident(p) && h.isResident(g);
  if (rows !== null && !resident) return false;
  const fr = w.frame.begin();
  const ps = fr.out(p, true);
  const gs = fr.in(g);
  const r = rows === null ? -1 : fr.in(rows);
  fr.open();
  if (rows === null) w.exports.sgd(fr.ptr(ps), fr.ptr(gs), p.length, -lr);
  else w.exports.sgdRows(fr.ptr(ps), fr.ptr(gs), width, fr.ptr(r), rows.length, -lr);
  fr.finish(ps);
  return true;
}

/** p[rows[t]] ← p[rows[t]] − lr·(0 + vals[t]·G), rows of `width` elements; false when p is not resident. */
export function sgdOuter(
  w: WasmKernels, p: Float32Array, width: number, rows: Int32Array, vals: Float32Array, G: Float32Array, lr: number,
): boolean {
  if (!w.heap.isResident(p)) return false;
  const f = placeFactors(w, rows, vals, G);
  w.exports.sgdOuter(p.byteOffset, width, f.rows, f.vals, rows.length, f.g, -lr);
  return true;
}

// sgdGeneral's flags (assembly/optim.ts).
const MAXIMIZE = 1;
const DECAY = 2;
const MOMENTUM = 4;
const NESTEROV = 8;
const FIRST = 16;

/**
 * The general SGD step (see ref/optim.ts sgdGeneral): momentum applies when `buf` is given and the momentum is not
 * 0, and with `first` the buffer starts as d_p (its old contents are not read). False when the arrays' lengths
 * differ (the reference then does what it does).
 */
export function sgdGeneral(w: WasmKernels, p: Float32Array, g: Float32Array, buf: Float32Array | null, o: SgdOptions, first: boolean): boolean {
  const momentum = buf !== null && o.momentum !== 0;
  // The kernel runs over p.length floats of every array: a shorter one would be overrun in the shared memory.
  if (g.length !== p.length || (momentum && buf.length !== p.length)) return false;
  const flags = (o.maximize ? MAXIMIZE : 0) | (o.weightDecay !== 0 ? DECAY : 0)
    | (momentum ? MOMENTUM | (o.nesterov ? NESTEROV : 0) | (first ? FIRST : 0) : 0);
  const fr = w.frame.begin();
  const ps = fr.out(p, true);
  const gs = fr.in(g);
  const bs = momentum ? fr.out(buf, !first) : -1;
  fr.open();
  // 1 − dampening in float64, then rounded by the call: the reference's f(1 − dampening).
  w.exports.sgdGeneral(fr.ptr(ps), fr.ptr(gs), bs < 0 ? 0 : fr.ptr(bs), p.length, flags, o.weightDecay, o.momentum, 1 - o.dampening, -o.lr);
  fr.finish(ps);
  if (bs >= 0) fr.finish(bs);
  return true;
}

/** a[row] ← a[row] + 0 for the listed rows of `width` elements; false when a is not resident. */
export function addZeroRows(w: WasmKernels, a: Float32Array, width: number, rows: Int32Array): boolean {
  if (!w.heap.isResident(a)) return false;
  const fr = w.frame.begin();
  const r = fr.in(rows);
  fr.open();
  w.exports.addZeroRows(a.byteOffset, width, fr.ptr(r), rows.length);
  return true;
}

/**
 * a[begin..end) ← value for an array in the WebAssembly memory (false otherwise): TypedArray.fill on the shared
 * memory takes about ten times as long as the kernel (69 against 7 µs for 784×200 floats).
 */
export function fillFloats(w: WasmKernels, a: Float32Array, value: number, begin: number, end: number): boolean {
  if (!w.heap.isResident(a)) return false;
  w.exports.fillFloats(a.byteOffset + 4 * begin, end - begin, value);
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

const SUBNORMAL_UNIT = 2 ** -149;

/**
 * The largest K for which the subnormal K·2^-149 is a fixed point of the zero-gradient moment update RNE(x·β):
 * RNE(K·β) = K holds for K = 1..mFix (4 for β = 0.9), so a decaying first moment stops there.
 */
export function fixedSubnormals(beta: number): number {
  const known = fixedCache.get(beta);
  if (known !== undefined) return known;
  const b = Math.fround(beta);
  let k = 0;
  while (k < 1 << 22 && Math.fround((k + 1) * SUBNORMAL_UNIT * b) === (k + 1) * SUBNORMAL_UNIT) k++;
  if (fixedCache.size > 64) fixedCache.clear();
  fixedCache.set(beta, k);
  return k;
}
const fixedCache = new Map<number, number>();

/**
 * Steps since each storage row last had a gradient, then words of the kernel's own (see adamRows in
 * assembly/adam-rows.ts), per first-moment buffer and layout: state restored into new buffers, or the same buffers
 * updated with another row width, starts afresh. `quiet`: some rows may owe decays of m and v (QUIET calls since the
 * last settle), made with these betas. `owed`: young rows may owe whole updates of p, m and v (DEFER calls since).
 */
interface RowState {
  w: WasmKernels;
  ages: Int32Array;
  p: Float32Array;
  v: Float32Array;
  width: number;
  length: number;
  quiet: boolean;
  owed: boolean;
  beta1: number;
  beta2: number;
}
const rowAges = new WeakMap<Float32Array, RowState>();

/** Pays what the rows of this state owe, so its p, m and v hold the reference's values. */
function settle(st: RowState): void {
  if (st.owed) pay(st, null);
  if (!st.quiet) return;
  st.w.exports.adamRowsSettle(rowMoments.get(st)!.byteOffset, st.v.byteOffset, st.width, st.length / st.width, st.ages.byteOffset,
    st.beta1, st.beta2, fixedSubnormals(st.beta1), fixedSubnormals(st.beta2));
  st.quiet = false;
}

/** Pays the updates young rows owe (see assembly/adam-owed.ts): all of them, or those of the rows `x` selects. */
function pay(st: RowState, x: Float32Array | null): void {
  const w = st.w;
  const m = rowMoments.get(st)!;
  const fr = w.frame.begin();
  const xs = x === null ? -1 : fr.in(x);
  const tmp = fr.space(144);
  fr.open();
  w.exports.adamRowsPay(st.p.byteOffset, m.byteOffset, st.v.byteOffset, st.width, st.length / st.width, st.ages.byteOffset,
    xs < 0 ? 0 : fr.ptr(xs), st.beta1, st.beta2, fr.ptr(tmp));
  if (x === null) st.owed = false;
}
const rowMoments = new WeakMap<RowState, Float32Array>();

/**
 * Makes the parameter and moments updated by `adam(…, quiet = true)` with first moment `m` whole again (see
 * assembly/adam-quiet.ts and adam-owed.ts): call it before anything but the kernel reads or writes p, m or v.
 */
export function settleAdam(m: Float32Array): void {
  const st = rowAges.get(m);
  if (st !== undefined) settle(st);
}

/** Whether rows of the parameter updated with first moment `m` may owe updates (see `payAdamRows`). */
export function owesAdam(m: Float32Array): boolean {
  return rowAges.get(m)?.owed ?? false;
}

/**
 * Pays what the rows a one-row input `x` selects (one value per storage row; those not +0) owe to the parameter
 * and moments updated by `adam(…, defer = true)` with first moment `m`: a forward pass over x reads only those rows.
 */
export function payAdamRows(m: Float32Array, x: Float32Array): void {
  const st = rowAges.get(m);
  if (st === undefined || !st.owed) return;
  if (x.length !== st.length / st.width) settle(st);
  else pay(st, x);
}

/** One sample's weight gradient as its factors: row rows[t] of g is 0 + vals[t]·G, the other rows +0. */
export interface OuterFactors {
  vals: Float32Array;
  G: Float32Array;
}

/**
 * One fused Adam step (same arithmetic as ref/optim.ts adam). With the gradient's row list (`rows`: the only
 * storage rows of `width` where g may be non-zero) the kernel skips reading the zero rows of g and checks for
 * tiny moments only in rows that have been without gradient for a while. With `factors` (g then unused, `rows`
 * increasing) the gradient rows are made from them as the update reaches them; false when the row kernel does not
 * apply (the caller then writes the gradient out and calls again without them). With `quiet`, rows whose p provably
 * stays may leave the decays of m and v owed (see assembly/adam-quiet.ts): the caller must then `settleAdam(m)`
 * before m or v is read or written by anything else. `kept`: the caller vouches that nobody but this kernel has
 * written p since its previous call with these moments, so quiet rows need not be checked again (adamRows' KEPT).
 */
export function adam(
  w: WasmKernels, p: Float32Array, g: Float32Array | null, m: Float32Array, v: Float32Array, vmax: Float32Array | null, s: AdamScalars,
  rows: Int32Array | null, width: number, factors: OuterFactors | null = null, quiet = false, defer = false, kept = false,
): boolean {
  const h = w.heap;
  const rule = (s.maximize ? 1 : 0) | (s.weightDecay !== 0 ? 2 : 0) | (vmax !== null ? 4 : 0);
  // The zero-gradient shortcuts (see assembly/adam-rows.ts) hold for the plain rule with betas in [0, 1) (decays), a
  // denominator that cannot vanish (eps > 0, bc2 > 0) and a step size in [2^-23, 2^40]: above 2^-23, an m allowed by kStill cannot make
  // m/denom overflow; below 2^40, the absolute rounding errors of subnormal intermediates stay within the margin.
  // |m| < |p|·kStill ⇒ |step·m/denom| < |p|·2^-25 ≤ half an ulp of p, since denom ≥ eps (margins for roundings; kStill
  // itself must be a normal float, whose rounding is relative).
  const eps32 = Math.fround(s.eps);
  const step32 = Math.fround(s.stepSize);
  const bc232 = Math.fround(s.bc2Sqrt);
  const bound = Math.fround((2 ** -25 * eps32 / step32) * (1 - 2 ** -20));
  const shortcuts = rule === 0 && step32 >= 2 ** -23 && step32 <= 2 ** 40 && eps32 > 0 && bc232 > 0 && bc232 < Infinity
    && bound >= 2 ** -126 && bound < Infinity && s.beta1 >= 0 && s.beta1 < 1 && s.beta2 >= 0 && s.beta2 < 1;
  const kStill = shortcuts ? bound : 0;
  const basic = rule | (shortcuts ? 8 : 0);
  // The row kernel adds +0 for the gradient of rows not listed, which is a1·(+0) only for betas in [0, 1] (Adam's).
  const betasIn = s.beta1 >= 0 && s.beta1 <= 1 && s.beta2 >= 0 && s.beta2 <= 1;
  const byRows = rows !== null && rule === 0 && betasIn && width > 0 && p.length % width === 0;
  const resident = h.isResident(p) && h.isResident(m) && h.isResident(v);
  if (factors !== null && !(byRows && resident)) return false;
  if (g === null && factors === null) return false;
  const lazy = quiet && shortcuts && byRows && width % 4 === 0 && resident;
  const known = rowAges.get(m);
  // What quiet or young rows owe is paid before any call that could not carry it on (another mode, betas, layout or
  // parameter).
  if (known !== undefined && (known.quiet || known.owed) && !(lazy && known.p === p && known.v === v && known.width === width && known.length === p.length
    && known.beta1 === s.beta1 && known.beta2 === s.beta2 && known.w === w)) settle(known);
  let state: RowState | null = null;
  if (byRows) {
    state = known !== undefined && known.p === p && known.v === v && known.width === width && known.length === p.length && known.w === w ? known : null;
    if (state === null) {
      const words = h.allocInt32(w.exports.adamRowsWords(width, p.length / width));
      if (words !== null) {
        state = { w, ages: words, p, v, width, length: p.length, quiet: false, owed: false, beta1: s.beta1, beta2: s.beta2 };
        rowAges.set(m, state);
        rowMoments.set(state, m);
      }
    }
  }
  const ages = state === null ? null : state.ages;
  // Young rows may owe their updates for one-sample steps (the factored gradient), where most rows are dark and the
  // next forward pass reads only the rows of its non-zero inputs; a minibatch's forward reads them all.
  const owing = lazy && state !== null && defer && factors !== null;
  // Quiet rows exist only in a state this kernel kept from an earlier call (a new one has none).
  const flags = basic | (lazy && state !== null ? 16 : 0) | (owing ? 32 : 0) | (kept && lazy && state !== null && state === known ? 64 : 0);
  const fr = w.frame.begin();
  const ps = fr.out(p, true);
  const gs = g === null ? -1 : fr.in(g);
  const ms = fr.out(m, true);
  const vs = fr.out(v, true);
  const xs = vmax === null ? -1 : fr.out(vmax, true);
  const tmp = fr.space(144);
  const list = byRows && ages !== null ? fr.in(rows) : -1;
  const fv = factors === null ? -1 : fr.in(factors.vals);
  const fg = factors === null ? -1 : fr.in(factors.G);
  const grow = factors === null ? -1 : fr.space(2 * width * 4);
  fr.open();
  if (list >= 0) {
    w.exports.adamRows(fr.ptr(ps), gs < 0 ? 0 : fr.ptr(gs), fr.ptr(ms), fr.ptr(vs), width, p.length / width, ages!.byteOffset,
      fr.ptr(list), rows!.length, flags, s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2, s.eps, s.bc2Sqrt, -s.stepSize, kStill,
      fixedSubnormals(s.beta1), fixedSubnormals(s.beta2), fr.ptr(tmp),
      fv < 0 ? 0 : fr.ptr(fv), fg < 0 ? 0 : fr.ptr(fg), grow < 0 ? 0 : fr.ptr(grow));
    if (owing) state!.owed = true;
    if ((flags & 16) !== 0) {
      state!.quiet = true;
      state!.beta1 = s.beta1;
      state!.beta2 = s.beta2;
    }
  } else {
    if (gs < 0) return false;
    w.exports.adam(fr.ptr(ps), fr.ptr(gs), fr.ptr(ms), fr.ptr(vs), xs < 0 ? 0 : fr.ptr(xs), p.length, flags,
      s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2, s.weightDecay, s.eps, s.bc2Sqrt, -s.stepSize, kStill, fr.ptr(tmp));
  }
  fr.finish(ps);
  fr.finish(ms);
  fr.finish(vs);
  if (xs >= 0) fr.finish(xs);
  return true;
}

/** p ← p·factor. */
export function scale(w: WasmKernels, p: Float32Array, factor: number): boolean {
  const fr = w.frame.begin();
  const ps = fr.out(p, true);
  fr.open();
  w.exports.scale(fr.ptr(ps), p.length, factor);
  fr.finish(ps);
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
