/** Functional forms of layers and losses, like `torch.nn.functional` (imported as `F`). */
import { twice } from '../autograd/twice.js';
import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { add, div, maximum, where } from '../ops/binary.js';
import { mean, sum } from '../ops/reduce.js';
import {
  classLossOptions, classWeights, CROSS_ENTROPY_OPTIONS, nllLossChecked, nllNoneTorchName, overClassDim,
  type ClassLossOptions, type CrossEntropyLossOptions, type NllLossOptions, type Reduction,
} from '../ops/loss.js';
import { BCE_WITH_LOGITS_OPTIONS, bceOptions, type BceLossOptions, type BceWithLogitsLossOptions } from '../ops/bce-options.js';
import { weightedBceWithLogitsLoss } from '../ops/bce-logits-weighted.js';
import { refuseGradArgument } from '../ops/no-grad-argument.js';
import { implicitSoftmaxDim, logSoftmax as logSoftmaxAlong, softmax as softmaxAlong } from '../ops/softmax.js';
import { checkTensor } from '../ops/util.js';
import { refuseMaskBce, refuseMaskPosWeight } from '../tensor/mask-arithmetic.js';
import { markMask } from '../tensor/mask-mark.js';
import { softmin as softminAlong } from '../ops/activations-composite.js';
import { BCE_WITH_LOGITS_POSITIONAL, CROSS_ENTROPY_POSITIONAL, functionalArguments, lossArguments, type LegacyReductionOptions } from './functional-positional.js';
import { describeValue, type PositionalThenOptions } from '../options.js';
import { checkFactoryKwargs } from '../device.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

export { dropout, elu, leakyRelu, relu, silu, type FunctionalDropoutOptions } from './functional-inplace.js';
export { alphaDropout, dropout1d, dropout2d, dropout3d, featureAlphaDropout, type FeatureDropoutOptions } from './functional-dropout.js';
export { linear } from '../ops/linear.js';
export { bilinear } from '../ops/bilinear.js';
export type { EmbeddingOptions } from '../ops/embedding.js';
export type { BatchNormOptions } from '../ops/batch-norm.js';
export { groupNorm, type GroupNormOptions } from '../ops/group-norm.js';
export type { InstanceNormOptions } from '../ops/instance-norm.js';
export type { NormalizeOptions } from '../ops/normalize.js';
export type { CosineSimilarityOptions, PairwiseDistanceOptions } from '../ops/distance.js';
export type { MarginRankingLossOptions } from '../ops/margin-ranking-loss.js';
export { channelShuffle } from '../ops/channel-shuffle.js';
export type { CtcLossOptions } from '../ops/ctc-loss.js';
export type { BagMode, EmbeddingBagOptions } from '../ops/embedding-bag.js';
export { adaptiveAvgPool3d, type AvgPool3dOptions, type MaxPool3dOptions } from '../ops/pool3d.js';
export { adaptiveMaxPool1d, adaptiveMaxPool2d, adaptiveMaxPool3d, type AdaptiveMaxPoolOptions } from './functional-adaptive.js';
export type { MarginLossOptions, MultiLabelSoftMarginLossOptions } from '../ops/embedding-losses.js';
export type { GaussianNLLLossOptions, PoissonNLLLossOptions } from '../ops/likelihood-losses.js';
export { tripletMarginWithDistanceLoss, type TripletMarginLossOptions, type TripletMarginWithDistanceLossOptions } from '../ops/triplet-loss.js';
export type { MultiMarginLossOptions } from '../ops/class-margin-losses.js';
export type { Conv1dOptions } from '../ops/conv1d.js';
export type { Conv2dOptions } from '../ops/conv.js';
export type { ConvTranspose1dOptions, ConvTranspose2dOptions, ConvTranspose3dOptions } from '../ops/conv-transpose.js';
export type { Conv3dOptions } from '../ops/conv3d.js';
export type { AvgPool1dOptions, MaxPool1dOptions } from '../ops/pool1d.js';
export type { AvgPool2dOptions, MaxPool2dOptions } from '../ops/pool.js';
export { adaptiveAvgPool1d } from '../ops/adaptive-pool1d.js';
export type { PadMode, PadOptions } from '../ops/pad.js';
export type { InterpolateMode, InterpolateOptions } from '../ops/interpolate.js';
export type { MaxUnpoolOptions } from '../ops/max-unpool.js';
export { lpPool1d, lpPool2d, type LpPoolOptions } from '../ops/lp-pool.js';
export type { FoldOptions } from '../ops/fold.js';
export { pixelShuffle, pixelUnshuffle } from '../ops/pixel-shuffle.js';
export { adaptiveAvgPool2d, type AdaptiveSize2d } from '../ops/adaptive-pool.js';
export { hardshrink, hardtanh, relu6, softshrink, type HardtanhFunctionOptions } from './functional-clip.js';
export { celu, hardsigmoid, hardswish, mish, selu, threshold } from './functional-activations.js';
export { rrelu, type RReLUFunctionOptions } from './rrelu.js';
export type { EluOptions, GeluApproximate, GeluOptions, SoftplusOptions } from '../ops/activations-more.js';
export { gelu, glu, logsigmoid, normalize, oneHot, prelu, sigmoid, softplus, softsign, tanh, tanhshrink } from './functional-arity.js';
export type { HuberLossOptions, SmoothL1LossOptions } from '../ops/regression-loss.js';
export type { KlDivLossOptions, KlDivReduction } from '../ops/kl-div.js';
export {
  avgPool1d, avgPool2d, avgPool3d, batchNorm, bceLoss, conv1d, conv2d, conv3d, convTranspose1d, convTranspose2d, convTranspose3d, embedding, fold,
  huberLoss, instanceNorm, interpolate, klDiv, layerNorm, localResponseNorm, l1Loss, maxPool1d, maxPool2d, maxPool3d, mseLoss, nllLoss, pad, smoothL1Loss, unfold,
  cosineEmbeddingLoss, cosineSimilarity, gaussianNllLoss, hingeEmbeddingLoss, marginRankingLoss, multilabelMarginLoss, multilabelSoftMarginLoss,
  multiMarginLoss, pairwiseDistance, poissonNllLoss, softMarginLoss, tripletMarginLoss, ctcLoss, embeddingBag, maxUnpool1d, maxUnpool2d, maxUnpool3d,
  type LayerNormFunctionOptions, type LegacyReductionOptions, type LocalResponseNormFunctionOptions,
} from './functional-positional.js';
export { type BceLossOptions, type BceWithLogitsLossOptions, type CrossEntropyLossOptions, type NllLossOptions, type Reduction };

