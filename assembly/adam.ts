// Adam in f32x4 SIMD. Every operation rounds to float32 in the order of src/kernels/ref/optim.ts (f32x4.sqrt and
// f32x4.div are correctly rounded), so both backends give bit-identical parameters; vectors holding tiny values
// go through the exact float64 path of exact.ts, which gives the same bits without subnormal slowdowns.
import { TINY_GRAD, TINY_MOMENT, decayExact, narrow, r32, tinyLanes, tinyMoments, widen, widenHigh } from './exact';

const MAXIMIZE = 1;
const DECAY = 2;
const AMSGRAD = 4;

/** The Adam update of two lanes in exact float64 emulation (see exact.ts), results stored to `out`: p, m, v, vmax. */
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

// @ts-ignore: decorator
@inline function adamLanes(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, flags: i32,
  b1: v128, a1: v128, b2: v128, a2: v128, wd: v128, eps: v128, bc2: v128, step: v128, unit: bool,
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
  store2(p, pi, mi, vv, eps, bc2, step, unit);
}

/**
 * p ← p + step·(m / (√v / bc2 + eps)) for four lanes. With `unit` (bc2 is exactly 1, as it is in float32 after
 * about 17,000 steps with β2 = 0.999) the division by bc2 is skipped: x / 1 is x exactly.
 */
// @ts-ignore: decorator
@inline function store2(p: usize, pi: v128, mi: v128, vv: v128, eps: v128, bc2: v128, step: v128, unit: bool): void {
  let root = f32x4.sqrt(vv);
  if (!unit) root = f32x4.div(root, bc2);
  v128.store(p, f32x4.add(pi, f32x4.mul(step, f32x4.div(mi, f32x4.add(root, eps)))));
}

/** The zero-gradient Adam update of four lanes in float32: m·β1 + 0 and v·β2 + 0 (that is, g = +0), then p. */
// @ts-ignore: decorator
@inline function darkLanes(p: usize, m: usize, v: usize, b1: v128, b2: v128, eps: v128, bc2: v128, step: v128, unit: bool): void {
  const zero = f32x4.splat(0);
  const mi = f32x4.add(f32x4.mul(v128.load(m), b1), zero);
  const vi = f32x4.add(f32x4.mul(v128.load(v), b2), zero);
  v128.store(m, mi);
  v128.store(v, vi);
  store2(p, v128.load(p), mi, vi, eps, bc2, step, unit);
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
 * Adam over n elements with every vector checked for tiny values first (exact float64 path for those, see
 * above). A gradient below 2^-58 is not checked for: it would only make that vector slower, never wrong.
 */
function adamChecked(
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
    let tiny = tinyMoments(M, V);
    if (rule & (DECAY | AMSGRAD)) {
      tiny = v128.or(tiny, v128.or(tinyLanes(G, TINY_GRAD), tinyLanes(v128.load(p + o), TINY_MOMENT)));
      if (rule & AMSGRAD) tiny = v128.or(tiny, tinyLanes(v128.load(vmax + o), TINY_MOMENT));
    }
    if (!v128.any_true(tiny)) {
      if (rule == 0) adamLanes(p + o, g + o, m + o, v + o, 0, 0, vb1, va1, vb2, va2, vwd, veps, vbc2, vstep, false);
      else adamLanes(p + o, g + o, m + o, v + o, vmax + o, rule, vb1, va1, vb2, va2, vwd, veps, vbc2, vstep, false);
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
  adamChecked(p, g, m, v, vmax, n, flags, b1, a1, b2, a2, wd, eps, bc2, step, pMin, tmp);
}

/** True when n floats of m and of v are all +0 (bit pattern 0). */
function allZero(m: usize, v: usize, n: i32): bool {
  let acc = i32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) acc = v128.or(acc, v128.or(v128.load(m + (<usize>i << 2)), v128.load(v + (<usize>i << 2))));
  let rest: i32 = 0;
  for (; i < n; i++) rest |= load<i32>(m + (<usize>i << 2)) | load<i32>(v + (<usize>i << 2));
  return !v128.any_true(acc) && rest == 0;
}

/**
 * Rows without gradient for fewer steps than this take the full update (youngRow), without trying the still-row
 * shortcuts of older rows: their updates of p are rarely negligible.
 */
const YOUNG_ROW = 256;
/** Rows without gradient for this many steps are checked (every 64 steps) for an all-zero state. */
const OLD_ROW = 300;

/** 1.5·2^52: adding it to a float64 below 2^51 in magnitude rounds it to an integer (ties to even), found in its low word. */
const ROUND_MAGIC: f64 = 6755399441055744.0;

/**
 * RN32(x·c) ⊕ +0 lane by lane, exactly, for lanes that are all zero or subnormal (x = ±K·2^-149, K < 2^23): the
 * product stays subnormal, so it is ±RNE(K·c)·2^-149, with K·c exact in float64 and rounded to an integer by
 * ROUND_MAGIC. A product that rounds to zero is −0 ⊕ +0 = +0; otherwise it keeps the sign of x.
 */
// @ts-ignore: decorator
@inline function decaySub(x: v128, cd: v128): v128 {
  const abs = v128.and(x, i32x4.splat(0x7fffffff));
  const magic = f64x2.splat(ROUND_MAGIC);
  const lo = f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_s(abs), cd), magic);
  const hi = f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_s(v128.shuffle<i32>(abs, abs, 2, 3, 2, 3)), cd), magic);
  const k = v128.shuffle<i32>(lo, hi, 0, 2, 4, 6);
  return v128.or(k, v128.andnot(v128.and(x, i32x4.splat(0x80000000)), i32x4.eq(k, i32x4.splat(0))));
}

