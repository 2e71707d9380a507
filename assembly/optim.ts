// Optimizer updates in f32x4 SIMD. Every operation rounds to float32 in the order of src/kernels/ref/optim.ts
// (f32x4.sqrt and f32x4.div are correctly rounded), so both backends give bit-identical parameters.

/** p ← p + a·g over n elements (a = −lr, rounded to float32 by the caller). */
export function sgd(p: usize, g: usize, n: i32, a: f32): void {
  const va = f32x4.splat(a);
  const end = p + (<usize>n << 2);
  const step = g - p;
  let q = p;
  // A cache line (four vectors) per iteration.
  for (; q + 64 <= end; q += 64) {
    const r = q + step;
    v128.store(q, f32x4.add(v128.load(q), f32x4.mul(va, v128.load(r))));
    v128.store(q, f32x4.add(v128.load(q, 16), f32x4.mul(va, v128.load(r, 16))), 16);
    v128.store(q, f32x4.add(v128.load(q, 32), f32x4.mul(va, v128.load(r, 32))), 32);
    v128.store(q, f32x4.add(v128.load(q, 48), f32x4.mul(va, v128.load(r, 48))), 48);
  }
  for (; q + 16 <= end; q += 16) v128.store(q, f32x4.add(v128.load(q), f32x4.mul(va, v128.load(q + step))));
  for (; q < end; q += 4) store<f32>(q, load<f32>(q) + a * load<f32>(q + step));
}

/** The same update over listed rows of `width` elements only (the other rows of g are zero). */
export function sgdRows(p: usize, g: usize, width: i32, rows: usize, nrows: i32, a: f32): void {
  const rowBytes = <usize>width << 2;
  for (let t = 0; t < nrows; t++) {
    const o = <usize>load<i32>(rows + (<usize>t << 2)) * rowBytes;
    sgd(p + o, g + o, width, a);
  }
}

/** Zeroes the listed rows of `width` elements. */
export function zeroRows(p: usize, width: i32, rows: usize, nrows: i32): void {
  const rowBytes = <usize>width << 2;
  for (let t = 0; t < nrows; t++) memory.fill(p + <usize>load<i32>(rows + (<usize>t << 2)) * rowBytes, 0, rowBytes);
}

/** p ← p·c (AdamW's decoupled weight decay). */
export function scale(p: usize, n: i32, c: f32): void {
  const vc = f32x4.splat(c);
  const end = p + (<usize>n << 2);
  let q = p;
  for (; q + 16 <= end; q += 16) v128.store(q, f32x4.mul(v128.load(q), vc));
  for (; q < end; q += 4) store<f32>(q, load<f32>(q) * c);
}

/** dst ← dst + src elementwise. */
export function addInPlace(dst: usize, src: usize, n: i32): void {
  const end = dst + (<usize>n << 2);
  const step = src - dst;
  let q = dst;
  for (; q + 16 <= end; q += 16) v128.store(q, f32x4.add(v128.load(q), v128.load(q + step)));
  for (; q < end; q += 4) store<f32>(q, load<f32>(q) + load<f32>(q + step));
}

const MAXIMIZE = 1;
const DECAY = 2;
const AMSGRAD = 4;

// Tiny values. x86 cores compute float32 operations on subnormal inputs or outputs (|x| < 2^-126) through
// microcode assists, about 100 times slower; Adam's first moment decays into that range for every input pixel
// that stays dark for ~800 steps (10% of the first layer on MNIST). Vectors holding such values take an exact
// float64 path instead: each float32 operation is done in float64 (exact, or rounded once: double rounding to
// float32 is then innocuous for + − × ÷ √) and rounded to float32 — including float32's subnormal grid — with
// no subnormal float32 ever entering an instruction. The results are bit-identical to the float32 path.
/** |m|, |v| below 2^-120 (and non-zero): the moments' updates may produce subnormals. */
const TINY_MOMENT: i32 = (127 - 120) << 23;
/** |g| below 2^-58 (and non-zero): (1−β2)·g·g may be subnormal. */
const TINY_GRAD: i32 = (127 - 58) << 23;

