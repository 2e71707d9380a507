/**
 * The functional forms that take PyTorch 1.13's positional order, then optionally one object of named options (a
 * name given both ways refused, as Python refuses a keyword given twice): `F.conv2d(x, w, b, 1, 1)`,
 * `F.maxPool2d(x, 3, 2, 1)`, `F.crossEntropy(out, y, null, null, -100, null, 'sum')`, each as
 * `torch.nn.functional`'s. The ops themselves (src/ops) take options; these bind the arguments (options.ts
 * `boundArguments`) and call them.
 *
 * PyTorch's `None` for an argument whose default is "none" (a pooling's stride, an embedding's padding_idx, a loss's
 * weight, size_average and reduce, interpolate's size and scale_factor, …) is null here and counts as not given.
 * The losses' legacy `size_average` and `reduce` (`sizeAverage`, `reduce`) are PyTorch's: either given as true or
 * false sets the reduction as `_Reduction.legacy_get_string` does (both true or left out 'mean', reduce true alone
 * 'sum', reduce false 'none'; the reduction given is then ignored), with PyTorch's deprecation warning.
 */
import { warnOnce } from '../warn.js';
import { boundArguments, describeValue, type PositionalThenOptions } from '../options.js';
import { conv2d as conv2dOp, type Conv2dOptions } from '../ops/conv.js';
import { conv1d as conv1dOp, type Conv1dOptions } from '../ops/conv1d.js';
import { conv3d as conv3dOp, type Conv3dOptions } from '../ops/conv3d.js';
import {
  convTranspose1d as convTranspose1dOp, convTranspose2d as convTranspose2dOp, convTranspose3d as convTranspose3dOp,
  type ConvTranspose1dOptions, type ConvTranspose2dOptions, type ConvTranspose3dOptions,
} from '../ops/conv-transpose.js';
import { avgPool2d as avgPool2dOp, maxPool2d as maxPool2dOp, type AvgPool2dOptions, type MaxPool2dOptions } from '../ops/pool.js';
import { avgPool1d as avgPool1dOp, maxPool1d as maxPool1dOp, type AvgPool1dOptions, type MaxPool1dOptions } from '../ops/pool1d.js';
import { avgPool3d as avgPool3dOp, maxPool3d as maxPool3dOp, type AvgPool3dOptions, type MaxPool3dOptions } from '../ops/pool3d.js';
import { embedding as embeddingOp, type EmbeddingOptions } from '../ops/embedding.js';
import { batchNorm as batchNormOp, type BatchNormOptions } from '../ops/batch-norm.js';
import { instanceNorm as instanceNormOp, type InstanceNormOptions } from '../ops/instance-norm.js';
import { layerNorm as layerNormOp } from '../ops/layer-norm.js';
import { localResponseNorm as localResponseNormOp } from '../ops/local-response-norm.js';
import { interpolate as interpolateOp, type InterpolateOptions } from '../ops/interpolate.js';
import { pad as padOp, type PadOptions } from '../ops/pad.js';
import { fold as foldOp, unfold as unfoldOp, type FoldOptions } from '../ops/fold.js';
import { bceLoss as bceLossOp, mseLoss as mseLossOp, nllLoss as nllLossOp, type NllLossOptions, type Reduction } from '../ops/loss.js';
import { huberLoss as huberLossOp, l1Loss as l1LossOp, smoothL1Loss as smoothL1LossOp, type HuberLossOptions, type SmoothL1LossOptions } from '../ops/regression-loss.js';
import { klDiv as klDivOp, type KlDivLossOptions } from '../ops/kl-div.js';
import type { BceLossOptions } from '../ops/bce-options.js';
import { maxUnpool1d as maxUnpool1dOp, maxUnpool2d as maxUnpool2dOp, maxUnpool3d as maxUnpool3dOp, type MaxUnpoolOptions } from '../ops/max-unpool.js';
import { ctcLoss as ctcLossOp, type CtcLossOptions } from '../ops/ctc-loss.js';
import { embeddingBag as embeddingBagOp, type BagMode, type EmbeddingBagOptions } from '../ops/embedding-bag.js';
import { marginRankingLoss as marginRankingLossOp, type MarginRankingLossOptions } from '../ops/margin-ranking-loss.js';
import {
  cosineEmbeddingLoss as cosineEmbeddingLossOp, hingeEmbeddingLoss as hingeEmbeddingLossOp, multilabelSoftMarginLoss as multilabelSoftMarginLossOp,
  softMarginLoss as softMarginLossOp, type MarginLossOptions, type MultiLabelSoftMarginLossOptions,
} from '../ops/embedding-losses.js';
import { gaussianNllLoss as gaussianNllLossOp, poissonNllLoss as poissonNllLossOp, type GaussianNLLLossOptions, type PoissonNLLLossOptions } from '../ops/likelihood-losses.js';
import { tripletMarginLoss as tripletMarginLossOp, type TripletMarginLossOptions } from '../ops/triplet-loss.js';
import { multilabelMarginLoss as multilabelMarginLossOp, multiMarginLoss as multiMarginLossOp, type MultiMarginLossOptions } from '../ops/class-margin-losses.js';
import { cosineSimilarity as cosineSimilarityOp, pairwiseDistance as pairwiseDistanceOp, type CosineSimilarityOptions, type PairwiseDistanceOptions } from '../ops/distance.js';
import type { IntPair } from '../ops/window.js';
import type { Int1 } from '../ops/window1d.js';
import type { Triple } from '../ops/pool3d.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * `args` bound as PyTorch binds them: from index `from` on, to `positional` in order, then one object of options
 * (options.ts `boundArguments`); a null in the place of one of `noneIsDefault` is PyTorch's None there, not given.
 */
