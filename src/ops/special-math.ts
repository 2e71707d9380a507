// PyTorch 1.13's special functions of one tensor that Kindling lacked, with their gradients (derivatives.yaml's
// formulas, each step rounded to float32) and node names: i0 (I0Backward0), special.i0e, i1, i1e, ndtr, ndtri,
// log_ndtr, erfcx and entr. The values are src/kernels/ref/bessel.ts's and ndtr.ts's float32 algorithms. Each
// gradient is also written with ops (`graph`), PyTorch's same formula, so that createGraph differentiates it again.
import { besselI0, besselI1 } from '../kernels/ref/bessel.js';
import { erfcx as erfcxValue, logNdtr as logNdtrValue, ndtr as ndtrValue, ndtri as ndtriValue } from '../kernels/ref/ndtr.js';
import { noGrad } from '../autograd/grad-mode.js';
import type { Tensor } from '../tensor/tensor.js';
import { where } from './binary.js';
import { apply, type Spec } from './unary-math.js';

const f = Math.fround;
const EPS = 2 ** -23;
const sgn = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);
const SQRT_2PI = f(Math.sqrt(2 * Math.PI));
const INV_SQRT_2PI = f(1 / Math.sqrt(2 * Math.PI));
const TWO_OVER_SQRT_PI = f(2 / Math.sqrt(Math.PI));
const SQRT1_2 = f(Math.SQRT1_2);

/** sgn(t) as a constant (its derivative is 0). */
const sgnOf = (t: Tensor): Tensor => noGrad(() => t.sign());

/**
 * i1's (i1e's) gradient with ops, as PyTorch's i1_backward (i1e_backward): `bessel(safe) − y·term(safe)` with x replaced
 * by ε where |x| ≤ ε (float32's epsilon), 0.5 there; `bessel` is i0 (i0e), `term` 1/x (sgn(x) + 1/x).
 */
function besselI1Graph(g: Tensor, x: Tensor, y: Tensor, bessel: (t: Tensor) => Tensor, term: (t: Tensor) => Tensor): Tensor {
  const notTiny = noGrad(() => x.abs().gt(EPS));
  const safe = where(notTiny, x, EPS);
  return g.mul(where(notTiny, bessel(safe).sub(y.mul(term(safe))), 0.5));
}

