/**
 * 2-D convolution, PyTorch's `F.conv2d` (strictly a cross-correlation, as there): one node in the graph, computed
 * per sample and group as a matrix product over the input's patches (im2col), with the backward pass PyTorch's
 * formulas give: the weight's gradient from the same patches, the input's by scattering the weight-weighted
 * output gradient back onto the patches it came from (col2im), the bias's as the sum of the output gradient.
 */
import { composedTwice } from '../autograd/twice.js';
import { unfold } from './fold.js';
import { cat } from './join.js';
import { pad } from './pad.js';
import type { ConvPlan } from '../kernels/conv.js';
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkKernelSize, recordConvolution, volumeRows } from './conv-volume.js';
import { checkTensor } from './util.js';
import { checkOutput, outLength, pair, type IntPair, type Pair } from './window.js';

export interface Conv2dOptions {
  /** The window's step (default 1). */
  readonly stride?: IntPair;
  /** Zeros added on each side (default 0); `'valid'` is 0, `'same'` keeps the input's size (stride 1 only). */
  readonly padding?: IntPair | 'valid' | 'same';
  /** The spacing of the kernel's taps (default 1). */
  readonly dilation?: IntPair;
  /** Channel groups (default 1): input and output channels split into `groups` independent convolutions. */
  readonly groups?: number;
}

export const CONV2D_OPTIONS = ['stride', 'padding', 'dilation', 'groups'] as const;

/** The sizes of one convolution, resolved and checked. @internal */
export interface Geometry {
  readonly N: number; readonly C: number; readonly H: number; readonly W: number;
  readonly O: number; readonly kh: number; readonly kw: number;
  readonly groups: number; readonly Cg: number; readonly Og: number;
  readonly stride: Pair; readonly dilation: Pair; readonly padTop: number; readonly padLeft: number;
  readonly Ho: number; readonly Wo: number;
}

/**
 * The options with PyTorch's defaults and checks; `padding` as (top, bottom, left, right) — `'same'` with an even
 * extent pads one more after than before, as PyTorch does.
 */
export function conv2dOptions(where: string, options: Conv2dOptions, kernel: Pair): {
  stride: Pair; dilation: Pair; groups: number; padding: readonly [number, number, number, number]; paddingText: string;
} {
  const o = checkOptions(where, options, CONV2D_OPTIONS);
  const stride = pair(where, 'stride', o.stride ?? 1, 1);
  const dilation = pair(where, 'dilation', o.dilation ?? 1, 1);
  const groups = o.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new RangeError(`${where}: groups must be a positive integer, got ${describeValue(groups)}`);
  const p = o.padding ?? 0;
  if (p === 'valid') return { stride, dilation, groups, padding: [0, 0, 0, 0], paddingText: "'valid'" };
  if (p === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) throw new RangeError(`${where}: padding 'same' is not supported for strided convolutions (stride ${JSON.stringify(o.stride)}), as in PyTorch`);
    const [th, tw] = [dilation[0] * (kernel[0] - 1), dilation[1] * (kernel[1] - 1)];
    const top = Math.floor(th / 2);
    const left = Math.floor(tw / 2);
    return { stride, dilation, groups, padding: [top, th - top, left, tw - left], paddingText: "'same'" };
  }
  if (typeof p === 'string') throw new RangeError(`${where}: padding must be an integer, a pair, 'valid' or 'same', got ${describeValue(p)}`);
  const [ph, pw] = pair(where, 'padding', p, 0);
  return { stride, dilation, groups, padding: [ph, ph, pw, pw], paddingText: `(${ph}, ${pw})` };
}

function geometry(input: Tensor, weight: Tensor, bias: Tensor | null, options: Conv2dOptions): Geometry {
  const where = 'conv2d';
  if (weight.ndim !== 4) throw new RangeError(`${where}: weight must be 4-D [outChannels, inChannels / groups, kernelHeight, kernelWidth], got ${formatShape(weight.shape)}`);
  if (input.ndim !== 3 && input.ndim !== 4) {
    throw new RangeError(`${where}: input must be 4-D [batch, channels, height, width] or 3-D [channels, height, width], got ${formatShape(input.shape)}`);
  }
  const [O, Cg, kh, kw] = weight.shape as [number, number, number, number];
  checkKernelSize(where, [kh, kw]);
  const { stride, dilation, groups, padding, paddingText } = conv2dOptions(where, options, [kh, kw]);
  const [N, C, H, W] = (input.ndim === 4 ? input.shape : [1, ...input.shape]) as [number, number, number, number];
  if (O % groups !== 0) throw new RangeError(`${where}: the weight's ${O} output channels do not split into groups=${groups}`);
  if (Cg * groups !== C) {
    throw new RangeError(
      `${where}: given groups=${groups}, weight of shape ${formatShape(weight.shape)}, expected input ${formatShape(input.shape)} to have ` +
        `${Cg * groups} channels, but got ${C} channels instead`,
    );
  }
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== O)) {
    throw new RangeError(`${where}: bias must have shape [${O}] (one per output channel), got ${formatShape(bias.shape)}`);
  }
  const Ho = outLength(H, kh, stride[0], dilation[0], padding[0], padding[1]);
  const Wo = outLength(W, kw, stride[1], dilation[1], padding[2], padding[3]);
  checkOutput(where, input.shape, Ho, Wo, `a ${kh}×${kw} kernel, padding ${paddingText}, dilation (${dilation.join(', ')})`);
  return { N, C, H, W, O, kh, kw, groups, Cg, Og: O / groups, stride, dilation, padTop: padding[0], padLeft: padding[2], Ho, Wo };
}