/** PyTorch's keywords of `F.softmax`, `F.logSoftmax` and `F.softmin` after the input. */
export interface SoftmaxFunctionOptions {
  dim?: number | null;
  /** PyTorch's `_stacklevel`, which only places its warning: taken and ignored. */
  _stacklevel?: number;
  /** `'float32'` (or null), Kindling's one dtype: PyTorch's `dtype=torch.float32`, which changes nothing; any other is refused. */
  dtype?: string | null;
}

type SoftmaxRest = [dim?: number | SoftmaxFunctionOptions | null, _stacklevel?: number | SoftmaxFunctionOptions, dtype?: string | SoftmaxFunctionOptions | null, options?: SoftmaxFunctionOptions];

/**
 * The dim of `F.softmax(x, 1)` or `F.softmax(x, { dim: 1 })`, bound as PyTorch binds `(input, dim=None,
 * _stacklevel=3, dtype=None)`: `dtype` float32 or null (Kindling's one dtype), more arguments refused; without a dim,
 * PyTorch's implicit choice for the input's rank, with a warning.
 */
function softmaxDim(where: 'softmax' | 'logSoftmax' | 'softmin', input: Tensor, rest: readonly unknown[]): number {
  checkTensor(input, where);
  const o = functionalArguments(where, [input, ...rest], 1, ['dim', '_stacklevel', 'dtype'], ['dim', 'dtype'], `F.${where}(x, 1)`);
  if (o['_stacklevel'] !== undefined && typeof o['_stacklevel'] !== 'number') throw new TypeError(`${where}: _stacklevel must be a number, got ${describeValue(o['_stacklevel'])}`);
  checkFactoryKwargs(where, { dtype: o['dtype'] });
  return (o['dim'] as number | undefined) ?? implicitSoftmaxDim(input.ndim, where === 'logSoftmax' ? 'log_softmax' : where);
}

/**
 * Softmax along `dim` (a number, or `{ dim }` as PyTorch's keyword); without one, PyTorch's implicit choice for the
 * input's rank, with a warning (`implicitSoftmaxDim`).
 */
export function softmax(input: Tensor, ...rest: SoftmaxRest): Tensor {
  return softmaxAlong(input, softmaxDim('softmax', input, rest));
}