/**
 * RN32(x·c) ⊕ +0 lane by lane, exactly, like decayExact but fast for the usual case of a moment decaying through
 * the subnormal range: zero and subnormal lanes through decaySub; lanes of at least 2^-125 multiplied in float32
 * (they stay normal for c ≥ 1/2; a smaller c gives the same bits, only slower). Vectors with a lane in
 * [2^-126, 2^-125) go through decayExact.
 */
// @ts-ignore: decorator
@inline function decayTiny(x: v128, c: v128, cd: v128, cf: f64): v128 {
  const abs = v128.and(x, i32x4.splat(0x7fffffff));
  if (v128.any_true(i32x4.lt_u(i32x4.sub(abs, i32x4.splat(0x00800000)), i32x4.splat(0x00800000)))) return decayExact(x, cf);
  const sub = i32x4.lt_u(abs, i32x4.splat(0x00800000));
  const normal = f32x4.add(f32x4.mul(v128.andnot(x, sub), c), f32x4.splat(0));
  return v128.bitselect(decaySub(x, cd), normal, sub);
}

/** RN32(x·c) ⊕ +0 for any lanes: plain float32 unless a lane is tiny (below 2^-120, not zero). */
// @ts-ignore: decorator
@inline function decayAny(x: v128, c: v128, cd: v128, cf: f64): v128 {
  return v128.any_true(tinyLanes(x, TINY_MOMENT)) ? decayTiny(x, c, cd, cf) : f32x4.add(f32x4.mul(x, c), f32x4.splat(0));
}

// What scanRow finds about a row without gradient (bits of its result).
/** Every lane has |m| < |p|·kStill, and no p or v is NaN: p stays, only the moments decay. */
const ROW_STILL = 1;
/**
 * Every m is +0 and no p or v is NaN: p stays (step·(+0/denom) is −0) and so does m; only v decays. (A decaying m
 * never gets there: RNE(K·0.9) = K for the subnormals K·2^-149 with K ≤ 4, so it stops at ±4·2^-149; this is
 * the state of rows that never had a gradient.)
 */
const ROW_M_ZERO = 2;
/** Every m is zero or subnormal. */
const ROW_M_SUB = 8;
/** No m is tiny (0 < |m| < 2^-120). */
const ROW_M_PLAIN = 16;
/** No v is tiny. */
const ROW_V_PLAIN = 32;
/**
 * m is at its fixed point: every m is +0 or ±K·2^-149 with K ≤ mFix, where RNE(K·β1) = K (mFix = 4 for β1 = 0.9):
 * where a decaying m stops. With ROW_STILL, only v changes: the state of pixels dark for a thousand steps or more.
 */
const ROW_M_FIXED = 64;
/** Every v is zero or subnormal. */
const ROW_V_SUB = 128;
/** v is at its fixed point too (every v +0 or at most vFix·2^-149): with ROW_M_FIXED and ROW_STILL, nothing changes. */
const ROW_V_FIXED = 256;

