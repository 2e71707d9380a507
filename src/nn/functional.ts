/** Functional forms of layers and losses, like `torch.nn.functional` (imported as `F`). */
import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { maximum } from '../ops/binary.js';
import { bceLoss, lossReduction, mseLoss, nllLoss, overClassDim, type Reduction } from '../ops/loss.js';
import { implicitSoftmaxDim, logSoftmax as logSoftmaxAlong, softmax as softmaxAlong } from '../ops/softmax.js';
import { checkTensor } from '../ops/util.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

export { dropout } from '../ops/dropout.js';
export { linear } from '../ops/linear.js';
export { layerNorm } from '../ops/layer-norm.js';
export { leakyRelu, relu, sigmoid, tanh } from '../ops/unary.js';
export { bceLoss, mseLoss, nllLoss, type Reduction };

/** Softmax along `dim`; without one, PyTorch's implicit choice for the input's rank, with a warning (`implicitSoftmaxDim`). */
export function softmax(input: Tensor, dim?: number): Tensor {
  return softmaxAlong(input, dim ?? implicitSoftmaxDim(input.ndim));
}

/** log(softmax) along `dim`; without one, as `softmax`. */
export function logSoftmax(input: Tensor, dim?: number): Tensor {
  return logSoftmaxAlong(input, dim ?? implicitSoftmaxDim(input.ndim));
}

function reduce(l: Tensor, reduction: Reduction): Tensor {
  return reduction === 'mean' ? l.mean() : reduction === 'sum' ? l.sum() : l;
}

/** BCE on raw scores, computed stably: (1 − y)·x + max(−x, 0) + log(exp(−max) + exp(−x − max)). */
export function bceWithLogitsLoss(input: Tensor, target: Tensor, options: { reduction?: Reduction } = {}): Tensor {
  const reduction = lossReduction(options, 'bceWithLogitsLoss');
  checkTensor(input, 'bceWithLogitsLoss');
  checkTensor(target, 'bceWithLogitsLoss', 'target');
  if (!sameShape(input.shape, target.shape)) {
    throw new RangeError(`bceWithLogitsLoss: target shape ${formatShape(target.shape)} does not match input shape ${formatShape(input.shape)}`);
  }
  const loss = (): Tensor => {
    const maxVal = maximum(input.neg(), 0);
    return reduce(target.neg().add(1).mul(input).add(maxVal).add(maxVal.neg().exp().add(input.neg().sub(maxVal).exp()).log()), reduction);
  };
  // A target that needs a gradient too takes the graph of the formula above.
  if (target.requiresGrad) return loss();
  // Else PyTorch's backward, (σ(x) − y)·g (divided by the element count for 'mean'): its bits, and a finite gradient
  // where the formula's pieces meet ∞.
  return record(noGrad(loss), 'bceWithLogitsLoss', [input], (g) => {
    const d = input.detach().sigmoid().sub(target).mul(g);
    return [reduction === 'mean' ? d.div(input.numel()) : d];
  }, [input, target]);
}

/**
 * Cross-entropy of raw scores [N, C] (or [C]) against class indices ([N]) or class probabilities (same shape
 * as the input), like `torch.nn.functional.cross_entropy`; as there, scores [N, C, d1, …] (class dimension 1)
 * take class indices [N, d1, …] or probabilities of their own shape, and 'none' gives [N, d1, …].
 */
export function crossEntropyLoss(input: Tensor, target: Tensor, options: { reduction?: Reduction } = {}): Tensor {
  const reduction = lossReduction(options, 'crossEntropyLoss');
  checkTensor(input, 'crossEntropyLoss');
  checkTensor(target, 'crossEntropyLoss', 'target');
  if (input.ndim > 2) {
    return overClassDim(input, target, reduction, 'crossEntropyLoss', true, (x, t) => crossEntropyLoss(x, t, { reduction }));
  }
  if (input.ndim !== 1 && input.ndim !== 2) throw new RangeError(`crossEntropyLoss: input must be scores of shape [N, C], [C] or [N, C, d1, …], got ${formatShape(input.shape)}`);
  if (!sameShape(input.shape, target.shape)) checkClassIndices(input, target);
  const dim = input.ndim === 1 ? 0 : 1;
  const logp = logSoftmaxAlong(input, dim);
  if (sameShape(input.shape, target.shape)) {
    const l = logp.mul(target).sum(dim).neg();
    return reduction === 'mean' && input.ndim > 1 ? l.sum().div(input.shape[0]!) : reduce(l, reduction);
  }
  return nllLoss(logp, target, { reduction });
}

/** Class-index targets of cross-entropy: shape [N] for [N, C] scores ([] for [C]), integers in [0, C). */
function checkClassIndices(input: Tensor, target: Tensor): void {
  const want = input.ndim === 2 ? [input.shape[0]!] : [];
  if (!sameShape(target.shape, want)) {
    throw new RangeError(`crossEntropyLoss: target must be class indices of shape ${formatShape(want)} or class probabilities of shape ${formatShape(input.shape)}, got ${formatShape(target.shape)}`);
  }
  const C = input.shape[input.ndim - 1]!;
  target.values().forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0 || c >= C) throw new RangeError(`crossEntropyLoss: target ${c} at position ${i} is not a class index in [0, ${C - 1}]`);
  });
}
