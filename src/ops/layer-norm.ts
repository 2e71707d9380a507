import { isGradEnabled } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { transientFloat32 } from '../kernels/transient.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor, empty } from './util.js';

/**
 * Layer normalisation over the trailing `normalizedShape` dimensions: (x − mean) / sqrt(var + eps) · weight + bias,
 * with the biased variance, as `torch.nn.functional.layer_norm`.
 */
export function layerNorm(x: Tensor, shape: number | readonly number[], weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  checkTensor(x, 'layerNorm');
  const normalizedShape = typeof shape === 'number' ? [shape] : shape;
  if (!Array.isArray(normalizedShape)) throw new TypeError(`layerNorm: normalizedShape must be a number or an array of sizes, got ${typeof shape}`);
  if (weight !== null) checkTensor(weight, 'layerNorm', 'weight');
  if (bias !== null) checkTensor(bias, 'layerNorm', 'bias');
  if (typeof eps !== 'number' || !(eps >= 0)) throw new RangeError(`layerNorm: eps must be a non-negative number, got ${String(eps)}`);
  const k = normalizedShape.length;
  if (k === 0 || x.ndim < k || !sameShape(x.shape.slice(x.ndim - k), normalizedShape)) {
    throw new RangeError(`layerNorm: input shape ${formatShape(x.shape)} does not end with the normalized shape ${formatShape(normalizedShape)}`);
  }
  for (const [p, what] of [[weight, 'weight'], [bias, 'bias']] as const) {
    if (p !== null && !sameShape(p.shape, normalizedShape)) {
      throw new RangeError(`layerNorm: ${what} has shape ${formatShape(p.shape)}, expected ${formatShape(normalizedShape)}`);
    }
  }
  const n = normalizedShape.reduce((a, b) => a * b, 1);
  const rows = n === 0 ? 0 : x.numel() / n;
  const X = x.values();
  const w = weight?.values() ?? null;
  const b = bias?.values() ?? null;
  const out = empty(x.shape);
  const Y = out.data;
  const inputs = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  // xhat and rstd are kept only for a backward pass (evaluation does without them).
  const keep = isGradEnabled() && inputs.some((t) => t.requiresGrad);
  const xhat = keep ? transientFloat32(X.length) : null;
  const rstd = transientFloat32(rows);
  const mean = transientFloat32(rows);
  // Each row's mean and rstd, two rows at a time where there are two: every row's float64 sums run in the same
  // order (the same bits), but two independent sums wait on the adder half as long as one.
  for (let r = 0; r < rows; r += 2) {
    if (r + 1 < rows) rowStats2(X, r, n, eps, mean, rstd);
    else rowStats(X, r, n, eps, mean, rstd);
  }
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    const rs = rstd[r]!;
    const m32 = mean[r]!;
    for (let i = 0; i < n; i++) {
      const h = Math.fround((X[o + i]! - m32) * rs);
      if (xhat !== null) xhat[o + i] = h;
      Y[o + i] = w === null ? (b === null ? h : h + b[i]!) : Math.fround(h * w[i]!) + (b === null ? 0 : b[i]!);
    }
  }
  if (xhat === null) return out;
  return record(out, 'layerNorm', inputs, (g) => {
    const G = g.data;
    const gx = x.requiresGrad ? empty(x.shape) : null;
    const gw = weight?.requiresGrad ? empty(weight.shape) : null;
    const gb = bias?.requiresGrad ? empty(bias.shape) : null;
    const GX = gx === null ? null : gx.data;
    const GW = gw === null ? null : gw.data;
    const GB = gb === null ? null : gb.data;
    // The sums over rows are kept in float64 (a shared scratch: backward functions never run nested); over one
    // row they are that row's terms, 0 + t (so −0 gives +0, as a sum does).
    const many = rows > 1;
    const gwAcc = gw && many ? sums(0, n) : null;
    const gbAcc = gb && many ? sums(n, n) : null;
    // dxhat = g · w ;  dx = rstd · (dxhat − mean(dxhat) − xhat · mean(dxhat · xhat)). Rows two at a time where there
    // are two, as in the forward pass: each row's float64 sums run in the same order, and the sums over rows still
    // add row r before row r + 1 (the same bits), while two independent sums share the adder's wait.
    const dx = (r: number, s1: number, s2: number): void => {
      if (!GX) return;
      const o = r * n;
      const m1 = s1 / n;
      const m2 = s2 / n;
      const rs = rstd[r]!;
      for (let i = 0; i < n; i++) {
        const dh = w === null ? G[o + i]! : G[o + i]! * w[i]!;
        GX[o + i] = rs * (dh - m1 - xhat[o + i]! * m2);
      }
    };
    for (let r = 0; r < rows; r += 2) {
      const o = r * n;
      let s1 = 0;
      let s2 = 0;
      if (r + 1 < rows) {
        const q = o + n;
        let t1 = 0;
        let t2 = 0;
        for (let i = 0; i < n; i++) {
          const ga = G[o + i]!;
          const gq = G[q + i]!;
          const ha = xhat[o + i]!;
          const hq = xhat[q + i]!;
          const da = w === null ? ga : ga * w[i]!;
          const dq = w === null ? gq : gq * w[i]!;
          s1 += da;
          s2 += da * ha;
          t1 += dq;
          t2 += dq * hq;
          if (gwAcc) gwAcc[i] = gwAcc[i]! + ga * ha + gq * hq;
          if (gbAcc) gbAcc[i] = gbAcc[i]! + ga + gq;
        }
        dx(r, s1, s2);
        dx(r + 1, t1, t2);
        continue;
      }
      for (let i = 0; i < n; i++) {
        const dh = w === null ? G[o + i]! : G[o + i]! * w[i]!;
        s1 += dh;
        s2 += dh * xhat[o + i]!;
        if (gwAcc) gwAcc[i] += G[o + i]! * xhat[o + i]!;
        else if (GW) GW[i] = 0 + G[o + i]! * xhat[o + i]!;
        if (gbAcc) gbAcc[i] += G[o + i]!;
        else if (GB) GB[i] = 0 + G[o + i]!;
      }
      dx(r, s1, s2);
    }
    if (gw && gwAcc) gw.data.set(gwAcc);
    if (gb && gbAcc) gb.data.set(gbAcc);
    return [gx, ...(weight ? [gw] : []), ...(bias ? [gb] : [])];
  });
}