export function functionalArguments(
  where: string, args: readonly unknown[], from: number, positional: readonly string[], noneIsDefault: readonly string[], usage: string,
): Record<string, unknown> {
  const taken = args.map((a, i) => (a === null && i >= from && noneIsDefault.includes(positional[i - from]!) ? undefined : a));
  const bound = boundArguments(where, taken, from, positional, [], usage);
  for (const k of noneIsDefault) if (bound[k] === null) delete bound[k];
  return bound;
}

/** Takes `names` out of `o`, returning them and leaving the rest in `o`. */
function take(o: Record<string, unknown>, ...names: string[]): unknown[] {
  return names.map((n) => {
    const v = o[n];
    delete o[n];
    return v;
  });
}

/**
 * The reduction of a loss given PyTorch's legacy `size_average` and `reduce` (taken out of `o`): as
 * `_Reduction.legacy_get_string` when either is given (each true when left out), else `o.reduction`.
 */
export function legacyReduction(where: string, o: Record<string, unknown>): void {
  const [sizeAverage, reduce] = take(o, 'sizeAverage', 'reduce');
  if (sizeAverage === undefined && reduce === undefined) return;
  for (const [name, v] of [['sizeAverage', sizeAverage], ['reduce', reduce]] as const) {
    if (v !== undefined && typeof v !== 'boolean') {
      // A reduction in the legacy pair's place (`new nn.MSELoss('sum')`) is a slip PyTorch takes as a truthy size_average: the mean.
      const hint = typeof v === 'string' ? `; to give the reduction, name it: { reduction: ${JSON.stringify(v)} }` : '';
      throw new TypeError(`${where}: ${name} (PyTorch's legacy ${name === 'reduce' ? 'reduce' : 'size_average'}) must be true, false or null, got ${describeValue(v)}${hint}`);
    }
  }
  const reduction: Reduction = (reduce ?? true) === false ? 'none' : (sizeAverage ?? true) ? 'mean' : 'sum';
  warnOnce(`${where}: size_average and reduce args will be deprecated, please use reduction='${reduction}' instead.`);
  o['reduction'] = reduction;
}

type WithBias<O> = O & { bias?: Tensor | null };
const CONV = ['bias', 'stride', 'padding', 'dilation', 'groups'];
const CONV_TRANSPOSE = ['bias', 'stride', 'padding', 'outputPadding', 'groups', 'dilation'];

function convolution<O>(where: string, names: readonly string[], args: readonly unknown[], op: (x: Tensor, w: Tensor, b: Tensor | null, o: O) => Tensor, usage: string): Tensor {
  const o = functionalArguments(where, args, 2, names, ['bias'], usage);
  const [bias] = take(o, 'bias');
  return op(args[0] as Tensor, args[1] as Tensor, (bias ?? null) as Tensor | null, o as O);
}

/** PyTorch's `F.conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)`, or options after any of them. */
export function conv1d(input: Tensor, weight: Tensor, ...rest: PositionalThenOptions<[bias: Tensor | null, stride: Int1, padding: Conv1dOptions['padding'], dilation: Int1, groups: number], WithBias<Conv1dOptions>>): Tensor {
  return convolution('conv1d', CONV, [input, weight, ...rest], conv1dOp, 'F.conv1d(x, weight, bias, 1, 1)');
}

/** PyTorch's `F.conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)`, or options after any of them. */
export function conv2d(input: Tensor, weight: Tensor, ...rest: PositionalThenOptions<[bias: Tensor | null, stride: IntPair, padding: Conv2dOptions['padding'], dilation: IntPair, groups: number], WithBias<Conv2dOptions>>): Tensor {
  return convolution('conv2d', CONV, [input, weight, ...rest], conv2dOp, 'F.conv2d(x, weight, bias, 1, 1)');
}

/** PyTorch's `F.conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)`, or options after any of them. */
export function conv3d(input: Tensor, weight: Tensor, ...rest: PositionalThenOptions<[bias: Tensor | null, stride: Triple, padding: Conv3dOptions['padding'], dilation: Triple, groups: number], WithBias<Conv3dOptions>>): Tensor {
  return convolution('conv3d', CONV, [input, weight, ...rest], conv3dOp, 'F.conv3d(x, weight, bias, 1, 1)');
}

/** PyTorch's `F.conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1)`. */
export function convTranspose1d(input: Tensor, weight: Tensor, ...rest: PositionalThenOptions<[bias: Tensor | null, stride: Int1, padding: Int1, outputPadding: Int1, groups: number, dilation: Int1], WithBias<ConvTranspose1dOptions>>): Tensor {
  return convolution('convTranspose1d', CONV_TRANSPOSE, [input, weight, ...rest], convTranspose1dOp, 'F.convTranspose1d(x, weight, bias, 2, 1, 1)');
}