/** log(softmax) along `dim`; without one, as `softmax`. */
export function logSoftmax(input: Tensor, ...rest: SoftmaxRest): Tensor {
  return logSoftmaxAlong(input, softmaxDim('logSoftmax', input, rest));
}

/** Softmin, softmax(−x) along `dim`, as PyTorch's `F.softmin(input, dim=None, _stacklevel=3, dtype=None)`; its arguments as `softmax`'s. */
export function softmin(input: Tensor, ...rest: SoftmaxRest): Tensor {
  return softminAlong(input, softmaxDim('softmin', input, rest));
}

/** The loss `l` reduced; the node of a mean or sum named `torchName` for PyTorch where given (record.ts). */
function reduce(l: Tensor, reduction: Reduction, torchName?: string): Tensor {
  return reduction === 'mean' ? mean(l, undefined, false, torchName) : reduction === 'sum' ? sum(l, undefined, false, torchName) : l;
}

/** PyTorch's node for binary_cross_entropy_with_logits, whichever way Kindling computes it. */
const BCE_WITH_LOGITS = 'BinaryCrossEntropyWithLogitsBackward0';

/**
 * BCE on raw scores, computed stably: (1 − y)·x + max(−x, 0) + log(exp(−max) + exp(−x − max)). Options as
 * PyTorch 1.13's, by position in its order `(input, target, weight, size_average, reduce, reduction, pos_weight)` or
 * as options after any of them: `weight` (broadcast to the input's shape) scales each element's loss, and `posWeight` (one per
 * class, broadcast along the last dimension) weighs the positive term, (1 − y)·x + ((posWeight − 1)·y + 1)·
 * (log(exp(−max) + exp(−x − max)) + max); neither gets a gradient (ops/bce-logits-weighted.ts).
 */
export function bceWithLogitsLoss(input: Tensor, target: Tensor, ...rest: BceWithLogitsRest): Tensor {
  return bceWithLogits('bceWithLogitsLoss', input, target, rest);
}

/** `bceWithLogitsLoss` under PyTorch's name, `F.binary_cross_entropy_with_logits`, whose errors name it. */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, ...rest: BceWithLogitsRest): Tensor {
  return bceWithLogits('binaryCrossEntropyWithLogits', input, target, rest);
}

type BceWithLogitsRest = PositionalThenOptions<[weight: Tensor | null, sizeAverage: boolean | null, reduce: boolean | null, reduction: Reduction, posWeight: Tensor | null], BceWithLogitsLossOptions & LegacyReductionOptions>;

/** BCE on raw scores, its errors naming `op`, the function the user called. */
function bceWithLogits(op: string, input: Tensor, target: Tensor, rest: readonly unknown[]): Tensor {
  const options = lossArguments(op, [input, target, ...rest], BCE_WITH_LOGITS_POSITIONAL, "F.binaryCrossEntropyWithLogits(x, y, null, null, null, 'sum', posWeight)");
  const { reduction, weight, posWeight } = bceOptions(options, op, BCE_WITH_LOGITS_OPTIONS);
  refuseGradArgument(weight, 'weight', op, 'weight', 'binary_cross_entropy_with_logits');
  refuseGradArgument(posWeight, 'posWeight', op, 'pos_weight', 'binary_cross_entropy_with_logits');
  checkTensor(input, op);
  checkTensor(target, op, 'target');
  refuseMaskBce(input, target, op, true);
  if (!sameShape(input.shape, target.shape)) {
    throw new RangeError(`${op}: target shape ${formatShape(target.shape)} does not match input shape ${formatShape(input.shape)}`);
  }
  refuseMaskPosWeight(posWeight, op);
  if (weight !== undefined || posWeight !== undefined) return weightedBceWithLogitsLoss(input, target, reduction, weight, posWeight, op);
  const loss = (): Tensor => {
    const maxVal = maximum(input.neg(), 0);
    const log = maxVal.neg().exp().add(input.neg().sub(maxVal).exp()).log();
    const l = add(target.neg().add(1).mul(input).add(maxVal), log, reduction === 'none' ? BCE_WITH_LOGITS : undefined);
    return reduce(l, reduction, BCE_WITH_LOGITS);
  };
  // PyTorch's backward: the input's gradient (σ(x) − y)·g, the target's −x·g (each divided by the element count for
  // 'mean'): its bits, and finite gradients where the formula's pieces meet ∞.
  const back = (detach: boolean) => (g: Tensor): (Tensor | null)[] => {
    const x = detach ? input.detach() : input;
    const y = detach ? target.detach() : target;
    const scaled = (d: Tensor): Tensor => (reduction === 'mean' ? d.div(input.numel()) : d);
    return [
      input.requiresGrad ? scaled(x.sigmoid().sub(y).mul(g)) : null,
      target.requiresGrad ? scaled(x.neg().mul(g)) : null,
    ];
  };
  // The same formulas with the inputs kept in the graph are the gradients' graph (createGraph).
  return twice(record(noGrad(loss), 'bceWithLogitsLoss', [input, target], back(true), [input, target], BCE_WITH_LOGITS), back(false));
}

