// The `special` namespace, as PyTorch 1.13's torch.special: `import { special } from 'kindling'; special.i0(x)`. The
// names PyTorch gives to functions Kindling has elsewhere (gammaln is lgamma, expit is sigmoid, psi is digamma, …)
// are the same functions.
import type { Tensor } from '../tensor/tensor.js';
import { sigmoid as sigmoidOf } from '../ops/unary.js';
import { logSoftmax as logSoftmaxOf, softmax as softmaxOf } from '../ops/softmax.js';
import { logsumexp as logsumexpOf } from '../ops/logsumexp.js';
import { roundDecimals, rounding } from '../ops/rounding.js';

export { entr, erfcx, i0, i0e, i1, i1e, logNdtr, ndtr, ndtri } from '../ops/special-math.js';
export { digamma, digamma as psi, lgamma as gammaln, mvlgamma as multigammaln, polygamma } from '../ops/gamma.js';
export { erf, erfc, erfinv, exp2, expm1, log1p, logit, sinc } from '../ops/unary-math.js';
export { xlog1py, xlogy } from '../ops/binary-math.js';

/** The logistic sigmoid 1 / (1 + e^−x) (PyTorch's `special.expit`). */
export const expit = (x: Tensor): Tensor => sigmoidOf(x);
/** Rounded half to even, to `decimals` places when given (`special.round`). */
export const round = (x: Tensor, decimals?: number | { decimals?: number }): Tensor => (decimals === undefined ? rounding(x, 'round') : roundDecimals(x, decimals));
/** log Σ exp(x) over `dim` (`special.logsumexp`). */
export const logsumexp = (x: Tensor, dim: number | readonly number[], keepdim = false): Tensor => logsumexpOf(x, dim, keepdim);
/** softmax along `dim` (`special.softmax`). */
export const softmax = (x: Tensor, dim: number): Tensor => softmaxOf(x, dim);
/** log-softmax along `dim` (`special.log_softmax`). */
export const logSoftmax = (x: Tensor, dim: number): Tensor => logSoftmaxOf(x, dim);
export {
  chebyshevPolynomialT, chebyshevPolynomialU, chebyshevPolynomialV, chebyshevPolynomialW, hermitePolynomialH, hermitePolynomialHe, laguerrePolynomialL,
  legendrePolynomialP, shiftedChebyshevPolynomialT, shiftedChebyshevPolynomialU, shiftedChebyshevPolynomialV, shiftedChebyshevPolynomialW,
} from '../ops/orthogonal-polynomials.js';
export { gammainc, gammaincc, zeta } from '../ops/special-binary.js';
export {
  airyAi, besselJ0, besselJ1, besselY0, besselY1, modifiedBesselI0, modifiedBesselI1, modifiedBesselK0, modifiedBesselK1,
  scaledModifiedBesselK0, scaledModifiedBesselK1, sphericalBesselJ0,
} from '../ops/bessel.js';