/** PyTorch's `F.conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1)`. */
export function convTranspose2d(input: Tensor, weight: Tensor, ...rest: PositionalThenOptions<[bias: Tensor | null, stride: IntPair, padding: IntPair, outputPadding: IntPair, groups: number, dilation: IntPair], WithBias<ConvTranspose2dOptions>>): Tensor {
  return convolution('convTranspose2d', CONV_TRANSPOSE, [input, weight, ...rest], convTranspose2dOp, 'F.convTranspose2d(x, weight, bias, 2, 1, 1)');
}

/** PyTorch's `F.conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1)`. */
export function convTranspose3d(input: Tensor, weight: Tensor, ...rest: PositionalThenOptions<[bias: Tensor | null, stride: Triple, padding: Triple, outputPadding: Triple, groups: number, dilation: Triple], WithBias<ConvTranspose3dOptions>>): Tensor {
  return convolution('convTranspose3d', CONV_TRANSPOSE, [input, weight, ...rest], convTranspose3dOp, 'F.convTranspose3d(x, weight, bias, 2, 1, 1)');
}

const MAX_POOL = ['kernelSize', 'stride', 'padding', 'dilation', 'ceilMode', 'returnIndices'];
const AVG_POOL = ['kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'];

function pooling<O>(where: string, names: readonly string[], args: readonly unknown[], op: (x: Tensor, k: never, o: O) => Tensor | [Tensor, Tensor], usage: string): Tensor | [Tensor, Tensor] {
  // PyTorch's None is the default for stride, divisor_override and return_indices (false, as its boolean_dispatch takes it).
  const o = functionalArguments(where, args, 1, names, ['stride', 'divisorOverride', 'returnIndices'], usage);
  const [k] = take(o, 'kernelSize');
  return op(args[0] as Tensor, k as never, o as O);
}

type MaxPoolArgs<S, O> = PositionalThenOptions<[kernelSize: S, stride: S | null, padding: S, dilation: S, ceilMode: boolean, returnIndices: false], O & { kernelSize?: S; returnIndices?: false }>;
type AvgPoolArgs<S, O> = PositionalThenOptions<[kernelSize: S, stride: S | null, padding: S, ceilMode: boolean, countIncludePad: boolean, divisorOverride: number | null], O & { kernelSize?: S }>;
type Indices = { returnIndices: true };

/**
 * PyTorch's `F.max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
 * return_indices=False)`, or options after any of them; `[values, indices]` with returnIndices.
 */
export function maxPool1d(input: Tensor, ...rest: MaxPoolArgs<Int1, MaxPool1dOptions>): Tensor;
export function maxPool1d(input: Tensor, kernelSize: Int1, options: MaxPool1dOptions & Indices): [Tensor, Tensor];
export function maxPool1d(input: Tensor, kernelSize: Int1, stride: Int1 | null | undefined, options: Omit<MaxPool1dOptions, 'stride'> & Indices): [Tensor, Tensor];
export function maxPool1d(input: Tensor, kernelSize: Int1, stride: Int1 | null | undefined, padding: Int1 | undefined, dilation: Int1 | undefined, ceilMode: boolean | undefined, returnIndices: true): [Tensor, Tensor];
export function maxPool1d(input: Tensor, ...rest: unknown[]): Tensor | [Tensor, Tensor] {
  return pooling('maxPool1d', MAX_POOL, [input, ...rest], maxPool1dOp, 'F.maxPool1d(x, 3, 2, 1)');
}

/**
 * PyTorch's `F.max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
 * return_indices=False)`, or options after any of them; `[values, indices]` with returnIndices.
 */
export function maxPool2d(input: Tensor, ...rest: MaxPoolArgs<IntPair, MaxPool2dOptions>): Tensor;
export function maxPool2d(input: Tensor, kernelSize: IntPair, options: MaxPool2dOptions & Indices): [Tensor, Tensor];
export function maxPool2d(input: Tensor, kernelSize: IntPair, stride: IntPair | null | undefined, options: Omit<MaxPool2dOptions, 'stride'> & Indices): [Tensor, Tensor];
export function maxPool2d(input: Tensor, kernelSize: IntPair, stride: IntPair | null | undefined, padding: IntPair | undefined, dilation: IntPair | undefined, ceilMode: boolean | undefined, returnIndices: true): [Tensor, Tensor];
export function maxPool2d(input: Tensor, ...rest: unknown[]): Tensor | [Tensor, Tensor] {
  return pooling('maxPool2d', MAX_POOL, [input, ...rest], maxPool2dOp, 'F.maxPool2d(x, 3, 2, 1)');
}

/**
 * PyTorch's `F.max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
 * return_indices=False)`, or options after any of them; `[values, indices]` with returnIndices.
 */
