// Batch normalisation's passes over an input [N, C, S] (src/ops/batch-norm.ts; the reference is
// src/kernels/ref/batch-norm.ts): each channel's float64 sums, and the elementwise output and input gradient in
// float64 lanes rounded once to float32. A channel's sum goes in four float64 lanes: value s of each sample's run of S
// values into lane s mod 4, the lanes added as (l0 + l2) + (l1 + l3) at the end — the reference's order exactly.
import { load2, promoteHigh, store2 } from './layer-norm-lanes';

/** (l0 + l2) + (l1 + l3) of the lanes [l0, l1] and [l2, l3]. */
// @ts-ignore: decorator
@inline function total(a: v128, b: v128): f64 {
  const s = f64x2.add(a, b);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/** Adds v to lane t (0–2, for a run's last values) of the four float64 lanes stored at `lanes`. */
// @ts-ignore: decorator
@inline function addLane(lanes: usize, t: i32, v: f64): void {
  const p = lanes + (<usize>t << 3);
  store<f64>(p, load<f64>(p) + v);
}

/**
 * mean[c] = (the lane sum of channel c's values) / n, and sq[c] = the lane sum of (x − mean[c])², float64, for x
 * [N, C, S] and n = N·S. `lanes`: 32 bytes of scratch.
 */
function channelStats(x: usize, nN: i32, nC: i32, nS: i32, mean: usize, sq: usize, lanes: usize): void {
  const n = <f64>nN * <f64>nS;
  const whole = nS & ~3;
  const runBytes = <usize>nS << 2;
  for (let c = 0; c < nC; c++) {
    let a = f64x2.splat(0), b = f64x2.splat(0);
    for (let i = 0; i < nN; i++) {
      const run = x + (<usize>i * <usize>nC + <usize>c) * runBytes;
      for (let s = 0; s < whole; s += 4) {
        const v = v128.load(run + (<usize>s << 2));
        a = f64x2.add(a, f64x2.promote_low_f32x4(v));
        b = f64x2.add(b, promoteHigh(v));
      }
      if (whole < nS) {
        v128.store(lanes, a);
        v128.store(lanes, b, 16);
        for (let s = whole; s < nS; s++) addLane(lanes, s - whole, <f64>load<f32>(run + (<usize>s << 2)));
        a = v128.load(lanes);
        b = v128.load(lanes, 16);
      }
    }
    const m = total(a, b) / n;
    store<f64>(mean + (<usize>c << 3), m);
    const mm = f64x2.splat(m);
    a = f64x2.splat(0);
    b = f64x2.splat(0);
    for (let i = 0; i < nN; i++) {
      const run = x + (<usize>i * <usize>nC + <usize>c) * runBytes;
      for (let s = 0; s < whole; s += 4) {
        const v = v128.load(run + (<usize>s << 2));
        const d0 = f64x2.sub(f64x2.promote_low_f32x4(v), mm);
        const d1 = f64x2.sub(promoteHigh(v), mm);
        a = f64x2.add(a, f64x2.mul(d0, d0));
        b = f64x2.add(b, f64x2.mul(d1, d1));
      }
      if (whole < nS) {
        v128.store(lanes, a);
        v128.store(lanes, b, 16);
        for (let s = whole; s < nS; s++) {
          const d = <f64>load<f32>(run + (<usize>s << 2)) - m;
          addLane(lanes, s - whole, d * d);
        }
        a = v128.load(lanes);
        b = v128.load(lanes, 16);
      }
    }
    store<f64>(sq + (<usize>c << 3), total(a, b));
  }
}

/** y = float32((x − mean[c])·scale[c] + shift[c]) over x [N, C, S], the per-channel factors float64. */
function normalizeChannels(x: usize, nN: i32, nC: i32, nS: i32, mean: usize, scale: usize, shift: usize, y: usize): void {
  const pairs = nS & ~1;
  for (let i = 0; i < nN; i++) {
    for (let c = 0; c < nC; c++) {
      const at = (<usize>i * <usize>nC + <usize>c) * <usize>nS << 2;
      const m = load<f64>(mean + (<usize>c << 3)), k = load<f64>(scale + (<usize>c << 3)), h = load<f64>(shift + (<usize>c << 3));
      const mm = f64x2.splat(m), kk = f64x2.splat(k), hh = f64x2.splat(h);
      for (let s = 0; s < pairs; s += 2) {
        const o = at + (<usize>s << 2);
        store2(y + o, f64x2.add(f64x2.mul(f64x2.sub(load2(x + o), mm), kk), hh));
      }
      if (pairs < nS) {
        const o = at + (<usize>pairs << 2);
        store<f32>(y + o, <f32>((<f64>load<f32>(x + o) - m) * k + h));
      }
    }
  }
}

/**
 * sumG[c] = the lane sum of g, and dot[c] = the lane sum of (x − mean[c])·g, over channel c of g and x [N, C, S];
 * float64. `lanes`: 64 bytes of scratch.
 */
function channelGradSums(g: usize, x: usize, nN: i32, nC: i32, nS: i32, mean: usize, sumG: usize, dot: usize, lanes: usize): void {
  const whole = nS & ~3;
  const runBytes = <usize>nS << 2;
  for (let c = 0; c < nC; c++) {
    const m = load<f64>(mean + (<usize>c << 3));
    const mm = f64x2.splat(m);
    let a = f64x2.splat(0), b = f64x2.splat(0), p = f64x2.splat(0), q = f64x2.splat(0);
    for (let i = 0; i < nN; i++) {
      const off = (<usize>i * <usize>nC + <usize>c) * runBytes;
      for (let s = 0; s < whole; s += 4) {
        const o = off + (<usize>s << 2);
        const gv = v128.load(g + o), xv = v128.load(x + o);
        const g0 = f64x2.promote_low_f32x4(gv), g1 = promoteHigh(gv);
        a = f64x2.add(a, g0);
        b = f64x2.add(b, g1);
        p = f64x2.add(p, f64x2.mul(f64x2.sub(f64x2.promote_low_f32x4(xv), mm), g0));
        q = f64x2.add(q, f64x2.mul(f64x2.sub(promoteHigh(xv), mm), g1));
      }
      if (whole < nS) {
        v128.store(lanes, a);
        v128.store(lanes, b, 16);
        v128.store(lanes, p, 32);
        v128.store(lanes, q, 48);
        for (let s = whole; s < nS; s++) {
          const o = off + (<usize>s << 2);
          const gs = <f64>load<f32>(g + o);
          addLane(lanes, s - whole, gs);
          addLane(lanes + 32, s - whole, (<f64>load<f32>(x + o) - m) * gs);
        }
        a = v128.load(lanes);
        b = v128.load(lanes, 16);
        p = v128.load(lanes, 32);
        q = v128.load(lanes, 48);
      }
    }
    store<f64>(sumG + (<usize>c << 3), total(a, b));
    store<f64>(dot + (<usize>c << 3), total(p, q));
  }
}

/**
 * The input's gradient over [N, C, S], float64 rounded once: with `training`, gx = float32((g − gMean[c] − (x −
 * mean[c])·k[c])·wr[c]), else gx = float32(g·wr[c]).
 */
function normalizeBackward(
  g: usize, x: usize, nN: i32, nC: i32, nS: i32, mean: usize, gMean: usize, k: usize, wr: usize, training: bool, gx: usize,
): void {
  const pairs = nS & ~1;
  for (let i = 0; i < nN; i++) {
    for (let c = 0; c < nC; c++) {
      const at = (<usize>i * <usize>nC + <usize>c) * <usize>nS << 2;
      const cc = <usize>c << 3;
      const w = load<f64>(wr + cc);
      const ww = f64x2.splat(w);
      if (training) {
        const m = load<f64>(mean + cc), gm = load<f64>(gMean + cc), kc = load<f64>(k + cc);
        const mm = f64x2.splat(m), gg = f64x2.splat(gm), kk = f64x2.splat(kc);
        for (let s = 0; s < pairs; s += 2) {
          const o = at + (<usize>s << 2);
          const d = f64x2.sub(f64x2.sub(load2(g + o), gg), f64x2.mul(f64x2.sub(load2(x + o), mm), kk));
          store2(gx + o, f64x2.mul(d, ww));
        }
        if (pairs < nS) {
          const o = at + (<usize>pairs << 2);
          store<f32>(gx + o, <f32>((<f64>load<f32>(g + o) - gm - (<f64>load<f32>(x + o) - m) * kc) * w));
        }
      } else {
        for (let s = 0; s < pairs; s += 2) {
          const o = at + (<usize>s << 2);
          store2(gx + o, f64x2.mul(load2(g + o), ww));
        }
        if (pairs < nS) {
          const o = at + (<usize>pairs << 2);
          store<f32>(gx + o, <f32>(<f64>load<f32>(g + o) * w));
        }
      }
    }
  }
}

/**
 * The forward pass over x [N, C, S] (N·S > 0) in one call: with `training`, each channel's mean and sum of squared
 * deviations into mean and sq and invstd = 1/√(sq/n + eps) (0 for a variance and eps of 0, as PyTorch's InvStd);
 * otherwise mean and invstd are given. Then y = float32((x − mean)·invstd·w + b), w and b float32 per channel (0 for
 * none: 1 and 0). The per-channel arrays are float64; `scratch`: 16·C + 32 bytes.
 */
export function batchNormForward(
  x: usize, nN: i32, nC: i32, nS: i32, training: bool, eps: f64, w: usize, b: usize, mean: usize, sq: usize, invstd: usize,
  scratch: usize, y: usize,
): void {
  const scale = scratch, shift = scratch + (<usize>nC << 3), lanes = scratch + (<usize>nC << 4);
  if (training) {
    channelStats(x, nN, nC, nS, mean, sq, lanes);
    const n = <f64>nN * <f64>nS;
    for (let c = 0; c < nC; c++) {
      const v = load<f64>(sq + (<usize>c << 3)) / n;
      store<f64>(invstd + (<usize>c << 3), v == 0 && eps == 0 ? 0 : 1 / Math.sqrt(v + eps));
    }
  }
  for (let c = 0; c < nC; c++) {
    const o = <usize>c << 3;
    const r = load<f64>(invstd + o);
    store<f64>(scale + o, w == 0 ? r * 1 : r * <f64>load<f32>(w + (<usize>c << 2)));
    store<f64>(shift + o, b == 0 ? 0 : <f64>load<f32>(b + (<usize>c << 2)));
  }
  normalizeChannels(x, nN, nC, nS, mean, scale, shift, y);
}

/**
 * The backward pass over g and x [N, C, S] in one call: each channel's sum of g and of (x − mean)·g into sumG and
 * dot (float64), and, when gx is not 0, the input's gradient: with `training` gx = float32((g − sumG/n − (x −
 * mean)·k)·wr), k = dot·r·r/n, else float32(g·wr), for r = invstd and wr = r·w (w float32 per channel, 0 for none).
 * `scratch`: 24·C + 64 bytes.
 */
export function batchNormBackward(
  g: usize, x: usize, nN: i32, nC: i32, nS: i32, mean: usize, invstd: usize, w: usize, training: bool,
  sumG: usize, dot: usize, scratch: usize, gx: usize,
): void {
  const gMean = scratch, k = scratch + (<usize>nC << 3), wr = scratch + (<usize>nC << 4), lanes = scratch + <usize>nC * 24;
  channelGradSums(g, x, nN, nC, nS, mean, sumG, dot, lanes);
  if (gx == 0) return;
  const n = <f64>nN * <f64>nS;
  for (let c = 0; c < nC; c++) {
    const o = <usize>c << 3;
    const r = load<f64>(invstd + o);
    store<f64>(wr + o, w == 0 ? r * 1 : r * <f64>load<f32>(w + (<usize>c << 2)));
    store<f64>(k + o, (load<f64>(dot + o) * r * r) / n);
    store<f64>(gMean + o, load<f64>(sumG + o) / n);
  }
  normalizeBackward(g, x, nN, nC, nS, mean, gMean, k, wr, training, gx);
}
