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
  const xhat = transientFloat32(X.length);
  const rstd = transientFloat32(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += X[o + i]!;
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) {
      const d = X[o + i]! - mean;
      v += d * d;
    }
    const rs = Math.fround(1 / Math.sqrt(v / n + eps));
    rstd[r] = rs;
    const m32 = Math.fround(mean);
    for (let i = 0; i < n; i++) {
      const h = Math.fround((X[o + i]! - m32) * rs);
      xhat[o + i] = h;
      Y[o + i] = w === null ? (b === null ? h : h + b[i]!) : Math.fround(h * w[i]!) + (b === null ? 0 : b[i]!);
    }
  }
  const inputs = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
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
    for (let r = 0; r < rows; r++) {
      const o = r * n;
      // dxhat = g · w ;  dx = rstd · (dxhat − mean(dxhat) − xhat · mean(dxhat · xhat))
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        const dh = w === null ? G[o + i]! : G[o + i]! * w[i]!;
        s1 += dh;
        s2 += dh * xhat[o + i]!;
        if (gwAcc) gwAcc[i] += G[o + i]! * xhat[o + i]!;
        else if (GW) GW[i] = 0 + G[o + i]! * xhat[o + i]!;
        if (gbAcc) gbAcc[i] += G[o + i]!;
        else if (GB) GB[i] = 0 + G[o + i]!;
      }
      if (GX) {
        const m1 = s1 / n;
        const m2 = s2 / n;
        const rs = rstd[r]!;
        for (let i = 0; i < n; i++) {
          const dh = w === null ? G[o + i]! : G[o + i]! * w[i]!;
          GX[o + i] = rs * (dh - m1 - xhat[o + i]! * m2);
        }
      }
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
