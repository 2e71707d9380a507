// The embedding and margin losses of PyTorch 1.13 built from tensor ops in ATen (Loss.cpp) or Python
// (functional.py), reproduced op for op so values, gradients and grad_fn names are PyTorch's:
// hinge_embedding_loss, cosine_embedding_loss, soft_margin_loss (its own node, SoftMarginLossBackward0, as PyTorch's
// derivative) and multilabel_soft_margin_loss.
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { KindlingError } from '../errors.js';
import { isGradEnabled, noGrad } from '../autograd/grad-mode.js';
import { checkOptions, describeValue } from '../options.js';
import { zerosLike } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { logsigmoid } from './activations-extra.js';
import { where } from './binary.js';
import { applyReduction, checkReduction, type Reduction } from './reduction.js';
import { checkTensor } from './util.js';
import { checkLossBroadcast } from './loss-target-shape.js';

export interface MarginLossOptions {
  /** The margin (hinge embedding: default 1; cosine embedding: default 0). */
  readonly margin?: number;
  /** 'mean' (default), 'sum' or 'none'. */
  readonly reduction?: Reduction;
}

const size = (t: Tensor): string => `[${t.shape.join(', ')}]`;

function marginOptions(where: string, options: MarginLossOptions, fallback: number): { margin: number; reduction: Reduction } {
  const o = checkOptions<MarginLossOptions>(where, options, ['margin', 'reduction']);
  const margin = o.margin ?? fallback;
  if (typeof margin !== 'number' || Number.isNaN(margin)) throw new TypeError(`${where}: margin must be a number, got ${describeValue(margin)}`);
  return { margin, reduction: checkReduction(o.reduction ?? 'mean', where) };
}

/**
 * PyTorch's `F.hinge_embedding_loss(input, target, margin=1.0)`: x where the target is 1, max(0, margin − x) where it
 * is −1 (other targets count for both), then the reduction.
 */
export function hingeEmbeddingLoss(input: Tensor, target: Tensor, options: MarginLossOptions = {}): Tensor {
  checkTensor(input, 'hingeEmbeddingLoss');
  checkTensor(target, 'hingeEmbeddingLoss', 'target');
  checkLossBroadcast('hingeEmbeddingLoss', ['input', input], ['target', target]);
  const { margin, reduction } = marginOptions('hingeEmbeddingLoss', options, 1);
  const zeros = zerosLike(input);
  const marginClamp = input.neg().add(margin).clampMin(0);
  const out = where(target.ne(1), marginClamp, zeros).add(where(target.ne(-1), input, zeros));
  return applyReduction(out, reduction);
}

/**
 * PyTorch's `F.cosine_embedding_loss(input1, input2, target, margin=0)`: 1 − cos(x1, x2) where the target is 1,
 * max(0, cos − margin) where it is −1; rows of [N, D] inputs with an [N] target, or [D] inputs with a 0-D target.
 */
export function cosineEmbeddingLoss(input1: Tensor, input2: Tensor, target: Tensor, options: MarginLossOptions = {}): Tensor {
  checkTensor(input1, 'cosineEmbeddingLoss', 'input1');
  checkTensor(input2, 'cosineEmbeddingLoss', 'input2');
  checkTensor(target, 'cosineEmbeddingLoss', 'target');
  checkLossBroadcast('cosineEmbeddingLoss', ['input1', input1], ['input2', input2]);
  const { margin, reduction } = marginOptions('cosineEmbeddingLoss', options, 0);
  const d = target.ndim;
  if (d !== 0 && d !== 1) throw new KindlingError('0D or 1D target tensor expected, multi-target not supported');
  if (d === 1 && (input1.ndim !== 2 || input2.ndim !== 2)) {
    throw new KindlingError(`1D target tensor expects 2D input tensors, but found inputs with sizes ${size(input1)} and ${size(input2)}.`);
  }
  if (d === 0 && (input1.ndim !== 1 || input2.ndim !== 1)) {
    throw new KindlingError(`0D target tensor expects 1D input tensors, but found inputs with sizes ${size(input1)} and ${size(input2)}.`);
  }
  const EPSILON = 1e-12;
  const prodSum = input1.mul(input2).sum(d);
  const mag1 = input1.mul(input1).sum(d).add(EPSILON);
  const mag2 = input2.mul(input2).sum(d).add(EPSILON);
  const cos = prodSum.div(mag1.mul(mag2).sqrt());
  const zeros = zerosLike(cos);
  const pos = cos.neg().add(1);
  const neg = cos.sub(margin).clampMin(0);
  return applyReduction(where(target.eq(1), pos, zeros).add(where(target.eq(-1), neg, zeros)), reduction);
}

