// e^z in float64 lanes, close enough to V8's Math.exp (fdlibm's) that float32 results built on it can be checked
// against the reference's: the kernels of sigmoid.ts and exp.ts round each result twice, from slightly below and from
// slightly above (`bracket`), and keep it only where the two agree.

/** 32/ln 2: z·32/ln 2 rounded gives n, with z = n·ln 2/32 + r. */
const INV_STEP: f64 = 46.16624130844683;
/** ln 2 / 32 split as fdlibm splits ln 2: STEP_HI has 32 significant bits, so n·STEP_HI is exact for |n| < 2^21. */
const STEP_HI: f64 = 0.02166084938653512;
const STEP_LO: f64 = 5.9631716539705866e-12;
const BELOW: f64 = 1 - 2.2737367544323206e-13; // 1 − 2^-42
const ABOVE: f64 = 1 + 2.2737367544323206e-13; // 1 + 2^-42

/** 2^(j/32) for j = 0..31, each the float64 nearest to it (computed to 50 digits). */
export const POW2 = memory.data<f64>([
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

/** Indices into K, for k(): the loop's constants, each loaded once before it. */
export const K_INV_STEP = 0;
export const K_HI = 1;
export const K_LO = 2;
export const K_BELOW = 3;
export const K_ABOVE = 4;
export const K_ONE = 5;
export const K_C2 = 6;
export const K_C3 = 7;
export const K_C4 = 8;
export const K_C5 = 9;

// @ts-ignore: decorator
@inline export function k(i: i32): v128 {
  return v128.load64_splat(K + (<usize>i << 3));
}

/**
 * e^z for the two float64 lanes of z, |z| ≤ 104. z = n·ln 2/32 + r with n an integer and |r| ≤ ln 2/64 (+ rounding);
 * with n = 32·q + j (0 ≤ j < 32), e^z = 2^q · 2^(j/32) · e^r: 2^(j/32) from a table, 2^q added to its exponent bits
 * (|q| ≤ 151: a normal float64), and e^r by its Taylor series to r^5 (truncation below 2^-48.7 relative, since
 * 0.01084^6 / 6! < 2^-48.7), in Estrin's order. With the roundings (the table's 2^-53 and a few more of the same
 * size), that is within 2^-48 of e^z, and fdlibm's Math.exp within 2^-52.
 */
// @ts-ignore: decorator
@inline export function expLanes(z: v128, invStep: v128, hi: v128, lo: v128, one: v128, c2: v128, c3: v128, c4: v128, c5: v128): v128 {
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
  return f64x2.mul(p, scale);
}

/**
 * Two float64 lanes y' to float32, twice: lanes 0 and 1 of the result hold the rounded y'·(1 − 2^-42), lanes 2 and 3
 * the rounded y'·(1 + 2^-42). Where y' is within 2^-46 of the reference's float64 y, the two bracket y; where they
 * agree, rounding being monotone, they are the reference's float32.
 */
// @ts-ignore: decorator
@inline export function bracket(y: v128, below: v128, above: v128): v128 {
  return v128.shuffle<i32>(f32x4.demote_f64x2_zero(f64x2.mul(y, below)), f32x4.demote_f64x2_zero(f64x2.mul(y, above)), 0, 1, 4, 5);
}

/**
 * Stores four results where `ok` is set, and x (the lane's input) elsewhere, listing those lanes' indices in `redo`
 * from `count`; returns the new count. Element `first` is the vector's first.
 */
// @ts-ignore: decorator
@inline export function storeOrList(y: usize, rounded: v128, X: v128, ok: v128, redo: usize, first: i32, count: i32): i32 {
  if (i32x4.all_true(ok)) {
    v128.store(y, rounded);
    return count;
  }
  v128.store(y, v128.bitselect(rounded, X, ok));
  const bad = ~i32x4.bitmask(ok) & 15;
  for (let lane = 0; lane < 4; lane++) {
    if (bad & (1 << lane)) {
      store<i32>(redo + (<usize>count << 2), first + lane);
      count++;
    }
  }
  return count;
}
