// The gamma-family functions of PyTorch 1.13: lgamma, digamma, polygamma(n, x) and mvlgamma(x, p), their values the
// float64 functions of kernels/ref/gamma.ts rounded to float32 (digamma and trigamma: PyTorch's own float32
// algorithms, step by step; polygamma above them: its calc_polygamma; mvlgamma: its sum of lgammas in float32), their
// gradients PyTorch's (derivatives.yaml): lgamma' = ψ, ψ' = ψ⁽¹⁾, (ψ⁽ⁿ⁾)' = ψ⁽ⁿ⁺¹⁾, mvlgamma' = Σ ψ(x − i/2), each
// product rounded to float32.
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { KindlingError } from '../errors.js';
import { digammaF, lgamma as lgamma64, trigammaF, zetaSeries } from '../kernels/ref/gamma.js';

import { describeValue } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';

const f = Math.fround;

/** ψ⁽ⁿ⁾ as PyTorch computes it: its float32 algorithms for n = 0 and 1, its calc_polygamma above. */
const psi = (n: number, v: number): number => (n === 0 ? digammaF(v) : n === 1 ? trigammaF(v) : calcPolygamma(n, v));

/**
 * ψ⁽ⁿ⁾(x), n ≥ 2, as PyTorch 1.13's calc_polygamma computes it for float32: (−1)^(n+1) · n! in float32 times
 * ζ(n + 1, x) rounded to float32 (`zetaF`), one more rounding than the float64 product rounded once.
 */
function calcPolygamma(n: number, x: number): number {
  let fact = 1;
  for (let i = 2; i <= n; i++) fact *= i;
  return f(f(n % 2 === 1 ? fact : -fact) * f(zetaF(n + 1, x)));
}

/**
 * ζ(s, q) for a whole s > 1 by Cephes' algorithm, as ATen's zeta runs it for float32, in float64 (kernels/ref/gamma.ts's
 * zetaSeries, special.zeta's loop), with each power correctly rounded (`powNeg`) as glibc's pow gives all but about 0.1% of them,
 * where JavaScript's Math.pow is a bit off in about one case in ten. At a large negative non-integer q the direct sum
 * runs over millions of terms that cancel to a small value (ψ⁽²⁾(−2387498.5) ≈ −1.74e−13), so the last bits of its
 * first terms show in the result: Math.pow's put it 512 float32 ulps from PyTorch's, this 0.
 */
function zetaF(s: number, q: number): number {
  if (Number.isNaN(q)) return NaN;
  if (q <= 0 && q === Math.floor(q)) return Infinity;
  return zetaSeries(s, q, powNeg);
}

/** Dekker's split of a float64 into two halves whose products are exact. */
const SPLIT = 134217729;

/** a·b as an unevaluated sum hi + lo (exact, for products that neither overflow nor underflow). */
function twoProd(a: number, b: number): [number, number] {
  const p = a * b;
  const ca = SPLIT * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = SPLIT * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

/** (h1 + l1)·(h2 + l2) in double-double (about 2^−104 relative). */
function ddMul(h1: number, l1: number, h2: number, l2: number): [number, number] {
  const [p, e] = twoProd(h1, h2);
  const lo = e + (h1 * l2 + l1 * h2);
  const hi = p + lo;
  return [hi, lo - (hi - p)];
}

/**
 * q^−s for a whole s ≥ 1, correctly rounded (but for a value within about 2^−100 of a tie): |q|^s in double-double by
 * squaring, then its reciprocal with one Newton correction. Outside the range where that is safe, Math.pow.
 */
function powNeg(q: number, s: number): number {
  const x = Math.abs(q);
  // Far from 1 the squares would overflow Dekker's split or underflow: such a term is below the sum's last bit anyway.
  if (x === 0 || !Number.isFinite(x) || Math.abs(s * Math.log2(x)) > 900) return Math.pow(q, -s);
  let [h, l] = [1, 0];
  let [bh, bl] = [x, 0];
  for (let e = s; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) [h, l] = ddMul(h, l, bh, bl);
    if (e > 1) [bh, bl] = ddMul(bh, bl, bh, bl);
  }
  // r = 1/h, then r·(1 − r·(h + l)) added back: 1 − r·h is exact from twoProd (r·h is within an ulp of 1).
  const r = 1 / h;
  const [p, pe] = twoProd(r, h);
  const err = 1 - p - pe - r * l;
  const v = r + r * err;
  return q < 0 && s % 2 === 1 ? -v : v;
}

