import type { Generator } from '../random.js';
import type { Tensor } from '../tensor/tensor.js';
import * as F from './functional.js';
import { describeValue } from '../options.js';

// The torch.* forms of functional ops — torch.conv2d, torch.batch_norm, torch.dropout, torch.embedding, the losses —
// with their own positional arguments (PyTorch's native signatures, which differ from torch.nn.functional's: every
// argument by position, torch.embedding's weight first, losses' reduction as the integer 0 none, 1 mean, 2 sum), so
// a script that calls them reads the same. Left out, a loss's reduction is 0 (none), as in PyTorch 1.13, whose torch.*
// losses give every element's loss unless told otherwise (F.*'s default is 'mean'). Each runs the F.* op; the values are those of F, checked against PyTorch
// in torch-aliases.json.

type Size = number | readonly number[];
type ReductionArg = 0 | 1 | 2 | 'none' | 'mean' | 'sum';

/** PyTorch's reduction enum (0 none, 1 mean, 2 sum), or its name. */
function reductionOf(op: string, r: ReductionArg): 'none' | 'mean' | 'sum' {
  if (r === 0 || r === 'none') return 'none';
  if (r === 1 || r === 'mean') return 'mean';
  if (r === 2 || r === 'sum') return 'sum';
  throw new RangeError(`${op}: reduction must be 0 (none), 1 (mean) or 2 (sum), as PyTorch's enum, or its name; got ${describeValue(r)}`);
}

/** torch.max_pool*'s stride: empty (PyTorch's default, []) or null means the kernel size. */
const strideOf = (s: Size | null | undefined): Size | null => (s === undefined || s === null || (Array.isArray(s) && s.length === 0) ? null : s);

/** `torch.conv1d(input, weight, bias, stride, padding, dilation, groups)`. */
export function conv1d(input: Tensor, weight: Tensor, bias: Tensor | null = null, stride: Size = 1, padding: Size | 'valid' | 'same' = 0, dilation: Size = 1, groups = 1): Tensor {
  return F.conv1d(input, weight, bias, { stride, padding, dilation, groups } as never);
}

/** `torch.conv2d(input, weight, bias, stride, padding, dilation, groups)`. */
export function conv2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, stride: Size = 1, padding: Size | 'valid' | 'same' = 0, dilation: Size = 1, groups = 1): Tensor {
  return F.conv2d(input, weight, bias, { stride, padding, dilation, groups } as never);
}

/** `torch.conv3d(input, weight, bias, stride, padding, dilation, groups)`. */
export function conv3d(input: Tensor, weight: Tensor, bias: Tensor | null = null, stride: Size = 1, padding: Size | 'valid' | 'same' = 0, dilation: Size = 1, groups = 1): Tensor {
  return F.conv3d(input, weight, bias, { stride, padding, dilation, groups } as never);
}

/** `torch.conv_transpose1d(input, weight, bias, stride, padding, output_padding, groups, dilation)`. */
export function convTranspose1d(input: Tensor, weight: Tensor, bias: Tensor | null = null, stride: Size = 1, padding: Size = 0, outputPadding: Size = 0, groups = 1, dilation: Size = 1): Tensor {
  return F.convTranspose1d(input, weight, bias, { stride, padding, outputPadding, groups, dilation } as never);
}

/** `torch.conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups, dilation)`. */
export function convTranspose2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, stride: Size = 1, padding: Size = 0, outputPadding: Size = 0, groups = 1, dilation: Size = 1): Tensor {
  return F.convTranspose2d(input, weight, bias, { stride, padding, outputPadding, groups, dilation } as never);
}

/** `torch.conv_transpose3d(input, weight, bias, stride, padding, output_padding, groups, dilation)`. */
export function convTranspose3d(input: Tensor, weight: Tensor, bias: Tensor | null = null, stride: Size = 1, padding: Size = 0, outputPadding: Size = 0, groups = 1, dilation: Size = 1): Tensor {
  return F.convTranspose3d(input, weight, bias, { stride, padding, outputPadding, groups, dilation } as never);
}

/** `torch.max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode)`. */
export function maxPool1d(input: Tensor, kernelSize: Size, stride: Size | null = null, padding: Size = 0, dilation: Size = 1, ceilMode = false): Tensor {
  return F.maxPool1d(input, kernelSize as never, { stride: strideOf(stride), padding, dilation, ceilMode } as never);
}

/** `torch.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode)`. */
export function maxPool2d(input: Tensor, kernelSize: Size, stride: Size | null = null, padding: Size = 0, dilation: Size = 1, ceilMode = false): Tensor {
  return F.maxPool2d(input, kernelSize as never, { stride: strideOf(stride), padding, dilation, ceilMode } as never);
}

