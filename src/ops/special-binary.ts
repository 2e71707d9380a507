// special.zeta (the Hurwitz zeta function ζ(x, q)) and special.gammainc / gammaincc (PyTorch's igamma / igammac, the
// regularized incomplete gamma functions P(a, x) and Q(a, x)), operands broadcast, as PyTorch 1.13's: the values are
// the float64 functions of kernels/ref rounded to float32 (PyTorch's float32 kernels agree to a few float32 steps);
// the gradients are derivatives.yaml's, rounded step by step, for the second operand only — PyTorch has no formula
// for the first, and backward() refuses it there, as PyTorch's does; written with ops too (createGraph).
import { gammainc as gammainc64, gammaincc as gammaincc64 } from '../kernels/ref/igamma.js';
import { lgamma as lgamma64, zeta as zeta64 } from '../kernels/ref/gamma.js';
import type { Tensor } from '../tensor/tensor.js';
import { binaryMath, type BinarySpec } from './binary-math.js';
import { lgamma } from './gamma.js';

const f = Math.fround;

/** e^((a − 1)·log x − x − lgamma(a)), each step rounded to float32: ∂P(a, x)/∂x. */
const density = (a: number, x: number): number => f(Math.exp(f(f(f(f(a - 1) * f(Math.log(x))) - x) - f(lgamma64(a)))));

/** `density` with ops (the gradients' graph, for createGraph): exp((a − 1)·log x − x − lgamma(a)). */
const densityGraph = (a: Tensor, x: Tensor): Tensor => a.sub(1).mul(x.log()).sub(x).sub(lgamma(a)).exp();

const notImplemented = (name: string, first: string, torch: string): string =>
  `${name}: the derivative for '${torch}: input' is not implemented (its first argument, ${first}; PyTorch refuses it too); only the second argument's gradient is`;

const SPECS: Record<'zeta' | 'gammainc' | 'gammaincc', BinarySpec> = {
  zeta: {
    name: 'zeta', value: (x, q) => zeta64(x, q), torch: 'SpecialZetaBackward0', torchNumber: 'SpecialZetaBackward2', torchNumberSelf: 'SpecialZetaBackward1',
    numberOther: true, numberSelf: true, da: null, refuseInput: notImplemented('zeta', 'x', 'special_zeta'),
    // grad · −x · ζ(x + 1, q)
    db: (g, x, q) => f(f(g * -x) * f(zeta64(f(x + 1), q))),
    graph: (g, x, q) => [null, g.mul(x.neg()).mul(zeta(x.add(1), q))],
  },
  gammainc: {
    name: 'gammainc', value: (a, x) => gammainc64(a, x), torch: 'IgammaBackward0', da: null, refuseInput: notImplemented('gammainc', 'a', 'igamma'),
    db: (g, a, x) => f(g * density(a, x)),
    graph: (g, a, x) => [null, g.mul(densityGraph(a, x))],
  },
  gammaincc: {
    name: 'gammaincc', value: (a, x) => gammaincc64(a, x), torch: 'IgammacBackward0', da: null, refuseInput: notImplemented('gammaincc', 'a', 'igammac'),
    db: (g, a, x) => f(-g * density(a, x)),
    graph: (g, a, x) => [null, g.neg().mul(densityGraph(a, x))],
  },
};

/** The Hurwitz zeta function ζ(x, q) = Σ_k (k + q)^−x (`special.zeta`; x or q may be a number). */
export const zeta = (input: Tensor | number, other: Tensor | number): Tensor => binaryMath(SPECS.zeta, input, other);
/** The lower regularized incomplete gamma function P(a, x) (`special.gammainc`, `torch.igamma`). */
export const gammainc = (input: Tensor, other: Tensor): Tensor => binaryMath(SPECS.gammainc, input, other);
/** The upper regularized incomplete gamma function Q(a, x) = 1 − P(a, x) (`special.gammaincc`, `torch.igammac`). */
export const gammaincc = (input: Tensor, other: Tensor): Tensor => binaryMath(SPECS.gammaincc, input, other);
