// RMSprop and Adagrad over flat float32 arrays, four lanes at a time, in the order of src/kernels/ref/optim-more.ts
// (PyTorch 1.13's single-tensor rules with its AVX2 kernels' fused multiply-adds), so with the same bits: every lane
// operation is the float32 operation the reference rounds with Math.fround, and each fused multiply-add is the
// reference's fmaf (src/kernels/ref/fmaf.ts) done in float64 lanes, the same steps in the same order.
import { fma4 } from './fma';
import { loadPart, storePart } from './part';

// Which parts of the rules apply, as the caller decides them from the options (as the reference does).
const MAXIMIZE = 1;
const DECAY = 2;
const MOMENTUM = 4;
const CENTERED = 8;

// @ts-ignore: decorator
@inline function load4(p: usize, k: i32): v128 {
  return k == 4 ? v128.load(p) : loadPart(p, k);
}

// @ts-ignore: decorator
@inline function store4(p: usize, x: v128, k: i32): void {
  if (k == 4) v128.store(p, x);
  else storePart(p, x, k);
}

/**
 * RMSprop on the `k` floats (4, or 1–3 at the end) at p, g, v (square_avg), b (momentum buffer) and m (grad_avg):
 * d = ±g (+ wd·p, fused); v ← fma((1 − α)·d, d, v·α); centered: m ← fma(d, 1 − α, m·α), avg = √fma(−m, m, v), else
 * avg = √v; avg ← avg + eps; momentum: b ← b·μ + d / avg, p ← fma(b, −lr, p); else p ← p + (−lr·d) / avg.
 */
// @ts-ignore: decorator
@inline function rmspropLanes(
  p: usize, g: usize, v: usize, b: usize, m: usize, k: i32, flags: i32, alpha: v128, rest: v128, eps: v128, wd: v128, mom: v128, a: v128,
): void {
  const pv = load4(p, k);
  let d = load4(g, k);
  if (flags & MAXIMIZE) d = f32x4.neg(d);
  if (flags & DECAY) d = fma4(pv, wd, d);
  const vv = fma4(f32x4.mul(rest, d), d, f32x4.mul(load4(v, k), alpha));
  store4(v, vv, k);
  let avg: v128;
  if (flags & CENTERED) {
    const mv = fma4(d, rest, f32x4.mul(load4(m, k), alpha));
    store4(m, mv, k);
    avg = f32x4.sqrt(fma4(f32x4.neg(mv), mv, vv));
  } else {
    avg = f32x4.sqrt(vv);
  }
  avg = f32x4.add(avg, eps);
  if (flags & MOMENTUM) {
    const bv = f32x4.add(f32x4.mul(load4(b, k), mom), f32x4.div(d, avg));
    store4(b, bv, k);
    store4(p, fma4(bv, a, pv), k);
  } else {
    store4(p, f32x4.add(pv, f32x4.div(f32x4.mul(a, d), avg)), k);
  }
}

// @ts-ignore: decorator
@inline function rmspropLoop(
  p: usize, g: usize, v: usize, b: usize, m: usize, n: i32, flags: i32, alpha: f32, rest: f32, eps: f32, wd: f32, mom: f32, a: f32,
): void {
  const va = f32x4.splat(alpha), vr = f32x4.splat(rest), ve = f32x4.splat(eps), vw = f32x4.splat(wd), vm = f32x4.splat(mom), vl = f32x4.splat(a);
  const bytes = <usize>n << 2;
  let o: usize = 0;
  for (; o + 16 <= bytes; o += 16) rmspropLanes(p + o, g + o, v + o, b + o, m + o, 4, flags, va, vr, ve, vw, vm, vl);
  if (o < bytes) rmspropLanes(p + o, g + o, v + o, b + o, m + o, <i32>((bytes - o) >> 2), flags, va, vr, ve, vw, vm, vl);
}

/**
 * One RMSprop step over n floats (see rmspropLanes); b is read and written only with MOMENTUM, m only with CENTERED.
 * The scalars come rounded to float32 by the call: alpha, rest = 1 − alpha (rounded from float64), eps, wd, mom and
 * a = −lr. The default rule gets a loop of its own, so that no flag is tested per vector there.
 */
export function rmsprop(
  p: usize, g: usize, v: usize, b: usize, m: usize, n: i32, flags: i32, alpha: f32, rest: f32, eps: f32, wd: f32, mom: f32, a: f32,
): void {
  if (flags == 0) rmspropLoop(p, g, v, b, m, n, 0, alpha, rest, eps, wd, mom, a);
  else rmspropLoop(p, g, v, b, m, n, flags, alpha, rest, eps, wd, mom, a);
}

/** Adagrad on `k` floats: d = ±g (+ wd·p, fused); s ← fma(d, d, s); p ← p + (−clr·d) / (√s + eps). */
// @ts-ignore: decorator
@inline function adagradLanes(p: usize, g: usize, s: usize, k: i32, flags: i32, eps: v128, wd: v128, a: v128): void {
  const pv = load4(p, k);
  let d = load4(g, k);
  if (flags & MAXIMIZE) d = f32x4.neg(d);
  if (flags & DECAY) d = fma4(pv, wd, d);
  const sv = fma4(d, d, load4(s, k));
  store4(s, sv, k);
  const std = f32x4.add(f32x4.sqrt(sv), eps);
  store4(p, f32x4.add(pv, f32x4.div(f32x4.mul(a, d), std)), k);
}

