// The zero-gradient moment update RN32(x·c) ⊕ +0 for moments that may be tiny or subnormal, exactly, without
// float32 subnormal arithmetic (about 100 times slower on x86): Adam's moments of dark pixels decay through there.
import { TINY_MOMENT, decayExact, tinyLanes } from './exact';

/** 1.5·2^52: adding it to a float64 below 2^51 in magnitude rounds it to an integer (ties to even), found in its low word. */
const ROUND_MAGIC: f64 = 6755399441055744.0;

/**
 * RN32(x·c) ⊕ +0 lane by lane, exactly, for lanes that are all zero or subnormal (x = ±K·2^-149, K < 2^23): the
 * product stays subnormal, so it is ±RNE(K·c)·2^-149, with K·c exact in float64 and rounded to an integer by
 * ROUND_MAGIC. A product that rounds to zero is −0 ⊕ +0 = +0; otherwise it keeps the sign of x.
 */
// @ts-ignore: decorator
@inline export function decaySub(x: v128, cd: v128): v128 {
  const abs = v128.and(x, i32x4.splat(0x7fffffff));
  const magic = f64x2.splat(ROUND_MAGIC);
  const lo = f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_s(abs), cd), magic);
  const hi = f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_s(v128.shuffle<i32>(abs, abs, 2, 3, 2, 3)), cd), magic);
  const k = v128.shuffle<i32>(lo, hi, 0, 2, 4, 6);
  return v128.or(k, v128.andnot(v128.and(x, i32x4.splat(0x80000000)), i32x4.eq(k, i32x4.splat(0))));
}

/**
 * RN32(x·c) ⊕ +0 lane by lane, exactly, like decayExact but fast for the usual case of a moment decaying through
 * the subnormal range: zero and subnormal lanes through decaySub; lanes of at least 2^-125 multiplied in float32
 * (they stay normal for c ≥ 1/2; a smaller c gives the same bits, only slower). Vectors with a lane in
 * [2^-126, 2^-125) go through decayExact.
 */
// @ts-ignore: decorator
@inline function decayTiny(x: v128, c: v128, cd: v128, cf: f64): v128 {
  const abs = v128.and(x, i32x4.splat(0x7fffffff));
  if (v128.any_true(i32x4.lt_u(i32x4.sub(abs, i32x4.splat(0x00800000)), i32x4.splat(0x00800000)))) return decayExact(x, cf);
  const sub = i32x4.lt_u(abs, i32x4.splat(0x00800000));
  const normal = f32x4.add(f32x4.mul(v128.andnot(x, sub), c), f32x4.splat(0));
  return v128.bitselect(decaySub(x, cd), normal, sub);
}

/** RN32(x·c) ⊕ +0 for any lanes: plain float32 unless a lane is tiny (below 2^-120, not zero). */
// @ts-ignore: decorator
@inline export function decayAny(x: v128, c: v128, cd: v128, cf: f64): v128 {
  return v128.any_true(tinyLanes(x, TINY_MOMENT)) ? decayTiny(x, c, cd, cf) : f32x4.add(f32x4.mul(x, c), f32x4.splat(0));
}