/**
 * Cross-entropy of raw scores [N, C] (or [C]) against class indices ([N]) or class probabilities (same shape
 * as the input), like `torch.nn.functional.cross_entropy`; as there, scores [N, C, d1, …] (class dimension 1)
 * take class indices [N, d1, …] or probabilities of their own shape, and 'none' gives [N, d1, …].
 *
 * Arguments as PyTorch 1.13's, by position in its order `(input, target, weight, size_average, ignore_index, reduce,
 * reduction, label_smoothing)` or as options after any of them: `weight` [C] scales each class (with class indices, 'mean' divides by the sum of the
 * targets' weights, as `nllLoss`; with probabilities, by the number of samples); `ignoreIndex` (default −100) skips
 * class-index targets equal to it (with probabilities only a negative one is allowed, as there); `labelSmoothing`
 * ε mixes the target with the uniform distribution: probabilities become (1 − ε)·p + ε/C, and with class indices
 * the loss is (1 − ε)·nll + ε/C·Σ_c −w_c·log p_c (summed over the samples that are not ignored; 'mean' divides that
 * sum by the same total weight as the nll term).
 */
export function crossEntropyLoss(
  input: Tensor, target: Tensor,
  ...rest: PositionalThenOptions<[weight: Tensor | null, sizeAverage: boolean | null, ignoreIndex: number, reduce: boolean | null, reduction: Reduction, labelSmoothing: number], CrossEntropyLossOptions & LegacyReductionOptions>
): Tensor {
  const options = lossArguments('crossEntropyLoss', [input, target, ...rest], CROSS_ENTROPY_POSITIONAL, "F.crossEntropy(out, y, null, null, -100, null, 'sum')");
  const o = classLossOptions(options, 'crossEntropyLoss', CROSS_ENTROPY_OPTIONS);
  checkTensor(input, 'crossEntropyLoss');
  checkTensor(target, 'crossEntropyLoss', 'target');
  return crossEntropyChecked(input, target, o);
}

/**
 * `crossEntropyLoss` after its options are checked; `rows` when the input is the [M, C] rows of one of more than 2
 * dimensions (its nll node is then PyTorch's NllLoss2DBackward0).
 */
