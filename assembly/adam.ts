// Adam in f32x4 SIMD. Every operation rounds to float32 in the order of src/kernels/ref/optim.ts (f32x4.sqrt and
// f32x4.div are correctly rounded), so both backends give bit-identical parameters; vectors holding tiny values
// go through the exact float64 path of exact.ts, which gives the same bits without subnormal slowdowns.
import { narrow, r32, widen, widenHigh } from './exact';

export const MAXIMIZE = 1;
export const DECAY = 2;
export const AMSGRAD = 4;

/** The Adam update of two lanes in exact float64 emulation (see exact.ts), results stored to `out`: p, m, v, vmax. */
// @ts-ignore: decorator
@inline function adamWide(
  p: v128, g: v128, m: v128, v: v128, vmax: v128, flags: i32,
  b1: v128, a1: v128, b2: v128, a2: v128, wd: v128, eps: v128, bc2: v128, step: v128, out: usize,
): void {
  let gi = g;
  if (flags & MAXIMIZE) gi = f64x2.neg(gi);
  if (flags & DECAY) gi = r32(f64x2.add(gi, r32(f64x2.mul(wd, p))));
  const mi = r32(f64x2.add(r32(f64x2.mul(m, b1)), r32(f64x2.mul(a1, gi))));
  const vi = r32(f64x2.add(r32(f64x2.mul(v, b2)), r32(f64x2.mul(r32(f64x2.mul(a2, gi)), gi))));
  let vv = vi;
  if (flags & AMSGRAD) vv = v128.bitselect(vmax, vi, f64x2.gt(vmax, vi));
  const denom = r32(f64x2.add(r32(f64x2.div(r32(f64x2.sqrt(vv)), bc2)), eps));
  const pn = r32(f64x2.add(p, r32(f64x2.mul(step, r32(f64x2.div(mi, denom))))));
  v128.store(out, pn);
  v128.store(out, mi, 16);
  v128.store(out, vi, 32);
  v128.store(out, vv, 48);
}

/** Four lanes of Adam through the exact float64 path; `tmp` is 128 bytes of scratch. */
// @ts-ignore: decorator
@inline export function adamTiny(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, flags: i32,
  b1: f32, a1: f32, b2: f32, a2: f32, wd: f32, eps: f32, bc2: f32, step: f32, tmp: usize,
): void {
  const P = v128.load(p), G = v128.load(g), M = v128.load(m), V = v128.load(v);
  const X = flags & AMSGRAD ? v128.load(vmax) : f32x4.splat(0);
  const db1 = f64x2.splat(<f64>b1), da1 = f64x2.splat(<f64>a1), db2 = f64x2.splat(<f64>b2), da2 = f64x2.splat(<f64>a2);
  const dwd = f64x2.splat(<f64>wd), deps = f64x2.splat(<f64>eps), dbc2 = f64x2.splat(<f64>bc2), dstep = f64x2.splat(<f64>step);
  adamWide(widen(P), widen(G), widen(M), widen(V), widen(X), flags, db1, da1, db2, da2, dwd, deps, dbc2, dstep, tmp);
  adamWide(widenHigh(P), widenHigh(G), widenHigh(M), widenHigh(V), widenHigh(X), flags, db1, da1, db2, da2, dwd, deps, dbc2, dstep, tmp + 64);
  v128.store(p, v128.shuffle<i32>(narrow(v128.load(tmp)), narrow(v128.load(tmp, 64)), 0, 1, 4, 5));
  v128.store(m, v128.shuffle<i32>(narrow(v128.load(tmp, 16)), narrow(v128.load(tmp, 80)), 0, 1, 4, 5));
  v128.store(v, v128.shuffle<i32>(narrow(v128.load(tmp, 32)), narrow(v128.load(tmp, 96)), 0, 1, 4, 5));
  if (flags & AMSGRAD) v128.store(vmax, v128.shuffle<i32>(narrow(v128.load(tmp, 48)), narrow(v128.load(tmp, 112)), 0, 1, 4, 5));
}

// @ts-ignore: decorator
@inline export function adamLanes(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, flags: i32,
  b1: v128, a1: v128, b2: v128, a2: v128, wd: v128, eps: v128, bc2: v128, step: v128, unit: bool,
): void {
  adamLanesG(p, v128.load(g), m, v, vmax, flags, b1, a1, b2, a2, wd, eps, bc2, step, unit);
}

/** adamLanes with the four gradient lanes given as a value (made in registers, never stored). */
// @ts-ignore: decorator
@inline export function adamLanesG(
  p: usize, g: v128, m: usize, v: usize, vmax: usize, flags: i32,
  b1: v128, a1: v128, b2: v128, a2: v128, wd: v128, eps: v128, bc2: v128, step: v128, unit: bool,
): void {
  let gi = g;
  if (flags & MAXIMIZE) gi = f32x4.neg(gi);
  const pi = v128.load(p);
  if (flags & DECAY) gi = f32x4.add(gi, f32x4.mul(wd, pi));
  const mi = f32x4.add(f32x4.mul(v128.load(m), b1), f32x4.mul(a1, gi));
  const vi = f32x4.add(f32x4.mul(v128.load(v), b2), f32x4.mul(f32x4.mul(a2, gi), gi));
  v128.store(m, mi);
  v128.store(v, vi);
  let vv = vi;
  if (flags & AMSGRAD) {
    vv = f32x4.pmax(vi, v128.load(vmax));
    v128.store(vmax, vv);
  }
  store2(p, pi, mi, vv, eps, bc2, step, unit);
}

