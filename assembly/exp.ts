// e^x in float32, with the reference's bits (src/kernels/ref/elementwise.ts: Math.exp in float64, rounded to float32).
//
// e^x runs in float64 lanes (exp-lanes.ts), within 2^-48 of e^x, and V8's Math.exp (fdlibm's) is within 2^-52 of it:
// so the two roundings of `bracket` enclose the reference's float64, and where they agree they are its float32. Lanes
// where they differ (a result within about 2^-42 of a float32 rounding boundary) and NaNs are listed for the caller to
// compute with Math.exp; such a lane's output holds its x. x is clamped to [−104, 89] first: e^89 is beyond float32's
// largest value and e^−104 below half its smallest subnormal, so the clamped lanes round to ∞ and +0 as the reference
// does, and every 2^q stays a normal float64.
import { bracket, expLanes, k, K_ABOVE, K_BELOW, K_C2, K_C3, K_C4, K_C5, K_HI, K_INV_STEP, K_LO, K_ONE, storeOrList } from './exp-lanes';

const LOW: f32 = -104;
const HIGH: f32 = 89;

/**
 * y[i] = float32(e^x[i]) for i < n & ~3 (the caller does the rest). The indices of lanes left for the caller go to
 * `redo` (room for n & ~3 of them), and y there holds x; returns how many there are. y may be x itself.
 */
export function expForward(x: usize, n: i32, y: usize, redo: usize): i32 {
  const end = <usize>(n & ~3) << 2;
  const low = f32x4.splat(LOW), high = f32x4.splat(HIGH);
  const invStep = k(K_INV_STEP), hi = k(K_HI), lo = k(K_LO), below = k(K_BELOW), above = k(K_ABOVE), one = k(K_ONE);
  const c2 = k(K_C2), c3 = k(K_C3), c4 = k(K_C4), c5 = k(K_C5);
  let count = 0;
  for (let q: usize = 0; q < end; q += 16) {
    const X = v128.load(x + q);
    const C = f32x4.max(f32x4.min(X, high), low);
    const l = bracket(expLanes(f64x2.promote_low_f32x4(C), invStep, hi, lo, one, c2, c3, c4, c5), below, above);
    const h = bracket(expLanes(f64x2.promote_low_f32x4(v128.shuffle<i32>(C, C, 2, 3, 2, 3)), invStep, hi, lo, one, c2, c3, c4, c5), below, above);
    const rounded = v128.shuffle<i32>(l, h, 0, 1, 4, 5), up = v128.shuffle<i32>(l, h, 2, 3, 6, 7);
    // Equal bits (e^x ≥ 0, so no −0 against +0), and x not a NaN.
    const ok = v128.and(i32x4.eq(rounded, up), f32x4.eq(X, X));
    count = storeOrList(y + q, rounded, X, ok, redo, <i32>(q >> 2), count);
  }
  return count;
}
