// The gradients' graphs (createGraph: second derivatives) of the fused prod, cumprod and logcumsumexp kernels, with
// recorded ops: their gradients as PyTorch 1.13 writes them (FunctionsManual.cpp), so their values, ∞ and NaN
// included, and derivatives are its.
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

/**
 * prod's gradient for `g` as PyTorch 1.13's prod_backward computes it in grad mode (create_graph), with recorded ops
 * reading the input `x` and the output `out` (of all elements when `dim` is undefined): without a 0 anywhere in x,
 * g·(out / x); with one, prod_safe_zeros_backward. Its values are the plain kernel's (prod.ts), ∞, NaN, overflow and
 * an empty x included; its derivatives are PyTorch's.
 */
export function prodBackwardComposed(x: Tensor, out: Tensor, g: Tensor, dim?: number, keepdim = false): Tensor {
  if (x.ndim === 0) return g;
  const d = dim === undefined ? 0 : normalizeDim(dim, x.ndim, 'prod');
  // PyTorch unsqueezes g and the output to broadcast against x (a 1-D input's 0-d ones broadcast as they are).
  const unsqueeze = dim !== undefined && !keepdim && x.ndim !== 1;
  const gk = unsqueeze ? g.unsqueeze(d) : g;
  const zeros = noGrad(() => x.eq(0).sum().item());
  if (zeros === 0) return gk.mul((unsqueeze ? out.unsqueeze(d) : out).div(x));
  if (dim !== undefined) return safeZerosBackward(gk, x, d);
  // Of everything with two zeros or more, PyTorch 1.13 gives zeros, without a graph even in grad mode (its second
  // derivative is then missing). prod_safe_zeros_backward gives the same zeros with the true second derivative,
  // unless an ∞ or NaN in x makes one of them 0·∞, a NaN: there, PyTorch's zeros.
  if (zeros > 1 && !noGrad(() => x.isfinite().all().item())) return new Tensor(new Float32Array(x.numel()), x.shape);
  return safeZerosBackward(gk, x.reshape([-1]), 0).reshape(x.shape);
}

/**
 * PyTorch 1.13's prod_safe_zeros_backward: g times the product of the slice's other elements, each the exclusive
 * running product from the start times the one from the end (cumprods of x shifted by one, a 1 in front), so a 0 in
 * x leaves every other element's factor finite. A slice of one element passes g on (even for an ∞ or NaN there).
 */
function safeZerosBackward(g: Tensor, x: Tensor, d: number): Tensor {
  const n = x.shape[d]!;
  if (n === 1) return g.expand(x.shape);
  const onesShape = x.shape.slice();
  onesShape[d] = 1;
  const ones = new Tensor(new Float32Array(onesShape.reduce((p, s) => p * s, 1)).fill(1), onesShape);
  const before = cat([ones, x.narrow(d, 0, n - 1)], d).cumprod(d);
  const after = cat([ones, x.narrow(d, 1, n - 1).flip([d])], d).cumprod(d).flip([d]);
  return g.mul(before.mul(after));
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