/** Lanes with 0 < |x| < threshold, as an all-ones mask (|x| − 1 compared unsigned, so zero never counts). */
// @ts-ignore: decorator
@inline function tinyLanes(x: v128, threshold: i32): v128 {
  return i32x4.lt_u(i32x4.sub(v128.and(x, i32x4.splat(0x7fffffff)), i32x4.splat(1)), i32x4.splat(threshold - 1));
}

/** Float32 lanes 0 and 1 of `x` as float64 lanes, exactly; subnormals decoded from their bits. */
// @ts-ignore: decorator
@inline function widen(x: v128): v128 {
  const zero = i32x4.splat(0);
  const mant = v128.and(x, i32x4.splat(0x007fffff));
  const sub = v128.and(i32x4.eq(v128.and(x, i32x4.splat(0x7f800000)), zero), i32x4.ne(mant, zero));
  const normal = f64x2.promote_low_f32x4(v128.andnot(x, sub));
  const sign = i32x4.shr_s(x, 31);
  const signed = i32x4.sub(v128.xor(mant, sign), sign);
  const tiny = f64x2.mul(f64x2.convert_low_i32x4_s(signed), f64x2.splat(1.401298464324817e-45));
  return v128.bitselect(tiny, normal, i64x2.extend_low_i32x4_s(sub));
}

// @ts-ignore: decorator
@inline function widenHigh(x: v128): v128 {
  return widen(v128.shuffle<i32>(x, x, 2, 3, 2, 3));
}

/** Rounds float64 lanes to float32 values (normal or subnormal), kept as float64. */
// @ts-ignore: decorator
@inline function r32(x: v128): v128 {
  const small = f64x2.lt(f64x2.abs(x), f64x2.splat(1.1754943508222875e-38));
  // Subnormal range: round to the grid of 2^-149, ties to even.
  const grid = f64x2.mul(f64x2.nearest(f64x2.mul(x, f64x2.splat(7.1362384635297994e44))), f64x2.splat(1.401298464324817e-45));
  // Normal range: through float32 (small lanes replaced by 1 first, so the conversion never sees a subnormal).
  const normal = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v128.bitselect(f64x2.splat(1), x, small)));
  return v128.bitselect(grid, normal, small);
}

/** Float64 lanes holding float32 values (from r32) as float32 bits in lanes 0 and 1. */
// @ts-ignore: decorator
@inline function narrow(x: v128): v128 {
  const small = f64x2.lt(f64x2.abs(x), f64x2.splat(1.1754943508222875e-38));
  const small32 = v128.shuffle<i32>(small, small, 0, 2, 0, 2);
  const normal = f32x4.demote_f64x2_zero(v128.bitselect(f64x2.splat(1), x, small));
  const k = i32x4.trunc_sat_f64x2_s_zero(f64x2.mul(f64x2.abs(x), f64x2.splat(7.1362384635297994e44)));
  const signs = i64x2.shr_s(x, 63);
  const sign32 = v128.and(v128.shuffle<i32>(signs, signs, 0, 2, 0, 2), i32x4.splat(0x80000000));
  return v128.bitselect(v128.or(k, sign32), normal, small32);
}

/** The Adam update of two lanes in exact float64 emulation (see above). Returns [p, m, v, vmax] via stores. */
// @ts-ignore: decorator
@inline function adamWide(
  p: v128, g: v128, m: v128, v: v128, vmax: v128, flags: i32,
  b1: v128, a1: v128, b2: v128, a2: v128, wd: v128, eps: v128, bc2: v128, step: v128, out: usize,
): void {
  let gi = g;
  if (flags & MAXIMIZE) gi = f64x2.neg(gi);
  if (flags & DECAY) gi = r32(f64x2.add(gi, r32(f64x2.mul(wd, p))));
  const mi = r32(f64x2.add(r32(f64x2.mul(m, b1)), r32(f64x2.mul(a1, gi))));
  const vi = r32(f64x2.add(r32(f64x2.mul(v, b2)), r32(f64x2.mul(r32(f64x2.mul(a2, gi)), gi))));
  let vv = vi;
  if (flags & AMSGRAD) vv = v128.bitselect(vmax, vi, f64x2.gt(vmax, vi));
  const denom = r32(f64x2.add(r32(f64x2.div(r32(f64x2.sqrt(vv)), bc2)), eps));
  const pn = r32(f64x2.add(p, r32(f64x2.mul(step, r32(f64x2.div(mi, denom))))));
  v128.store(out, pn);
  v128.store(out, mi, 16);
  v128.store(out, vi, 32);
  v128.store(out, vv, 48);
}