/** The patch table of a 2-D convolution's geometry (see volumeRows: one plane deep). */
export function patchRows(g: Geometry): Int32Array {
  return volumeRows({
    Cg: g.Cg, size: [1, g.H, g.W], kernel: [1, g.kh, g.kw], stride: [1, ...g.stride], dilation: [1, ...g.dilation],
    before: [0, g.padTop, g.padLeft], out: [1, g.Ho, g.Wo],
  });
}

/** The kernels' plan of a checked F.conv2d call, and its output's shape. @internal */
export function conv2dPlan(input: Tensor, weight: Tensor, bias: Tensor | null, options: Conv2dOptions): { plan: ConvPlan; outShape: number[] } {
  const g = geometry(input, weight, bias, options);
  const { N, C, H, W, O, Og, Cg, kh, kw, groups, Ho, Wo } = g;
  return {
    plan: { N, C, HW: H * W, O, groups, Cg, Og, K: Cg * kh * kw, L: Ho * Wo, sw: g.stride[1], rows: patchRows(g) },
    outShape: input.ndim === 4 ? [N, O, Ho, Wo] : [O, Ho, Wo],
  };
}

/**
 * 2-D convolution of `input` [N, C, H, W] (or one sample [C, H, W]) with `weight` [O, C / groups, kh, kw] and an
 * optional `bias` [O], as PyTorch's `F.conv2d(input, weight, bias, stride, padding, dilation, groups)`: out[n, o, y,
 * x] = bias[o] + Σ weight[o, c, i, j] · input[n, g·C/groups + c, y·sh + i·dh − ph, x·sw + j·dw − pw] over the
 * channels c of o's group g and the taps (i, j), with zeros in the padding. Gives [N, O, Ho, Wo] (or [O, Ho, Wo]).
 *
 * @example
 * F.conv2d(x, w, b, { stride: 2, padding: 1 });
 */
export function conv2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: Conv2dOptions = {}): Tensor {
  checkTensor(input, 'conv2d');
  checkTensor(weight, 'conv2d', 'weight');
  if (isPlainObject(bias)) {
    throw new TypeError('conv2d: the third argument is the bias (a Tensor, or null for none) and the options come fourth, as in F.conv2d(x, w, null, { stride: 2, padding: 1 })');
  }
  if (bias !== null && bias !== undefined) checkTensor(bias, 'conv2d', 'bias');
  const b = bias ?? null;
  const { plan, outShape } = conv2dPlan(input, weight, b, options);
  const out = recordConvolution('conv2d', plan, outShape, input, weight, b, input.ndim === 3);
  // The gradient's graph (createGraph): the convolution as unfolded columns times the weight matrix, group by group
  // (its options read again only when a second derivative is asked for).
  return composedTwice(out, (x, w, bb) => byColumns(x, w, bb ?? null, conv2dOptions('conv2d', options, [w.shape[2]!, w.shape[3]!]), outShape));
}

type Conv2dGeometry = { stride: Pair; dilation: Pair; padding: readonly [number, number, number, number]; groups: number };

/**
 * conv2d as PyTorch's docs write it with unfold: the padded input's columns [N, C·kh·kw, L] times w as [O, C·kh·kw],
 * each group's channels with its own filters, the groups' outputs side by side.
 */
function byColumns(x: Tensor, w: Tensor, bias: Tensor | null, o: Conv2dGeometry, outShape: readonly number[]): Tensor {
  const [top, bottom, left, right] = o.padding;
  const batch = x.ndim === 3 ? x.unsqueeze(0) : x;
  const padded = top + bottom + left + right === 0 ? batch : pad(batch, [left, right, top, bottom]);
  const [O, Cg, kh, kw] = w.shape as [number, number, number, number];
  const Og = O / o.groups;
  const products: Tensor[] = [];
  for (let g = 0; g < o.groups; g++) {
    const cols = unfold(o.groups === 1 ? padded : padded.narrow(1, g * Cg, Cg), [kh, kw], { dilation: [...o.dilation], stride: [...o.stride] });
    products.push((o.groups === 1 ? w : w.narrow(0, g * Og, Og)).reshape([Og, -1]).matmul(cols));
  }
  const product = products.length === 1 ? products[0]! : cat(products, 1);
  return (bias === null ? product : product.add(bias.reshape([1, -1, 1]))).reshape(outShape);
}