export function maxPool3d(input: Tensor, ...rest: MaxPoolArgs<Triple, MaxPool3dOptions>): Tensor;
export function maxPool3d(input: Tensor, kernelSize: Triple, options: MaxPool3dOptions & Indices): [Tensor, Tensor];
export function maxPool3d(input: Tensor, kernelSize: Triple, stride: Triple | null | undefined, options: Omit<MaxPool3dOptions, 'stride'> & Indices): [Tensor, Tensor];
export function maxPool3d(input: Tensor, kernelSize: Triple, stride: Triple | null | undefined, padding: Triple | undefined, dilation: Triple | undefined, ceilMode: boolean | undefined, returnIndices: true): [Tensor, Tensor];
export function maxPool3d(input: Tensor, ...rest: unknown[]): Tensor | [Tensor, Tensor] {
  return pooling('maxPool3d', MAX_POOL, [input, ...rest], maxPool3dOp, 'F.maxPool3d(x, 3, 2, 1)');
}

/** PyTorch's `F.avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True)`, or options after any of them. */
export function avgPool1d(input: Tensor, ...rest: PositionalThenOptions<[kernelSize: Int1, stride: Int1 | null, padding: Int1, ceilMode: boolean, countIncludePad: boolean], AvgPool1dOptions & { kernelSize?: Int1 }>): Tensor {
  return pooling('avgPool1d', AVG_POOL.slice(0, 5), [input, ...rest], avgPool1dOp, 'F.avgPool1d(x, 3, 2, 1)') as Tensor;
}

/**
 * PyTorch's `F.avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
 * divisor_override=None)`, or options after any of them.
 */
export function avgPool2d(input: Tensor, ...rest: AvgPoolArgs<IntPair, AvgPool2dOptions>): Tensor {
  return pooling('avgPool2d', AVG_POOL, [input, ...rest], avgPool2dOp, 'F.avgPool2d(x, 3, 2, 1)') as Tensor;
}

/**
 * PyTorch's `F.avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
 * divisor_override=None)`, or options after any of them.
 */
export function avgPool3d(input: Tensor, ...rest: AvgPoolArgs<Triple, AvgPool3dOptions>): Tensor {
  return pooling('avgPool3d', AVG_POOL, [input, ...rest], avgPool3dOp, 'F.avgPool3d(x, 3, 2, 1)') as Tensor;
}

/**
 * PyTorch's `F.embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
 * sparse=False)`, or options after any of them.
 */
export function embedding(input: Tensor, weight: Tensor, ...rest: PositionalThenOptions<[paddingIdx: number | null, maxNorm: number | null, normType: number, scaleGradByFreq: boolean, sparse: boolean], EmbeddingOptions>): Tensor {
  const o = functionalArguments('embedding', [input, weight, ...rest], 2, ['paddingIdx', 'maxNorm', 'normType', 'scaleGradByFreq', 'sparse'], ['paddingIdx', 'maxNorm'], 'F.embedding(indices, weight, 0)');
  return embeddingOp(input, weight, o);
}

/**
 * PyTorch's `F.batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1,
 * eps=1e-5)`, or options after any of them.
 */
export function batchNorm(input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, ...rest: PositionalThenOptions<[weight: Tensor | null, bias: Tensor | null, training: boolean, momentum: number, eps: number], BatchNormOptions>): Tensor {
  const o = functionalArguments('batchNorm', [input, runningMean, runningVar, ...rest], 3, ['weight', 'bias', 'training', 'momentum', 'eps'], ['weight', 'bias'], 'F.batchNorm(x, runningMean, runningVar, weight, bias, true, 0.1, 1e-5)');
  return batchNormOp(input, runningMean, runningVar, o);
}

/** F.layerNorm's keyword arguments, PyTorch's `weight`, `bias` and `eps`. */
export interface LayerNormFunctionOptions {
  /** Multiplies each normalised value, of the normalized shape (default none: 1). */
  readonly weight?: Tensor | null;
  /** Added after, of the normalized shape (default none: 0). */
  readonly bias?: Tensor | null;
  /** Added to the variance (default 1e-5). */
  readonly eps?: number;
}

/**
 * PyTorch's `F.layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05)`, or options after any of them
 * (`F.layerNorm(x, [200], { eps: 1e-6 })`, PyTorch's `eps=1e-6`). nn.LayerNorm calls the op itself: no binding on
 * its forward pass.
 */
export function layerNorm(input: Tensor, normalizedShape: number | readonly number[], ...rest: PositionalThenOptions<[weight: Tensor | null, bias: Tensor | null, eps: number], LayerNormFunctionOptions>): Tensor {
  const o = functionalArguments('layerNorm', [input, normalizedShape, ...rest], 2, ['weight', 'bias', 'eps'], ['weight', 'bias'], 'F.layerNorm(x, [200], weight, bias, 1e-5)') as LayerNormFunctionOptions;
  return layerNormOp(input, normalizedShape, o.weight ?? null, o.bias ?? null, o.eps);
}

/** F.localResponseNorm's keyword arguments, PyTorch's `alpha`, `beta` and `k`. */
export interface LocalResponseNormFunctionOptions {
  /** The scale of the window's sum of squares (default 1e-4). */
  readonly alpha?: number;
  /** The exponent (default 0.75). */
  readonly beta?: number;
  /** The additive constant (default 1). */
  readonly k?: number;
}

/**
 * PyTorch's `F.local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0)`, or options after any of them
 * (`F.localResponseNorm(x, 5, { alpha: 1e-3, k: 2 })`).
 */
