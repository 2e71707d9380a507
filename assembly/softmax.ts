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
  // y · 2^k by the exponent's bits, as fdlibm adds k << 20 to the high word.
  if (k >= -1021) return reinterpret<f64>(reinterpret<i64>(y) + (<i64>k << 52));
  return reinterpret<f64>(reinterpret<i64>(y) + (<i64>(k + 1000) << 52)) * TWO_M1000;
}

/** e^x by the kernels' port of fdlibm (for the tests: Math.exp's bits). */
export function fdlibmExpF64(x: f64): f64 {
  return fdlibmExp(x);
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
  for (let r = 0; r < rows; r++) {
    const row = x + <usize>r * rowBytes;
    const m = rowMax(row, n);
    let s: f64 = 0;
    if (log !== 0) {
      for (let q: usize = 0; q < rowBytes; q += 4) s += fdlibmExp(<f64>load<f32>(row + q) - m);
      const at = stats + (<usize>r << 4);
      store<f64>(at, m);
      store<f64>(at, s, 8);
    } else {
      for (let q: usize = 0; q < rowBytes; q += 4) {
        const v = fdlibmExp(<f64>load<f32>(row + q) - m);
        store<f64>(e + (q << 1), v);
        s += v;
      }
      const dst = out + <usize>r * rowBytes;
      for (let q: usize = 0; q < rowBytes; q += 4) store<f32>(dst + q, <f32>(load<f64>(e + (q << 1)) / s));
    }
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
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rowBytes;
    let s: f64 = 0;
    for (let q: usize = 0; q < rowBytes; q += 4) s += <f64>load<f32>(g + off + q);
    for (let q: usize = 0; q < rowBytes; q += 4) {
      const p = off + q;
      store<f32>(gx + p, <f32>(<f64>load<f32>(g + p) - fdlibmExp(<f64>load<f32>(y + p)) * s));
    }
  }
}