// @ts-ignore: decorator
@inline function adagradLoop(p: usize, g: usize, s: usize, n: i32, flags: i32, eps: f32, wd: f32, a: f32): void {
  const ve = f32x4.splat(eps), vw = f32x4.splat(wd), vl = f32x4.splat(a);
  const bytes = <usize>n << 2;
  let o: usize = 0;
  for (; o + 16 <= bytes; o += 16) adagradLanes(p + o, g + o, s + o, 4, flags, ve, vw, vl);
  if (o < bytes) adagradLanes(p + o, g + o, s + o, <i32>((bytes - o) >> 2), flags, ve, vw, vl);
}

/** One Adagrad step over n floats (see adagradLanes); eps, wd and a = −clr come rounded to float32 by the call. */
export function adagrad(p: usize, g: usize, s: usize, n: i32, flags: i32, eps: f32, wd: f32, a: f32): void {
  if (flags == 0) adagradLoop(p, g, s, n, 0, eps, wd, a);
  else adagradLoop(p, g, s, n, flags, eps, wd, a);
}

/**
 * Whether a dark row (g = +0) of a plain step leaves p as it is: each of its state values x (Adagrad's sum, RMSprop's
 * square average after its decay) is +0 or positive, not NaN, and not 0 when eps is 0 (`low` 1) — so that the
 * denominator √x + eps is positive or +∞ and (−lr·(+0)) / denominator is −0, which adds nothing to any p. With
 * `decay`, x is v·α + 0 (RMSprop's dark update of v), else the value in memory.
 */
// @ts-ignore: decorator
@inline function darkRowStays(x: usize, width: i32, low: i32, decay: bool, alpha: v128): bool {
  const bytes = <usize>width << 2;
  const vlow = i32x4.splat(low), top = i32x4.splat(0x7f800000), zero = f32x4.splat(0);
  let ok = i32x4.splat(-1);
  let o: usize = 0;
  for (; o + 16 <= bytes; o += 16) {
    const v = decay ? f32x4.add(f32x4.mul(v128.load(x + o), alpha), zero) : v128.load(x + o);
    ok = v128.and(ok, v128.and(i32x4.ge_s(v, vlow), i32x4.le_s(v, top)));
  }
  if (!i32x4.all_true(ok)) return false;
  for (; o < bytes; o += 4) {
    const v = decay ? load<f32>(x + o) * f32x4.extract_lane(alpha, 0) + <f32>0 : load<f32>(x + o);
    const b = reinterpret<i32>(v);
    if (b < low || b > 0x7f800000) return false;
  }
  return true;
}

/** Marks (one byte per row, in `marks`) the `nlisted` rows listed at `rows`: the rows where g may be non-zero. */
function markRows(marks: usize, nrows: i32, rows: usize, nlisted: i32): void {
  memory.fill(marks, 0, <usize>nrows);
  for (let t = 0; t < nlisted; t++) {
    const r = load<i32>(rows + (<usize>t << 2));
    if (<u32>r < <u32>nrows) store<u8>(marks + <usize>r, 1);
  }
}

/**
 * A plain Adagrad step (no weight decay, not maximizing, a = −clr finite and ≤ −0) over `nrows` rows of `width`,
 * where g is +0 outside the listed rows: those rows keep p and the sum as they are (see darkRowStays; a row where
 * that is not sure takes the full update), the listed rows take the full update. The same bits as adagrad over
 * every row. `marks` is nrows bytes of scratch.
 */
export function adagradRows(
  p: usize, g: usize, s: usize, width: i32, nrows: i32, rows: usize, nlisted: i32, marks: usize, eps: f32, a: f32,
): void {
  markRows(marks, nrows, rows, nlisted);
  const low = eps > 0 ? 0 : 1;
  const rowBytes = <usize>width << 2;
  const none = f32x4.splat(0);
  for (let r = 0; r < nrows; r++) {
    const base = <usize>r * rowBytes;
    if (load<u8>(marks + <usize>r) == 0 && darkRowStays(s + base, width, low, false, none)) continue;
    adagradLoop(p + base, g + base, s + base, width, 0, eps, 0, a);
  }
}

/**
 * A plain RMSprop step (no weight decay, momentum or centering, not maximizing, a = −lr finite and ≤ −0) over `nrows`
 * rows of `width`, where g is +0 outside the listed rows: there v ← v·α + 0 and p stays (see darkRowStays; a row
 * where that is not sure takes the full update). The same bits as rmsprop over every row. `marks`: nrows bytes.
 */
export function rmspropRows(
  p: usize, g: usize, v: usize, width: i32, nrows: i32, rows: usize, nlisted: i32, marks: usize, alpha: f32, rest: f32, eps: f32, a: f32,
): void {
  markRows(marks, nrows, rows, nlisted);
  const low = eps > 0 ? 0 : 1;
  const rowBytes = <usize>width << 2;
  const va = f32x4.splat(alpha), zero = f32x4.splat(0);
  for (let r = 0; r < nrows; r++) {
    const base = <usize>r * rowBytes;
    if (load<u8>(marks + <usize>r) == 0 && darkRowStays(v + base, width, low, true, va)) {
      // fma((1 − α)·(+0), +0, v·α) is v·α + 0 exactly.
      const x = v + base;
      let o: usize = 0;
      for (; o + 16 <= rowBytes; o += 16) v128.store(x + o, f32x4.add(f32x4.mul(v128.load(x + o), va), zero));
      for (; o < rowBytes; o += 4) store<f32>(x + o, load<f32>(x + o) * alpha + <f32>0);
      continue;
    }
    rmspropLoop(p + base, g + base, v + base, 0, 0, width, 0, alpha, rest, eps, 0, 0, a);
  }
}
