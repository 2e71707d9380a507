// The float32 fused multiply-add on four lanes, exactly: src/kernels/ref/fmaf.ts's algorithm in float64 lanes. Used
// where PyTorch's AVX2 kernels fuse a multiply and an add (RMSprop and Adagrad; add and sub with an alpha).

/** The four lanes of x as two float64 pairs' worth: lanes 2 and 3 moved down, for promote_low. */
// @ts-ignore: decorator
@inline function high(x: v128): v128 {
  return v128.shuffle<f32>(x, x, 2, 3, 2, 3);
}

/** x (float64 lanes) rounded to float32 and back: fr(s) of the reference, lane by lane. */
// @ts-ignore: decorator
@inline function roundTrip(x: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(x));
}

/**
 * fmaf on two lanes held as float64 (a, b, c float32 values): the product is exact; the sum s rounds once; fr(s) is
 * the answer unless s is inexact and exactly halfway between two float32 values, where the sum's rounding error
 * (TwoSum) picks the side, as the reference does. Returns float64 lanes whose float32 rounding is the result.
 */
/** The largest float32, and halfway from it to 2^128 (see ref/fmaf.ts). */
const FLT_MAX: f64 = 340282346638528859811704183484516925440.0;
const HALF_OVER: f64 = 340282356779733661637539395458142568448.0;

/**
 * Lanes where rounding s to float32 may round twice: s halfway between two float32 values of the normal range has
 * the 29 bits below float32's last one at exactly 1000…0; halfway in the subnormal range (|s| < 2^-126, not 0) has
 * more zeros, so those lanes are all taken (and 2^128 − 2^103, halfway past the largest float32, has the pattern).
 * A lane not picked here is a float32 rounding of s away from any midpoint, which fr(s) rounds once.
 */
// @ts-ignore: decorator
@inline function mayBeHalfway(s: v128): v128 {
  const pattern = i64x2.eq(v128.and(s, i64x2.splat(0x1fffffff)), i64x2.splat(0x10000000));
  const abs = f64x2.abs(s);
  const tiny = v128.and(f64x2.lt(abs, f64x2.splat(1.1754943508222875e-38)), f64x2.gt(abs, f64x2.splat(0)));
  return v128.or(pattern, tiny);
}

// @ts-ignore: decorator
@inline function fmaPair(a: v128, b: v128, c: v128): v128 {
  const p = f64x2.mul(a, b);
  const s = f64x2.add(p, c);
  // The usual case: no lane near a midpoint, so demoting s (fr(s)) is the once-rounded sum.
  if (!v128.any_true(mayBeHalfway(s))) return s;
  const r = roundTrip(s);
  // The float32 on s's far side if s is halfway: 2s − r, or past the largest float32 (r = ±∞) the largest float32.
  const over = f64x2.eq(f64x2.abs(s), f64x2.splat(HALF_OVER));
  const other = v128.bitselect(v128.or(f64x2.splat(FLT_MAX), v128.and(s, f64x2.splat(-0.0))), f64x2.sub(f64x2.add(s, s), r), over);
  // Halfway: s is not a float32 (r ≠ s) while that far side is a finite float32. NaN lanes fail both.
  const farSide = v128.and(f64x2.eq(roundTrip(other), other), f64x2.lt(f64x2.abs(other), f64x2.splat(Infinity)));
  const halfway = v128.andnot(farSide, f64x2.eq(r, s));
  if (!v128.any_true(halfway)) return r;
  const sp = f64x2.sub(s, p);
  const err = f64x2.add(f64x2.sub(p, f64x2.sub(s, sp)), f64x2.sub(c, sp));
  // err > 0 when the exact sum is above s: take `other` when it lies on that side; err = 0 is a true tie, left to fr.
  const up = f64x2.gt(err, f64x2.splat(0));
  const down = f64x2.lt(err, f64x2.splat(0));
  const otherAbove = f64x2.gt(other, r);
  const pick = v128.and(halfway, v128.or(v128.and(up, otherAbove), v128.andnot(down, otherAbove)));
  return v128.bitselect(other, r, pick);
}

/** fmaf(a, b, c) on four float32 lanes: a·b + c rounded once, as the reference's fmaf. */
// @ts-ignore: decorator
@inline export function fma4(a: v128, b: v128, c: v128): v128 {
  const lo = fmaPair(f64x2.promote_low_f32x4(a), f64x2.promote_low_f32x4(b), f64x2.promote_low_f32x4(c));
  const hi = fmaPair(f64x2.promote_low_f32x4(high(a)), f64x2.promote_low_f32x4(high(b)), f64x2.promote_low_f32x4(high(c)));
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

