// Softmax and log-softmax over rows (the last dimension of a contiguous tensor), with the reference's bits
// (src/kernels/ref/reduce.ts's softmax) and its order: each row's max as its loop finds it (a NaN never wins), then
// e^(x − max) by fdlibm's exp, summed in float64 from the first; softmax divides each kept e^(x − max) by the sum in
// float64, log-softmax writes (x − max) − log(sum), the log taken by the caller (Math.log) between two calls.
//
// fdlibm's __ieee754_exp is the algorithm of V8's Math.exp (src/base/ieee754.cc). It is ported here operation for
// operation, with V8's one change (e^1 is Math.E): float64 +, −, × and ÷ round the same in WebAssembly as in C, and
// nothing is fused, so each value is Math.exp's, bit for bit (test/kernels/softmax-wasm.test.ts checks it).

const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.44269504088896338700e+00;
const O_THRESHOLD: f64 = 7.09782712893383973096e+02;
const U_THRESHOLD: f64 = -7.45133219101941108420e+02;
const P1: f64 = 1.66666666666666019037e-01;
const P2: f64 = -2.77777777770155933842e-03;
const P3: f64 = 6.61375632143793436117e-05;
const P4: f64 = -1.65339022054652515390e-06;
const P5: f64 = 4.13813679705723846039e-08;
const TWO_M1000: f64 = 9.33263618503218878990e-302;
const E: f64 = 2.718281828459045;

/** e^x as fdlibm computes it. */
// @ts-ignore: decorator
@inline
function fdlibmExp(x: f64): f64 {
  const bits = reinterpret<i64>(x);
  const high = <i32>(bits >>> 32);
  const negative = high < 0;
  const hx = high & 0x7fffffff;
  if (hx >= 0x40862e42) {
    // |x| ≥ 709.78…: NaN, ±∞, overflow and underflow.
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | <i32>bits) !== 0) return x + x;
      return negative ? 0 : x;
    }
    if (x > O_THRESHOLD) return Infinity;
    if (x < U_THRESHOLD) return 0;
  }
  let hi: f64 = 0;
  let lo: f64 = 0;
  let k: i32 = 0;
  if (hx > 0x3fd62e42) {
    // |x| > ln2/2: x = k·ln2 + r, with r = hi − lo.
    if (hx < 0x3ff0a2b2) {
      // V8 returns Math.E for e^1, where fdlibm's arithmetic gives the float64 above it.
      if (x === 1) return E;
      hi = negative ? x + LN2_HI : x - LN2_HI;
      lo = negative ? -LN2_LO : LN2_LO;
      k = negative ? -1 : 1;
    } else {
      k = <i32>(INV_LN2 * x + (negative ? -0.5 : 0.5));
      const t = <f64>k;
      hi = x - t * LN2_HI;
      lo = t * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    // |x| < 2^-28 (fdlibm's `huge + x > one` holds for every such x).
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2.0) - x);
  const y = 1 - ((lo - (x * c) / (2.0 - c)) - hi);
  // y · 2^k by the exponent's bits, as fdlibm adds k << 20 to the high word. (V8 computes k = 1024 as y·2·2^1023; the
  // two agree, since x ≤ 709.78… makes y < 1 there, so y·2^1024 is finite and exact either way.)
  if (k >= -1021) return reinterpret<f64>(reinterpret<i64>(y) + (<i64>k << 52));
  return reinterpret<f64>(reinterpret<i64>(y) + (<i64>(k + 1000) << 52)) * TWO_M1000;
}

/** e^x by the kernels' port of fdlibm (for the tests: Math.exp's bits). */
export function fdlibmExpF64(x: f64): f64 {
  return fdlibmExp(x);
}

/**
 * fdlibmExp2's constants in memory, each loaded where it is used: written as constants, Binaryen folds them into every
 * use, and V8 then builds each 128-bit constant anew in every iteration (as exp-lanes.ts found).
 */
