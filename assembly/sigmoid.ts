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

/** 32/ln 2: z·32/ln 2 rounded gives n, with z = n·ln 2/32 + r. */
const INV_STEP: f64 = 46.16624130844683;
/** ln 2 / 32 split as fdlibm splits ln 2: STEP_HI has 32 significant bits, so n·STEP_HI is exact for |n| < 2^21. */
const STEP_HI: f64 = 0.02166084938653512;
const STEP_LO: f64 = 5.9631716539705866e-12;
/** Beyond ±80, e^-x could leave float32's range (the reference's test for 0): such lanes go back to the caller. */
const LIMIT: f32 = 80;
const BELOW: f64 = 1 - 2.2737367544323206e-13; // 1 − 2^-42
const ABOVE: f64 = 1 + 2.2737367544323206e-13; // 1 + 2^-42

/** 2^(j/32) for j = 0..31, each the float64 nearest to it (computed to 50 digits). */
const POW2 = memory.data<f64>([
  1.0, 1.0218971486541166, 1.0442737824274138, 1.0671404006768237,
  1.0905077326652577, 1.1143867425958924, 1.1387886347566916, 1.1637248587775775,
  1.189207115002721, 1.215247359980469, 1.241857812073484, 1.2690509571917332,
  1.2968395546510096, 1.3252366431597413, 1.3542555469368927, 1.383909881963832,
  1.4142135623730951, 1.4451808069770467, 1.4768261459394993, 1.5091644275934228,
  1.5422108254079407, 1.5759808451078865, 1.6104903319492543, 1.645755478153965,
  1.681792830507429, 1.718619298122478, 1.7562521603732995, 1.7947090750031072,
  1.8340080864093424, 1.8741676341103, 1.9152065613971474, 1.9571441241754002,
]);

/**
 * The constants below as float64, in memory: the loop reads each once, before it starts. (Written as constants,
 * Binaryen folds them into every use, and V8 then builds each 128-bit constant anew in every iteration.)
 */
const K = memory.data<f64>([
  INV_STEP, STEP_HI, STEP_LO, BELOW, ABOVE, 1.0, 0.5, 1.0 / 6.0, 1.0 / 24.0, 1.0 / 120.0,
]);

// @ts-ignore: decorator
@inline function k(i: i32): v128 {
  return v128.load64_splat(K + (<usize>i << 3));
}

/**
 * Two float32 x (lanes 0 and 1 of `x`) to float32 sigmoids: lanes 0 and 1 of the result hold the rounded
 * y'·(1 − 2^-42), lanes 2 and 3 the rounded y'·(1 + 2^-42), where y' = 1 / (1 + e^-x) in float64 with e^z as
 * follows. z = n·ln 2/32 + r with n an integer and |r| ≤ ln 2/64 (+ rounding); with n = 32·q + j (0 ≤ j < 32),
 * e^z = 2^q · 2^(j/32) · e^r: 2^(j/32) from a table, 2^q added to its exponent bits (|z| ≤ 80, so |q| ≤ 116: a
 * normal float64), and e^r by its Taylor series to r^5 (truncation below 2^-48.7 relative, since
 * 0.01084^6 / 6! < 2^-48.7), in Estrin's order. With the roundings (the table's 2^-53 and a few more of the same
 * size), that is within 2^-48 of e^z, and fdlibm's Math.exp within 2^-52; so y' is within 2^-46 of the reference's
 * float64 y after its two roundings and ours.
 */
// @ts-ignore: decorator
@inline function bracket(
  x: v128, invStep: v128, hi: v128, lo: v128, below: v128, above: v128, one: v128, c2: v128, c3: v128, c4: v128, c5: v128,
): v128 {
  const z = f64x2.neg(f64x2.promote_low_f32x4(x));
  const n = f64x2.nearest(f64x2.mul(z, invStep));
  const r = f64x2.sub(f64x2.sub(z, f64x2.mul(n, hi)), f64x2.mul(n, lo));
  const ni = i32x4.trunc_sat_f64x2_s_zero(n);
  const j = v128.and(ni, i32x4.splat(31));
  const t = v128.load64_lane(POW2 + (<usize>i32x4.extract_lane(j, 1) << 3), v128.load64_zero(POW2 + (<usize>i32x4.extract_lane(j, 0) << 3)), 1);
  const scale = i64x2.add(t, i64x2.shl(i64x2.extend_low_i32x4_s(i32x4.shr_s(ni, 5)), 52));
  const r2 = f64x2.mul(r, r);
  const p = f64x2.add(
    f64x2.add(one, r),
    f64x2.mul(r2, f64x2.add(f64x2.add(c2, f64x2.mul(c3, r)), f64x2.mul(r2, f64x2.add(c4, f64x2.mul(c5, r))))),
  );
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
  const invStep = k(0), hi = k(1), lo = k(2), below = k(3), above = k(4), one = k(5), c2 = k(6);
  const c3 = k(7), c4 = k(8), c5 = k(9);
  let count = 0;
  for (let q: usize = 0; q < end; q += 16) {
    const X = v128.load(x + q);
    const l = bracket(X, invStep, hi, lo, below, above, one, c2, c3, c4, c5);
    const h = bracket(v128.shuffle<i32>(X, X, 2, 3, 2, 3), invStep, hi, lo, below, above, one, c2, c3, c4, c5);
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