function crossEntropyChecked(input: Tensor, target: Tensor, o: ClassLossOptions, rows = false): Tensor {
  const { reduction, ignoreIndex, labelSmoothing: eps } = o;
  const probs = sameShape(input.shape, target.shape);
  if (input.ndim > 2) {
    // The last node of PyTorch's 'none' result: the negated sum over classes (probabilities), the sum of the two
    // terms (label smoothing), or nll_loss2d's.
    const none = probs ? 'NegBackward0' : eps > 0 ? 'AddBackward0' : nllNoneTorchName(input.ndim);
    return overClassDim(input, target, reduction, 'crossEntropyLoss', true, (x, t) => crossEntropyChecked(x, t, o, true), none);
  }
  if (input.ndim !== 1 && input.ndim !== 2) throw new RangeError(`crossEntropyLoss: input must be scores of shape [N, C], [C] or [N, C, d1, …], got ${formatShape(input.shape)}`);
  if (!probs) checkClassIndices(input, target, ignoreIndex);
  const dim = input.ndim === 1 ? 0 : 1;
  const C = input.shape[dim]!;
  if (probs && ignoreIndex >= 0) {
    throw new RangeError(`crossEntropyLoss: ignoreIndex (${ignoreIndex}) applies to class-index targets only, and this target has the input's shape ${formatShape(input.shape)} (class probabilities); as in PyTorch, only a negative ignoreIndex is allowed with probabilities`);
  }
  const w = classWeights(o.weight, C, 'crossEntropyLoss') === null ? null : o.weight!;
  const logp = logSoftmaxAlong(input, dim);
  if (probs) {
    const p = eps > 0 ? target.mul(1 - eps).add(eps / C) : target;
    const l = (w === null ? logp.mul(p) : logp.mul(p).mul(w)).sum(dim).neg();
    // PyTorch's last node: the division of the sum by the batch size (by a number, DivBackward1) for 'mean', the
    // negation of the sum for 'sum' (and of the sum over classes for 'none').
    if (reduction === 'mean') return input.ndim > 1 ? div(l.sum(), input.shape[0]!, 'DivBackward1') : mean(l, undefined, false, 'DivBackward1');
    return reduce(l, reduction, 'NegBackward0');
  }
  refuseGradArgument(o.weight, 'weight', 'crossEntropyLoss', 'weight', 'cross_entropy (its nll_loss)');
  const nll = nllLossChecked(logp, target, o, rows ? 'NllLoss2DBackward0' : undefined);
  if (eps === 0) return nll;
  // PyTorch's cross_entropy_loss_label_smoothing: −Σ_c w_c·log p_c per sample, 0 where ignored; 'mean' divides the
  // sum by the total weight of the targets that are not ignored (their count without weights).
  const t = target.values();
  const keep = new Float32Array(t.length);
  let total = 0;
  const wv = w === null ? null : w.values();
  for (let i = 0; i < t.length; i++) {
    if (t[i] === ignoreIndex) continue;
    keep[i] = 1;
    total += wv === null ? 1 : wv[t[i]!]!;
  }
  const perSample = where(markMask(new Tensor(keep, target.shape)), (w === null ? logp : logp.mul(w)).sum(dim).neg(), 0);
  const smooth = reduction === 'mean' ? perSample.sum().div(Math.fround(total)) : reduce(perSample, reduction);
  return nll.mul(1 - eps).add(smooth.mul(eps / C));
}

/** Class-index targets of cross-entropy: shape [N] for [N, C] scores ([] for [C]), integers in [0, C) or `ignoreIndex`. */
function checkClassIndices(input: Tensor, target: Tensor, ignoreIndex: number): void {
  const want = input.ndim === 2 ? [input.shape[0]!] : [];
  if (!sameShape(target.shape, want)) {
    throw new RangeError(`crossEntropyLoss: target must be class indices of shape ${formatShape(want)} or class probabilities of shape ${formatShape(input.shape)}, got ${formatShape(target.shape)}`);
  }
  const C = input.shape[input.ndim - 1]!;
  target.values().forEach((c, i) => {
    if (c === ignoreIndex) return;
    if (!Number.isInteger(c) || c < 0 || c >= C) throw new RangeError(`crossEntropyLoss: target ${c} at position ${i} is not a class index in [0, ${C - 1}]${ignoreIndex >= 0 && ignoreIndex < C ? '' : ` (nor ignoreIndex, ${ignoreIndex})`}`);
  });
}

/**
 * PyTorch's functional names, spelled in camelCase: `F.cross_entropy`, `F.binary_cross_entropy` and
 * `F.binary_cross_entropy_with_logits` are the functions above under their module-like names.
 */
export { crossEntropyLoss as crossEntropy };
export { binaryCrossEntropy } from './functional-positional.js';
export { fractionalMaxPool2d, fractionalMaxPool3d } from './fractional-pool.js';
export {
  adaptiveMaxPool1dWithIndices, adaptiveMaxPool2dWithIndices, adaptiveMaxPool3dWithIndices, fractionalMaxPool2dWithIndices, fractionalMaxPool3dWithIndices,
  maxPool1dWithIndices, maxPool2dWithIndices, maxPool3dWithIndices, nativeChannelShuffle, upsample, upsampleBilinear, upsampleNearest,
} from './functional-aliases.js';
export { affineGrid, gridSample, type GridSampleOptions } from './grid-sample.js';
export { gumbelSoftmax, type GumbelSoftmaxOptions } from './gumbel-softmax.js';
export { pdist } from '../ops/pdist.js';
export { convTbc } from '../ops/conv-tbc.js';
export { celu_, elu_, hardtanh_, leakyRelu_, relu_, rrelu_, selu_, threshold_ } from './functional-underscore.js';
export { multiHeadAttentionForward, type MultiHeadAttentionForwardOptions } from './functional-attention.js';
