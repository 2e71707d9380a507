// Exact float32 arithmetic for tiny values, in float64 lanes.
//
// x86 cores compute float32 operations on subnormal inputs or outputs (|x| < 2^-126) through
// microcode assists, about 100 times slower; Adam's first moment decays into that range for every input pixel
// that stays dark for ~800 steps (10% of the first layer on MNIST). Vectors holding such values take an exact
// float64 path instead: each float32 operation is done in float64 (exact, or rounded once: double rounding to
// float32 is then innocuous for + − × ÷ √) and rounded to float32 — including float32's subnormal grid — with
// no subnormal float32 ever entering an instruction. The results are bit-identical to the float32 path.
// The native build (subnormals.ts), for cores without that slowdown, finds no tiny lanes and leaves all this out.
import { NATIVE_SUBNORMALS } from './subnormals';

/** |m|, |v| below 2^-120 (and non-zero): the moments' updates may produce subnormals. */
export const TINY_MOMENT: i32 = (127 - 120) << 23;
/** |g| below 2^-58 (and non-zero): (1−β2)·g·g may be subnormal. */
export const TINY_GRAD: i32 = (127 - 58) << 23;

/**
 * Lanes with 0 < |x| < threshold, as an all-ones mask: |x| − 1 compared unsigned, so zero never counts. The
 * unsigned comparison is done as a signed one (x86 has no unsigned one) with both sides offset by 2^31, which for
 * |x| − 1 is |x| + 0x7fffffff. None in the native build (see subnormals.ts), which has no exact paths to take.
 */
// @ts-ignore: decorator
@inline export function tinyLanes(x: v128, threshold: i32): v128 {
  if (NATIVE_SUBNORMALS) return i32x4.splat(0);
  return belowLanes(x, threshold);
}

/** Lanes with 0 < |x| < threshold, in either build (tinyLanes' comparison). */
// @ts-ignore: decorator
@inline export function belowLanes(x: v128, threshold: i32): v128 {
  return i32x4.lt_s(i32x4.add(v128.and(x, i32x4.splat(0x7fffffff)), i32x4.splat(0x7fffffff)), i32x4.splat((threshold - 1) | 0x80000000));
}

/** Float32 lanes 0 and 1 of `x` as float64 lanes, exactly; subnormals decoded from their bits. */
// @ts-ignore: decorator
@inline export function widen(x: v128): v128 {
  const zero = i32x4.splat(0);
  const mant = v128.and(x, i32x4.splat(0x007fffff));
  const sub = v128.and(i32x4.eq(v128.and(x, i32x4.splat(0x7f800000)), zero), i32x4.ne(mant, zero));
  const normal = f64x2.promote_low_f32x4(v128.andnot(x, sub));
  const sign = i32x4.shr_s(x, 31);
  const signed = i32x4.sub(v128.xor(mant, sign), sign);
  const tiny = f64x2.mul(f64x2.convert_low_i32x4_s(signed), f64x2.splat(1.401298464324817e-45));
  return v128.bitselect(tiny, normal, i64x2.extend_low_i32x4_s(sub));
}

// @ts-ignore: decorator
@inline export function widenHigh(x: v128): v128 {
  return widen(v128.shuffle<i32>(x, x, 2, 3, 2, 3));
}

/** Rounds float64 lanes to float32 values (normal or subnormal), kept as float64. */
// @ts-ignore: decorator
@inline export function r32(x: v128): v128 {
  const small = f64x2.lt(f64x2.abs(x), f64x2.splat(1.1754943508222875e-38));
  // Subnormal range: round to the grid of 2^-149, ties to even.
  const grid = f64x2.mul(f64x2.nearest(f64x2.mul(x, f64x2.splat(7.1362384635297994e44))), f64x2.splat(1.401298464324817e-45));
  // Normal range: through float32 (small lanes replaced by 1 first, so the conversion never sees a subnormal).
  const normal = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v128.bitselect(f64x2.splat(1), x, small)));
  return v128.bitselect(grid, normal, small);
}

/** Float64 lanes holding float32 values (from r32) as float32 bits in lanes 0 and 1. */
// @ts-ignore: decorator
@inline export function narrow(x: v128): v128 {
  const small = f64x2.lt(f64x2.abs(x), f64x2.splat(1.1754943508222875e-38));
  const small32 = v128.shuffle<i32>(small, small, 0, 2, 0, 2);
  const normal = f32x4.demote_f64x2_zero(v128.bitselect(f64x2.splat(1), x, small));
  const k = i32x4.trunc_sat_f64x2_s_zero(f64x2.mul(f64x2.abs(x), f64x2.splat(7.1362384635297994e44)));
  const signs = i64x2.shr_s(x, 63);
  const sign32 = v128.and(v128.shuffle<i32>(signs, signs, 0, 2, 0, 2), i32x4.splat(0x80000000));
  return v128.bitselect(v128.or(k, sign32), normal, small32);
}


/**
 * Lanes where m or v is tiny: 0 < |x| < 2^-120 for either, as one unsigned minimum and one comparison. None in the
 * native build.
 */
// @ts-ignore: decorator
@inline export function tinyMoments(M: v128, V: v128): v128 {
  if (NATIVE_SUBNORMALS) return i32x4.splat(0);
  const mask = i32x4.splat(0x7fffffff);
  const one = i32x4.splat(1);
  const low = i32x4.min_u(i32x4.sub(v128.and(M, mask), one), i32x4.sub(v128.and(V, mask), one));
  return i32x4.lt_u(low, i32x4.splat(TINY_MOMENT - 1));
}
