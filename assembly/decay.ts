// The zero-gradient moment update RN32(x·c) ⊕ +0 for moments that may be tiny or subnormal, exactly, without
// float32 subnormal arithmetic (about 100 times slower on x86): Adam's moments of dark pixels decay through there.
// The native build (subnormals.ts) multiplies in float32 instead: the same bits.
import { TINY_MOMENT, tinyLanes } from './exact';
import { NATIVE_SUBNORMALS } from './subnormals';

/** 1.5·2^52: adding it to a float64 below 2^51 in magnitude rounds it to an integer (ties to even), found in its low word. */
const ROUND_MAGIC: f64 = 6755399441055744.0;

/**
 * RN32(x·c) ⊕ +0 lane by lane, exactly, for lanes below 2^-125 (x = ±K·2^-149 with K < 2^24: the subnormals and
 * the lowest binade of normals, whose ulp is 2^-149 alike) and 0 ≤ c < 1: the product stays below 2^-125, so it is
 * ±RNE(K·c)·2^-149, with K·c exact in float64 and rounded to an integer by ROUND_MAGIC; that integer is also the
 * product's bit pattern (a K of 2^23 or more encodes exponent field 1). A product that rounds to zero is
 * −0 ⊕ +0 = +0; otherwise it keeps the sign of x. `c` is c in float32 lanes, `cd` in float64 lanes; the native
 * build computes RN32(x·c) ⊕ +0 itself.
 */
// @ts-ignore: decorator
@inline export function decaySub(x: v128, c: v128, cd: v128): v128 {
  if (NATIVE_SUBNORMALS) return f32x4.add(f32x4.mul(x, c), f32x4.splat(0));
  const abs = v128.and(x, i32x4.splat(0x7fffffff));
  const magic = f64x2.splat(ROUND_MAGIC);
  const lo = f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_s(abs), cd), magic);
  const hi = f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_s(v128.shuffle<i32>(abs, abs, 2, 3, 2, 3)), cd), magic);
  const k = v128.shuffle<i32>(lo, hi, 0, 2, 4, 6);
  return v128.or(k, v128.andnot(v128.and(x, i32x4.splat(0x80000000)), i32x4.eq(k, i32x4.splat(0))));
}

/** Bits of 2^-125: decaySub takes the lanes below. */
export const BELOW_2_125: i32 = 0x01000000;

/**
 * RN32(x·c) ⊕ +0 lane by lane, exactly, for a moment decaying through the tiny range (0 ≤ c < 1): lanes below
 * 2^-125 through decaySub, the others multiplied in float32 (they stay normal for c ≥ 1/2; a smaller c gives the
 * same bits, only slower).
 */
// @ts-ignore: decorator
@inline function decayTiny(x: v128, c: v128, cd: v128): v128 {
  const low = i32x4.lt_u(v128.and(x, i32x4.splat(0x7fffffff)), i32x4.splat(BELOW_2_125));
  const normal = f32x4.add(f32x4.mul(v128.andnot(x, low), c), f32x4.splat(0));
  return v128.bitselect(decaySub(x, c, cd), normal, low);
}

/** RN32(x·c) ⊕ +0 for any lanes (0 ≤ c < 1): plain float32 unless a lane is tiny (below 2^-120, not zero). */
// @ts-ignore: decorator
@inline export function decayAny(x: v128, c: v128, cd: v128): v128 {
  return v128.any_true(tinyLanes(x, TINY_MOMENT)) ? decayTiny(x, c, cd) : f32x4.add(f32x4.mul(x, c), f32x4.splat(0));
}
