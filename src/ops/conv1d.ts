/**
 * 1-D convolution, PyTorch's `F.conv1d`: the 2-D kernels (ops/conv.ts) on planes one row high, recorded as one node
 * with PyTorch's name (ConvolutionBackward0, or SqueezeBackward1 for one unbatched sample [C, L]) and refusals.
 */
import { composedTwice } from '../autograd/twice.js';
import { conv2d } from './conv.js';
import { pad } from './pad.js';
import type { ConvPlan } from '../kernels/conv.js';
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { patchRows } from './conv.js';
import { checkKernelSize, recordConvolution } from './conv-volume.js';
import { checkTensor } from './util.js';
import { single, type Int1 } from './window1d.js';

export interface Conv1dOptions {
  /** The window's step (default 1). */
  readonly stride?: Int1;
  /** Zeros added on each side (default 0); `'valid'` is 0, `'same'` keeps the input's length (stride 1 only). */
  readonly padding?: Int1 | 'valid' | 'same';
  /** The spacing of the kernel's taps (default 1). */
  readonly dilation?: Int1;
  /** Channel groups (default 1): input and output channels split into `groups` independent convolutions. */
  readonly groups?: number;
}

export const CONV1D_OPTIONS = ['stride', 'padding', 'dilation', 'groups'] as const;

/** The options with PyTorch's defaults and checks; `padding` as [before, after] ('same' with an odd total pads one more after). */
export function conv1dOptions(where: string, options: Conv1dOptions, kernel: number): {
  stride: number; dilation: number; groups: number; padding: readonly [number, number];
} {
  const o = checkOptions(where, options, CONV1D_OPTIONS);
  const stride = single(where, 'stride', o.stride ?? 1, 1);
  const dilation = single(where, 'dilation', o.dilation ?? 1, 1);
  const groups = o.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new RangeError(`${where}: groups must be a positive integer, got ${describeValue(groups)}`);
  const p = o.padding ?? 0;
  if (p === 'valid') return { stride, dilation, groups, padding: [0, 0] };
  if (p === 'same') {
    if (stride !== 1) throw new RangeError(`${where}: padding='same' is not supported for strided convolutions (stride ${stride})`);
    const total = dilation * (kernel - 1);
    const before = Math.floor(total / 2);
    return { stride, dilation, groups, padding: [before, total - before] };
  }
  if (typeof p === 'string') throw new RangeError(`${where}: Invalid padding string: '${p}' (padding is an integer, an array of one integer, 'valid' or 'same')`);
  const q = single(where, 'padding', p, 0);
  return { stride, dilation, groups, padding: [q, q] };
}

/** The kernels' plan of a checked F.conv1d call (the 2-D one with H = kh = 1), and its output's shape. */
function conv1dPlan(input: Tensor, weight: Tensor, bias: Tensor | null, options: Conv1dOptions): { plan: ConvPlan; outShape: number[] } {
  const where = 'conv1d';
  if (input.ndim !== 2 && input.ndim !== 3) {
    throw new RangeError(`${where}: Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: ${formatShape(input.shape)}`);
  }
  const batched = (input.ndim === 3 ? input.shape : [1, ...input.shape]) as [number, number, number];
  if (weight.ndim !== 3) {
    throw new RangeError(
      `${where}: Expected ${weight.ndim}-dimensional input for ${weight.ndim}-dimensional weight ${formatShape(weight.shape)}, but got 3-dimensional input of size ${formatShape(batched)} instead`,
    );
  }
  const [O, Cg, k] = weight.shape as [number, number, number];
  checkKernelSize(where, [k]);
  const { stride, dilation, groups, padding } = conv1dOptions(where, options, k);
  const [N, C, L] = batched;
  if (O % groups !== 0) {
    throw new RangeError(`${where}: Given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of size [${formatShape(weight.shape)}] instead`);
  }
  if (Cg * groups !== C) {
    throw new RangeError(`${where}: Given groups=${groups}, weight of size ${formatShape(weight.shape)}, expected input${formatShape(batched)} to have ${Cg * groups} channels, but got ${C} channels instead`);
  }
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== O)) {
    throw new RangeError(`${where}: Given weight of size ${formatShape(weight.shape)}, expected bias to be 1-dimensional with ${O} elements, but got bias of size ${formatShape(bias.shape)} instead`);
  }
  const padded = L + padding[0] + padding[1];
  const span = dilation * (k - 1) + 1;
  if (padded < span) {
    throw new RangeError(`${where}: Calculated padded input size per channel: (${padded}). Kernel size: (${span}). Kernel size can't be greater than actual input size`);
  }
  const Lo = Math.floor((padded - span) / stride) + 1;
  const g = {
    N, C, H: 1, W: L, O, kh: 1, kw: k, groups, Cg, Og: O / groups, stride: [1, stride] as const, dilation: [1, dilation] as const,
    padTop: 0, padLeft: padding[0], Ho: 1, Wo: Lo,
  };
  return {
    plan: { N, C, HW: L, O, groups, Cg, Og: O / groups, K: Cg * k, L: Lo, sw: stride, rows: patchRows(g) },
    outShape: input.ndim === 3 ? [N, O, Lo] : [O, Lo],
  };
}

/**
 * 1-D convolution of `input` [N, C, L] (or one sample [C, L]) with `weight` [O, C / groups, k] and an optional
 * `bias` [O], as PyTorch's `F.conv1d(input, weight, bias, stride, padding, dilation, groups)`: out[n, o, x] =
 * bias[o] + Σ weight[o, c, j] · input[n, g·C/groups + c, x·s + j·d − p] over the channels c of o's group g and the
 * taps j, with zeros in the padding. Gives [N, O, Lo] (or [O, Lo]).
 *
 * @example
 * F.conv1d(x, w, b, { stride: 2, padding: 1 });
 */
export function conv1d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: Conv1dOptions = {}): Tensor {
  checkTensor(input, 'conv1d');
  checkTensor(weight, 'conv1d', 'weight');
  if (isPlainObject(bias)) {
    throw new TypeError('conv1d: the third argument is the bias (a Tensor, or null for none) and the options come fourth, as in F.conv1d(x, w, null, { stride: 2, padding: 1 })');
  }
  if (bias !== null && bias !== undefined) checkTensor(bias, 'conv1d', 'bias');
  const b = bias ?? null;
  const { plan, outShape } = conv1dPlan(input, weight, b, options);
  const out = recordConvolution('conv1d', plan, outShape, input, weight, b, input.ndim === 2);
  // The gradient's graph (createGraph): the padded rows as images of height 1 through conv2d's.
  return composedTwice(out, (x, w, bb) => {
    const o = conv1dOptions('conv1d', options, w.shape[2]!);
    const batch = x.ndim === 2 ? x.unsqueeze(0) : x;
    const [before, after] = o.padding;
    const padded = before + after === 0 ? batch : pad(batch, [before, after]);
    const y = conv2d(padded.unsqueeze(2), w.unsqueeze(2), bb ?? null, { stride: [1, o.stride], dilation: [1, o.dilation], groups: o.groups }).squeeze(2);
    return x.ndim === 2 ? y.squeeze(0) : y;
  });
}