const CF = memory.data<f64>([INV_LN2, 0.5, LN2_HI, LN2_LO, P1, P2, P3, P4, P5, 2.0, 1.0, E, -1021, 0]);
const CI = memory.data<i64>([0x7fffffff, i64.MIN_VALUE, 0x3fd62e42, 0x3e300000, 0x40862e42]);

// @ts-ignore: decorator
@inline function cf(i: i32): v128 {
  return v128.load64_splat(CF + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline function ci(i: i32): v128 {
  return v128.load64_splat(CI + (<usize>i << 3));
}

/**
 * fdlibmExp of both lanes, branch-free: every lane takes the general reduction x = k·ln2 + (hi − lo), with k = 0 where
 * |x| ≤ ln2/2 (there fdlibm's own formula, 1 − ((x·c)/(c − 2) − x), is the general one's with hi = x and lo = 0: the
 * same operations on the same values); |x| < 2^-28 gives 1 + x, and e^1 Math.E. Lanes past the thresholds of
 * overflow and underflow, ±∞, NaN and results scaled below 2^-1021 are computed one at a time by fdlibmExp.
 */
// @ts-ignore: decorator
@inline
function fdlibmExp2(x: v128): v128 {
  const hx = v128.and(i64x2.shr_u(x, 32), ci(0));
  const negative = v128.and(x, ci(1));
  // fdlibm's k: 0 up to high word 0x3fd62e42, else trunc(x/ln2 ± 1/2). (fdlibm sets k = ±1 outright below 1.5·ln2;
  // the formula gives ±1 there too, as such x lie at least 2^-29 of themselves inside (ln2/2, 1.5·ln2).)
  const rounded = f64x2.trunc(f64x2.add(f64x2.mul(x, cf(0)), v128.or(cf(1), negative)));
  const k = v128.bitselect(cf(13), rounded, i64x2.le_s(hx, ci(2)));
  const hi = f64x2.sub(x, f64x2.mul(k, cf(2)));
  const lo = f64x2.mul(k, cf(3));
  const r = f64x2.sub(hi, lo);
  const t = f64x2.mul(r, r);
  let p = f64x2.add(cf(7), f64x2.mul(t, cf(8)));
  p = f64x2.add(cf(6), f64x2.mul(t, p));
  p = f64x2.add(cf(5), f64x2.mul(t, p));
  p = f64x2.add(cf(4), f64x2.mul(t, p));
  const c = f64x2.sub(r, f64x2.mul(t, p));
  const q = f64x2.div(f64x2.mul(r, c), f64x2.sub(cf(9), c));
  const y = f64x2.sub(cf(10), f64x2.sub(f64x2.sub(lo, q), hi));
  const ki = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k));
  let e = i64x2.add(y, i64x2.shl(ki, 52));
  e = v128.bitselect(f64x2.add(cf(10), x), e, i64x2.lt_s(hx, ci(3)));
  e = v128.bitselect(cf(11), e, f64x2.eq(x, cf(10)));
  const odd = v128.or(i64x2.ge_s(hx, ci(4)), f64x2.lt(k, cf(12)));
  if (v128.any_true(odd)) {
    if (i64x2.extract_lane(odd, 0) !== 0) e = f64x2.replace_lane(e, 0, fdlibmExp(f64x2.extract_lane(x, 0)));
    if (i64x2.extract_lane(odd, 1) !== 0) e = f64x2.replace_lane(e, 1, fdlibmExp(f64x2.extract_lane(x, 1)));
  }
  return e;
}

/** fdlibmExp2 of the pair (a, b) into out (for the tests: the pairs' bits, odd lanes included). */
export function fdlibmExpPair(a: f64, b: f64, out: usize): void {
  v128.store(out, fdlibmExp2(f64x2.replace_lane(f64x2.splat(a), 1, b)));
}

/** The max of a row of n float32 values as the reference's loop finds it: −∞ to start, replaced by any larger value. */
// @ts-ignore: decorator
@inline
function rowMax(row: usize, n: i32): f64 {
  let m: f64 = -Infinity;
  const end = row + (<usize>n << 2);
  for (let p = row; p < end; p += 4) {
    const v = <f64>load<f32>(p);
    if (v > m) m = v;
  }
  return m;
}

