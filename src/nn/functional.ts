/** Functional forms of layers and losses, like `torch.nn.functional` (imported as `F`). */
import { maximum } from '../ops/binary.js';
import { bceLoss, checkReduction, mseLoss, nllLoss, type Reduction } from '../ops/loss.js';
import { logSoftmax, softmax } from '../ops/softmax.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

export { linear } from '../ops/linear.js';
export { layerNorm } from '../ops/layer-norm.js';
export { leakyRelu, relu, sigmoid, tanh } from '../ops/unary.js';
export { bceLoss, mseLoss, nllLoss, logSoftmax, softmax, type Reduction };

function reduce(l: Tensor, reduction: Reduction): Tensor {
  return reduction === 'mean' ? l.mean() : reduction === 'sum' ? l.sum() : l;
}

/** BCE on raw scores, computed stably: (1 − y)·x + max(−x, 0) + log(exp(−max) + exp(−x − max)). */
export function bceWithLogitsLoss(input: Tensor, target: Tensor, options: { reduction?: Reduction } = {}): Tensor {
  const reduction = checkReduction(options.reduction ?? 'mean', 'bceWithLogitsLoss');
  if (!sameShape(input.shape, target.shape)) {
    throw new RangeError(`bceWithLogitsLoss: target shape ${formatShape(target.shape)} does not match input shape ${formatShape(input.shape)}`);
  }
  const maxVal = maximum(input.neg(), 0);
  const l = target.neg().add(1).mul(input).add(maxVal).add(maxVal.neg().exp().add(input.neg().sub(maxVal).exp()).log());
  return reduce(l, reduction);
}

/**
 * Cross-entropy of raw scores [N, C] (or [C]) against class indices ([N]) or class probabilities (same shape
 * as the input), like `torch.nn.functional.cross_entropy`.
 */
export function crossEntropyLoss(input: Tensor, target: Tensor, options: { reduction?: Reduction } = {}): Tensor {
  const reduction = checkReduction(options.reduction ?? 'mean', 'crossEntropyLoss');
  const dim = input.ndim === 1 ? 0 : 1;
  const logp = logSoftmax(input, dim);
  if (sameShape(input.shape, target.shape)) {
    const l = logp.mul(target).sum(dim).neg();
    return reduction === 'mean' && input.ndim > 1 ? l.sum().div(input.shape[0]!) : reduce(l, reduction);
  }
  return nllLoss(logp, target, { reduction });
}