/**
 * One pass over a row without gradient, in integer lanes only (so subnormals cost nothing), deciding which loop
 * updates it. |m| < |p·kStill| is compared on the bit patterns, which order non-negative floats as their values do.
 */
// @ts-ignore: decorator
@inline function scanRow(p: usize, m: usize, v: usize, vecEnd: usize, vk: v128, mFix: i32, vFix: i32): i32 {
  const mask = i32x4.splat(0x7fffffff), inf = i32x4.splat(0x7f800000), one = i32x4.splat(1), negZero = i32x4.splat(0x80000000);
  let still = i32x4.splat(-1), bad = i32x4.splat(0), orM = i32x4.splat(0), maxM = i32x4.splat(0), anyNegZero = i32x4.splat(0);
  let minM = i32x4.splat(-1), minV = i32x4.splat(-1), maxV = i32x4.splat(0), anyNegZeroV = i32x4.splat(0);
  for (let q: usize = 0; q < vecEnd; q += 16) {
    const M = v128.load(m + q), V = v128.load(v + q);
    const absM = v128.and(M, mask), absV = v128.and(V, mask);
    const limit = v128.and(f32x4.mul(v128.load(p + q), vk), mask);
    still = v128.and(still, i32x4.lt_s(absM, limit));
    bad = v128.or(bad, v128.or(i32x4.gt_s(limit, inf), i32x4.gt_s(absV, inf)));
    orM = v128.or(orM, M);
    anyNegZero = v128.or(anyNegZero, i32x4.eq(M, negZero));
    maxM = i32x4.max_u(maxM, absM);
    minM = i32x4.min_u(minM, i32x4.sub(absM, one));
    minV = i32x4.min_u(minV, i32x4.sub(absV, one));
    maxV = i32x4.max_u(maxV, absV);
    anyNegZeroV = v128.or(anyNegZeroV, i32x4.eq(V, negZero));
  }
  if (v128.any_true(bad)) return 0;
  const tiny = i32x4.splat(TINY_MOMENT - 1);
  let r = 0;
  if (i32x4.all_true(still)) r |= ROW_STILL;
  if (!v128.any_true(orM)) r |= ROW_M_ZERO;
  if (!v128.any_true(i32x4.ge_u(maxM, i32x4.splat(0x00800000)))) r |= ROW_M_SUB;
  // −0 is not a fixed point: −0·β1 + 0 is +0.
  if (!v128.any_true(v128.or(i32x4.gt_u(maxM, i32x4.splat(mFix)), anyNegZero))) r |= ROW_M_FIXED;
  if (i32x4.all_true(i32x4.ge_u(minM, tiny))) r |= ROW_M_PLAIN;
  if (i32x4.all_true(i32x4.ge_u(minV, tiny))) r |= ROW_V_PLAIN;
  if (!v128.any_true(i32x4.ge_u(maxV, i32x4.splat(0x00800000)))) r |= ROW_V_SUB;
  if (!v128.any_true(v128.or(i32x4.gt_u(maxV, i32x4.splat(vFix)), anyNegZeroV))) r |= ROW_V_FIXED;
  return r;
}

/**
 * One Adam row without gradient for a while: vectors whose update of p is provably below half an ulp of p only
 * decay their moments (|m| < |p|·kStill; see adamRows), tiny moments take the exact paths, the rest the full
 * update with g = +0.
 */