export function localResponseNorm(input: Tensor, size: number, ...rest: PositionalThenOptions<[alpha: number, beta: number, k: number], LocalResponseNormFunctionOptions>): Tensor {
  const o = functionalArguments('localResponseNorm', [input, size, ...rest], 2, ['alpha', 'beta', 'k'], [], 'F.localResponseNorm(x, 5, 1e-4, 0.75, 1)') as LocalResponseNormFunctionOptions;
  return localResponseNormOp(input, size, o.alpha, o.beta, o.k);
}

/**
 * PyTorch's `F.instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None,
 * use_input_stats=True, momentum=0.1, eps=1e-5)`, or options after any of them (or all as one object,
 * `F.instanceNorm(x, { runningMean, runningVar, weight })`).
 */
export function instanceNorm(input: Tensor, options?: InstanceNormOptions): Tensor;
export function instanceNorm(input: Tensor, runningMean?: Tensor | null, runningVar?: Tensor | null, ...rest: PositionalThenOptions<[weight: Tensor | null, bias: Tensor | null, useInputStats: boolean, momentum: number, eps: number], Omit<InstanceNormOptions, 'runningMean' | 'runningVar'>>): Tensor;
export function instanceNorm(input: Tensor, ...rest: unknown[]): Tensor {
  if (rest.length <= 1 || typeof rest[0] === 'object' && rest[0] !== null && !('shape' in rest[0])) return instanceNormOp(input, ...(rest as [InstanceNormOptions?]));
  const o = functionalArguments('instanceNorm', [input, ...rest], 3, ['weight', 'bias', 'useInputStats', 'momentum', 'eps'], ['weight', 'bias'], 'F.instanceNorm(x, null, null, weight, bias)');
  return instanceNormOp(input, rest[0] as Tensor | null | undefined, rest[1] as Tensor | null | undefined, o);
}

/**
 * PyTorch's `F.interpolate(input, size=None, scale_factor=None, mode='nearest', align_corners=None,
 * recompute_scale_factor=None)`, or options after any of them.
 */
export function interpolate(input: Tensor, ...rest: PositionalThenOptions<[size: InterpolateOptions['size'], scaleFactor: InterpolateOptions['scaleFactor'], mode: InterpolateOptions['mode'], alignCorners: boolean | null, recomputeScaleFactor: boolean | null], InterpolateOptions>): Tensor {
  const names = ['size', 'scaleFactor', 'mode', 'alignCorners', 'recomputeScaleFactor'];
  const o = functionalArguments('interpolate', [input, ...rest], 1, names, ['size', 'scaleFactor', 'alignCorners', 'recomputeScaleFactor'], "F.interpolate(x, null, 2, 'bilinear', false)");
  return interpolateOp(input, o);
}

/** PyTorch's `F.pad(input, pad, mode='constant', value=None)`, or options after the pad list. */
export function pad(input: Tensor, padding: readonly number[], ...rest: PositionalThenOptions<[mode: PadOptions['mode'], value: number | null], PadOptions>): Tensor {
  const o = functionalArguments('pad', [input, padding, ...rest], 2, ['mode', 'value'], ['value'], "F.pad(x, [1, 1], 'constant', 0)");
  return padOp(input, padding, o);
}

/** PyTorch's `F.unfold(input, kernel_size, dilation=1, padding=0, stride=1)`, or options after any of them. */
export function unfold(input: Tensor, kernelSize: IntPair, ...rest: PositionalThenOptions<[dilation: IntPair, padding: IntPair, stride: IntPair], FoldOptions>): Tensor {
  const o = functionalArguments('unfold', [input, kernelSize, ...rest], 2, ['dilation', 'padding', 'stride'], [], 'F.unfold(x, 3, 1, 1, 1)');
  return unfoldOp(input, kernelSize, o);
}

/** PyTorch's `F.fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1)`, or options after any of them. */
export function fold(input: Tensor, outputSize: IntPair, kernelSize: IntPair, ...rest: PositionalThenOptions<[dilation: IntPair, padding: IntPair, stride: IntPair], FoldOptions>): Tensor {
  const o = functionalArguments('fold', [input, outputSize, kernelSize, ...rest], 3, ['dilation', 'padding', 'stride'], [], 'F.fold(cols, 4, 2, 1, 0, 2)');
  return foldOp(input, outputSize, kernelSize, o);
}

/** PyTorch's legacy arguments of a loss, by position or by name. */
export interface LegacyReductionOptions {
  /** PyTorch's deprecated `size_average`: with `reduce`, sets the reduction (true 'mean', false 'sum'). */
  sizeAverage?: boolean | null;
  /** PyTorch's deprecated `reduce`: false gives 'none'. */
  reduce?: boolean | null;
}

type Legacy = [sizeAverage: boolean | null, reduce: boolean | null];

/** A loss's arguments after input and target (`from` 2) bound to `names`, the legacy pair turned into a reduction. */
export function lossArguments(where: string, args: readonly unknown[], names: readonly string[], usage: string, from = 2): Record<string, unknown> {
  const o = functionalArguments(where, args, from, names, ['weight', 'sizeAverage', 'reduce', 'posWeight'], usage);
  legacyReduction(where, o);
  return o;
}

