// Adam for the rows of pixels lit now or in the last few hundred steps (see adam-rows.ts): the float32 update,
// with checks for tiny values when the caller asks (exact float64 paths for those, without subnormal slowdowns).
import { adamLanes, adamTiny, darkLanes, store2 } from './adam';
import { decayAny } from './decay';
import { TINY_GRAD, TINY_MOMENT, tinyLanes, tinyMoments } from './exact';

/**
 * One Adam row with a gradient: the float32 update. When `checked`, tiny gradients (late in training, faint
 * pixels get gradients below 2^-58, whose squares are subnormal) and tiny m are looked for: the first kind is
 * handled in the loop (adamLanesSmallG); otherwise the row goes on in litRest, vector by vector. Returns whether
 * it met any. Float32 arithmetic on subnormals costs x86 a microcode assist of a hundred cycles or more; the fast
 * loop holds no call, so it keeps its constants in registers. Checks steer speed only: every path gives the same
 * bits.
 */
// @ts-ignore: decorator
@inline export function litRow(
  p: usize, g: usize, m: usize, v: usize, vecEnd: usize, unit: bool, checked: bool,
  b1: f32, a1: f32, b2: f32, a2: f32, eps: f32, bc2: f32, step: f32, kStill: f32, tmp: usize,
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
    litRest(p, g, m, v, q, vecEnd, unit, b1, a1, b2, a2, eps, bc2, step, kStill, tmp);
    return true;
  }
  return v128.any_true(seen);
}

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
 * One vector of a row with a gradient holding a tiny g, m or v. Lanes with a tiny g take adamLanesSmallG's masked
 * square (when its conditions hold). Lanes with a tiny m whose g is +0 (a hidden unit saturated to exactly 0 or 1
 * passes no gradient) and whose update of p is provably negligible (|m| < |p|·kStill, see adamRows) are dark lanes
 * in a lit row: m decays exactly (decayAny), v by v·β2 + 0 and p stays — computed in the float32 update with their m
 * set to +0, which gives those very v and p, and m then taken from the exact decay. Anything else takes the exact
 * float64 path.
 */
function litTinyVector(
  p: usize, g: usize, m: usize, v: usize, unit: bool,
  b1: f32, a1: f32, b2: f32, a2: f32, eps: f32, bc2: f32, step: f32, kStill: f32, tmp: usize,
): void {
  const G = v128.load(g), M = v128.load(m), V = v128.load(v), P = v128.load(p);
  const mask = i32x4.splat(0x7fffffff);
  const tinyG = tinyLanes(G, TINY_GRAD);
  const tinyM = tinyLanes(M, TINY_MOMENT);
  // Lanes with a tiny g need 2^-122 ≤ |g| and 2^-100 ≤ v (v ≥ 0 here unless it is −0 or NaN: then not).
  const fitsG = v128.and(i32x4.ge_s(v128.and(G, mask), i32x4.splat(G_NORMAL_PRODUCT)), i32x4.ge_s(V, i32x4.splat(V_ABSORBS)));
  // Lanes with a tiny m need g = +0 (its bits), a negligible update and a v that is not NaN.
  const still = f32x4.lt(f32x4.abs(M), f32x4.mul(f32x4.abs(P), f32x4.splat(kStill)));
  const fitsM = v128.and(v128.and(i32x4.eq(G, i32x4.splat(0)), still), f32x4.eq(V, V));
  // (A tiny v would give the same bits in float32, only slowly: the float64 path is quicker then.)
  if (a1 >= 0.0625 && a2 <= 0.0019 && b2 >= 0.5 && !v128.any_true(tinyLanes(V, TINY_MOMENT))
    && !v128.any_true(v128.andnot(tinyG, fitsG)) && !v128.any_true(v128.andnot(tinyM, fitsM))) {
    const vb1 = f32x4.splat(b1);
    const gq = v128.andnot(G, tinyG);
    const mi = f32x4.add(f32x4.mul(v128.andnot(M, tinyM), vb1), f32x4.mul(f32x4.splat(a1), G));
    const vi = f32x4.add(f32x4.mul(V, f32x4.splat(b2)), f32x4.mul(f32x4.mul(f32x4.splat(a2), gq), gq));
    v128.store(m, v128.bitselect(decayAny(M, vb1, f64x2.splat(<f64>b1)), mi, tinyM));
    v128.store(v, vi);
    store2(p, P, mi, vi, f32x4.splat(eps), f32x4.splat(bc2), f32x4.splat(step), unit);
    return;
  }
  adamTiny(p, g, m, v, 0, 0, b1, a1, b2, a2, 0, eps, bc2, step, tmp);
}

/** The rest of a row with a gradient from vector offset `q`: runs of plain vectors, and the tiny ones one by one. */
export function litRest(
  p: usize, g: usize, m: usize, v: usize, q: usize, vecEnd: usize, unit: bool,
  b1: f32, a1: f32, b2: f32, a2: f32, eps: f32, bc2: f32, step: f32, kStill: f32, tmp: usize,
): void {
  while (q < vecEnd) {
    q = unit
      ? litRun(p, g, m, v, q, vecEnd, true, b1, a1, b2, a2, eps, bc2, step)
      : litRun(p, g, m, v, q, vecEnd, false, b1, a1, b2, a2, eps, bc2, step);
    if (q >= vecEnd) return;
    litTinyVector(p + q, g + q, m + q, v + q, unit, b1, a1, b2, a2, eps, bc2, step, kStill, tmp);
    q += 16;
  }
}

/**
 * One Adam row without gradient for a few steps: the float32 update with g = +0; when `checked`, vectors with a
 * tiny m (decaying from a faint pixel's tiny gradient, or in a lane whose gradient has been zero for long) are
 * looked for and handled one by one (youngRest). Returns whether it found one. Checks steer speed only.
 */
// @ts-ignore: decorator
@inline export function youngRow(
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
    v128.store(m, decayAny(M, f32x4.splat(b1), f64x2.splat(<f64>b1)));
    v128.store(v, decayAny(V, f32x4.splat(b2), f64x2.splat(<f64>b2)));
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
