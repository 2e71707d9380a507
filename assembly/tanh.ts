// tanh in float32, with the reference's bits (src/kernels/ref/elementwise.ts: Math.tanh in float64, rounded to float32).
//
// tanh|x| = E / (E + 2) with E = e^(2|x|) − 1, in float64 lanes, and the sign of x put back (tanh is odd, as fdlibm's
// Math.tanh computes it). E comes from the reduction of exp-lanes.ts, 2|x| = n·ln 2/32 + r with n = 32·q + j, as
// E = 2^q·(2^(j/32)·(e^r − 1) + (2^(j/32) − 1)) + (2^q − 1): every term is positive or, for r < 0, at most half the
// one beside it, so nothing cancels, and e^r − 1 = r + r²·(1/2 + r/6 + … + r^5/5040) has no 1 to lose r against
// (truncation below 2^-61 relative). With the two tables' 2^-53 and a few roundings of the same size, tanh|x| is
// within 2^-49 of itself, and fdlibm's within 2^-51: so the two roundings of `bracket` enclose the reference's float64,
// and where they agree they are its float32. Lanes where they differ, and NaNs, are listed for the caller to compute
// with Math.tanh; such a lane's output holds its x. |x| is clamped to 20 first, where tanh is 1 in float32.
import { bracket, k, K_ABOVE, K_BELOW, K_C2, K_C3, K_C4, K_C5, K_HI, K_INV_STEP, K_LO, K_ONE, POW2, storeOrList } from './exp-lanes';

const LIMIT: f32 = 20;

/** 2^(j/32) − 1 for j = 0..31, each the float64 nearest to it (computed to 60 digits). */
const POW2_M1 = memory.data<f64>([
  0.0, 0.02189714865411668, 0.04427378242741384, 0.06714040067682361,
  0.09050773266525766, 0.11438674259589254, 0.13878863475669165, 0.1637248587775775,
  0.18920711500272105, 0.21524735998046887, 0.24185781207348406, 0.2690509571917332,
  0.29683955465100964, 0.32523664315974127, 0.3542555469368927, 0.38390988196383197,
  0.41421356237309503, 0.4451808069770466, 0.4768261459394993, 0.5091644275934227,
  0.5422108254079409, 0.5759808451078865, 0.6104903319492543, 0.6457554781539648,
  0.6817928305074291, 0.7186192981224779, 0.7562521603732995, 0.7947090750031072,
  0.8340080864093424, 0.8741676341102999, 0.9152065613971473, 0.9571441241754003,
]);

/** The Taylor coefficients beyond exp-lanes.ts's, and 2, read once before the loop. */
const TK = memory.data<f64>([1.0 / 720.0, 1.0 / 5040.0, 2.0]);

// @ts-ignore: decorator
@inline function tk(i: i32): v128 {
  return v128.load64_splat(TK + (<usize>i << 3));
}

/** tanh a for the two float64 lanes of a, 0 ≤ a ≤ 20 (see above). */
// @ts-ignore: decorator
@inline function tanhLanes(
  a: v128, invStep: v128, hi: v128, lo: v128, one: v128, c2: v128, c3: v128, c4: v128, c5: v128, c6: v128, c7: v128, two: v128,
): v128 {
  const z = f64x2.add(a, a);
  const n = f64x2.nearest(f64x2.mul(z, invStep));
  const r = f64x2.sub(f64x2.sub(z, f64x2.mul(n, hi)), f64x2.mul(n, lo));
  const ni = i32x4.trunc_sat_f64x2_s_zero(n);
  const j = v128.and(ni, i32x4.splat(31));
  const j0 = <usize>i32x4.extract_lane(j, 0) << 3;
  const j1 = <usize>i32x4.extract_lane(j, 1) << 3;
  const t = v128.load64_lane(POW2 + j1, v128.load64_zero(POW2 + j0), 1);
  const tm1 = v128.load64_lane(POW2_M1 + j1, v128.load64_zero(POW2_M1 + j0), 1);
  // 2^q: q added to the exponent bits of 1.
  const pq = i64x2.add(one, i64x2.shl(i64x2.extend_low_i32x4_s(i32x4.shr_s(ni, 5)), 52));
  const r2 = f64x2.mul(r, r);
  const poly = f64x2.add(
    f64x2.add(c2, f64x2.mul(c3, r)),
    f64x2.mul(r2, f64x2.add(f64x2.add(c4, f64x2.mul(c5, r)), f64x2.mul(r2, f64x2.add(c6, f64x2.mul(c7, r))))),
  );
  const em1 = f64x2.add(r, f64x2.mul(r2, poly));
  const e = f64x2.add(f64x2.mul(pq, f64x2.add(f64x2.mul(t, em1), tm1)), f64x2.sub(pq, one));
  return f64x2.div(e, f64x2.add(e, two));
}

/**
 * y[i] = float32(tanh x[i]) for i < n & ~3 (the caller does the rest). The indices of lanes left for the caller go
 * to `redo` (room for n & ~3 of them), and y there holds x; returns how many there are. y may be x itself.
 */
export function tanhForward(x: usize, n: i32, y: usize, redo: usize): i32 {
  const end = <usize>(n & ~3) << 2;
  const limit = f32x4.splat(LIMIT);
  const signBit = i32x4.splat(0x80000000);
  const invStep = k(K_INV_STEP), hi = k(K_HI), lo = k(K_LO), below = k(K_BELOW), above = k(K_ABOVE), one = k(K_ONE);
  const c2 = k(K_C2), c3 = k(K_C3), c4 = k(K_C4), c5 = k(K_C5), c6 = tk(0), c7 = tk(1), two = tk(2);
  let count = 0;
  for (let q: usize = 0; q < end; q += 16) {
    const X = v128.load(x + q);
    const A = f32x4.min(f32x4.abs(X), limit);
    const l = bracket(tanhLanes(f64x2.promote_low_f32x4(A), invStep, hi, lo, one, c2, c3, c4, c5, c6, c7, two), below, above);
    const h = bracket(tanhLanes(f64x2.promote_low_f32x4(v128.shuffle<i32>(A, A, 2, 3, 2, 3)), invStep, hi, lo, one, c2, c3, c4, c5, c6, c7, two), below, above);
    const rounded = v128.shuffle<i32>(l, h, 0, 1, 4, 5), up = v128.shuffle<i32>(l, h, 2, 3, 6, 7);
    // Equal bits (tanh|x| ≥ 0, so no −0 against +0), and x not a NaN; then x's sign (−0 stays −0).
    const ok = v128.and(i32x4.eq(rounded, up), f32x4.eq(X, X));
    count = storeOrList(y + q, v128.or(rounded, v128.and(X, signBit)), X, ok, redo, <i32>(q >> 2), count);
  }
  return count;
}
