// Adam for the rows of pixels lit now or in the last few hundred steps (see adam-rows.ts): the float32 update,
// with checks for tiny values when the caller asks (exact float64 paths for those, without subnormal slowdowns).
import { adamLanes, adamLanesG, adamTiny, bc2Inverse, darkLanes, stillLanes, store2 } from './adam';
import { decayAny } from './decay';
import { belowLanes, TINY_GRAD, TINY_MOMENT, tinyLanes, tinyMoments } from './exact';
import { NATIVE_SUBNORMALS } from './subnormals';

/**
 * One Adam row with a gradient (or a flat array: see adam-dense.ts): the float32 update. When `checked`, tiny
 * gradients (late in training, a sample the network already fits gives gradients below 2^-58, whose squares are
 * subnormal) and tiny m are looked for: the first kind is mostly handled in the loop (adamLanesSmallG), the rest
 * vector by vector (litTinyVector). Returns whether it met any. Float32 arithmetic on subnormals costs x86 a
 * microcode assist of a hundred cycles or more. Checks steer speed only: every path gives the same bits.
 *
 * With `factored` the row's gradient is one sample's, given by its factors: g = 0 + x·gOut[0..), made in registers as
 * the update reaches it (outerRows' bits) instead of being read from `g`, which is then scratch: a vector that takes
 * one of the rare paths below is stored there first, for them to read.
 */
