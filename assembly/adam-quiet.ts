// Quiet rows of Adam (adamRows with the QUIET flag): rows without gradient whose p provably stays — for every m up
// to a bound kept per row, which a decaying m never exceeds again — so that a step changes only the moments, by one
// exact decay each (only v, once m has reached its fixed point). Their m and v are left as they are and the decays
// are counted instead; they are paid, exactly and in order, when the row wakes (its pixel is lit, or its p no
// longer passes the check) or when the caller settles the buffer before anybody reads m or v. Between calls m and v
// must then be changed by the kernel only; p may be changed by anyone: it is checked at every step.
import { P_STILL } from './adam';
import { decayAny } from './decay';
import { NATIVE_SUBNORMALS } from './subnormals';

/**
 * True when every lane of the row would stay still with any m up to the bound (|m| bits ≤ mFix: m's fixed point, or
 * a decaying m's largest |m|): |p| ≥ 2^-60 and mFix < |p·kStill| < ∞ on the bit patterns, as scanRow's ROW_STILL
 * asks of the actual m. Rounding is monotone, so the smallest and the largest |p| decide for all lanes (a NaN p has
 * the largest bits, and fails).
 */
// @ts-ignore: decorator
@inline export function quietStill(p: usize, vecEnd: usize, kStill: f32, mFix: i32): bool {
  const mask = i32x4.splat(0x7fffffff);
  let lo = i32x4.splat(-1), hi = i32x4.splat(0);
  for (let q: usize = 0; q < vecEnd; q += 16) {
    const a = v128.and(v128.load(p + q), mask);
    lo = i32x4.min_u(lo, a);
    hi = i32x4.max_u(hi, a);
  }
  const minP = min4(lo), maxP = max4(hi);
  if (maxP >= 0x7f800000 || minP < <u32>P_STILL) return false;
  const least = reinterpret<u32>(reinterpret<f32>(minP) * kStill) & 0x7fffffff;
  const most = reinterpret<u32>(reinterpret<f32>(maxP) * kStill) & 0x7fffffff;
  return least > <u32>mFix && most < 0x7f800000;
}

// @ts-ignore: decorator
@inline function min4(x: v128): u32 {
  const a = i32x4.min_u(x, v128.shuffle<i32>(x, x, 2, 3, 0, 1));
  return <u32>i32x4.extract_lane(i32x4.min_u(a, v128.shuffle<i32>(a, a, 1, 0, 3, 2)), 0);
}

// @ts-ignore: decorator
@inline export function max4(x: v128): u32 {
  const a = i32x4.max_u(x, v128.shuffle<i32>(x, x, 2, 3, 0, 1));
  return <u32>i32x4.extract_lane(i32x4.max_u(a, v128.shuffle<i32>(a, a, 1, 0, 3, 2)), 0);
}

/** The lanes with their bits, but +0 as the largest pattern: +0 stays +0 under a plain product, at full speed. */
// @ts-ignore: decorator
@inline function nonzero(a: v128): v128 {
  return v128.or(a, i32x4.eq(a, i32x4.splat(0)));
}

/**
 * Bits of 2^-100: lanes at or above it stay normal for eight decays by any β2 ≥ 2^-3 (and exact below, only slower).
 * 0 in the native build (subnormals.ts), where float32 products take subnormals at full speed.
 */
const PLAIN_FROM: i32 = NATIVE_SUBNORMALS ? 0 : (127 - 100) << 23;

/**
 * Pays `n` owed decays of a quiet row's v (every lane in [+0, ∞)): v ← RN32(v·β2) ⊕ +0, n times, exactly.
 * Eight vectors at a time in registers; while every lane is +0 or at least 2^-100, eight plain float32 products
 * at a time (the ⊕ +0 changes nothing for v ≥ +0), else one exact decay (decayAny, which keeps subnormals off the float unit). A
 * group stops early once every lane is at its fixed point (bits ≤ vFix: +0 or K·2^-149 with RNE(K·β2) = K).
 */
export function payDecays(v: usize, vecEnd: usize, n: i32, b2: f32, vFix: i32): void {
  decays(v, vecEnd, n, b2, vFix, false);
}

/**
 * The same for a quiet row's m, whose lanes may be negative (or −0, or NaN-free anything finite): m ← RN32(m·β1)
 * ⊕ +0, n times, exactly. The checks look at |m|; −0 is no fixed point (−0·β1 ⊕ +0 is +0), and the plain products
 * add +0 as the reference does.
 */
export function payDecaysSigned(m: usize, vecEnd: usize, n: i32, b1: f32, mFix: i32): void {
  decays(m, vecEnd, n, b1, mFix, true);
}

/** |x| by its bits, when `signed`; x itself otherwise. */
// @ts-ignore: decorator
@inline function mag(x: v128, signed: bool): v128 {
  return signed ? v128.and(x, i32x4.splat(0x7fffffff)) : x;
}

/** No lane is −0 (always true for v, which is never −0 here). */
// @ts-ignore: decorator
@inline function noNegZero(x: v128, signed: bool): bool {
  return signed ? !v128.any_true(i32x4.eq(x, i32x4.splat(0x80000000))) : true;
}