// @ts-ignore: decorator
@inline function oldRow(
  p: usize, g: usize, m: usize, v: usize, vecEnd: usize, shortcuts: bool, unit: bool,
  b1: f32, a1: f32, b2: f32, a2: f32, eps: f32, bc2: f32, step: f32, kStill: f32, mFix: i32, vFix: i32, tmp: usize,
): void {
  const vb1 = f32x4.splat(b1), vb2 = f32x4.splat(b2), veps = f32x4.splat(eps), vbc2 = f32x4.splat(bc2);
  const vstep = f32x4.splat(step), vk = f32x4.splat(kStill), zero = f32x4.splat(0);
  const db1 = f64x2.splat(<f64>b1), db2 = f64x2.splat(<f64>b2);
  if (shortcuts) {
    const kind = scanRow(p, m, v, vecEnd, vk, mFix, vFix);
    if ((kind & ROW_M_ZERO) || ((kind & ROW_M_FIXED) && (kind & ROW_STILL))) {
      // p and m stay: only v decays — in float32, or exactly through the subnormals, or not at all at its fixed point.
      if (kind & ROW_V_PLAIN) {
        for (let q: usize = 0; q < vecEnd; q += 16) v128.store(v + q, f32x4.add(f32x4.mul(v128.load(v + q), vb2), zero));
      } else if (kind & ROW_V_FIXED) {
        // nothing changes
      } else if (kind & ROW_V_SUB) {
        for (let q: usize = 0; q < vecEnd; q += 16) v128.store(v + q, decaySub(v128.load(v + q), db2));
      } else {
        for (let q: usize = 0; q < vecEnd; q += 16) v128.store(v + q, decayAny(v128.load(v + q), vb2, db2, <f64>b2));
      }
      return;
    }
    if ((kind & ROW_STILL) && (kind & ROW_V_PLAIN) && (kind & (ROW_M_SUB | ROW_M_PLAIN))) {
      if (kind & ROW_M_SUB) {
        // m on its way through the subnormals to zero: exact integer rounding, no float32 subnormal arithmetic.
        for (let q: usize = 0; q < vecEnd; q += 16) {
          v128.store(m + q, decaySub(v128.load(m + q), db1));
          v128.store(v + q, f32x4.add(f32x4.mul(v128.load(v + q), vb2), zero));
        }
      } else {
        for (let q: usize = 0; q < vecEnd; q += 16) {
          v128.store(m + q, f32x4.add(f32x4.mul(v128.load(m + q), vb1), zero));
          v128.store(v + q, f32x4.add(f32x4.mul(v128.load(v + q), vb2), zero));
        }
      }
      return;
    }
    if (kind & ROW_STILL) {
      for (let q: usize = 0; q < vecEnd; q += 16) {
        v128.store(m + q, decayAny(v128.load(m + q), vb1, db1, <f64>b1));
        v128.store(v + q, decayAny(v128.load(v + q), vb2, db2, <f64>b2));
      }
      return;
    }
  }
  for (let q: usize = 0; q < vecEnd; q += 16) {
    const M = v128.load(m + q), V = v128.load(v + q);
    const tiny = tinyMoments(M, V);
    if (shortcuts) {
      const P = v128.load(p + q);
      const still = v128.and(f32x4.lt(f32x4.abs(M), f32x4.mul(f32x4.abs(P), vk)), f32x4.eq(V, V));
      if (i32x4.all_true(still)) {
        // p stays; m·β1 + 0 and v·β2 + 0, exactly.
        if (v128.any_true(tiny)) {
          v128.store(m + q, decayAny(M, vb1, db1, <f64>b1));
          v128.store(v + q, decayAny(V, vb2, db2, <f64>b2));
        } else {
          v128.store(m + q, f32x4.add(f32x4.mul(M, vb1), zero));
          v128.store(v + q, f32x4.add(f32x4.mul(V, vb2), zero));
        }
        continue;
      }
    }
    if (v128.any_true(tiny)) {
      adamTiny(p + q, g + q, m + q, v + q, 0, 0, b1, a1, b2, a2, 0, eps, bc2, step, tmp);
      continue;
    }
    darkLanes(p + q, m + q, v + q, vb1, vb2, veps, vbc2, vstep, unit);
  }
}

/**
 * One Adam row with a gradient: the float32 update. When `checked`, tiny gradients (late in training, faint
 * pixels get gradients below 2^-58, whose squares are subnormal) and tiny m are looked for: the first kind is
 * handled in the loop (adamLanesSmallG); otherwise the row goes on in litRest, vector by vector. Returns whether
 * it met any. Float32 arithmetic on subnormals costs x86 a microcode assist of a hundred cycles or more; the fast
 * loop holds no call, so it keeps its constants in registers. Checks steer speed only: every path gives the same
 * bits.
 */
