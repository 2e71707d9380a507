// Each row's mean and rstd for layer normalisation (see layer-norm.ts): the reference's float64 sums, each row's in
// order, several rows at a time, one float64 lane each (independent sums share the adder's wait; every row's sum
// still adds its elements in the reference's order, so the bits are the same).
import { gather4, promoteHigh, store2 } from './layer-norm-lanes';

/** Two float64 lanes of sums over n: the mean, rounded to float32, and rstd = 1 / sqrt(var / n + eps), stored at mr, rr. */
// @ts-ignore: decorator
@inline function storeStats(mr: usize, rr: usize, m: v128, v: v128, vn: v128, eps: f64): void {
  store2(mr, m);
  store2(rr, f64x2.div(f64x2.splat(1), f64x2.sqrt(f64x2.add(f64x2.div(v, vn), f64x2.splat(eps)))));
}

/** s plus the four elements of the rows a and b (one float64 lane each), in order. */
// @ts-ignore: decorator
@inline function sum4(s: v128, a: v128, b: v128): v128 {
  const lo = v128.shuffle<f32>(a, b, 0, 4, 1, 5), hi = v128.shuffle<f32>(a, b, 2, 6, 3, 7);
  return f64x2.add(f64x2.add(f64x2.add(f64x2.add(s, f64x2.promote_low_f32x4(lo)), promoteHigh(lo)), f64x2.promote_low_f32x4(hi)), promoteHigh(hi));
}

/** s + d·d with d = x − m. */
// @ts-ignore: decorator
@inline function addSquare(s: v128, x: v128, m: v128): v128 {
  const d = f64x2.sub(x, m);
  return f64x2.add(s, f64x2.mul(d, d));
}

/** s plus the squared differences from m of the four elements of the rows a and b (one float64 lane each), in order. */
// @ts-ignore: decorator
@inline function squares4(s: v128, a: v128, b: v128, m: v128): v128 {
  const lo = v128.shuffle<f32>(a, b, 0, 4, 1, 5), hi = v128.shuffle<f32>(a, b, 2, 6, 3, 7);
  const t = addSquare(addSquare(s, f64x2.promote_low_f32x4(lo), m), promoteHigh(lo), m);
  return addSquare(addSquare(t, f64x2.promote_low_f32x4(hi), m), promoteHigh(hi), m);
}

/**
 * Mean and rstd of the eight rows at xr, one float64 lane each (each row's sums in order): four elements of each
 * row loaded at once and dealt out to the lanes by shuffles, the last n mod 4 gathered.
 */