function map(x: Tensor, fn: (v: number) => number): Float32Array {
  const v = x.values();
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = fn(v[i]!);
  return out;
}

function gradOf(x: Tensor, g: Tensor, d: (v: number) => number): Tensor {
  const v = x.values();
  const gv = g.values();
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = f(gv[i]! * f(d(v[i]!)));
  return new Tensor(out, x.shape);
}

/** log|Γ(x)|, as `torch.lgamma`. */
export function lgamma(x: Tensor): Tensor {
  checkTensor(x, 'lgamma');
  return twice(record(new Tensor(map(x, lgamma64), x.shape), 'lgamma', [x], (g) => [gradOf(x, g, digammaF)], [x], 'LgammaBackward0'), (g) => [g.mul(digamma(x))]);
}

/** ψ(x), the logarithmic derivative of Γ, as `torch.digamma` (−∞ at +0, ∞ at −0, NaN at the negative integers). */
export function digamma(x: Tensor): Tensor {
  checkTensor(x, 'digamma');
  return twice(record(new Tensor(map(x, digammaF), x.shape), 'digamma', [x], (g) => [gradOf(x, g, trigammaF)], [x], 'DigammaBackward0'), (g) => [g.mul(polygamma(1, x))]);
}

/** ψ⁽ⁿ⁾(x), the n-th derivative of ψ, as `torch.polygamma(n, x)`; n a whole number ≥ 0. */
/** `torchName`: PolygammaBackward1 for the in-place method (PyTorch names `x.polygamma_(n)`'s node apart). */
export function polygamma(n: number, x: Tensor, torchName = 'PolygammaBackward0'): Tensor {
  checkTensor(x, 'polygamma');
  if (!Number.isInteger(n)) throw new TypeError(`polygamma: n must be a whole number, got ${describeValue(n)}`);
  if (n < 0) throw new KindlingError('polygamma(n, x) does not support negative n.');
  return twice(record(new Tensor(map(x, (v) => psi(n, v)), x.shape), 'polygamma', [x], (g) => [gradOf(x, g, (v) => psi(n + 1, v))], [x], torchName), (g) => [g.mul(polygamma(n + 1, x))]);
}

/** The multivariate log-gamma of dimension p, as `torch.mvlgamma(x, p)` (defined for elements above (p − 1)/2; below, NaN or ∞, as PyTorch 1.13 gives). */
export function mvlgamma(x: Tensor, p: number): Tensor {
  checkTensor(x, 'mvlgamma');
  if (!Number.isInteger(p)) throw new TypeError(`mvlgamma: p must be a whole number, got ${describeValue(p)}`);
  if (p < 1) throw new KindlingError('p has to be greater than or equal to 1');
  // PyTorch: lgamma of x + (−(p−1)/2 … 0 in steps of ½), summed in float32 in that order, plus p(p−1)/4·log π.
  const c = f((p * (p - 1) * Math.log(Math.PI)) / 4);
  const value = (e: number): number => {
    let s = 0;
    for (let i = p - 1; i >= 0; i--) s = f(s + f(lgamma64(f(e - i / 2))));
    return f(s + c);
  };
  // PyTorch's mvlgamma_backward: digamma of arange(−(p−1)/2, ½, ½) + x, summed; the arange's last value is +0, so at
  // x = −0 the last term is digamma(+0) = −∞ (0 − i/2 keeps it +0; x − 0 would be −0, digamma's +∞).
  const derivative = (e: number): number => {
    let s = 0;
    for (let i = p - 1; i >= 0; i--) s = f(s + digammaF(f(0 - i / 2 + e)));
    return s;
  };
  // The gradient's graph (createGraph): g · Σᵢ digamma(x − i/2), with ops.
  return twice(record(new Tensor(map(x, value), x.shape), 'mvlgamma', [x], (g) => [gradOf(x, g, derivative)], [x], 'MvlgammaBackward0'), (g) => {
    let s = digamma(x.add(f(0 - (p - 1) / 2)));
    for (let i = p - 2; i >= 0; i--) s = s.add(digamma(x.add(f(0 - i / 2))));
    return [g.mul(s)];
  });
}