/**
 * PyTorch's `F.soft_margin_loss(input, target)`: log(1 + exp(−target·input)) (the target broadcast to the input's
 * shape), then the reduction, with PyTorch's
 * own backward (SoftMarginLossBackward0): −norm·target·z / (1 + z)·g, z = exp(−target·input), norm 1/numel for 'mean'.
 */
export function softMarginLoss(input: Tensor, target: Tensor, options: { readonly reduction?: Reduction } = {}): Tensor {
  checkTensor(input, 'softMarginLoss');
  checkTensor(target, 'softMarginLoss', 'target');
  const o = checkOptions<{ reduction?: Reduction }>('softMarginLoss', options, ['reduction']);
  const reduction = checkReduction(o.reduction ?? 'mean', 'softMarginLoss');
  // PyTorch broadcasts the target to the input's shape (its output has the input's), never the other way.
  const lead = input.ndim - target.ndim;
  if (lead < 0 || target.shape.some((s, i) => s !== 1 && s !== input.shape[lead + i])) {
    throw new KindlingError(`softMarginLoss: the target's shape ${size(target)} must be the input's ${size(input)} or broadcast to it`);
  }
  if (target.requiresGrad && isGradEnabled()) {
    throw new KindlingError("The function 'soft_margin_loss' is not differentiable with respect to argument 'target'. This input cannot have requires_grad True.");
  }
  const out = noGrad(() => applyReduction(input.neg().mul(target).exp().log1p(), reduction));
  const value = new Tensor(out.toArray(), out.shape);
  // The backward is written with ops: with createGraph it records its own graph (second derivatives).
  const back = (g: Tensor): (Tensor | null)[] => {
    const norm = reduction === 'mean' ? 1 / input.numel() : 1;
    const z = target.neg().mul(input).exp();
    const grad = target.mul(z).mul(-norm).div(z.add(1)).mul(g);
    return [grad, null];
  };
  return twice(record(value, 'softMarginLoss', [input, target], back, [input, target], 'SoftMarginLossBackward0'), back);
}

export interface MultiLabelSoftMarginLossOptions {
  /** A weight per class ([C]), or null. */
  readonly weight?: Tensor | null;
  /** 'mean' (default), 'sum' or 'none'. */
  readonly reduction?: Reduction;
}

/**
 * PyTorch's `F.multilabel_soft_margin_loss(input, target, weight=None)`: −(y·logσ(x) + (1 − y)·logσ(−x)), weighted,
 * averaged over the classes (the last dimension), then the reduction over the samples.
 */
export function multilabelSoftMarginLoss(input: Tensor, target: Tensor, options: MultiLabelSoftMarginLossOptions = {}): Tensor {
  checkTensor(input, 'multilabelSoftMarginLoss');
  checkTensor(target, 'multilabelSoftMarginLoss', 'target');
  checkLossBroadcast('multilabelSoftMarginLoss', ['input', input], ['target', target]);
  const o = checkOptions<MultiLabelSoftMarginLossOptions>('multilabelSoftMarginLoss', options, ['weight', 'reduction']);
  const reduction = checkReduction(o.reduction ?? 'mean', 'multilabelSoftMarginLoss');
  const weight = o.weight ?? null;
  if (weight !== null) checkTensor(weight, 'multilabelSoftMarginLoss', 'weight');
  if (input.ndim === 0) throw new KindlingError('multilabelSoftMarginLoss: the input must have at least 1 dimension (its classes), got a 0-D tensor');
  let loss = target.mul(logsigmoid(input)).add(target.neg().add(1).mul(logsigmoid(input.neg()))).neg();
  if (weight !== null) loss = loss.mul(weight);
  const classDim = input.ndim - 1;
  loss = loss.sum(classDim).div(input.shape[classDim]!);
  return applyReduction(loss, reduction);
}
