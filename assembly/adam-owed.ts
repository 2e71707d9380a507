// Owed updates of young rows (adamRows' DEFER): a row without gradient for fewer than YOUNG_ROW steps takes the
// zero-gradient update at every step, m·β1 + 0, v·β2 + 0 and p's move, which changes p only through what its own
// m, v and that step's scalars give. So those updates can wait until something reads the row: then they are
// applied in order, step by step with each step's scalars (kept in a ring), the same operations as darkLanes on
// the same values, so the same bits. Waiting costs no arithmetic and saves the memory traffic of reading and
// writing every young row at every step: a row's owed steps are done with its vectors held in registers.
import { bc2Inverse, darkLanes, overBc2 } from './adam';
import { youngTinyVector } from './adam-recent';
import { TINY_MOMENT, tinyLanes } from './exact';

/** Steps whose scalars the ring keeps: more than any row may owe (YOUNG_ROW − 1). */
export const RING = 256;
/** Bytes per step in the ring: step size (negated), √(1−β2ᵗ), eps, kStill, as f32; then 1/√(1−β2ᵗ) as f64 (bc2Inverse). */
const ENTRY: i32 = 32;
/** Bits of 2^-80: an m at least this large stays normal through 255 decays by β1 ≥ 0.9 (0.9^255 > 2^-39). */
const M_SAFE: i32 = (127 - 80) << 23;
/** Bits of 2^-100: a v at least this large stays far from the subnormals through 255 decays by β2 ≥ 0.9. */
const V_SAFE: i32 = (127 - 100) << 23;

/** Records step `at`'s scalars in the ring. */
export function ringPut(ring: usize, at: i32, step: f32, bc2: f32, eps: f32, kStill: f32): void {
  const e = ring + (<usize>(at & (RING - 1)) * ENTRY);
  store<f32>(e, step);
  store<f32>(e, bc2, 4);
  store<f32>(e, eps, 8);
  store<f32>(e, kStill, 12);
  store<f64>(e, 1.0 / <f64>bc2, 16);
}

/** The kStill that step `at` recorded in the ring. */
export function ringStill(ring: usize, at: i32): f32 {
  return load<f32>(ring + (<usize>(at & (RING - 1)) * ENTRY), 12);
}

/**
 * Applies the `debt` zero-gradient updates a row owes, those of ring steps last − debt + 1 … last, in order.
 * Vectors whose moments cannot come near the subnormals in that many steps take them in registers, two vectors at
 * a time; the others step by step through youngRow's paths (exact paths for tiny values). `zero` is 16 zero bytes,
 * `tmp` 128 bytes of scratch. Returns whether a tiny moment was met.
 */
export function payRow(
  p: usize, m: usize, v: usize, vecEnd: usize, debt: i32, ring: usize, last: i32, b1: f32, b2: f32, zero: usize, tmp: usize,
): bool {
  const first = last - debt + 1;
  const vb1 = f32x4.splat(b1), vb2 = f32x4.splat(b2);
  let found = false;
  let q: usize = 0;
  while (q < vecEnd) {
    // A run of safe vectors, two at a time.
    for (; q + 32 <= vecEnd; q += 32) {
      const M0 = v128.load(m + q), V0 = v128.load(v + q), M1 = v128.load(m + q, 16), V1 = v128.load(v + q, 16);
      const risky = v128.or(v128.or(tinyLanes(M0, M_SAFE), tinyLanes(V0, V_SAFE)), v128.or(tinyLanes(M1, M_SAFE), tinyLanes(V1, V_SAFE)));
      if (v128.any_true(risky)) break;
      payTwo(p + q, m + q, v + q, M0, V0, M1, V1, first, last, ring, vb1, vb2);
    }
    if (q >= vecEnd) break;
    const M = v128.load(m + q), V = v128.load(v + q);
    if (!v128.any_true(v128.or(tinyLanes(M, M_SAFE), tinyLanes(V, V_SAFE)))) {
      payOne(p + q, m + q, v + q, M, V, first, last, ring, vb1, vb2);
    } else {
      found = payRisky(p + q, m + q, v + q, first, last, ring, b1, b2, zero, tmp) || found;
    }
    q += 16;
  }
  return found;
}

