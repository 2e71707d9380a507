// Adam over flat arrays (biases, weights without a row list): every vector checked for tiny values, which take
// exact paths (see adam.ts and adam-recent.ts).
import { AMSGRAD, DECAY, adamLanes, adamOne, adamTiny, bc2Inverse } from './adam';
import { litRow, smallestNonzero } from './adam-recent';
import { TINY_GRAD, TINY_MOMENT, tinyLanes, tinyMoments } from './exact';
import { NATIVE_SUBNORMALS } from './subnormals';

/**
 * Adam with weight decay, maximize or amsgrad over n elements, with every vector checked for tiny values first
 * (the exact float64 path for those, adamTiny).
 */
function adamChecked(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32, flags: i32,
  b1: f32, a1: f32, b2: f32, a2: f32, wd: f32, eps: f32, bc2: f32, step: f32, tmp: usize,
): void {
  const vb1 = f32x4.splat(b1), va1 = f32x4.splat(a1), vb2 = f32x4.splat(b2), va2 = f32x4.splat(a2);
  const vwd = f32x4.splat(wd), veps = f32x4.splat(eps), vbc2 = bc2Inverse(bc2), vstep = f32x4.splat(step);
  const rule = flags & 7;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const G = v128.load(g + o), M = v128.load(m + o), V = v128.load(v + o);
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
    adamTiny(p + o, g + o, m + o, v + o, vmax + o, rule, b1, a1, b2, a2, wd, eps, bc2, step, tmp);
  }
  tail(p, g, m, v, vmax, i, n, rule, b1, a1, b2, a2, wd, eps, bc2, step);
}

/** The elements past the last whole vector, one by one. */
function tail(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, i: i32, n: i32, rule: i32,
  b1: f32, a1: f32, b2: f32, a2: f32, wd: f32, eps: f32, bc2: f32, step: f32,
): void {
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
 * The plain rule (no flags) takes litRow's loops, as a row with a gradient does in adamRows: plain vectors in float32,
 * vectors with tiny values by exact paths (or, in the native build, tiny gradients whose squares v absorbs masked);
 * `kStill` (0 when its conditions fail: see adamRows) lets a lane with a tiny m and a zero gradient only decay its
 * moments. Once √(1−β2ᵗ) is 1 in float32, the division by it is skipped (x / 1 is x).
 */
export function adam(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32, flags: i32,
  b1: f32, a1: f32, b2: f32, a2: f32, wd: f32, eps: f32, bc2: f32, step: f32, kStill: f32, tmp: usize,
): void {
  if ((flags & 7) == 0) {
    // The plain rule: as a row with a gradient (see litRow).
    const vecEnd = <usize>(n & ~3) << 2;
    // The native build's loop for gradients that may hold tiny values (see litRow) is chosen by their smallest.
    const gMin: f32 = NATIVE_SUBNORMALS ? smallestNonzero(g, n) : Infinity;
    if (bc2 == 1) litRow(p, g, m, v, vecEnd, true, !NATIVE_SUBNORMALS, b1, a1, b2, a2, eps, bc2, step, kStill, tmp, false, 0, 0, gMin);
    else litRow(p, g, m, v, vecEnd, false, !NATIVE_SUBNORMALS, b1, a1, b2, a2, eps, bc2, step, kStill, tmp, false, 0, 0, gMin);
    tail(p, g, m, v, vmax, n & ~3, n, 0, b1, a1, b2, a2, wd, eps, bc2, step);
    return;
  }
  adamChecked(p, g, m, v, vmax, n, flags, b1, a1, b2, a2, wd, eps, bc2, step, tmp);
}