/** `torch.max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode)`. */
export function maxPool3d(input: Tensor, kernelSize: Size, stride: Size | null = null, padding: Size = 0, dilation: Size = 1, ceilMode = false): Tensor {
  return F.maxPool3d(input, kernelSize as never, { stride: strideOf(stride), padding, dilation, ceilMode } as never) as Tensor;
}

/** `torch.avg_pool1d(input, kernel_size, stride, padding, ceil_mode, count_include_pad)`. */
export function avgPool1d(input: Tensor, kernelSize: Size, stride: Size | null = null, padding: Size = 0, ceilMode = false, countIncludePad = true): Tensor {
  return F.avgPool1d(input, kernelSize as never, { stride: strideOf(stride), padding, ceilMode, countIncludePad } as never);
}

/** `torch.adaptive_avg_pool1d(input, output_size)`. */
export function adaptiveAvgPool1d(input: Tensor, outputSize: Size): Tensor {
  return F.adaptiveAvgPool1d(input, outputSize as never);
}

/** `torch.adaptive_max_pool1d(input, output_size)`: the values and their indices, as PyTorch's tuple. */
export function adaptiveMaxPool1d(input: Tensor, outputSize: Size): [Tensor, Tensor] {
  return F.adaptiveMaxPool1d(input, outputSize as never, true);
}

/** `torch.batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled)`. */
export function batchNorm(
  input: Tensor, weight: Tensor | null, bias: Tensor | null, runningMean: Tensor | null, runningVar: Tensor | null, training: boolean, momentum: number, eps: number, _cudnnEnabled?: boolean,
): Tensor {
  return F.batchNorm(input, runningMean, runningVar, { weight, bias, training, momentum, eps });
}

/** `torch.layer_norm(input, normalized_shape, weight, bias, eps, cudnn_enable)`. */
export function layerNorm(input: Tensor, normalizedShape: Size, weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5, _cudnnEnable?: boolean): Tensor {
  return F.layerNorm(input, normalizedShape, weight, bias, eps);
}

/** `torch.group_norm(input, num_groups, weight, bias, eps, cudnn_enabled)`. */
export function groupNorm(input: Tensor, numGroups: number, weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5, _cudnnEnabled?: boolean): Tensor {
  return F.groupNorm(input, numGroups, weight, bias, eps);
}

/** `torch.instance_norm(input, weight, bias, running_mean, running_var, use_input_stats, momentum, eps, cudnn_enabled)`. */
export function instanceNorm(
  input: Tensor, weight: Tensor | null, bias: Tensor | null, runningMean: Tensor | null, runningVar: Tensor | null, useInputStats: boolean, momentum: number, eps: number, _cudnnEnabled?: boolean,
): Tensor {
  return F.instanceNorm(input, { weight, bias, runningMean, runningVar, useInputStats, momentum, eps });
}

/** `torch.dropout(input, p, train)`: both arguments required, as PyTorch's. */
export function dropout(input: Tensor, p: number, train: boolean): Tensor {
  return F.dropout(input, p, train);
}

/** `torch.alpha_dropout(input, p, train)`. */
export function alphaDropout(input: Tensor, p: number, train: boolean): Tensor {
  return F.alphaDropout(input, p, train);
}

/** `torch.feature_alpha_dropout(input, p, train)`. */
export function featureAlphaDropout(input: Tensor, p: number, train: boolean): Tensor {
  return F.featureAlphaDropout(input, p, train);
}

/**
 * `torch.embedding(weight, indices, padding_idx, scale_grad_by_freq, sparse)`: the weight first, and a negative
 * padding index (PyTorch's default -1) for none, as the native op takes them.
 */
export function embedding(weight: Tensor, indices: Tensor, paddingIdx = -1, scaleGradByFreq = false, sparse = false): Tensor {
  return F.embedding(indices, weight, { paddingIdx: paddingIdx < 0 ? null : paddingIdx, scaleGradByFreq, sparse });
}

/** `torch.bilinear(input1, input2, weight, bias)`. */
export function bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  return F.bilinear(input1, input2, weight, bias);
}

/** `torch.pixel_shuffle(input, upscale_factor)`. */
export function pixelShuffle(input: Tensor, upscaleFactor: number): Tensor {
  return F.pixelShuffle(input, upscaleFactor);
}

/** `torch.pixel_unshuffle(input, downscale_factor)`. */
export function pixelUnshuffle(input: Tensor, downscaleFactor: number): Tensor {
  return F.pixelUnshuffle(input, downscaleFactor);
}

/** `torch.channel_shuffle(input, groups)`. */
export function channelShuffle(input: Tensor, groups: number): Tensor {
  return F.channelShuffle(input, groups);
}

/** `torch.pdist(input, p)`. */
export function pdist(input: Tensor, p = 2): Tensor {
  return F.pdist(input, p);
}