/** Four lanes of Adam through the exact float64 path; `tmp` is 128 bytes of scratch. */
// @ts-ignore: decorator
@inline function adamTiny(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, flags: i32,
  b1: f32, a1: f32, b2: f32, a2: f32, wd: f32, eps: f32, bc2: f32, step: f32, tmp: usize,
): void {
  const P = v128.load(p), G = v128.load(g), M = v128.load(m), V = v128.load(v);
  const X = flags & AMSGRAD ? v128.load(vmax) : f32x4.splat(0);
  const db1 = f64x2.splat(<f64>b1), da1 = f64x2.splat(<f64>a1), db2 = f64x2.splat(<f64>b2), da2 = f64x2.splat(<f64>a2);
  const dwd = f64x2.splat(<f64>wd), deps = f64x2.splat(<f64>eps), dbc2 = f64x2.splat(<f64>bc2), dstep = f64x2.splat(<f64>step);
  adamWide(widen(P), widen(G), widen(M), widen(V), widen(X), flags, db1, da1, db2, da2, dwd, deps, dbc2, dstep, tmp);
  adamWide(widenHigh(P), widenHigh(G), widenHigh(M), widenHigh(V), widenHigh(X), flags, db1, da1, db2, da2, dwd, deps, dbc2, dstep, tmp + 64);
  v128.store(p, v128.shuffle<i32>(narrow(v128.load(tmp)), narrow(v128.load(tmp, 64)), 0, 1, 4, 5));
  v128.store(m, v128.shuffle<i32>(narrow(v128.load(tmp, 16)), narrow(v128.load(tmp, 80)), 0, 1, 4, 5));
  v128.store(v, v128.shuffle<i32>(narrow(v128.load(tmp, 32)), narrow(v128.load(tmp, 96)), 0, 1, 4, 5));
  if (flags & AMSGRAD) v128.store(vmax, v128.shuffle<i32>(narrow(v128.load(tmp, 48)), narrow(v128.load(tmp, 112)), 0, 1, 4, 5));
}

/**
 * RN32(x·c) ⊕ +0 lane by lane, exactly, for float32 lanes that may be tiny or subnormal (c a float32 constant):
 * the moment update of a lane whose gradient is zero.
 */
// @ts-ignore: decorator
@inline function decayExact(x: v128, c: f64): v128 {
  const cc = f64x2.splat(c);
  const zero = f64x2.splat(0);
  const lo = f64x2.add(r32(f64x2.mul(widen(x), cc)), zero);
  const hi = f64x2.add(r32(f64x2.mul(widenHigh(x), cc)), zero);
  return v128.shuffle<i32>(narrow(lo), narrow(hi), 0, 1, 4, 5);
}

// @ts-ignore: decorator
@inline function adamLanes(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, flags: i32,
  b1: v128, a1: v128, b2: v128, a2: v128, wd: v128, eps: v128, bc2: v128, step: v128,
): void {
  let gi = v128.load(g);
  if (flags & MAXIMIZE) gi = f32x4.neg(gi);
  const pi = v128.load(p);
  if (flags & DECAY) gi = f32x4.add(gi, f32x4.mul(wd, pi));
  const mi = f32x4.add(f32x4.mul(v128.load(m), b1), f32x4.mul(a1, gi));
  const vi = f32x4.add(f32x4.mul(v128.load(v), b2), f32x4.mul(f32x4.mul(a2, gi), gi));
  v128.store(m, mi);
  v128.store(v, vi);
  let vv = vi;
  if (flags & AMSGRAD) {
    vv = f32x4.pmax(vi, v128.load(vmax));
    v128.store(vmax, vv);
  }
  const denom = f32x4.add(f32x4.div(f32x4.sqrt(vv), bc2), eps);
  v128.store(p, f32x4.add(pi, f32x4.mul(step, f32x4.div(mi, denom))));
}

