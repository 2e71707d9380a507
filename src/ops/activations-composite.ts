/**
 * The activations PyTorch 1.13 writes in Python from other ops, computed from the same ops here, so their values,
 * gradients and nodes are those ops' (PyTorch's names by decomposition):
 *  - softsign, x / (1 + |x|) — `input / (input.abs() + 1)`, node DivBackward0;
 *  - tanhshrink, x − tanh(x) — `input - input.tanh()`, node SubBackward0;
 *  - softmin, softmax(−x) along a dim — `(-input).softmax(dim)`, node SoftmaxBackward0.
 */
import { div, sub } from './binary.js';
import { implicitSoftmaxDim, softmax } from './softmax.js';
import { abs, neg, tanh } from './unary.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';

/** Softsign, x / (1 + |x|), PyTorch's `F.softsign`. */
export function softsign(x: Tensor): Tensor {
  checkTensor(x, 'softsign');
  return div(x, abs(x).add(1));
}

/** Tanhshrink, x − tanh(x), PyTorch's `F.tanhshrink`. */
export function tanhshrink(x: Tensor): Tensor {
  checkTensor(x, 'tanhshrink');
  return sub(x, tanh(x));
}

/**
 * Softmin, softmax(−x) along `dim`, PyTorch's `F.softmin(input, dim)`; without a dim, PyTorch's implicit choice for
 * the input's rank (0 for 0-, 1- and 3-D inputs, else 1), with a warning, as `F.softmax`.
 */
export function softmin(x: Tensor, dim?: number | null): Tensor {
  checkTensor(x, 'softmin');
  return softmax(neg(x), dim ?? implicitSoftmaxDim(x.ndim, 'softmin'));
}