// @ts-ignore: decorator
@inline export function litRow(
  p: usize, g: usize, m: usize, v: usize, vecEnd: usize, unit: bool, checked: bool,
  b1: f32, a1: f32, b2: f32, a2: f32, eps: f32, bc2: f32, step: f32, kStill: f32, tmp: usize,
  factored: bool, x: f32, gOut: usize, gOutMin: f32,
): bool {
  const vb1 = f32x4.splat(b1), va1 = f32x4.splat(a1), vb2 = f32x4.splat(b2), va2 = f32x4.splat(a2);
  const veps = f32x4.splat(eps), vbc2 = bc2Inverse(bc2), vstep = f32x4.splat(step), zero = f32x4.splat(0);
  const vx = f32x4.splat(x);
  if (!checked) {
    // The native build's loop for rows whose gradient may hold tiny values: those whose smallest non-zero |g| may be
    // below 2^-58, with margin (`gOutMin` is gOut's smallest for a one-sample gradient, which makes |x·gOut|, and
    // g's own smallest for a gradient given whole). Either loop gives the same bits; this one only costs a few more
    // operations a vector where it has nothing to mask.
    if (NATIVE_SUBNORMALS && (factored ? Mathf.abs(x) * gOutMin : gOutMin) < TINY_G_VALUE && smallGApplies(a1, a2, b2)) {
      for (let q: usize = 0; q < vecEnd; q += 16) {
        const gi = factored ? f32x4.add(zero, f32x4.mul(vx, v128.load(gOut + q))) : v128.load(g + q);
        absorbedLanes(p + q, gi, m + q, v + q, vb1, va1, vb2, va2, veps, vbc2, vstep, unit);
      }
      return false;
    }
    for (let q: usize = 0; q < vecEnd; q += 16) {
      const gi = factored ? f32x4.add(zero, f32x4.mul(vx, v128.load(gOut + q))) : v128.load(g + q);
      adamLanesG(p + q, gi, m + q, v + q, 0, 0, vb1, va1, vb2, va2, zero, veps, vbc2, vstep, unit);
    }
    return false;
  }
  // Two vectors at a time while neither holds a tiny g or m (half the checks' branches, and half V8's loop checks);
  // a vector with one is handled alone: tiny gradients in place when adamLanesSmallG applies (Adam's constants
  // meet its conditions), else by litTinyVector, as are tiny m. (A tiny v with a plain m is rare, and only slower.)
  const smallG = smallGApplies(a1, a2, b2);
  const mask = i32x4.splat(0x7fffffff), gMin = i32x4.splat(G_NORMAL_PRODUCT), vMin = i32x4.splat(V_ABSORBS);
  let seen = false;
  let q: usize = 0;
  while (q < vecEnd) {
    for (; q + 32 <= vecEnd; q += 32) {
      const g0 = factored ? f32x4.add(zero, f32x4.mul(vx, v128.load(gOut + q))) : v128.load(g + q);
      const g1 = factored ? f32x4.add(zero, f32x4.mul(vx, v128.load(gOut + q, 16))) : v128.load(g + q, 16);
      const tiny = v128.or(
        v128.or(tinyLanes(g0, TINY_GRAD), tinyLanes(v128.load(m + q), TINY_MOMENT)),
        v128.or(tinyLanes(g1, TINY_GRAD), tinyLanes(v128.load(m + q, 16), TINY_MOMENT)),
      );
      if (v128.any_true(tiny)) break;
      adamLanesG(p + q, g0, m + q, v + q, 0, 0, vb1, va1, vb2, va2, zero, veps, vbc2, vstep, unit);
      adamLanesG(p + q + 16, g1, m + q + 16, v + q + 16, 0, 0, vb1, va1, vb2, va2, zero, veps, vbc2, vstep, unit);
    }
    if (q >= vecEnd) break;
    if (factored) v128.store(g + q, f32x4.add(zero, f32x4.mul(vx, v128.load(gOut + q))));
    const G = v128.load(g + q);
    const tinyG = tinyLanes(G, TINY_GRAD);
    // A tiny m: a lane whose g has been zero for long (a hidden unit saturated to exactly 0 or 1 passes no gradient).
    const tinyM = tinyLanes(v128.load(m + q), TINY_MOMENT);
    if (!v128.any_true(v128.or(tinyG, tinyM))) {
      adamLanes(p + q, g + q, m + q, v + q, 0, 0, vb1, va1, vb2, va2, zero, veps, vbc2, vstep, unit);
    } else {
      seen = true;
      const fits = v128.and(i32x4.ge_s(v128.and(G, mask), gMin), i32x4.ge_s(v128.load(v + q), vMin));
      if (smallG && !v128.any_true(v128.or(tinyM, v128.andnot(tinyG, fits)))) {
        adamLanesSmallG(p + q, g + q, m + q, v + q, tinyG, vb1, va1, vb2, va2, veps, vbc2, vstep, unit);
      } else {
        litTinyVector(p + q, g + q, m + q, v + q, unit, b1, a1, b2, a2, eps, bc2, step, kStill, tmp);
      }
    }
    q += 16;
  }
  return seen;
}

/** 2^-57: twice the largest tiny g (TINY_GRAD), a margin for litRow's check on |x|·min |gOut|. */
const TINY_G_VALUE: f32 = 6.938893903907228e-18;

/**
 * The smallest non-zero |G[i]| of `n` floats, or +∞ when all are ±0 (NaN counts as larger than any number): what
 * litRow compares with 2^-57 to choose its loop in the native build.
 */
export function smallestNonzero(G: usize, n: i32): f32 {
  const mask = i32x4.splat(0x7fffffff), one = i32x4.splat(1);
  let lo = i32x4.splat(-1);
  let i = 0;
  for (; i + 4 <= n; i += 4) lo = i32x4.min_u(lo, i32x4.sub(v128.and(v128.load(G + (<usize>i << 2)), mask), one));
  lo = i32x4.min_u(lo, v128.shuffle<i32>(lo, lo, 2, 3, 0, 1));
  lo = i32x4.min_u(lo, v128.shuffle<i32>(lo, lo, 1, 0, 3, 2));
  let least = <u32>i32x4.extract_lane(lo, 0);
  for (; i < n; i++) least = min(least, (load<u32>(G + (<usize>i << 2)) & 0x7fffffff) - 1);
  return least == 0xffffffff ? Infinity : reinterpret<f32>(least + 1);
}