// @ts-ignore: decorator
@inline function litRow(
  p: usize, g: usize, m: usize, v: usize, vecEnd: usize, unit: bool, checked: bool,
  b1: f32, a1: f32, b2: f32, a2: f32, eps: f32, bc2: f32, step: f32, tmp: usize,
): bool {
  const vb1 = f32x4.splat(b1), va1 = f32x4.splat(a1), vb2 = f32x4.splat(b2), va2 = f32x4.splat(a2);
  const veps = f32x4.splat(eps), vbc2 = f32x4.splat(bc2), vstep = f32x4.splat(step), zero = f32x4.splat(0);
  if (!checked) {
    for (let q: usize = 0; q < vecEnd; q += 16) adamLanes(p + q, g + q, m + q, v + q, 0, 0, vb1, va1, vb2, va2, zero, veps, vbc2, vstep, unit);
    return false;
  }
  // Tiny gradients are handled in this loop when adamLanesSmallG applies (Adam's constants meet its conditions),
  // else from the first one on in litRest, as are tiny m. (A tiny v with a plain m is rare, and only slower.)
  const smallG = a1 >= 0.0625 && a2 <= 0.0019 && b2 >= 0.5;
  const mask = i32x4.splat(0x7fffffff), gMin = i32x4.splat(G_NORMAL_PRODUCT), vMin = i32x4.splat(V_ABSORBS);
  let seen = zero;
  let q: usize = 0;
  for (; q < vecEnd; q += 16) {
    const G = v128.load(g + q);
    const tinyG = tinyLanes(G, TINY_GRAD);
    // A tiny m: a lane whose g has been zero for long (a hidden unit saturated to exactly 0 or 1 passes no gradient).
    if (v128.any_true(tinyLanes(v128.load(m + q), TINY_MOMENT))) break;
    if (v128.any_true(tinyG)) {
      const fits = v128.and(i32x4.ge_s(v128.and(G, mask), gMin), i32x4.ge_s(v128.load(v + q), vMin));
      if (!smallG || v128.any_true(v128.andnot(tinyG, fits))) break;
      seen = tinyG;
    }
    // With no tiny lane, adamLanesSmallG is adamLanes.
    adamLanesSmallG(p + q, g + q, m + q, v + q, tinyG, vb1, va1, vb2, va2, veps, vbc2, vstep, unit);
  }
  if (q < vecEnd) {
    litRest(p, g, m, v, q, vecEnd, unit, b1, a1, b2, a2, eps, bc2, step, tmp);
    return true;
  }
  return v128.any_true(seen);
}

/**
 * Rows with a gradient and young rows are checked for tiny values at every step once some were seen, and every
 * this many steps otherwise (early in training there are none, and the checks cost a tenth of the update).
 */
const CHECK_EVERY = 16;

/** Bits of 2^-122: a g at least this large gives a normal (1−β1)·g for β1 ≤ 0.9375. */
const G_NORMAL_PRODUCT: i32 = (127 - 122) << 23;
/** Bits of 2^-100: a v at least this large absorbs a subnormal (1−β2)·g² (see adamLanesSmallG). */
const V_ABSORBS: i32 = (127 - 100) << 23;

/**
 * adamLanes for lanes where g is tiny (`tinyG`: 2^-122 ≤ |g| < 2^-58) but v ≥ 2^-100: with 1−β2 ≤ 0.0019,
 * (1−β2)·g·g is below 2^-125, which is at most half an ulp of v·β2 ≥ 2^-101 (β2 ≥ 1/2), so
 * RN(v·β2 + (1−β2)·g·g) = RN(v·β2 + 0): those lanes add +0 instead, with the same bits and no subnormal
 * arithmetic. With 1−β1 ≥ 1/16, (1−β1)·g stays normal for these g.
 */
// @ts-ignore: decorator
@inline function adamLanesSmallG(
  p: usize, g: usize, m: usize, v: usize, tinyG: v128,
  b1: v128, a1: v128, b2: v128, a2: v128, eps: v128, bc2: v128, step: v128, unit: bool,
): void {
  const gi = v128.load(g);
  const gq = v128.andnot(gi, tinyG);
  const mi = f32x4.add(f32x4.mul(v128.load(m), b1), f32x4.mul(a1, gi));
  const vi = f32x4.add(f32x4.mul(v128.load(v), b2), f32x4.mul(f32x4.mul(a2, gq), gq));
  v128.store(m, mi);
  v128.store(v, vi);
  store2(p, v128.load(p), mi, vi, eps, bc2, step, unit);
}

