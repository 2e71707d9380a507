// The gradients' graphs (createGraph: second derivatives) of the fused prod, cumprod and logcumsumexp kernels, with
// recorded ops: prod written as products of slices one after another (differentiated by autograd/twice.ts
// composedTwice; exact where an element is 0, as the fused kernel's gradient), cumprod's and logcumsumexp's gradients
// as PyTorch 1.13 writes them (FunctionsManual.cpp), so their values, ∞ and NaN included, and derivatives are its.
import { noGrad } from '../autograd/grad-mode.js';
import { normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { cat } from './join.js';

/**
 * cumprod's gradient for `g` as PyTorch 1.13's cumprod_backward computes it in grad mode (create_graph), with
 * recorded ops: without a 0 anywhere in x, reversed cumsum(out·g) / x; with one, for each k the sum over j ≥ k of
 * g[j] times the product of x[0..j] without x[k] (products of slices before k, then a cumprod after it). Its
 * non-finite values (∞ − ∞ in the sum, where a chain of products would give ∞) and second derivatives are PyTorch's.
 */
export function cumprodBackwardComposed(x: Tensor, out: Tensor, g: Tensor, dim: number): Tensor {
  if (x.numel() <= 1) return g;
  const d = normalizeDim(dim, x.ndim, 'cumprod');
  const n = x.shape[d]!;
  if (n === 1) return g;
  if (!noGrad(() => x.eq(0).any().item())) return out.mul(g).flip([d]).cumsum(d).flip([d]).div(x);
  const onesShape = x.shape.slice();
  onesShape[d] = 1;
  const ones = new Tensor(new Float32Array(onesShape.reduce((p, s) => p * s, 1)).fill(1), onesShape);
  const parts: Tensor[] = [];
  for (let k = 0; k < n; k++) {
    // The product of every element of x[0..j] but x[k], for j = k … n − 1.
    let omitted: Tensor;
    if (k === 0) omitted = cat([ones, x.narrow(d, 1, n - 1).cumprod(d)], d);
    else {
      const until = x.narrow(d, 0, k).prod(d, true);
      if (k === n - 1) omitted = until;
      else {
        const after = x.narrow(d, k + 1, n - k - 1).cumprod(d);
        omitted = cat([until, until.expand(after.shape).mul(after)], d);
      }
    }
    parts.push(g.narrow(d, k, n - k).mul(omitted).sum(d, true));
  }
  return cat(parts, d);
}

/** The product of all elements, or along `dim`, as a chain of products of slices. */
export function prodComposed(x: Tensor, dim?: number, keepdim = false): Tensor {
  if (x.ndim === 0) return x.mul(1);
  if (dim === undefined) {
    const flat = x.reshape([-1]);
    if (flat.shape[0] === 0) return new Tensor(new Float32Array([1]), []);
    let acc = flat.select(0, 0);
    for (let k = 1; k < flat.shape[0]!; k++) acc = acc.mul(flat.select(0, k));
    return acc;
  }
  const d = normalizeDim(dim, x.ndim, 'prod');
  let acc = x.narrow(d, 0, 1);
  for (let k = 1; k < x.shape[d]!; k++) acc = acc.mul(x.narrow(d, k, 1));
  return keepdim ? acc : acc.squeeze(d);
}

/** The lowest float32, PyTorch's stand-in for log 0 in logcumsumexp's gradient. */
const LOWEST = -3.4028234663852886e38;

/**
 * logcumsumexp's gradient for `g` as PyTorch 1.13's logcumsumexp_backward computes it, with recorded ops (for
 * create_graph): exp(reversed logcumsumexp(log g⁺ − out) + x) − exp(reversed logcumsumexp(log g⁻ − out) + x), g⁺ and
 * g⁻ the positive and negative parts of g (log 0 taken as the lowest float32), so its second derivatives are PyTorch's
 * (0 where an ∞ in x leaves a finite element's path alone).
 */
export function logcumsumexpBackwardComposed(x: Tensor, out: Tensor, g: Tensor, dim: number): Tensor {
  if (g.ndim === 0 || g.numel() === 0) return g;
  const d = normalizeDim(dim, x.ndim, 'logcumsumexp');
  const logAbs = g.abs().log();
  const reversed = (t: Tensor): Tensor => t.flip([d]).logcumsumexp(d).flip([d]);
  const part = (signed: Tensor): Tensor => reversed(logAbs.where(signed, LOWEST).sub(out)).add(x).exp();
  return part(g.gt(0)).sub(part(g.lt(0)));
}
