// Layer normalisation over rows of `n` floats, forward: the operations of src/kernels/ref/layer-norm.ts in the same
// order and precision, so both backends give the same bits. Each row's sums run in float64, in order
// (layer-norm-stats.ts); the outputs are computed in float64 where the reference rounds only at the end, and in
// float32 lanes where that gives the same roundings. A pointer of 0 stands for an absent array. The backward pass is
// in layer-norm-backward.ts.
import { promoteHigh } from './layer-norm-lanes';
import { stats1, stats4, stats8 } from './layer-norm-stats';

/**
 * y = (x − mean) · rstd · w + b per row (biased variance), with each row's mean and rstd = 1 / sqrt(var + eps)
 * (both rounded to float32) stored, and xhat = (x − mean) · rstd when `xhat` is not 0.
 */
export function layerNormForward(
  x: usize, rows: i32, n: i32, w: usize, b: usize, eps: f64, y: usize, xhat: usize, mean: usize, rstd: usize,
): void {
  const rowBytes = <usize>n << 2;
  let r = 0;
  // Eight rows at a time, then four, one float64 lane each: every row's sums are still in order (the same bits),
  // but independent sums share the adder's wait.
  for (; r + 8 <= rows; r += 8) {
    stats8(x + <usize>r * rowBytes, n, eps, mean + (<usize>r << 2), rstd + (<usize>r << 2));
    for (let k = r; k < r + 8; k++) normalizeRow(x, k, n, w, b, y, xhat, mean, rstd);
  }
  for (; r + 4 <= rows; r += 4) {
    stats4(x + <usize>r * rowBytes, n, eps, mean + (<usize>r << 2), rstd + (<usize>r << 2));
    for (let k = r; k < r + 4; k++) normalizeRow(x, k, n, w, b, y, xhat, mean, rstd);
  }
  for (; r < rows; r++) {
    stats1(x + <usize>r * rowBytes, n, eps, mean + (<usize>r << 2), rstd + (<usize>r << 2));
    normalizeRow(x, r, n, w, b, y, xhat, mean, rstd);
  }
}

/**
 * Row r's outputs (and xhat) from its stored float32 mean and rstd. xhat is computed in float64 as the reference
 * does; y = xhat·w + b then in float32 lanes: xhat·w is exact in float64 (two 24-bit significands), so the
 * reference's fround of it is the float32 product, and the reference's float64 sum of two float32 values rounded
 * to float32 is the float32 sum (double rounding is innocuous for a sum when 53 ≥ 2·24 + 1).
 */
function normalizeRow(x: usize, r: i32, n: i32, w: usize, b: usize, y: usize, xhat: usize, mean: usize, rstd: usize): void {
  const quads = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  const zero = f32x4.splat(0);
  const o = <usize>r * <usize>n << 2;
  const xr = x + o;
  const m32 = <f64>load<f32>(mean + (<usize>r << 2));
  const rs = <f64>load<f32>(rstd + (<usize>r << 2));
  const vm = f64x2.splat(m32), vrs = f64x2.splat(rs);
  const yr = y + o, hr = xhat + o;
  let i: usize = 0;
  for (; i < quads; i += 16) {
    const X = v128.load(xr + i);
    const lo = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.sub(f64x2.promote_low_f32x4(X), vm), vrs));
    const hi = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.sub(promoteHigh(X), vm), vrs));
    const h = v128.shuffle<i32>(lo, hi, 0, 1, 4, 5);
    if (xhat != 0) v128.store(hr + i, h);
    let out = h;
    if (w != 0) out = f32x4.add(f32x4.mul(h, v128.load(w + i)), b == 0 ? zero : v128.load(b + i));
    else if (b != 0) out = f32x4.add(h, v128.load(b + i));
    v128.store(yr + i, out);
  }
  for (; i < end; i += 4) {
    const h = <f64><f32>((<f64>load<f32>(xr + i) - m32) * rs);
    if (xhat != 0) store<f32>(hr + i, <f32>h);
    let out = h;
    if (w != 0) out = <f64><f32>(h * <f64>load<f32>(w + i)) + (b == 0 ? 0.0 : <f64>load<f32>(b + i));
    else if (b != 0) out = h + <f64>load<f32>(b + i);
    store<f32>(yr + i, <f32>out);
  }
}