/**
 * The update of a row with a gradient from vector offset `q` until a vector with a tiny g, m or v; returns that
 * vector's offset, or vecEnd. No call in the loop, so its constants stay in registers.
 */
// @ts-ignore: decorator
@inline function litRun(
  p: usize, g: usize, m: usize, v: usize, q: usize, vecEnd: usize, unit: bool,
  b1: f32, a1: f32, b2: f32, a2: f32, eps: f32, bc2: f32, step: f32,
): usize {
  const vb1 = f32x4.splat(b1), va1 = f32x4.splat(a1), vb2 = f32x4.splat(b2), va2 = f32x4.splat(a2);
  const veps = f32x4.splat(eps), vbc2 = f32x4.splat(bc2), vstep = f32x4.splat(step), zero = f32x4.splat(0);
  for (; q < vecEnd; q += 16) {
    if (v128.any_true(v128.or(tinyLanes(v128.load(g + q), TINY_GRAD), tinyMoments(v128.load(m + q), v128.load(v + q))))) break;
    adamLanes(p + q, g + q, m + q, v + q, 0, 0, vb1, va1, vb2, va2, zero, veps, vbc2, vstep, unit);
  }
  return q;
}

/**
 * One vector of a row with a gradient holding a tiny g, m or v: adamLanesSmallG when only g is tiny and its
 * conditions hold, else the exact float64 path.
 */
function litTinyVector(
  p: usize, g: usize, m: usize, v: usize, unit: bool,
  b1: f32, a1: f32, b2: f32, a2: f32, eps: f32, bc2: f32, step: f32, tmp: usize,
): void {
  const G = v128.load(g), V = v128.load(v);
  const tinyG = tinyLanes(G, TINY_GRAD);
  const tinyMV = tinyMoments(v128.load(m), V);
  // Lanes with a tiny g need 2^-122 ≤ |g| and 2^-100 ≤ v (v ≥ 0 here unless it is −0 or NaN: then not); the
  // constants must meet adamLanesSmallG's conditions (Adam's defaults do).
  const fits = v128.and(i32x4.ge_s(v128.and(G, i32x4.splat(0x7fffffff)), i32x4.splat(G_NORMAL_PRODUCT)), i32x4.ge_s(V, i32x4.splat(V_ABSORBS)));
  if (a1 >= 0.0625 && a2 <= 0.0019 && b2 >= 0.5 && !v128.any_true(tinyMV) && !v128.any_true(v128.andnot(tinyG, fits))) {
    adamLanesSmallG(p, g, m, v, tinyG, f32x4.splat(b1), f32x4.splat(a1), f32x4.splat(b2), f32x4.splat(a2),
      f32x4.splat(eps), f32x4.splat(bc2), f32x4.splat(step), unit);
    return;
  }
  adamTiny(p, g, m, v, 0, 0, b1, a1, b2, a2, 0, eps, bc2, step, tmp);
}

/** The rest of a row with a gradient from vector offset `q`: runs of plain vectors, and the tiny ones one by one. */
function litRest(
  p: usize, g: usize, m: usize, v: usize, q: usize, vecEnd: usize, unit: bool,
  b1: f32, a1: f32, b2: f32, a2: f32, eps: f32, bc2: f32, step: f32, tmp: usize,
): void {
  while (q < vecEnd) {
    q = unit
      ? litRun(p, g, m, v, q, vecEnd, true, b1, a1, b2, a2, eps, bc2, step)
      : litRun(p, g, m, v, q, vecEnd, false, b1, a1, b2, a2, eps, bc2, step);
    if (q >= vecEnd) return;
    litTinyVector(p + q, g + q, m + q, v + q, unit, b1, a1, b2, a2, eps, bc2, step, tmp);
    q += 16;
  }
}

/**
 * One Adam row without gradient for a few steps: the float32 update with g = +0; when `checked`, vectors with a
 * tiny m (decaying from a faint pixel's tiny gradient, or in a lane whose gradient has been zero for long) are
 * looked for and handled one by one (youngRest). Returns whether it found one. Checks steer speed only.
 */
