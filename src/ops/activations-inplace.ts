// The in-place forms of ELU, CELU, SELU and LeakyReLU — `F.elu_`, `F.celu_`, `F.selu_`, `F.leakyRelu_`, and F's and
// the layers' `inplace` — as PyTorch 1.13 records them: their nodes (EluBackward1, CeluBackward1, LeakyReluBackward1)
// compute the gradient from the result, not the input (elu_backward's is_result, leaky_relu_backward's
// self_is_result), and, when a backward pass reaches them, refuse a negative alpha or slope, with which the result no
// longer tells the input's sign (PyTorch's words).
import { GraphNode } from '../autograd/record.js';
import { KindlingError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { eluFromResult, SELU_ALPHA, SELU_SCALE } from './activations-extra.js';
import { inPlaceOf } from './inplace.js';
import { leakyRelu } from './unary.js';

const ELU_REFUSAL = 'In-place elu backward calculation is triggered with a negative slope which is not supported. This is caused by calling in-place forward function with a negative slope, please call out-of-place version instead.';
const LEAKY_RELU_REFUSAL = 'In-place leakyReLu backward calculation is triggered with a negative slope which is not supported. This is caused by calling in-place forward function with a negative slope, please call out-of-place version instead. File an issue at https://github.com/pytorch/pytorch if you do require supporting in-place leakRelu backward calculation with negative slope';

/** Makes the node just recorded for `out` refuse its backward pass (plain or differentiable) with PyTorch's `message`. */
function refuseBackward(out: Tensor, op: string, what: string, value: number, message: string): Tensor {
  const node = out.gradFn;
  if (node instanceof GraphNode) {
    const refuse = (): never => {
      throw new KindlingError(`${op} backward (${what} ${value}): ${message}`);
    };
    node.backward = refuse;
    node.graphBackward = refuse;
  }
  return out;
}

/**
 * ELU's kernel in place: `op` 'elu_', 'celu_' or 'selu_', its node PyTorch's `torchName`; alpha already checked. The
 * input's values are kept (readsSelf) for the differentiable backward, which computes the result again from them.
 */
function eluKernel_(t: Tensor, op: string, alpha: number, scale: number, inputScale: number, torchName: string): Tensor {
  const name = op.slice(0, -1);
  return inPlaceOf(t, op, (x) => {
    const out = eluFromResult(name, x, alpha, scale, inputScale);
    return alpha < 0 ? refuseBackward(out, op, 'alpha', alpha, ELU_REFUSAL) : out;
  }, true, torchName);
}

/** `elu_`: ELU in place (alpha checked by the caller), node EluBackward1. @internal */
export function eluInPlace(t: Tensor, alpha: number): Tensor {
  return eluKernel_(t, 'elu_', alpha, 1, 1, 'EluBackward1');
}

/** `celu_`: CELU in place (alpha checked, not 0), node CeluBackward1. @internal */
export function celuInPlace(t: Tensor, alpha: number): Tensor {
  return eluKernel_(t, 'celu_', alpha, 1, 1 / alpha, 'CeluBackward1');
}

/** `selu_`: SELU in place, node EluBackward1. @internal */
export function seluInPlace(t: Tensor): Tensor {
  return eluKernel_(t, 'selu_', SELU_ALPHA, SELU_SCALE, 1, 'EluBackward1');
}

/**
 * `leakyRelu_`: LeakyReLU in place, node LeakyReluBackward1. With a slope ≥ 0 the result has the input's sign, so the
 * gradient read from the input is the one PyTorch reads from the result; a negative slope is refused at backward.
 * @internal
 */
export function leakyReluInPlace(t: Tensor, slope: number): Tensor {
  return inPlaceOf(t, 'leakyRelu_', (x) => {
    const out = leakyRelu(x, slope);
    return slope < 0 ? refuseBackward(out, 'leakyRelu_', 'negativeSlope', slope, LEAKY_RELU_REFUSAL) : out;
  }, true, 'LeakyReluBackward1');
}
