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
import { warnOnce } from '../data/warn.js';
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
import { interpolate as interpolateOp, type InterpolateOptions } from '../ops/interpolate.js';
import { pad as padOp, type PadOptions } from '../ops/pad.js';
import { fold as foldOp, unfold as unfoldOp, type FoldOptions } from '../ops/fold.js';
import { bceLoss as bceLossOp, mseLoss as mseLossOp, nllLoss as nllLossOp, type NllLossOptions, type Reduction } from '../ops/loss.js';
import { huberLoss as huberLossOp, l1Loss as l1LossOp, smoothL1Loss as smoothL1LossOp, type HuberLossOptions, type SmoothL1LossOptions } from '../ops/regression-loss.js';
import { klDiv as klDivOp, type KlDivLossOptions } from '../ops/kl-div.js';
import type { BceLossOptions } from '../ops/bce-options.js';
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
function legacyReduction(where: string, o: Record<string, unknown>): void {
  const [sizeAverage, reduce] = take(o, 'sizeAverage', 'reduce');
  if (sizeAverage === undefined && reduce === undefined) return;
  for (const [name, v] of [['sizeAverage', sizeAverage], ['reduce', reduce]] as const) {
    if (v !== undefined && typeof v !== 'boolean') throw new TypeError(`${where}: ${name} (PyTorch's legacy ${name === 'reduce' ? 'reduce' : 'size_average'}) must be true, false or null, got ${describeValue(v)}`);
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
  const o = functionalArguments(where, args, 1, names, ['stride', 'divisorOverride'], usage);
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
export function bceLoss(input: Tensor, target: Tensor, ...rest: PositionalThenOptions<[weight: Tensor | null, ...Legacy, reduction: Reduction], BceLossOptions & LegacyReductionOptions>): Tensor {
  return bceLossOp(input, target, lossArguments('bceLoss', [input, target, ...rest], ['weight', ...PLAIN], "F.binaryCrossEntropy(p, y, weight, null, null, 'sum')"));
}