/**
 * Over `rows` rows of n values at x: softmax into out (log 0), each e^(x − max) kept in `e` (n float64s) for its
 * division; or, for log-softmax (log 1), each row's max and sum of e^(x − max) into `stats` (two float64s a row),
 * for the caller to replace the sum by its log and call logSoftmaxRows. out must not overlap x.
 */
export function softmaxRows(x: usize, rows: i32, n: i32, out: usize, e: usize, stats: usize, log: i32): void {
  const rowBytes = <usize>n << 2;
  const pairs = <usize>(n & ~1) << 2;
  for (let r = 0; r < rows; r++) {
    const row = x + <usize>r * rowBytes;
    const m = rowMax(row, n);
    const mm = f64x2.splat(m);
    let s: f64 = 0;
    // Two neighbours at a time through fdlibmExp2, added to the sum one after the other.
    for (let q: usize = 0; q < pairs; q += 8) {
      const v = fdlibmExp2(f64x2.sub(f64x2.promote_low_f32x4(v128.load64_zero(row + q)), mm));
      if (log === 0) v128.store(e + (q << 1), v);
      s += f64x2.extract_lane(v, 0);
      s += f64x2.extract_lane(v, 1);
    }
    if (pairs < rowBytes) {
      const v = fdlibmExp(<f64>load<f32>(row + pairs) - m);
      if (log === 0) store<f64>(e + (pairs << 1), v);
      s += v;
    }
    if (log !== 0) {
      const at = stats + (<usize>r << 4);
      store<f64>(at, m);
      store<f64>(at, s, 8);
      continue;
    }
    const dst = out + <usize>r * rowBytes;
    const ss = f64x2.splat(s);
    for (let q: usize = 0; q < pairs; q += 8) v128.store64_lane(dst + q, f32x4.demote_f64x2_zero(f64x2.div(v128.load(e + (q << 1)), ss)), 0);
    if (pairs < rowBytes) store<f32>(dst + pairs, <f32>(load<f64>(e + (pairs << 1)) / s));
  }
}

/** out = (x − max) − logSum for each row, from `stats` (max, log of the sum: two float64s a row). */
export function logSoftmaxRows(x: usize, rows: i32, n: i32, stats: usize, out: usize): void {
  const rowBytes = <usize>n << 2;
  for (let r = 0; r < rows; r++) {
    const at = stats + (<usize>r << 4);
    const m = load<f64>(at);
    const ls = load<f64>(at, 8);
    const row = x + <usize>r * rowBytes;
    const dst = out + <usize>r * rowBytes;
    for (let q: usize = 0; q < rowBytes; q += 4) store<f32>(dst + q, <f32>((<f64>load<f32>(row + q) - m) - ls));
  }
}

/** Log-softmax's backward over rows: gx = g − e^y · Σ g, the sum of each row's g in float64 in order. */
export function logSoftmaxBackwardRows(y: usize, g: usize, rows: i32, n: i32, gx: usize): void {
  const rowBytes = <usize>n << 2;
  const pairs = <usize>(n & ~1) << 2;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rowBytes;
    let s: f64 = 0;
    for (let q: usize = 0; q < rowBytes; q += 4) s += <f64>load<f32>(g + off + q);
    const ss = f64x2.splat(s);
    for (let q: usize = 0; q < pairs; q += 8) {
      const p = off + q;
      const ey = fdlibmExp2(f64x2.promote_low_f32x4(v128.load64_zero(y + p)));
      const d = f64x2.sub(f64x2.promote_low_f32x4(v128.load64_zero(g + p)), f64x2.mul(ey, ss));
      v128.store64_lane(gx + p, f32x4.demote_f64x2_zero(d), 0);
    }
    if (pairs < rowBytes) {
      const p = off + pairs;
      store<f32>(gx + p, <f32>(<f64>load<f32>(g + p) - fdlibmExp(<f64>load<f32>(y + p)) * s));
    }
  }
}