/** Bits of 2^-122: a g at least this large gives a normal (1−β1)·g for β1 ≤ 0.9375. */
const G_NORMAL_PRODUCT: i32 = (127 - 122) << 23;
/** Bits of 2^-100: a v at least this large absorbs a subnormal (1−β2)·g² (see adamLanesSmallG). */
const V_ABSORBS: i32 = (127 - 100) << 23;

/** Whether Adam's constants meet adamLanesSmallG's conditions (see there). */
// @ts-ignore: decorator
@inline function smallGApplies(a1: f32, a2: f32, b2: f32): bool {
  return a1 >= 0.0625 && a2 >= 0 && a2 <= 0.0019 && b2 >= 0.5;
}

/**
 * adamLanes for lanes where g is tiny (`tinyG`: 2^-122 ≤ |g| < 2^-58) but v ≥ 2^-100: with 0 ≤ 1−β2 ≤ 0.0019,
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
 * The native build's adamLanesG (see subnormals.ts) where Adam's constants meet smallGApplies: a lane with a tiny g
 * (0 < |g| < 2^-58) whose v absorbs its square (v ≥ 2^-100) adds +0 for it, exactly as adamLanesSmallG shows. The
 * same bits, without the square's underflow into the subnormals: a float32 product of normal values with a
 * subnormal result costs AMD Zen 4 about three times a plain one (late in training, one lit vector in ten).
 */
// @ts-ignore: decorator
@inline function absorbedLanes(
  p: usize, gi: v128, m: usize, v: usize, b1: v128, a1: v128, b2: v128, a2: v128, eps: v128, bc2: v128, step: v128, unit: bool,
): void {
  const V = v128.load(v);
  const gq = v128.andnot(gi, v128.and(belowLanes(gi, TINY_GRAD), i32x4.ge_s(V, i32x4.splat(V_ABSORBS))));
  const mi = f32x4.add(f32x4.mul(v128.load(m), b1), f32x4.mul(a1, gi));
  const vi = f32x4.add(f32x4.mul(V, b2), f32x4.mul(f32x4.mul(a2, gq), gq));
  v128.store(m, mi);
  v128.store(v, vi);
  store2(p, v128.load(p), mi, vi, eps, bc2, step, unit);
}

/**
 * One vector of a row with a gradient holding a tiny g, m or v. Lanes with a tiny g take adamLanesSmallG's masked
 * square (when its conditions hold). Lanes with a tiny m or v whose g is +0 (a hidden unit saturated to exactly 0
 * or 1 passes no gradient) are dark lanes in a lit row when their update of p is provably negligible (see
 * stillLanes). Anything else takes the exact float64 path.
 */
function litTinyVector(
  p: usize, g: usize, m: usize, v: usize, unit: bool,
  b1: f32, a1: f32, b2: f32, a2: f32, eps: f32, bc2: f32, step: f32, kStill: f32, tmp: usize,
): void {
  const G = v128.load(g), M = v128.load(m), V = v128.load(v), P = v128.load(p);
  const mask = i32x4.splat(0x7fffffff);
  const tinyG = tinyLanes(G, TINY_GRAD);
  const dark = tinyMoments(M, V);
  // Lanes with a tiny g need 2^-122 ≤ |g| and 2^-100 ≤ v (v ≥ 0 here unless it is −0 or NaN: then not).
  const fitsG = v128.and(i32x4.ge_s(v128.and(G, mask), i32x4.splat(G_NORMAL_PRODUCT)), i32x4.ge_s(V, i32x4.splat(V_ABSORBS)));
  // Dark lanes need g = +0 (its bits) besides stillLanes' conditions.
  const fitsDark = v128.and(i32x4.eq(G, i32x4.splat(0)), stillLanes(P, M, V, kStill));
  if (smallGApplies(a1, a2, b2)
    && !v128.any_true(v128.andnot(tinyG, fitsG)) && !v128.any_true(v128.andnot(dark, fitsDark))) {
    const gq = v128.andnot(G, tinyG);
    const vb1 = f32x4.splat(b1), vb2 = f32x4.splat(b2);
    const mi = f32x4.add(f32x4.mul(v128.andnot(M, dark), vb1), f32x4.mul(f32x4.splat(a1), G));
    const vi = f32x4.add(f32x4.mul(v128.bitselect(f32x4.splat(1), V, dark), vb2), f32x4.mul(f32x4.mul(f32x4.splat(a2), gq), gq));
    storeDark(p, m, v, P, M, V, mi, vi, dark, b1, b2, eps, bc2, step, unit);
    return;
  }
  adamTiny(p, g, m, v, 0, 0, b1, a1, b2, a2, 0, eps, bc2, step, tmp);
}