let scratch = new Float64Array(0);

/** `count` zeroed float64 sums at `offset` of the shared scratch (grown as needed). */
function sums(offset: number, count: number): Float64Array {
  if (scratch.length < offset + count) scratch = new Float64Array(Math.max(offset + count, 2 * scratch.length));
  const s = scratch.subarray(offset, offset + count);
  s.fill(0);
  return s;
}

/**
 * Row r's mean (rounded to float32) and rstd = 1 / sqrt(var + eps) (biased variance), with float64 sums in order.
 */
function rowStats(X: Float32Array, r: number, n: number, eps: number, mean: Float32Array, rstd: Float32Array): void {
  const o = r * n;
  let m = 0;
  for (let i = 0; i < n; i++) m += X[o + i]!;
  m /= n;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = X[o + i]! - m;
    v += d * d;
  }
  mean[r] = m;
  rstd[r] = 1 / Math.sqrt(v / n + eps);
}

/** rowStats of rows r and r + 1 at once, each with its own sums in the same order (the same bits). */
function rowStats2(X: Float32Array, r: number, n: number, eps: number, mean: Float32Array, rstd: Float32Array): void {
  const o = r * n;
  const p = o + n;
  let m = 0;
  let mm = 0;
  for (let i = 0; i < n; i++) {
    m += X[o + i]!;
    mm += X[p + i]!;
  }
  m /= n;
  mm /= n;
  let v = 0;
  let vv = 0;
  for (let i = 0; i < n; i++) {
    const d = X[o + i]! - m;
    const dd = X[p + i]! - mm;
    v += d * d;
    vv += dd * dd;
  }
  mean[r] = m;
  mean[r + 1] = mm;
  rstd[r] = 1 / Math.sqrt(v / n + eps);
  rstd[r + 1] = 1 / Math.sqrt(vv / n + eps);
}
