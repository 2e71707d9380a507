// The logistic sigmoid, forward and backward, with the reference's bits (src/kernels/ref/elementwise.ts).
//
// The reference computes each y = 1 / (1 + Math.exp(−x)) in float64 and rounds it to float32. Math.exp is V8's
// (fdlibm's), one value at a time. Here the float64 exp runs two lanes at a time (Cody–Waite reduction, Taylor
// polynomial of degree 12), giving y' within 2^-46 of the reference's float64 y (see expWide). Rounding to float32
// forgets that difference unless y is within 2^-42·y of a float32 rounding boundary: so y'·(1 − 2^-42) and
// y'·(1 + 2^-42), which bracket y, are both rounded, and when they agree that is the reference's float32 (rounding is
// monotone). Lanes where they differ (about one in 500,000 float32 inputs in range), with |x| > 80 or a NaN, are
// listed for the caller to compute with the reference's own formula and Math.exp; such a lane's output holds its x,
// so the caller reads x there even when the output is the input array.

const LOG2E: f64 = 1.4426950408889634;
/** ln 2 split as fdlibm does: LN2_HI has 32 significant bits, so n·LN2_HI is exact for |n| < 2^20. */
const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
/** Beyond ±80, e^-x could leave float64's normal range through the scaling below: such lanes go back to the caller. */
const LIMIT: f32 = 80;
const BELOW: f64 = 1 - 2.2737367544323206e-13; // 1 − 2^-42
const ABOVE: f64 = 1 + 2.2737367544323206e-13; // 1 + 2^-42

/**
 * The constants below as float64, in memory: the loop reads each once, before it starts. (Written as constants,
 * Binaryen folds them into every use, and V8 then builds each 128-bit constant anew in every iteration — half
 * the loop's instructions.)
 */
const K = memory.data<f64>([
  LOG2E, LN2_HI, LN2_LO, BELOW, ABOVE, 1.0, 0.5,
  1.0 / 6.0, 1.0 / 24.0, 1.0 / 120.0, 1.0 / 720.0, 1.0 / 5040.0, 1.0 / 40320.0,
  1.0 / 362880.0, 1.0 / 3628800.0, 1.0 / 39916800.0, 1.0 / 479001600.0,
]);

// @ts-ignore: decorator
@inline function k(i: i32): v128 {
  return v128.load64_splat(K + (<usize>i << 3));
}

/**
 * Two float32 x (lanes 0 and 1 of `x`) to float32 sigmoids: lanes 0 and 1 of the result hold the rounded
 * y'·(1 − 2^-42), lanes 2 and 3 the rounded y'·(1 + 2^-42), where y' = 1 / (1 + e^-x) in float64 with e^z as
 * follows. z = n·ln 2 + r with n an integer and |r| ≤ ln 2 / 2 (+ rounding); e^r by its Taylor series to r^12
 * (truncation below 2^-52 relative, since 0.3466^13 / 13! < 2^-52), in Estrin's order (a shorter chain of dependent
 * operations than Horner's); scaled by 2^n built from its bits (|z| ≤ 80, so |n| ≤ 116: a normal float64). With
 * the roundings, that is within about 2^-49 of e^z, and fdlibm's Math.exp within 2^-52; so y' is within 2^-46 of
 * the reference's float64 y after its two roundings and ours. (Measured: 2^-51.4 at most over 20 million draws.)
 */