/**
 * Stores a vector with dark lanes. A lane with g = +0 whose update of p is provably negligible (stillLanes) is a
 * dark lane: m·β1 + 0 and v·β2 + 0 (exactly, through decayAny, however tiny they are), and p stays. `mi` and `vi`
 * come from the float32 update computed with the dark lanes' m set to +0 and v to 1 (so no tiny value enters an
 * instruction), which gives those lanes p + step·(+0/denom) = p + (−0) = p, their very p.
 */
// @ts-ignore: decorator
@inline function storeDark(
  p: usize, m: usize, v: usize, P: v128, M: v128, V: v128, mi: v128, vi: v128, dark: v128,
  b1: f32, b2: f32, eps: f32, bc2: f32, step: f32, unit: bool,
): void {
  v128.store(m, v128.bitselect(decayAny(M, f32x4.splat(b1), f64x2.splat(<f64>b1)), mi, dark));
  v128.store(v, v128.bitselect(decayAny(V, f32x4.splat(b2), f64x2.splat(<f64>b2)), vi, dark));
  store2(p, P, mi, vi, f32x4.splat(eps), bc2Inverse(bc2), f32x4.splat(step), unit);
}

/**
 * One Adam row without gradient for a few steps: the float32 update with g = +0. When `checked`, vectors with a
 * tiny m (decaying from a faint pixel's tiny gradient, or in a lane whose gradient has been zero for long) are
 * looked for in every vector, handled one by one (youngTinyVector), and their offsets marked in `marks` (one i32 per
 * vector; 0 for none); when `nseg` > 0 they are looked for only after each run of `segs` (see adamRows), where the
 * last full check found some. Returns whether it found one. Checks steer speed only.
 */
// @ts-ignore: decorator
@inline export function youngRow(
  p: usize, g: usize, m: usize, v: usize, vecEnd: usize, shortcuts: bool, unit: bool, checked: bool, marks: usize,
  segs: usize, nseg: i32,
  b1: f32, a1: f32, b2: f32, a2: f32, eps: f32, bc2: f32, step: f32, kStill: f32, tmp: usize,
): bool {
  if (checked) return youngRest(p, g, m, v, 0, vecEnd, shortcuts, unit, marks, b1, a1, b2, a2, eps, bc2, step, kStill, tmp);
  const vb1 = f32x4.splat(b1), vb2 = f32x4.splat(b2), veps = f32x4.splat(eps), vbc2 = bc2Inverse(bc2);
  const vstep = f32x4.splat(step);
  if (nseg == 0) {
    for (let q: usize = 0; q < vecEnd; q += 16) darkLanes(p + q, m + q, v + q, vb1, vb2, veps, vbc2, vstep, unit);
    return false;
  }
  let found = false;
  for (let s = 0; s < nseg; s++) {
    const from = <usize>load<i32>(segs + (<usize>s << 3)), to = <usize>load<i32>(segs + (<usize>s << 3), 4);
    for (let q = from; q < to; q += 16) darkLanes(p + q, m + q, v + q, vb1, vb2, veps, vbc2, vstep, unit);
    if (to >= vecEnd) break;
    // The vector after the run, where the last full check met a tiny m.
    if (v128.any_true(tinyLanes(v128.load(m + to), TINY_MOMENT))) {
      found = true;
      youngTinyVector(p + to, g + to, m + to, v + to, shortcuts, unit, b1, a1, b2, a2, eps, bc2, step, kStill, tmp);
    } else {
      darkLanes(p + to, m + to, v + to, vb1, vb2, veps, vbc2, vstep, unit);
    }
  }
  return found;
}