// @ts-ignore: decorator
@inline function youngRow(
  p: usize, g: usize, m: usize, v: usize, vecEnd: usize, shortcuts: bool, unit: bool, checked: bool,
  b1: f32, a1: f32, b2: f32, a2: f32, eps: f32, bc2: f32, step: f32, kStill: f32, tmp: usize,
): bool {
  if (checked) return youngRest(p, g, m, v, 0, vecEnd, shortcuts, unit, b1, a1, b2, a2, eps, bc2, step, kStill, tmp);
  const vb1 = f32x4.splat(b1), vb2 = f32x4.splat(b2), veps = f32x4.splat(eps), vbc2 = f32x4.splat(bc2);
  const vstep = f32x4.splat(step);
  for (let q: usize = 0; q < vecEnd; q += 16) darkLanes(p + q, m + q, v + q, vb1, vb2, veps, vbc2, vstep, unit);
  return false;
}

/**
 * The update of a young row from vector offset `q` until a vector with a tiny moment; returns that vector's
 * offset, or vecEnd. No call in the loop, so its constants stay in registers.
 */
// @ts-ignore: decorator
@inline function youngRun(
  p: usize, m: usize, v: usize, q: usize, vecEnd: usize, unit: bool, b1: f32, b2: f32, eps: f32, bc2: f32, step: f32,
): usize {
  const vb1 = f32x4.splat(b1), vb2 = f32x4.splat(b2), veps = f32x4.splat(eps), vbc2 = f32x4.splat(bc2), vstep = f32x4.splat(step);
  for (; q < vecEnd; q += 16) {
    // Only m is checked (three instructions): a tiny v with a plain m is rare, and only slower.
    if (v128.any_true(tinyLanes(v128.load(m + q), TINY_MOMENT))) break;
    darkLanes(p + q, m + q, v + q, vb1, vb2, veps, vbc2, vstep, unit);
  }
  return q;
}

/**
 * One vector of a young row holding a tiny moment: only the moments decay when the update of p is provably
 * negligible (|m| < |p|·kStill, see adamRows), else the exact float64 path.
 */
function youngTinyVector(
  p: usize, g: usize, m: usize, v: usize, shortcuts: bool,
  b1: f32, a1: f32, b2: f32, a2: f32, eps: f32, bc2: f32, step: f32, kStill: f32, tmp: usize,
): void {
  const M = v128.load(m), V = v128.load(v);
  if (shortcuts && i32x4.all_true(v128.and(f32x4.lt(f32x4.abs(M), f32x4.mul(f32x4.abs(v128.load(p)), f32x4.splat(kStill))), f32x4.eq(V, V)))) {
    v128.store(m, decayAny(M, f32x4.splat(b1), f64x2.splat(<f64>b1), <f64>b1));
    v128.store(v, decayAny(V, f32x4.splat(b2), f64x2.splat(<f64>b2), <f64>b2));
    return;
  }
  adamTiny(p, g, m, v, 0, 0, b1, a1, b2, a2, 0, eps, bc2, step, tmp);
}

/** A young row from vector offset `q`: runs of plain vectors, and the tiny ones one by one; whether there were any. */
function youngRest(
  p: usize, g: usize, m: usize, v: usize, q: usize, vecEnd: usize, shortcuts: bool, unit: bool,
  b1: f32, a1: f32, b2: f32, a2: f32, eps: f32, bc2: f32, step: f32, kStill: f32, tmp: usize,
): bool {
  let found = false;
  while (q < vecEnd) {
    q = unit ? youngRun(p, m, v, q, vecEnd, true, b1, b2, eps, bc2, step) : youngRun(p, m, v, q, vecEnd, false, b1, b2, eps, bc2, step);
    if (q >= vecEnd) break;
    found = true;
    youngTinyVector(p + q, g + q, m + q, v + q, shortcuts, b1, a1, b2, a2, eps, bc2, step, kStill, tmp);
    q += 16;
  }
  return found;
}