const SPECS: Record<string, Spec> = {
  i0: {
    value: (x) => besselI0(x, false), grad: (x, _y, g) => f(g * besselI1(x, false)), saves: 'input', torch: 'I0Backward0',
    graph: (g, x) => g.mul(i1(x)),
  },
  // i1e(x) − sgn(x)·i0e(x)
  i0e: {
    value: (x) => besselI0(x, true), grad: (x, y, g) => f(g * f(besselI1(x, true) - f(sgn(x) * y))), saves: 'input', torch: 'SpecialI0EBackward0',
    graph: (g, x, y) => g.mul(i1e(x).sub(sgnOf(x).mul(y))),
  },
  // i0(x) − i1(x)/x, 0.5 where |x| ≤ ε
  i1: {
    value: (x) => besselI1(x, false),
    grad: (x, y, g) => f(g * (Math.abs(x) > EPS ? f(besselI0(x, false) - f(y * f(1 / x))) : 0.5)),
    saves: 'input', torch: 'SpecialI1Backward0',
    graph: (g, x, y) => besselI1Graph(g, x, y, i0, (t) => t.reciprocal()),
  },
  // i0e(x) − i1e(x)·(sgn(x) + 1/x), 0.5 where |x| ≤ ε
  i1e: {
    value: (x) => besselI1(x, true),
    grad: (x, y, g) => f(g * (Math.abs(x) > EPS ? f(besselI0(x, true) - f(y * f(sgn(x) + f(1 / x)))) : 0.5)),
    saves: 'input', torch: 'SpecialI1EBackward0',
    graph: (g, x, y) => besselI1Graph(g, x, y, i0e, (t) => sgnOf(t).add(t.reciprocal())),
  },
  // e^(−x²/2) / √(2π); PyTorch 1.13 computes ndtr as ops, the last a product by 0.5 (MulBackward1)
  // (the graph: PyTorch's chain through (1 + erf(x·√½))·½, the gradient of each op in turn)
  ndtr: {
    value: ndtrValue, grad: (x, _y, g) => f(g * f(f(Math.exp(f(f(-0.5 * x) * x))) * INV_SQRT_2PI)), saves: 'input', torch: 'MulBackward1',
    graph: (g, x) => {
      const u = x.mul(SQRT1_2);
      return u.pow(2).neg().exp().mul(TWO_OVER_SQRT_PI).mul(g.mul(0.5)).mul(SQRT1_2);
    },
  },
  // (g·√(2π))·e^(y²/2), in PyTorch's order (a zero g gives 0 where e^(y²/2)·√(2π) would overflow: y = ndtri(1e−40))
  ndtri: {
    value: ndtriValue, grad: (_x, y, g) => f(f(g * SQRT_2PI) * f(Math.exp(f(f(y * y) / 2)))), saves: 'output', torch: 'SpecialNdtriBackward0',
    graph: (g, _x, y) => g.mul(SQRT_2PI).mul(y.square().div(2).exp()),
  },
  // e^(−(y + x²/2)) / √(2π)
  logNdtr: {
    value: logNdtrValue, grad: (x, y, g) => f(f(g * INV_SQRT_2PI) * f(Math.exp(-f(y + f(f(x * x) / 2))))), saves: 'input', torch: 'SpecialLogNdtrBackward0',
    graph: (g, x, y) => g.mul(INV_SQRT_2PI).mul(y.add(x.pow(2).div(2)).neg().exp()),
  },
  // 2x·erfcx(x) − 2/√π
  erfcx: {
    value: erfcxValue, grad: (x, y, g) => f(f(f(f(2 * x) * y) - TWO_OVER_SQRT_PI) * g), saves: 'input', torch: 'SpecialErfcxBackward0',
    graph: (g, x, y) => x.mul(2).mul(y).sub(TWO_OVER_SQRT_PI).mul(g),
  },
  // −x·log x (0 at 0, −∞ below); its gradient −(1 + log x)
  entr: {
    value: (x) => (Number.isNaN(x) ? x : x > 0 ? f(-f(x * f(Math.log(x)))) : x === 0 ? 0 : -Infinity),
    grad: (x, _y, g) => f(g * -f(1 + f(Math.log(x)))),
    saves: 'input', torch: 'SpecialEntrBackward0',
    graph: (g, x) => g.mul(x.log().add(1).neg()),
  },
};

/** The modified Bessel function of the first kind of order 0 (PyTorch's `i0`, `special.i0`). */
export const i0 = (x: Tensor): Tensor => apply('i0', SPECS.i0!, x);
/** e^(−|x|)·I0(x) (`special.i0e`). */
export const i0e = (x: Tensor): Tensor => apply('i0e', SPECS.i0e!, x);
/** The modified Bessel function of the first kind of order 1 (`special.i1`). */
export const i1 = (x: Tensor): Tensor => apply('i1', SPECS.i1!, x);
/** e^(−|x|)·I1(x) (`special.i1e`). */
export const i1e = (x: Tensor): Tensor => apply('i1e', SPECS.i1e!, x);
/** The standard normal CDF Φ(x) (`special.ndtr`). */
export const ndtr = (x: Tensor): Tensor => apply('ndtr', SPECS.ndtr!, x);
/** Φ⁻¹(p), the standard normal quantile (`special.ndtri`). */
export const ndtri = (x: Tensor): Tensor => apply('ndtri', SPECS.ndtri!, x);
/** log Φ(x), accurate far into the left tail (`special.log_ndtr`). */
export const logNdtr = (x: Tensor): Tensor => apply('logNdtr', SPECS.logNdtr!, x);
/** e^(x²)·erfc(x) (`special.erfcx`). */
export const erfcx = (x: Tensor): Tensor => apply('erfcx', SPECS.erfcx!, x);
/** −x·log(x), the entropy term (`special.entr`). */
export const entr = (x: Tensor): Tensor => apply('entr', SPECS.entr!, x);