/**
 * The update of a young row from vector offset `q` until a vector with a tiny moment; returns that vector's
 * offset, or vecEnd. No call in the loop, so its constants stay in registers.
 */
// @ts-ignore: decorator
@inline function youngRun(
  p: usize, m: usize, v: usize, q: usize, vecEnd: usize, unit: bool, b1: f32, b2: f32, eps: f32, bc2: f32, step: f32,
): usize {
  const vb1 = f32x4.splat(b1), vb2 = f32x4.splat(b2), veps = f32x4.splat(eps), vbc2 = bc2Inverse(bc2), vstep = f32x4.splat(step);
  for (; q < vecEnd; q += 16) {
    // Only m is checked (three instructions): a tiny v with a plain m is rare, and only slower.
    if (v128.any_true(tinyLanes(v128.load(m + q), TINY_MOMENT))) break;
    darkLanes(p + q, m + q, v + q, vb1, vb2, veps, vbc2, vstep, unit);
  }
  return q;
}

/**
 * One vector of a young row holding a tiny moment: when every lane with a tiny m or v is a dark lane whose update of
 * p is provably negligible (see stillLanes), those lanes' moments decay exactly and the others take the float32
 * update; else the exact float64 path. (A hidden unit saturated to exactly 0 or 1 passes no gradient: its lane
 * decays to m's fixed point in every row, among lanes that still move.)
 */
export function youngTinyVector(
  p: usize, g: usize, m: usize, v: usize, shortcuts: bool, unit: bool,
  b1: f32, a1: f32, b2: f32, a2: f32, eps: f32, bc2: f32, step: f32, kStill: f32, tmp: usize,
): void {
  const M = v128.load(m), V = v128.load(v), P = v128.load(p);
  const dark = tinyMoments(M, V);
  if (shortcuts && !v128.any_true(v128.andnot(dark, stillLanes(P, M, V, kStill)))) {
    const zero = f32x4.splat(0);
    const mi = f32x4.add(f32x4.mul(v128.andnot(M, dark), f32x4.splat(b1)), zero);
    const vi = f32x4.add(f32x4.mul(v128.bitselect(f32x4.splat(1), V, dark), f32x4.splat(b2)), zero);
    storeDark(p, m, v, P, M, V, mi, vi, dark, b1, b2, eps, bc2, step, unit);
    return;
  }
  adamTiny(p, g, m, v, 0, 0, b1, a1, b2, a2, 0, eps, bc2, step, tmp);
}

/**
 * A young row from vector offset `q`: runs of plain vectors, and the tiny ones one by one, marked in `marks` (one
 * i32 per vector) when it is not 0; whether there were any.
 */
function youngRest(
  p: usize, g: usize, m: usize, v: usize, q: usize, vecEnd: usize, shortcuts: bool, unit: bool, marks: usize,
  b1: f32, a1: f32, b2: f32, a2: f32, eps: f32, bc2: f32, step: f32, kStill: f32, tmp: usize,
): bool {
  let found = false;
  while (q < vecEnd) {
    q = unit ? youngRun(p, m, v, q, vecEnd, true, b1, b2, eps, bc2, step) : youngRun(p, m, v, q, vecEnd, false, b1, b2, eps, bc2, step);
    if (q >= vecEnd) break;
    found = true;
    if (marks != 0) store<i32>(marks + (q >> 2), 1);
    youngTinyVector(p + q, g + q, m + q, v + q, shortcuts, unit, b1, a1, b2, a2, eps, bc2, step, kStill, tmp);
    q += 16;
  }
  return found;
}