// @ts-ignore: decorator
@inline function adamOne(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, flags: i32,
  b1: f32, a1: f32, b2: f32, a2: f32, wd: f32, eps: f32, bc2: f32, step: f32,
): void {
  let gi = load<f32>(g);
  if (flags & MAXIMIZE) gi = -gi;
  const pi = load<f32>(p);
  if (flags & DECAY) gi = gi + wd * pi;
  const mi = load<f32>(m) * b1 + a1 * gi;
  const vi = load<f32>(v) * b2 + (a2 * gi) * gi;
  store<f32>(m, mi);
  store<f32>(v, vi);
  let vv = vi;
  if (flags & AMSGRAD) {
    const old = load<f32>(vmax);
    vv = old > vi ? old : vi;
    store<f32>(vmax, vv);
  }
  const denom = Mathf.sqrt(vv) / bc2 + eps;
  store<f32>(p, pi + step * (mi / denom));
}

/**
 * One fused Adam step over n elements: m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², p ← p − stepSize·m/(√v/bc2 + eps)
 * (flags: 1 maximize, 2 weight decay added to g, 4 amsgrad with `vmax`). `step` is −lr/(1−β1ᵗ), `bc2` √(1−β2ᵗ).
 * `tmp` is 128 bytes of scratch for the exact path of vectors with tiny values.
 *
 * Two shortcuts for lanes whose gradient is zero (the rows of dark input pixels), both exact and only enabled by
 * the caller when their conditions hold (no flags, lr > 0, eps > 0): with m = v = g = +0 nothing changes at all
 * (flag 8); with tiny m (|m| < 2^-120) and |p| ≥ pMin, the update of p is provably smaller than half an ulp of p,
 * so only the moments decay (flag 16).
 */
export function adam(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32, flags: i32,
  b1: f32, a1: f32, b2: f32, a2: f32, wd: f32, eps: f32, bc2: f32, step: f32, pMin: f32, tmp: usize,
): void {
  const vb1 = f32x4.splat(b1), va1 = f32x4.splat(a1), vb2 = f32x4.splat(b2), va2 = f32x4.splat(a2);
  const vwd = f32x4.splat(wd), veps = f32x4.splat(eps), vbc2 = f32x4.splat(bc2), vstep = f32x4.splat(step);
  const rule = flags & 7;
  const skipZero = (flags & 8) != 0;
  const decayOnly = (flags & 16) != 0;
  const pMinBits = i32x4.splat(reinterpret<i32>(pMin));
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const G = v128.load(g + o), M = v128.load(m + o), V = v128.load(v + o);
    if (skipZero && !v128.any_true(v128.or(v128.or(G, M), V))) continue;
    let tiny = v128.or(tinyLanes(G, TINY_GRAD), v128.or(tinyLanes(M, TINY_MOMENT), tinyLanes(V, TINY_MOMENT)));
    if (rule & (DECAY | AMSGRAD)) {
      tiny = v128.or(tiny, tinyLanes(v128.load(p + o), TINY_MOMENT));
      if (rule & AMSGRAD) tiny = v128.or(tiny, tinyLanes(v128.load(vmax + o), TINY_MOMENT));
    }
    if (!v128.any_true(tiny)) {
      if (rule == 0) adamLanes(p + o, g + o, m + o, v + o, 0, 0, vb1, va1, vb2, va2, vwd, veps, vbc2, vstep);
      else adamLanes(p + o, g + o, m + o, v + o, vmax + o, rule, vb1, va1, vb2, va2, vwd, veps, vbc2, vstep);
      continue;
    }
    if (decayOnly && !v128.any_true(G)
      && i32x4.all_true(i32x4.lt_u(v128.and(M, i32x4.splat(0x7fffffff)), i32x4.splat(TINY_MOMENT)))
      && i32x4.all_true(i32x4.ge_u(v128.and(v128.load(p + o), i32x4.splat(0x7fffffff)), pMinBits))) {
      v128.store(m + o, decayExact(M, <f64>b1));
      v128.store(v + o, v128.any_true(tinyLanes(V, TINY_MOMENT)) ? decayExact(V, <f64>b2) : f32x4.add(f32x4.mul(V, vb2), f32x4.splat(0)));
      continue;
    }
    adamTiny(p + o, g + o, m + o, v + o, vmax + o, rule, b1, a1, b2, a2, wd, eps, bc2, step, tmp);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    adamOne(p + o, g + o, m + o, v + o, vmax + o, rule, b1, a1, b2, a2, wd, eps, bc2, step);
  }
}
