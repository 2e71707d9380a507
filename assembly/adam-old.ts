// Adam for the rows of pixels that have been dark for a while (see adam-rows.ts): classified by one pass in integer
// lanes, then updated by the cheapest loop that gives the reference's bits — often only the moments decay.
import { P_STILL, adamTiny, bc2Inverse, darkLanes, stillLanes } from './adam';
import { BELOW_2_125, decayAny, decaySub } from './decay';
import { TINY_MOMENT, tinyMoments } from './exact';

// What scanRow finds about a row without gradient (bits of its result).
/** Every lane has |m| < |p|·kStill, and no p or v is NaN: p stays, only the moments decay. */
const ROW_STILL = 1;
/**
 * Every m is +0 and no p or v is NaN: p stays (step·(+0/denom) is −0) and so does m; only v decays. (A decaying m
 * never gets there: RNE(K·0.9) = K for the subnormals K·2^-149 with K ≤ 4, so it stops at ±4·2^-149; this is
 * the state of rows that never had a gradient.)
 */
const ROW_M_ZERO = 2;
/** Every m is below 2^-125 (decaySub's range). */
const ROW_M_SUB = 8;
/** No m is tiny (0 < |m| < 2^-120). */
const ROW_M_PLAIN = 16;
/** No v is tiny. */
const ROW_V_PLAIN = 32;
/**
 * m is at its fixed point: every m is +0 or ±K·2^-149 with K ≤ mFix, where RNE(K·β1) = K (mFix = 4 for β1 = 0.9):
 * where a decaying m stops. With ROW_STILL, only v changes: the state of pixels dark for a thousand steps or more.
 */
const ROW_M_FIXED = 64;
/** Every v is below 2^-125 (decaySub's range). */
const ROW_V_SUB = 128;
/** v is at its fixed point too (every v +0 or at most vFix·2^-149): with ROW_M_FIXED and ROW_STILL, nothing changes. */
const ROW_V_FIXED = 256;

/** oldRow's result: only v changed (m at its fixed point, p still). */
export const OLD_V_ONLY = 1;
/** oldRow's result: every lane was still: p stayed, and the moments only decayed. */
export const OLD_STILL = 2;

/**
 * One pass over a row without gradient, in integer lanes only (so subnormals cost nothing), deciding which loop
 * updates it. |m| < |p·kStill| is compared on the bit patterns, which order non-negative floats as their values do.
 * v is taken by its raw bits: a negative v (−0, or written from outside), +∞ or a NaN has bits from +∞'s up, which
 * makes the row "bad" (the general loop, whose lanes stillLanes checks one by one); so does a p whose |p·kStill| is
 * ∞ or NaN. A still row also needs every |p| ≥ 2^-60 (see stillLanes). Every flag errs only towards a more general
 * loop.
 */
// @ts-ignore: decorator
@inline function scanRow(p: usize, m: usize, v: usize, vecEnd: usize, vk: v128, mFix: i32, vFix: i32): i32 {
  const mask = i32x4.splat(0x7fffffff), inf = i32x4.splat(0x7f800000), one = i32x4.splat(1), negZero = i32x4.splat(0x80000000);
  let still = i32x4.splat(-1), maxLimit = i32x4.splat(0), maxM = i32x4.splat(0), anyNegZero = i32x4.splat(0);
  let minM = i32x4.splat(-1), minV = i32x4.splat(-1), maxV = i32x4.splat(0), minP = i32x4.splat(-1);
  for (let q: usize = 0; q < vecEnd; q += 16) {
    const M = v128.load(m + q), V = v128.load(v + q), P = v128.load(p + q);
    const absM = v128.and(M, mask);
    const limit = v128.and(f32x4.mul(P, vk), mask);
    still = v128.and(still, i32x4.lt_s(absM, limit));
    minP = i32x4.min_u(minP, v128.and(P, mask));
    maxLimit = i32x4.max_u(maxLimit, limit);
    anyNegZero = v128.or(anyNegZero, i32x4.eq(M, negZero));
    maxM = i32x4.max_u(maxM, absM);
    minM = i32x4.min_u(minM, i32x4.sub(absM, one));
    minV = i32x4.min_u(minV, i32x4.sub(V, one));
    maxV = i32x4.max_u(maxV, V);
  }
  if (v128.any_true(v128.or(i32x4.ge_u(maxLimit, inf), i32x4.ge_u(maxV, inf)))) return 0;
  const tiny = i32x4.splat(TINY_MOMENT - 1);
  let r = 0;
  if (i32x4.all_true(v128.and(still, i32x4.ge_u(minP, i32x4.splat(P_STILL))))) r |= ROW_STILL;
  if (!v128.any_true(v128.or(maxM, anyNegZero))) r |= ROW_M_ZERO;
  if (!v128.any_true(i32x4.ge_u(maxM, i32x4.splat(BELOW_2_125)))) r |= ROW_M_SUB;
  // −0 is not a fixed point: −0·β1 + 0 is +0.
  if (!v128.any_true(v128.or(i32x4.gt_u(maxM, i32x4.splat(mFix)), anyNegZero))) r |= ROW_M_FIXED;
  if (i32x4.all_true(i32x4.ge_u(minM, tiny))) r |= ROW_M_PLAIN;
  if (i32x4.all_true(i32x4.ge_u(minV, tiny))) r |= ROW_V_PLAIN;
  if (!v128.any_true(i32x4.ge_u(maxV, i32x4.splat(BELOW_2_125)))) r |= ROW_V_SUB;
  if (!v128.any_true(i32x4.gt_u(maxV, i32x4.splat(vFix)))) r |= ROW_V_FIXED;
  return r;
}