/** One plain decay: x·β (⊕ +0 where x may be negative, as the reference adds it). */
// @ts-ignore: decorator
@inline function plainDecay(x: v128, vb: v128, signed: bool): v128 {
  return signed ? f32x4.add(f32x4.mul(x, vb), f32x4.splat(0)) : f32x4.mul(x, vb);
}

// @ts-ignore: decorator
@inline function decays(v: usize, vecEnd: usize, n: i32, b2: f32, vFix: i32, signed: bool): void {
  if (n <= 0) return;
  const vb2 = f32x4.splat(b2), db2 = f64x2.splat(<f64>b2);
  const fix = i32x4.splat(vFix), plain = i32x4.splat(PLAIN_FROM), inf = i32x4.splat(0x7f800000);
  let q: usize = 0;
  for (; q + 128 <= vecEnd; q += 128) {
    let a0 = v128.load(v + q), a1 = v128.load(v + q, 16), a2 = v128.load(v + q, 32), a3 = v128.load(v + q, 48);
    let a4 = v128.load(v + q, 64), a5 = v128.load(v + q, 80), a6 = v128.load(v + q, 96), a7 = v128.load(v + q, 112);
    let k = n;
    while (k > 0) {
      const b0 = mag(a0, signed), b1 = mag(a1, signed), b2v = mag(a2, signed), b3 = mag(a3, signed);
      const b4 = mag(a4, signed), b5 = mag(a5, signed), b6 = mag(a6, signed), b7 = mag(a7, signed);
      const lo = i32x4.min_u(
        i32x4.min_u(i32x4.min_u(nonzero(b0), nonzero(b1)), i32x4.min_u(nonzero(b2v), nonzero(b3))),
        i32x4.min_u(i32x4.min_u(nonzero(b4), nonzero(b5)), i32x4.min_u(nonzero(b6), nonzero(b7))),
      );
      const hi = i32x4.max_u(i32x4.max_u(i32x4.max_u(b0, b1), i32x4.max_u(b2v, b3)), i32x4.max_u(i32x4.max_u(b4, b5), i32x4.max_u(b6, b7)));
      if (i32x4.all_true(i32x4.le_u(hi, fix)) && (!signed || allNonNegZero8(a0, a1, a2, a3, a4, a5, a6, a7))) break;
      if (k >= 8 && i32x4.all_true(v128.and(i32x4.ge_u(lo, plain), i32x4.lt_u(hi, inf)))) {
        for (let j = 0; j < 8; j++) {
          a0 = plainDecay(a0, vb2, signed); a1 = plainDecay(a1, vb2, signed); a2 = plainDecay(a2, vb2, signed); a3 = plainDecay(a3, vb2, signed);
          a4 = plainDecay(a4, vb2, signed); a5 = plainDecay(a5, vb2, signed); a6 = plainDecay(a6, vb2, signed); a7 = plainDecay(a7, vb2, signed);
        }
        k -= 8;
        continue;
      }
      a0 = decayAny(a0, vb2, db2); a1 = decayAny(a1, vb2, db2); a2 = decayAny(a2, vb2, db2); a3 = decayAny(a3, vb2, db2);
      a4 = decayAny(a4, vb2, db2); a5 = decayAny(a5, vb2, db2); a6 = decayAny(a6, vb2, db2); a7 = decayAny(a7, vb2, db2);
      k--;
    }
    v128.store(v + q, a0); v128.store(v + q, a1, 16); v128.store(v + q, a2, 32); v128.store(v + q, a3, 48);
    v128.store(v + q, a4, 64); v128.store(v + q, a5, 80); v128.store(v + q, a6, 96); v128.store(v + q, a7, 112);
  }
  for (; q < vecEnd; q += 16) {
    let a = v128.load(v + q);
    let k = n;
    while (k > 0) {
      const b = mag(a, signed);
      if (i32x4.all_true(i32x4.le_u(b, fix)) && noNegZero(a, signed)) break;
      if (k >= 8 && i32x4.all_true(v128.and(i32x4.ge_u(nonzero(b), plain), i32x4.lt_u(b, inf)))) {
        for (let j = 0; j < 8; j++) a = plainDecay(a, vb2, signed);
        k -= 8;
        continue;
      }
      a = decayAny(a, vb2, db2);
      k--;
    }
    v128.store(v + q, a);
  }
}

/** No lane of the eight vectors is −0. */
// @ts-ignore: decorator
@inline function allNonNegZero8(a0: v128, a1: v128, a2: v128, a3: v128, a4: v128, a5: v128, a6: v128, a7: v128): bool {
  const z = i32x4.splat(0x80000000);
  return !v128.any_true(v128.or(
    v128.or(v128.or(i32x4.eq(a0, z), i32x4.eq(a1, z)), v128.or(i32x4.eq(a2, z), i32x4.eq(a3, z))),
    v128.or(v128.or(i32x4.eq(a4, z), i32x4.eq(a5, z)), v128.or(i32x4.eq(a6, z), i32x4.eq(a7, z))),
  ));
}