/** `torch.cosine_similarity(x1, x2, dim, eps)`. */
export function cosineSimilarity(x1: Tensor, x2: Tensor, dim = 1, eps = 1e-8): Tensor {
  return F.cosineSimilarity(x1, x2, { dim, eps });
}

/** `torch.pairwise_distance(x1, x2, p, eps, keepdim)`. */
export function pairwiseDistance(x1: Tensor, x2: Tensor, p = 2, eps = 1e-6, keepdim = false): Tensor {
  return F.pairwiseDistance(x1, x2, { p, eps, keepdim });
}

/** `torch.hardshrink(input, lambd)`. */
export function hardshrink(input: Tensor, lambd = 0.5): Tensor {
  return F.hardshrink(input, lambd);
}

/** `torch.rrelu(input, lower, upper, training, generator)`: PyTorch's default here is training false (the mean slope). */
export function rrelu(input: Tensor, lower = 1 / 8, upper = 1 / 3, training = false, generator?: Generator): Tensor {
  return F.rrelu(input, lower, upper, training, ...((generator === undefined ? [] : [generator]) as []));
}

/** `torch.selu(input)`. */
export function selu(input: Tensor): Tensor {
  return F.selu(input);
}

/** `torch.celu(input, alpha)`. */
export function celu(input: Tensor, alpha = 1): Tensor {
  return F.celu(input, alpha);
}

/** `torch.prelu(input, weight)`. */
export function prelu(input: Tensor, weight: Tensor): Tensor {
  return F.prelu(input, weight);
}

/** `torch.threshold(input, threshold, value)`. */
export function threshold(input: Tensor, thresholdValue: number, value: number): Tensor {
  return F.threshold(input, thresholdValue, value);
}

/** `torch.binary_cross_entropy_with_logits(input, target, weight, pos_weight, reduction)`. */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, weight: Tensor | null = null, posWeight: Tensor | null = null, reduction: ReductionArg = 0): Tensor {
  const r = reductionOf('binary_cross_entropy_with_logits', reduction);
  return F.binaryCrossEntropyWithLogits(input, target, { reduction: r, ...(weight === null ? {} : { weight }), ...(posWeight === null ? {} : { posWeight }) });
}

/** `torch.kl_div(input, target, reduction, log_target)`: reduction 1 is the mean over every element, 0 (left out) none. */
export function klDiv(input: Tensor, target: Tensor, reduction: ReductionArg = 0, logTarget = false): Tensor {
  return F.klDiv(input, target, { reduction: reductionOf('kl_div', reduction), logTarget });
}

/** `torch.margin_ranking_loss(input1, input2, target, margin, reduction)`. */
export function marginRankingLoss(input1: Tensor, input2: Tensor, target: Tensor, margin = 0, reduction: ReductionArg = 0): Tensor {
  return F.marginRankingLoss(input1, input2, target, { margin, reduction: reductionOf('margin_ranking_loss', reduction) });
}

/** `torch.poisson_nll_loss(input, target, log_input, full, eps, reduction)`: every argument required, as PyTorch's. */
export function poissonNllLoss(input: Tensor, target: Tensor, logInput: boolean, full: boolean, eps: number, reduction: ReductionArg): Tensor {
  return F.poissonNllLoss(input, target, { logInput, full, eps, reduction: reductionOf('poisson_nll_loss', reduction) });
}

/** `torch.triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap, reduction)`. */
export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, margin = 1, p = 2, eps = 1e-6, swap = false, reduction: ReductionArg = 0): Tensor {
  return F.tripletMarginLoss(anchor, positive, negative, { margin, p, eps, swap, reduction: reductionOf('triplet_margin_loss', reduction) });
}

/** `torch.hinge_embedding_loss(input, target, margin, reduction)`. */
export function hingeEmbeddingLoss(input: Tensor, target: Tensor, margin = 1, reduction: ReductionArg = 0): Tensor {
  return F.hingeEmbeddingLoss(input, target, { margin, reduction: reductionOf('hinge_embedding_loss', reduction) });
}

/** `torch.cosine_embedding_loss(input1, input2, target, margin, reduction)`. */
export function cosineEmbeddingLoss(input1: Tensor, input2: Tensor, target: Tensor, margin = 0, reduction: ReductionArg = 0): Tensor {
  return F.cosineEmbeddingLoss(input1, input2, target, { margin, reduction: reductionOf('cosine_embedding_loss', reduction) });
}

/** `torch.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank, reduction, zero_infinity)`. */
export function ctcLoss(
  logProbs: Tensor, targets: Tensor, inputLengths: Tensor | readonly number[], targetLengths: Tensor | readonly number[], blank = 0, reduction: ReductionArg = 0, zeroInfinity = false,
): Tensor {
  return F.ctcLoss(logProbs, targets, inputLengths, targetLengths, { blank, reduction: reductionOf('ctc_loss', reduction), zeroInfinity });
}