/**
 * One Adam row without gradient for a while: vectors whose update of p is provably below half an ulp of p only
 * decay their moments (|m| < |p|·kStill; see adamRows), tiny moments take the exact paths, the rest the full
 * update with g = +0. Returns OLD_V_ONLY when m is at its fixed point and p stays (only v changed), and OLD_STILL
 * when every lane was still (p stayed, the moments only decayed): rows that may go quiet (see adam-quiet.ts).
 */
// @ts-ignore: decorator
@inline export function oldRow(
  p: usize, g: usize, m: usize, v: usize, vecEnd: usize, shortcuts: bool, unit: bool,
  b1: f32, a1: f32, b2: f32, a2: f32, eps: f32, bc2: f32, step: f32, kStill: f32, mFix: i32, vFix: i32, tmp: usize,
): i32 {
  const vb1 = f32x4.splat(b1), vb2 = f32x4.splat(b2), veps = f32x4.splat(eps), vbc2 = bc2Inverse(bc2);
  const vstep = f32x4.splat(step), vk = f32x4.splat(kStill), zero = f32x4.splat(0);
  const db1 = f64x2.splat(<f64>b1), db2 = f64x2.splat(<f64>b2);
  if (shortcuts) {
    const kind = scanRow(p, m, v, vecEnd, vk, mFix, vFix);
    if ((kind & ROW_M_ZERO) || ((kind & ROW_M_FIXED) && (kind & ROW_STILL))) {
      // p and m stay: only v decays — in float32, or exactly through the subnormals, or not at all at its fixed point.
      if (kind & ROW_V_PLAIN) {
        for (let q: usize = 0; q < vecEnd; q += 16) v128.store(v + q, f32x4.add(f32x4.mul(v128.load(v + q), vb2), zero));
      } else if (kind & ROW_V_FIXED) {
        // nothing changes
      } else if (kind & ROW_V_SUB) {
        for (let q: usize = 0; q < vecEnd; q += 16) v128.store(v + q, decaySub(v128.load(v + q), vb2, db2));
      } else {
        for (let q: usize = 0; q < vecEnd; q += 16) v128.store(v + q, decayAny(v128.load(v + q), vb2, db2));
      }
      return (kind & ROW_STILL) == 0 ? 0 : (kind & ROW_M_FIXED) != 0 ? OLD_V_ONLY | OLD_STILL : OLD_STILL;
    }
    if ((kind & ROW_STILL) && (kind & ROW_V_PLAIN) && (kind & (ROW_M_SUB | ROW_M_PLAIN))) {
      if (kind & ROW_M_SUB) {
        // m on its way down through the subnormals to its fixed point: exact integer rounding, no float32
        // subnormal arithmetic.
        for (let q: usize = 0; q < vecEnd; q += 16) {
          v128.store(m + q, decaySub(v128.load(m + q), vb1, db1));
          v128.store(v + q, f32x4.add(f32x4.mul(v128.load(v + q), vb2), zero));
        }
      } else {
        for (let q: usize = 0; q < vecEnd; q += 16) {
          v128.store(m + q, f32x4.add(f32x4.mul(v128.load(m + q), vb1), zero));
          v128.store(v + q, f32x4.add(f32x4.mul(v128.load(v + q), vb2), zero));
        }
      }
      return OLD_STILL;
    }
    if (kind & ROW_STILL) {
      for (let q: usize = 0; q < vecEnd; q += 16) {
        v128.store(m + q, decayAny(v128.load(m + q), vb1, db1));
        v128.store(v + q, decayAny(v128.load(v + q), vb2, db2));
      }
      return OLD_STILL;
    }
  }
  for (let q: usize = 0; q < vecEnd; q += 16) {
    const M = v128.load(m + q), V = v128.load(v + q);
    const tiny = tinyMoments(M, V);
    if (shortcuts) {
      const P = v128.load(p + q);
      if (i32x4.all_true(stillLanes(P, M, V, kStill))) {
        // p stays; m·β1 + 0 and v·β2 + 0, exactly.
        if (v128.any_true(tiny)) {
          v128.store(m + q, decayAny(M, vb1, db1));
          v128.store(v + q, decayAny(V, vb2, db2));
        } else {
          v128.store(m + q, f32x4.add(f32x4.mul(M, vb1), zero));
          v128.store(v + q, f32x4.add(f32x4.mul(V, vb2), zero));
        }
        continue;
      }
    }
    if (v128.any_true(tiny)) {
      adamTiny(p + q, g + q, m + q, v + q, 0, 0, b1, a1, b2, a2, 0, eps, bc2, step, tmp);
      continue;
    }
    darkLanes(p + q, m + q, v + q, vb1, vb2, veps, vbc2, vstep, unit);
  }
  return 0;
}