const NLL = ['weight', 'sizeAverage', 'ignoreIndex', 'reduce', 'reduction'];
/** PyTorch's cross_entropy's parameters after input and target. */
export const CROSS_ENTROPY_POSITIONAL = [...NLL, 'labelSmoothing'];
/** PyTorch's binary_cross_entropy_with_logits's parameters after input and target. */
export const BCE_WITH_LOGITS_POSITIONAL = ['weight', 'sizeAverage', 'reduce', 'reduction', 'posWeight'];
const PLAIN = ['sizeAverage', 'reduce', 'reduction'];

/**
 * PyTorch's `F.nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
 * reduction='mean')`, or options after any of them.
 */
export function nllLoss(input: Tensor, target: Tensor, ...rest: PositionalThenOptions<[weight: Tensor | null, sizeAverage: boolean | null, ignoreIndex: number, reduce: boolean | null, reduction: Reduction], NllLossOptions & LegacyReductionOptions>): Tensor {
  return nllLossOp(input, target, lossArguments('nllLoss', [input, target, ...rest], NLL, "F.nllLoss(logp, y, null, null, -100, null, 'sum')"));
}

/** PyTorch's `F.mse_loss(input, target, size_average=None, reduce=None, reduction='mean')`, or options after any of them. */
export function mseLoss(input: Tensor, target: Tensor, ...rest: PositionalThenOptions<[...Legacy, reduction: Reduction], { reduction?: Reduction } & LegacyReductionOptions>): Tensor {
  return mseLossOp(input, target, lossArguments('mseLoss', [input, target, ...rest], PLAIN, "F.mseLoss(x, y, null, null, 'sum')"));
}

/** PyTorch's `F.l1_loss(input, target, size_average=None, reduce=None, reduction='mean')`, or options after any of them. */
export function l1Loss(input: Tensor, target: Tensor, ...rest: PositionalThenOptions<[...Legacy, reduction: Reduction], { reduction?: Reduction } & LegacyReductionOptions>): Tensor {
  return l1LossOp(input, target, lossArguments('l1Loss', [input, target, ...rest], PLAIN, "F.l1Loss(x, y, null, null, 'sum')"));
}

/** PyTorch's `F.smooth_l1_loss(input, target, size_average=None, reduce=None, reduction='mean', beta=1.0)`, or options after any of them. */
export function smoothL1Loss(input: Tensor, target: Tensor, ...rest: PositionalThenOptions<[...Legacy, reduction: Reduction, beta: number], SmoothL1LossOptions & LegacyReductionOptions>): Tensor {
  return smoothL1LossOp(input, target, lossArguments('smoothL1Loss', [input, target, ...rest], [...PLAIN, 'beta'], "F.smoothL1Loss(x, y, null, null, 'sum', 0.5)"));
}

/** PyTorch's `F.huber_loss(input, target, reduction='mean', delta=1.0)`, or options after any of them. */
export function huberLoss(input: Tensor, target: Tensor, ...rest: PositionalThenOptions<[reduction: Reduction, delta: number], HuberLossOptions>): Tensor {
  return huberLossOp(input, target, lossArguments('huberLoss', [input, target, ...rest], ['reduction', 'delta'], "F.huberLoss(x, y, 'sum', 0.5)"));
}

/** PyTorch's `F.kl_div(input, target, size_average=None, reduce=None, reduction='mean', log_target=False)`, or options after any of them. */
export function klDiv(input: Tensor, target: Tensor, ...rest: PositionalThenOptions<[...Legacy, reduction: KlDivLossOptions['reduction'], logTarget: boolean], KlDivLossOptions & LegacyReductionOptions>): Tensor {
  return klDivOp(input, target, lossArguments('klDiv', [input, target, ...rest], [...PLAIN, 'logTarget'], "F.klDiv(logp, q, null, null, 'batchmean')"));
}

/** PyTorch's `F.binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction='mean')`, or options after any of them. */
export function bceLoss(input: Tensor, target: Tensor, ...rest: BceRest): Tensor {
  return bceLossOp(input, target, lossArguments('bceLoss', [input, target, ...rest], ['weight', ...PLAIN], "F.binaryCrossEntropy(p, y, weight, null, null, 'sum')"));
}

/** `bceLoss` under PyTorch's name, `F.binary_cross_entropy`, whose errors name it. */
export function binaryCrossEntropy(input: Tensor, target: Tensor, ...rest: BceRest): Tensor {
  const op = 'binaryCrossEntropy';
  return bceLossOp(input, target, lossArguments(op, [input, target, ...rest], ['weight', ...PLAIN], "F.binaryCrossEntropy(p, y, weight, null, null, 'sum')"), op);
}

type BceRest = PositionalThenOptions<[weight: Tensor | null, ...Legacy, reduction: Reduction], BceLossOptions & LegacyReductionOptions>;

/** A loss whose arguments after its `tensors` tensors are `names`, in PyTorch's order, then options. */
function loss<O>(where: string, args: readonly unknown[], tensors: number, names: readonly string[], usage: string, op: (...a: never[]) => Tensor): Tensor {
  const o = lossArguments(where, args, names, usage, tensors) as O;
  return (op as unknown as (...a: unknown[]) => Tensor)(...args.slice(0, tensors), o);
}

