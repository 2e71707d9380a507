// PyTorch's in-place functional forms with a trailing underscore — `F.relu_(x)`, `F.elu_(x, alpha)`,
// `F.leakyRelu_(x, slope)`, `F.hardtanh_(x, min, max)`, `F.threshold_(x, threshold, value)`, `F.celu_(x, alpha)`,
// `F.selu_(x)`, `F.rrelu_(x, lower, upper, training)` — each the plain form with `inplace: true`: the input is changed
// and returned, its node named as PyTorch's (ReluBackward0, EluBackward1, LeakyReluBackward1, HardtanhBackward0,
// ThresholdBackward1, CeluBackward1, EluBackward1, RreluWithNoiseBackward1).
import { hardtanh as hardtanhOp } from '../ops/activations-clip.js';
import { inPlaceOf } from '../ops/inplace.js';
import { checkTensor } from '../ops/util.js';
import type { Tensor } from '../tensor/tensor.js';
import { celu, selu, threshold } from './functional-activations.js';
import { elu, leakyRelu, relu } from './functional-inplace.js';
import { rrelu } from './rrelu.js';

/** `F.relu_(x)`: ReLU in place. */
export function relu_(input: Tensor): Tensor {
  return relu(input, true);
}

/** `F.elu_(x, alpha = 1)`: ELU in place. */
export function elu_(input: Tensor, alpha = 1): Tensor {
  return elu(input, alpha, true);
}

/** `F.leakyRelu_(x, negativeSlope = 0.01)`: LeakyReLU in place. */
export function leakyRelu_(input: Tensor, negativeSlope = 0.01): Tensor {
  return leakyRelu(input, negativeSlope, true);
}

/** `F.hardtanh_(x, minVal = −1, maxVal = 1)`: Hardtanh in place. */
export function hardtanh_(input: Tensor, minVal = -1, maxVal = 1): Tensor {
  checkTensor(input, 'hardtanh_');
  return inPlaceOf(input, 'hardtanh_', (x) => hardtanhOp(x, minVal, maxVal), true);
}

/** `F.threshold_(x, threshold, value)`: Threshold in place. */
export function threshold_(input: Tensor, thresholdValue: number, value: number): Tensor {
  return threshold(input, thresholdValue, value, true);
}

/** `F.celu_(x, alpha = 1)`: CELU in place. */
export function celu_(input: Tensor, alpha = 1): Tensor {
  return celu(input, alpha, true);
}

/** `F.selu_(x)`: SELU in place. */
export function selu_(input: Tensor): Tensor {
  return selu(input, true);
}

/** `F.rrelu_(x, lower = 1/8, upper = 1/3, training = false)`: RReLU in place. */
export function rrelu_(input: Tensor, lower = 1 / 8, upper = 1 / 3, training = false): Tensor {
  return rrelu(input, lower, upper, training, true);
}