export function stats8(xr: usize, n: i32, eps: f64, mr: usize, rr: usize): void {
  const end = <usize>n << 2;
  const quads = <usize>(n & ~3) << 2;
  const rb = end;
  const x2 = xr + (rb << 1), x4 = xr + (rb << 2), x6 = x4 + (rb << 1);
  const vn = f64x2.splat(<f64>n);
  let m0 = f64x2.splat(0), m1 = f64x2.splat(0), m2 = f64x2.splat(0), m3 = f64x2.splat(0);
  let i: usize = 0;
  for (; i < quads; i += 16) {
    m0 = sum4(m0, v128.load(xr + i), v128.load(xr + rb + i));
    m1 = sum4(m1, v128.load(x2 + i), v128.load(x2 + rb + i));
    m2 = sum4(m2, v128.load(x4 + i), v128.load(x4 + rb + i));
    m3 = sum4(m3, v128.load(x6 + i), v128.load(x6 + rb + i));
  }
  for (; i < end; i += 4) {
    const v = gather4(xr + i, rb), u = gather4(x4 + i, rb);
    m0 = f64x2.add(m0, f64x2.promote_low_f32x4(v));
    m1 = f64x2.add(m1, promoteHigh(v));
    m2 = f64x2.add(m2, f64x2.promote_low_f32x4(u));
    m3 = f64x2.add(m3, promoteHigh(u));
  }
  m0 = f64x2.div(m0, vn);
  m1 = f64x2.div(m1, vn);
  m2 = f64x2.div(m2, vn);
  m3 = f64x2.div(m3, vn);
  let v0 = f64x2.splat(0), v1 = f64x2.splat(0), v2 = f64x2.splat(0), v3 = f64x2.splat(0);
  for (i = 0; i < quads; i += 16) {
    v0 = squares4(v0, v128.load(xr + i), v128.load(xr + rb + i), m0);
    v1 = squares4(v1, v128.load(x2 + i), v128.load(x2 + rb + i), m1);
    v2 = squares4(v2, v128.load(x4 + i), v128.load(x4 + rb + i), m2);
    v3 = squares4(v3, v128.load(x6 + i), v128.load(x6 + rb + i), m3);
  }
  for (; i < end; i += 4) {
    const v = gather4(xr + i, rb), u = gather4(x4 + i, rb);
    const d0 = f64x2.sub(f64x2.promote_low_f32x4(v), m0), d1 = f64x2.sub(promoteHigh(v), m1);
    const d2 = f64x2.sub(f64x2.promote_low_f32x4(u), m2), d3 = f64x2.sub(promoteHigh(u), m3);
    v0 = f64x2.add(v0, f64x2.mul(d0, d0));
    v1 = f64x2.add(v1, f64x2.mul(d1, d1));
    v2 = f64x2.add(v2, f64x2.mul(d2, d2));
    v3 = f64x2.add(v3, f64x2.mul(d3, d3));
  }
  storeStats(mr, rr, m0, v0, vn, eps);
  storeStats(mr + 8, rr + 8, m1, v1, vn, eps);
  storeStats(mr + 16, rr + 16, m2, v2, vn, eps);
  storeStats(mr + 24, rr + 24, m3, v3, vn, eps);
}

/** Mean and rstd of the four rows at xr, one float64 lane each (each row's sums in order). */
export function stats4(xr: usize, n: i32, eps: f64, mr: usize, rr: usize): void {
  const end = <usize>n << 2;
  const rowBytes = end;
  const vn = f64x2.splat(<f64>n);
  let m0 = f64x2.splat(0), m1 = f64x2.splat(0);
  for (let i: usize = 0; i < end; i += 4) {
    const v = gather4(xr + i, rowBytes);
    m0 = f64x2.add(m0, f64x2.promote_low_f32x4(v));
    m1 = f64x2.add(m1, promoteHigh(v));
  }
  m0 = f64x2.div(m0, vn);
  m1 = f64x2.div(m1, vn);
  let v0 = f64x2.splat(0), v1 = f64x2.splat(0);
  for (let i: usize = 0; i < end; i += 4) {
    const v = gather4(xr + i, rowBytes);
    const d0 = f64x2.sub(f64x2.promote_low_f32x4(v), m0), d1 = f64x2.sub(promoteHigh(v), m1);
    v0 = f64x2.add(v0, f64x2.mul(d0, d0));
    v1 = f64x2.add(v1, f64x2.mul(d1, d1));
  }
  storeStats(mr, rr, m0, v0, vn, eps);
  storeStats(mr + 8, rr + 8, m1, v1, vn, eps);
}

/** Mean and rstd of the row at xr. */
export function stats1(xr: usize, n: i32, eps: f64, mr: usize, rr: usize): void {
  const end = <usize>n << 2;
  const nf = <f64>n;
  let m: f64 = 0;
  for (let i: usize = 0; i < end; i += 4) m += <f64>load<f32>(xr + i);
  m /= nf;
  let v: f64 = 0;
  for (let i: usize = 0; i < end; i += 4) {
    const d = <f64>load<f32>(xr + i) - m;
    v += d * d;
  }
  store<f32>(mr, <f32>m);
  store<f32>(rr, <f32>(1.0 / Math.sqrt(v / nf + eps)));
}
