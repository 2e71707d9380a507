// The logistic sigmoid, forward and backward, with the reference's bits (src/kernels/ref/elementwise.ts).
//
// The reference computes each y = 1 / (1 + Math.exp(−x)) in float64 and rounds it to float32. Math.exp is V8's
// (fdlibm's), one value at a time. Here the float64 exp runs two lanes at a time (Cody–Waite reduction by ln 2/32,
// a table of 2^(j/32), Taylor polynomial of degree 5), giving y' within 2^-46 of the reference's float64 y (see
// bracket). Rounding to float32 forgets that difference unless y is within 2^-42·y of a float32 rounding boundary:
// so y'·(1 − 2^-42) and y'·(1 + 2^-42), which bracket y, are both rounded, and when they agree that is the
// reference's float32 (rounding is monotone). Lanes where they differ (4,470 of the 2.24 billion float32 inputs in
// range, one in 500,000), with |x| > 80 or a NaN, are listed for the caller to compute with the reference's own
// formula and Math.exp; such a lane's output holds its x, so the caller reads x there even when the output is the
// input array.

import { bracket, expLanes, k, K_ABOVE, K_BELOW, K_C2, K_C3, K_C4, K_C5, K_HI, K_INV_STEP, K_LO, K_ONE, storeOrList } from './exp-lanes';

/** Beyond ±80, e^-x could leave float32's range (the reference's test for 0): such lanes go back to the caller. */
const LIMIT: f32 = 80;

/**
 * Two float32 x (lanes 0 and 1 of `x`) to float32 sigmoids, bracketed (see exp-lanes.ts): y' = 1 / (1 + e^-x) in
 * float64, with e^-x within 2^-48 of e^-x and fdlibm's Math.exp within 2^-52, so y' is within 2^-46 of the
 * reference's float64 y after its two roundings and ours.
 */
// @ts-ignore: decorator
@inline function sigmoidLanes(
  x: v128, invStep: v128, hi: v128, lo: v128, below: v128, above: v128, one: v128, c2: v128, c3: v128, c4: v128, c5: v128,
): v128 {
  const e = expLanes(f64x2.neg(f64x2.promote_low_f32x4(x)), invStep, hi, lo, one, c2, c3, c4, c5);
  return bracket(f64x2.div(one, f64x2.add(one, e)), below, above);
}

/**
 * y[i] = float32(1 / (1 + e^-x[i])) for i < n & ~3 (the caller does the rest). The indices of lanes left for the
 * caller (see above) go to `redo` (room for n & ~3 of them), and y there holds x; returns how many there are.
 * y may be x itself.
 */
export function sigmoidForward(x: usize, n: i32, y: usize, redo: usize): i32 {
  const end = <usize>(n & ~3) << 2;
  const limit = f32x4.splat(LIMIT);
  const invStep = k(K_INV_STEP), hi = k(K_HI), lo = k(K_LO), below = k(K_BELOW), above = k(K_ABOVE), one = k(K_ONE);
  const c2 = k(K_C2), c3 = k(K_C3), c4 = k(K_C4), c5 = k(K_C5);
  let count = 0;
  for (let q: usize = 0; q < end; q += 16) {
    const X = v128.load(x + q);
    const l = sigmoidLanes(X, invStep, hi, lo, below, above, one, c2, c3, c4, c5);
    const h = sigmoidLanes(v128.shuffle<i32>(X, X, 2, 3, 2, 3), invStep, hi, lo, below, above, one, c2, c3, c4, c5);
    const rounded = v128.shuffle<i32>(l, h, 0, 1, 4, 5), up = v128.shuffle<i32>(l, h, 2, 3, 6, 7);
    // Equal bits (y > 0, so no −0 against +0) and |x| ≤ 80 (false for a NaN).
    const ok = v128.and(i32x4.eq(rounded, up), f32x4.le(f32x4.abs(X), limit));
    count = storeOrList(y + q, rounded, X, ok, redo, <i32>(q >> 2), count);
  }
  return count;
}

/**
 * out[i] = (g[i]·(1 − y[i]))·y[i] in float32, y being the sigmoid's output: PyTorch's order (its sigmoid_backward
 * computes a * (1 - b) * b) and roundings, as the reference's.
 */
export function sigmoidBackward(y: usize, g: usize, n: i32, out: usize): void {
  const end = <usize>(n & ~3) << 2;
  const one = f32x4.splat(1);
  for (let q: usize = 0; q < end; q += 16) {
    const Y = v128.load(y + q);
    v128.store(out + q, f32x4.mul(f32x4.mul(v128.load(g + q), f32x4.sub(one, Y)), Y));
  }
  for (let q = end; q < <usize>n << 2; q += 4) {
    const s = load<f32>(y + q);
    store<f32>(out + q, (load<f32>(g + q) * (1 - s)) * s);
  }
}