/** PyTorch's `F.margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction='mean')`. */
export function marginRankingLoss(input1: Tensor, input2: Tensor, target: Tensor, ...rest: PositionalThenOptions<[margin: number, ...Legacy, reduction: Reduction], MarginRankingLossOptions & LegacyReductionOptions>): Tensor {
  return loss('marginRankingLoss', [input1, input2, target, ...rest], 3, ['margin', ...PLAIN], "F.marginRankingLoss(x1, x2, y, 0.5, null, null, 'sum')", marginRankingLossOp);
}

/** PyTorch's `F.hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None, reduction='mean')`. */
export function hingeEmbeddingLoss(input: Tensor, target: Tensor, ...rest: PositionalThenOptions<[margin: number, ...Legacy, reduction: Reduction], MarginLossOptions & LegacyReductionOptions>): Tensor {
  return loss('hingeEmbeddingLoss', [input, target, ...rest], 2, ['margin', ...PLAIN], "F.hingeEmbeddingLoss(x, y, 0.5, null, null, 'sum')", hingeEmbeddingLossOp);
}

/** PyTorch's `F.cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction='mean')`. */
export function cosineEmbeddingLoss(input1: Tensor, input2: Tensor, target: Tensor, ...rest: PositionalThenOptions<[margin: number, ...Legacy, reduction: Reduction], MarginLossOptions & LegacyReductionOptions>): Tensor {
  return loss('cosineEmbeddingLoss', [input1, input2, target, ...rest], 3, ['margin', ...PLAIN], "F.cosineEmbeddingLoss(x1, x2, y, 0.1, null, null, 'sum')", cosineEmbeddingLossOp);
}

/** PyTorch's `F.soft_margin_loss(input, target, size_average=None, reduce=None, reduction='mean')`. */
export function softMarginLoss(input: Tensor, target: Tensor, ...rest: PositionalThenOptions<[...Legacy, reduction: Reduction], { reduction?: Reduction } & LegacyReductionOptions>): Tensor {
  return loss('softMarginLoss', [input, target, ...rest], 2, PLAIN, "F.softMarginLoss(x, y, null, null, 'sum')", softMarginLossOp);
}

/** PyTorch's `F.multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None, reduction='mean')`. */
export function multilabelSoftMarginLoss(input: Tensor, target: Tensor, ...rest: PositionalThenOptions<[weight: Tensor | null, ...Legacy, reduction: Reduction], MultiLabelSoftMarginLossOptions & LegacyReductionOptions>): Tensor {
  return loss('multilabelSoftMarginLoss', [input, target, ...rest], 2, ['weight', ...PLAIN], "F.multilabelSoftMarginLoss(x, y, weight, null, null, 'sum')", multilabelSoftMarginLossOp);
}

/**
 * PyTorch's `F.poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None,
 * reduction='mean')`.
 */
export function poissonNllLoss(input: Tensor, target: Tensor, ...rest: PositionalThenOptions<[logInput: boolean, full: boolean, sizeAverage: boolean | null, eps: number, reduce: boolean | null, reduction: Reduction], PoissonNLLLossOptions & LegacyReductionOptions>): Tensor {
  return loss('poissonNllLoss', [input, target, ...rest], 2, ['logInput', 'full', 'sizeAverage', 'eps', 'reduce', 'reduction'], "F.poissonNllLoss(x, y, true, false, null, 1e-8, null, 'sum')", poissonNllLossOp);
}

/** PyTorch's `F.gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction='mean')`. */
export function gaussianNllLoss(input: Tensor, target: Tensor, variance: Tensor, ...rest: PositionalThenOptions<[full: boolean, eps: number, reduction: Reduction], GaussianNLLLossOptions>): Tensor {
  return loss('gaussianNllLoss', [input, target, variance, ...rest], 3, ['full', 'eps', 'reduction'], "F.gaussianNllLoss(x, y, variance, true, 1e-6, 'sum')", gaussianNllLossOp);
}

/**
 * PyTorch's `F.triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False,
 * size_average=None, reduce=None, reduction='mean')`.
 */
export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, ...rest: PositionalThenOptions<[margin: number, p: number, eps: number, swap: boolean, ...Legacy, reduction: Reduction], TripletMarginLossOptions & LegacyReductionOptions>): Tensor {
  return loss('tripletMarginLoss', [anchor, positive, negative, ...rest], 3, ['margin', 'p', 'eps', 'swap', ...PLAIN], "F.tripletMarginLoss(a, p, n, 0.5, 1)", tripletMarginLossOp);
}

/** PyTorch's `F.multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None, reduce=None, reduction='mean')`. */
export function multiMarginLoss(input: Tensor, target: Tensor, ...rest: PositionalThenOptions<[p: number, margin: number, weight: Tensor | null, ...Legacy, reduction: Reduction], MultiMarginLossOptions & LegacyReductionOptions>): Tensor {
  return loss('multiMarginLoss', [input, target, ...rest], 2, ['p', 'margin', 'weight', ...PLAIN], "F.multiMarginLoss(x, y, 1, 0.5)", multiMarginLossOp);
}