/** 1/bc2 rounded to float64, in both f64 lanes: what `overBc2` multiplies by. */
// @ts-ignore: decorator
@inline export function bc2Inverse(bc2: f32): v128 {
  return f64x2.splat(1.0 / <f64>bc2);
}

/**
 * x / bc2 for four float32 lanes, the bits of f32x4.div(x, bc2), without the divider (which the square root and
 * the division by √v + eps keep busy): each lane times `inv` = RN64(1/bc2) in float64, rounded to float32. Why it is
 * exact, for any float32 x and positive normal bc2: a quotient of two float32 never lies on a float32 rounding
 * midpoint, and its distance to one is over 2^-49 of its size (x − mid·bc2 is a non-zero multiple of the last bit of
 * the product of a 25-bit and a 24-bit significand), while the float64 result is within 2^-52 of it (two roundings,
 * 2^-53 each): so both round to the same float32. Zeros, infinities and NaN come out as the division gives them.
 */
// @ts-ignore: decorator
@inline export function overBc2(x: v128, inv: v128): v128 {
  const lo = f64x2.mul(f64x2.promote_low_f32x4(x), inv);
  const hi = f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 2, 3)), inv);
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/**
 * p ← p + step·(m / (√v / bc2 + eps)) for four lanes, `bc2` given as `bc2Inverse` (see `overBc2`). With `unit`
 * (bc2 is exactly 1, as it is in float32 after about 17,000 steps with β2 = 0.999) the division by bc2 is skipped:
 * x / 1 is x exactly.
 */
// @ts-ignore: decorator
@inline export function store2(p: usize, pi: v128, mi: v128, vv: v128, eps: v128, bc2: v128, step: v128, unit: bool): void {
  let root = f32x4.sqrt(vv);
  if (!unit) root = overBc2(root, bc2);
  v128.store(p, f32x4.add(pi, f32x4.mul(step, f32x4.div(mi, f32x4.add(root, eps)))));
}

/** The zero-gradient Adam update of four lanes in float32: m·β1 + 0 and v·β2 + 0 (that is, g = +0), then p. */
// @ts-ignore: decorator
@inline export function darkLanes(p: usize, m: usize, v: usize, b1: v128, b2: v128, eps: v128, bc2: v128, step: v128, unit: bool): void {
  const zero = f32x4.splat(0);
  const mi = f32x4.add(f32x4.mul(v128.load(m), b1), zero);
  const vi = f32x4.add(f32x4.mul(v128.load(v), b2), zero);
  v128.store(m, mi);
  v128.store(v, vi);
  store2(p, v128.load(p), mi, vi, eps, bc2, step, unit);
}

// @ts-ignore: decorator
@inline export function adamOne(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, flags: i32,
  b1: f32, a1: f32, b2: f32, a2: f32, wd: f32, eps: f32, bc2: f32, step: f32,
): void {
  let gi = load<f32>(g);
  if (flags & MAXIMIZE) gi = -gi;
  const pi = load<f32>(p);
  if (flags & DECAY) gi = gi + wd * pi;
  const mi = load<f32>(m) * b1 + a1 * gi;
  const vi = load<f32>(v) * b2 + (a2 * gi) * gi;
  store<f32>(m, mi);
  store<f32>(v, vi);
  let vv = vi;
  if (flags & AMSGRAD) {
    const old = load<f32>(vmax);
    vv = old > vi ? old : vi;
    store<f32>(vmax, vv);
  }
  const denom = Mathf.sqrt(vv) / bc2 + eps;
  store<f32>(p, pi + step * (mi / denom));
}

/** Bits of 2^-60: the smallest |p| stillLanes takes (see there). */
export const P_STILL: i32 = (127 - 60) << 23;

/**
 * Lanes whose update of p is provably below half an ulp of p, so p stays: |m| < |p|·kStill (see adamRows: kStill is
 * 2^-25·eps/stepSize with margin, and is 0 when the caller's conditions for it fail), with p finite and |p| ≥ 2^-60
 * (so the absolute rounding errors of subnormal intermediates stay within the margin), and v in [+0, +∞) by its
 * bits (no NaN, no negative v, no ∞, whose updates are not small).
 */
// @ts-ignore: decorator
@inline export function stillLanes(P: v128, M: v128, V: v128, kStill: f32): v128 {
  const absP = v128.and(P, i32x4.splat(0x7fffffff));
  const small = f32x4.lt(f32x4.abs(M), f32x4.mul(absP, f32x4.splat(kStill)));
  const pFine = v128.and(i32x4.ge_s(absP, i32x4.splat(P_STILL)), i32x4.lt_s(absP, i32x4.splat(0x7f800000)));
  return v128.and(v128.and(small, pFine), i32x4.lt_u(V, i32x4.splat(0x7f800000)));
}
