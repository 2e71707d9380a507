// The in-place forms of the unary math ops (tan_, log1p_, reciprocal_, logit_, nanToNum_, …), as PyTorch's: see
// inPlaceOf (ops/inplace.ts). PyTorch 1.13 has no derivative for asinh_, acosh_ and atanh_: their node is
// AsinhBackward1 (…) and a backward pass through it fails, saying so; Kindling's does the same.
import { record } from '../autograd/record.js';
import { noGrad } from '../autograd/grad-mode.js';
import { KindlingError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { inPlaceOf } from './inplace.js';
import { logit, nanToNum, unaryMath, type LogitOptions, type NanToNumOptions, type UnaryMathOp } from './unary-math.js';

/** The ops whose backward reads their input (the others read their result, or nothing). */
const READS_INPUT = new Set<UnaryMathOp>(['asin', 'acos', 'atan', 'sinh', 'cosh', 'log1p', 'log2', 'log10', 'erf', 'erfc', 'erfinv', 'sinc']);
const NO_DERIVATIVE = new Set<UnaryMathOp>(['asinh', 'acosh', 'atanh']);

/** op(t) written into t. */
export function unaryMath_(t: Tensor, op: UnaryMathOp): Tensor {
  if (NO_DERIVATIVE.has(op)) {
    const torch = `${op.charAt(0).toUpperCase()}${op.slice(1)}Backward1`;
    return inPlaceOf(t, `${op}_`, (x) => record(noGrad(() => unaryMath(op, x)), op, [x], () => {
      throw new KindlingError(`${op}_: the derivative for 'inplace version of ${op}' is not implemented (nor in PyTorch 1.13); use the out-of-place ${op}`);
    }, [], torch), false);
  }
  return inPlaceOf(t, `${op}_`, (x) => unaryMath(op, x), READS_INPUT.has(op));
}

export function logit_(t: Tensor, eps: number | null | LogitOptions = null): Tensor {
  return inPlaceOf(t, 'logit_', (x) => logit(x, eps), true);
}

export function nanToNum_(t: Tensor, nan: number | NanToNumOptions = 0, posinf: number | null = null, neginf: number | null = null): Tensor {
  return inPlaceOf(t, 'nanToNum_', (x) => nanToNum(x, nan, posinf, neginf), true);
}