/**
 * Adam (plain rule) over a buffer of `nrows` storage rows of `width`, using what the gradient's row list says:
 * rows not listed have g = +0 exactly, so their g is never read. `ages` (i32 per row, kept by the caller between
 * steps) counts the steps since each row last had a gradient, or is −1 for a row known to hold m = v = +0; it is
 * followed by two i32 for the checks of CHECK_EVERY (speed only: any values give the same results).
 *
 * Rows with a gradient, and rows without one for fewer than YOUNG_ROW steps, take the plain float32 update (the
 * exact path for vectors with tiny values). With
 * flag 8 (lr > 0, eps > 0) two exact shortcuts apply to older rows: an all-zero row changes nothing; and where
 * |m| < |p|·kStill in every lane the update of p is provably below half an ulp of p (kStill = 2^-25·eps/stepSize,
 * with margin: the denominator is at least eps), so only m and v decay and the divisions are skipped — the common
 * case for pixels that have been dark for a while; once m has reached its fixed point (the subnormals ±K·2^-149
 * with K ≤ mFix, where RNE(K·β1) = K) only v changes. Tiny and subnormal moments take exact paths that avoid
 * float32 subnormal arithmetic (slow on x86). Every path computes the same bits as the reference.
 */
export function adamRows(
  p: usize, g: usize, m: usize, v: usize, width: i32, nrows: i32, ages: usize, rows: usize, nlisted: i32, flags: i32,
  b1: f32, a1: f32, b2: f32, a2: f32, eps: f32, bc2: f32, step: f32, kStill: f32, mFix: i32, vFix: i32, tmp: usize,
): void {
  for (let r = 0; r < nrows; r++) {
    const at = ages + (<usize>r << 2);
    const age = load<i32>(at);
    if (age >= 0 && age < 0x40000000) store<i32>(at, age + 1);
  }
  for (let t = 0; t < nlisted; t++) store<i32>(ages + (<usize>load<i32>(rows + (<usize>t << 2)) << 2), 0);
  const vb1 = f32x4.splat(b1), va1 = f32x4.splat(a1), vb2 = f32x4.splat(b2), va2 = f32x4.splat(a2);
  const veps = f32x4.splat(eps), vbc2 = f32x4.splat(bc2), vstep = f32x4.splat(step), zero = f32x4.splat(0);
  const shortcuts = (flags & 8) != 0;
  const unit = bc2 == 1.0;
  const rowBytes = <usize>width << 2;
  // After the ages: a step counter, and whether the last checked step met tiny values (see CHECK_EVERY).
  const counter = ages + (<usize>nrows << 2);
  const count = load<i32>(counter);
  const checked = load<i32>(counter, 4) != 0 || count % CHECK_EVERY == 0;
  store<i32>(counter, (count + 1) & 0x3fffffff);
  let tinySeen = false;
  const vecEnd = <usize>(width & ~3) << 2;
  for (let r = 0; r < nrows; r++) {
    const base = <usize>r * rowBytes;
    const age = load<i32>(ages + (<usize>r << 2));
    if (age < 0 && shortcuts) continue;
    const pr = p + base, gr = g + base, mr = m + base, vr = v + base;
    if (age == 0) {
      const found = unit
        ? litRow(pr, gr, mr, vr, vecEnd, true, checked, b1, a1, b2, a2, eps, bc2, step, tmp)
        : litRow(pr, gr, mr, vr, vecEnd, false, checked, b1, a1, b2, a2, eps, bc2, step, tmp);
      tinySeen = tinySeen || found;
    } else if (age < YOUNG_ROW && age >= 0) {
      const found = unit
        ? youngRow(pr, gr, mr, vr, vecEnd, shortcuts, true, checked, b1, a1, b2, a2, eps, bc2, step, kStill, tmp)
        : youngRow(pr, gr, mr, vr, vecEnd, shortcuts, false, checked, b1, a1, b2, a2, eps, bc2, step, kStill, tmp);
      tinySeen = tinySeen || found;
    } else {
      if (shortcuts && age >= OLD_ROW && (age & 63) == 0 && allZero(mr, vr, width)) {
        store<i32>(ages + (<usize>r << 2), -1);
        continue;
      }
      if (unit) oldRow(pr, gr, mr, vr, vecEnd, shortcuts, true, b1, a1, b2, a2, eps, bc2, step, kStill, mFix, vFix, tmp);
      else oldRow(pr, gr, mr, vr, vecEnd, shortcuts, false, b1, a1, b2, a2, eps, bc2, step, kStill, mFix, vFix, tmp);
    }
    for (let o = vecEnd; o < rowBytes; o += 4) {
      const q = base + o;
      adamOne(p + q, g + q, m + q, v + q, 0, 0, b1, a1, b2, a2, 0, eps, bc2, step);
    }
  }
  if (checked) store<i32>(counter, tinySeen ? 1 : 0, 4);
}