/** PyTorch's `F.multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction='mean')`. */
export function multilabelMarginLoss(input: Tensor, target: Tensor, ...rest: PositionalThenOptions<[...Legacy, reduction: Reduction], { reduction?: Reduction } & LegacyReductionOptions>): Tensor {
  return loss('multilabelMarginLoss', [input, target, ...rest], 2, PLAIN, "F.multilabelMarginLoss(x, y, null, null, 'sum')", multilabelMarginLossOp);
}

/** PyTorch's `F.cosine_similarity(x1, x2, dim=1, eps=1e-8)`, or options after any of them. */
export function cosineSimilarity(x1: Tensor, x2: Tensor, ...rest: PositionalThenOptions<[dim: number, eps: number], CosineSimilarityOptions>): Tensor {
  return cosineSimilarityOp(x1, x2, functionalArguments('cosineSimilarity', [x1, x2, ...rest], 2, ['dim', 'eps'], [], 'F.cosineSimilarity(x1, x2, 0, 1e-8)'));
}

/** PyTorch's `F.pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False)`, or options after any of them. */
export function pairwiseDistance(x1: Tensor, x2: Tensor, ...rest: PositionalThenOptions<[p: number, eps: number, keepdim: boolean], PairwiseDistanceOptions>): Tensor {
  return pairwiseDistanceOp(x1, x2, functionalArguments('pairwiseDistance', [x1, x2, ...rest], 2, ['p', 'eps', 'keepdim'], [], 'F.pairwiseDistance(x1, x2, 1, 1e-6, true)'));
}

type UnpoolArgs<S> = PositionalThenOptions<[stride: S | null, padding: S, outputSize: readonly number[] | null], MaxUnpoolOptions<S>>;
const UNPOOL = ['stride', 'padding', 'outputSize'];

/** PyTorch's `F.max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None)`, or options after any of them. */
export function maxUnpool1d(input: Tensor, indices: Tensor, kernelSize: number | readonly [number], ...rest: UnpoolArgs<number | readonly [number]>): Tensor {
  return maxUnpool1dOp(input, indices, kernelSize, functionalArguments('maxUnpool1d', [input, indices, kernelSize, ...rest], 3, UNPOOL, ['stride', 'outputSize'], 'F.maxUnpool1d(values, indices, 2, 2, 0, [5])'));
}

/** PyTorch's `F.max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None)`, or options after any of them. */
export function maxUnpool2d(input: Tensor, indices: Tensor, kernelSize: number | readonly [number, number], ...rest: UnpoolArgs<number | readonly [number, number]>): Tensor {
  return maxUnpool2dOp(input, indices, kernelSize, functionalArguments('maxUnpool2d', [input, indices, kernelSize, ...rest], 3, UNPOOL, ['stride', 'outputSize'], 'F.maxUnpool2d(values, indices, 2, 2, 0, [5, 5])'));
}

/** PyTorch's `F.max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None)`, or options after any of them. */
export function maxUnpool3d(input: Tensor, indices: Tensor, kernelSize: number | readonly [number, number, number], ...rest: UnpoolArgs<number | readonly [number, number, number]>): Tensor {
  return maxUnpool3dOp(input, indices, kernelSize, functionalArguments('maxUnpool3d', [input, indices, kernelSize, ...rest], 3, UNPOOL, ['stride', 'outputSize'], 'F.maxUnpool3d(values, indices, 2, 2, 0, [4, 4, 4])'));
}

type Lengths = Tensor | readonly number[] | number;

/**
 * PyTorch's `F.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction='mean',
 * zero_infinity=False)`, or options after any of them.
 */
export function ctcLoss(logProbs: Tensor, targets: Tensor, inputLengths: Lengths, targetLengths: Lengths, ...rest: PositionalThenOptions<[blank: number, reduction: Reduction, zeroInfinity: boolean], CtcLossOptions>): Tensor {
  return ctcLossOp(logProbs, targets, inputLengths, targetLengths, functionalArguments('ctc_loss', [logProbs, targets, inputLengths, targetLengths, ...rest], 4, ['blank', 'reduction', 'zeroInfinity'], [], "F.ctcLoss(logProbs, targets, inputLengths, targetLengths, 0, 'sum')"));
}

/**
 * PyTorch's `F.embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False,
 * mode='mean', sparse=False, per_sample_weights=None, include_last_offset=False, padding_idx=None)`, or options
 * after any of them.
 */
export function embeddingBag(
  input: Tensor, weight: Tensor,
  ...rest: PositionalThenOptions<[offsets: Tensor | readonly number[] | null, maxNorm: number | null, normType: number, scaleGradByFreq: boolean, mode: BagMode, sparse: boolean, perSampleWeights: Tensor | null, includeLastOffset: boolean, paddingIdx: number | null], EmbeddingBagOptions>
): Tensor {
  const names = ['offsets', 'maxNorm', 'normType', 'scaleGradByFreq', 'mode', 'sparse', 'perSampleWeights', 'includeLastOffset', 'paddingIdx'];
  return embeddingBagOp(input, weight, functionalArguments('embedding_bag', [input, weight, ...rest], 2, names, ['offsets', 'maxNorm', 'perSampleWeights', 'paddingIdx'], "F.embeddingBag(indices, weight, offsets, null, 2, false, 'max')"));
}