/** Two vectors' owed steps in registers: each step darkLanes' operations, with that step's scalars. */
// @ts-ignore: decorator
@inline function payTwo(
  p: usize, m: usize, v: usize, M0: v128, V0: v128, M1: v128, V1: v128, first: i32, last: i32, ring: usize, vb1: v128, vb2: v128,
): void {
  const zero = f32x4.splat(0);
  let P0 = v128.load(p), P1 = v128.load(p, 16);
  let m0 = M0, v0 = V0, m1 = M1, v1 = V1;
  for (let s = first; s <= last; s++) {
    const e = ring + (<usize>(s & (RING - 1)) * ENTRY);
    const step = v128.load32_splat(e), bc2 = load<f32>(e, 4), eps = v128.load32_splat(e, 8);
    m0 = f32x4.add(f32x4.mul(m0, vb1), zero);
    m1 = f32x4.add(f32x4.mul(m1, vb1), zero);
    v0 = f32x4.add(f32x4.mul(v0, vb2), zero);
    v1 = f32x4.add(f32x4.mul(v1, vb2), zero);
    let r0 = f32x4.sqrt(v0), r1 = f32x4.sqrt(v1);
    if (bc2 != 1) {
      const inv = v128.load64_splat(e, 16);
      r0 = overBc2(r0, inv);
      r1 = overBc2(r1, inv);
    }
    P0 = f32x4.add(P0, f32x4.mul(step, f32x4.div(m0, f32x4.add(r0, eps))));
    P1 = f32x4.add(P1, f32x4.mul(step, f32x4.div(m1, f32x4.add(r1, eps))));
  }
  v128.store(p, P0);
  v128.store(p, P1, 16);
  v128.store(m, m0);
  v128.store(m, m1, 16);
  v128.store(v, v0);
  v128.store(v, v1, 16);
}

/** One vector's owed steps in registers (payTwo for one). */
// @ts-ignore: decorator
@inline function payOne(p: usize, m: usize, v: usize, M: v128, V: v128, first: i32, last: i32, ring: usize, vb1: v128, vb2: v128): void {
  const zero = f32x4.splat(0);
  let P = v128.load(p), mi = M, vi = V;
  for (let s = first; s <= last; s++) {
    const e = ring + (<usize>(s & (RING - 1)) * ENTRY);
    const bc2 = load<f32>(e, 4);
    mi = f32x4.add(f32x4.mul(mi, vb1), zero);
    vi = f32x4.add(f32x4.mul(vi, vb2), zero);
    let r = f32x4.sqrt(vi);
    if (bc2 != 1) r = overBc2(r, v128.load64_splat(e, 16));
    P = f32x4.add(P, f32x4.mul(v128.load32_splat(e), f32x4.div(mi, f32x4.add(r, v128.load32_splat(e, 8)))));
  }
  v128.store(p, P);
  v128.store(m, mi);
  v128.store(v, vi);
}

/** One vector's owed steps one at a time in memory, as youngRow takes them (tiny moments by their exact paths). */
function payRisky(p: usize, m: usize, v: usize, first: i32, last: i32, ring: usize, b1: f32, b2: f32, zero: usize, tmp: usize): bool {
  const vb1 = f32x4.splat(b1), vb2 = f32x4.splat(b2);
  const a1 = <f32>1 - b1, a2 = <f32>1 - b2;
  let found = false;
  for (let s = first; s <= last; s++) {
    const e = ring + (<usize>(s & (RING - 1)) * ENTRY);
    const step = load<f32>(e), bc2 = load<f32>(e, 4), eps = load<f32>(e, 8), kStill = load<f32>(e, 12);
    const unit = bc2 == 1.0;
    if (v128.any_true(tinyLanes(v128.load(m), TINY_MOMENT))) {
      found = true;
      youngTinyVector(p, zero, m, v, kStill > 0, unit, b1, a1, b2, a2, eps, bc2, step, kStill, tmp);
    } else {
      darkLanes(p, m, v, vb1, vb2, f32x4.splat(eps), bc2Inverse(bc2), f32x4.splat(step), unit);
    }
  }
  return found;
}