// @ts-ignore: decorator
@inline function bracket(
  x: v128, log2e: v128, hi: v128, lo: v128, below: v128, above: v128, one: v128, c2: v128,
  c3: v128, c4: v128, c5: v128, c6: v128, c7: v128, c8: v128, c9: v128, c10: v128, c11: v128, c12: v128,
): v128 {
  const z = f64x2.neg(f64x2.promote_low_f32x4(x));
  const n = f64x2.nearest(f64x2.mul(z, log2e));
  const r = f64x2.sub(f64x2.sub(z, f64x2.mul(n, hi)), f64x2.mul(n, lo));
  const r2 = f64x2.mul(r, r), r4 = f64x2.mul(r2, r2), r8 = f64x2.mul(r4, r4);
  const p0_3 = f64x2.add(f64x2.add(one, r), f64x2.mul(r2, f64x2.add(c2, f64x2.mul(c3, r))));
  const p4_7 = f64x2.add(f64x2.add(c4, f64x2.mul(c5, r)), f64x2.mul(r2, f64x2.add(c6, f64x2.mul(c7, r))));
  const p8_11 = f64x2.add(f64x2.add(c8, f64x2.mul(c9, r)), f64x2.mul(r2, f64x2.add(c10, f64x2.mul(c11, r))));
  const p = f64x2.add(f64x2.add(p0_3, f64x2.mul(r4, p4_7)), f64x2.mul(r8, f64x2.add(p8_11, f64x2.mul(r4, c12))));
  const scale = i64x2.shl(i64x2.add(i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(n)), i64x2.splat(1023)), 52);
  const y = f64x2.div(one, f64x2.add(one, f64x2.mul(p, scale)));
  return v128.shuffle<i32>(f32x4.demote_f64x2_zero(f64x2.mul(y, below)), f32x4.demote_f64x2_zero(f64x2.mul(y, above)), 0, 1, 4, 5);
}

/**
 * y[i] = float32(1 / (1 + e^-x[i])) for i < n & ~3 (the caller does the rest). The indices of lanes left for the
 * caller (see above) go to `redo` (room for n & ~3 of them), and y there holds x; returns how many there are.
 * y may be x itself.
 */
export function sigmoidForward(x: usize, n: i32, y: usize, redo: usize): i32 {
  const end = <usize>(n & ~3) << 2;
  const limit = f32x4.splat(LIMIT);
  const log2e = k(0), hi = k(1), lo = k(2), below = k(3), above = k(4), one = k(5), c2 = k(6);
  const c3 = k(7), c4 = k(8), c5 = k(9), c6 = k(10), c7 = k(11), c8 = k(12);
  const c9 = k(13), c10 = k(14), c11 = k(15), c12 = k(16);
  let count = 0;
  for (let q: usize = 0; q < end; q += 16) {
    const X = v128.load(x + q);
    const l = bracket(X, log2e, hi, lo, below, above, one, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12);
    const h = bracket(v128.shuffle<i32>(X, X, 2, 3, 2, 3), log2e, hi, lo, below, above, one, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12);
    const rounded = v128.shuffle<i32>(l, h, 0, 1, 4, 5), up = v128.shuffle<i32>(l, h, 2, 3, 6, 7);
    // Equal bits (y > 0, so no −0 against +0) and |x| ≤ 80 (false for a NaN).
    const ok = v128.and(i32x4.eq(rounded, up), f32x4.le(f32x4.abs(X), limit));
    if (i32x4.all_true(ok)) {
      v128.store(y + q, rounded);
      continue;
    }
    v128.store(y + q, v128.bitselect(rounded, X, ok));
    const bad = ~i32x4.bitmask(ok) & 15;
    const first = <i32>(q >> 2);
    for (let lane = 0; lane < 4; lane++) {
      if (bad & (1 << lane)) {
        store<i32>(redo + (<usize>count << 2), first + lane);
        count++;
      }
    }
  }
  return count;
}

/** out[i] = g[i]·((1 − y[i])·y[i]) in float32, y being the sigmoid's output (the reference's order and roundings). */
export function sigmoidBackward(y: usize, g: usize, n: i32, out: usize): void {
  const end = <usize>(n & ~3) << 2;
  const one = f32x4.splat(1);
  for (let q: usize = 0; q < end; q += 16) {
    const Y = v128.load(y + q);
    v128.store(out + q, f32x4.mul(v128.load(g + q), f32x4.mul(f32x4.sub(one, Y), Y)));
  }
  for (let q = end; q < <usize>n << 2; q += 4) {
    const s = load<f32>(y + q);
    store<f32>(out + q, load<f32>(g + q) * ((1 - s) * s));
  }
}
