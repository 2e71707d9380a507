/**
 * 3-D convolution, PyTorch's `F.conv3d`: the 2-D convolution's kernels over a volume's patches (conv-volume.ts),
 * one node in the graph (ConvolutionBackward0, or SqueezeBackward1 for one unbatched sample [C, D, H, W]).
 */
import { composedTwice } from '../autograd/twice.js';
import type { ConvPlan } from '../kernels/conv.js';
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { asVolume, checkKernelSize, recordConvolution, triple, volumePlan, type Int3, type Triple } from './conv-volume.js';
import { convByPatches } from './conv-patches.js';
import { checkTensor } from './util.js';
import { outLength } from './window.js';

export interface Conv3dOptions {
  /** The window's step (default 1): an integer, or [depth, height, width]. */
  readonly stride?: Int3;
  /** Zeros added on each side (default 0); `'valid'` is 0, `'same'` keeps the input's size (stride 1 only). */
  readonly padding?: Int3 | 'valid' | 'same';
  /** The spacing of the kernel's taps (default 1). */
  readonly dilation?: Int3;
  /** Channel groups (default 1): input and output channels split into `groups` independent convolutions. */
  readonly groups?: number;
}

export const CONV3D_OPTIONS = ['stride', 'padding', 'dilation', 'groups'] as const;

/**
 * The options with PyTorch's defaults and checks; the padding as the zeros before and after each dimension —
 * `'same'` with an odd total pads one more after than before, as PyTorch does.
 */
export function conv3dOptions(where: string, options: Conv3dOptions, kernel: Triple): {
  stride: Triple; dilation: Triple; groups: number; before: Triple; after: Triple; paddingText: string;
} {
  const o = checkOptions(where, options, CONV3D_OPTIONS);
  const stride = triple(where, 'stride', o.stride ?? 1, 1);
  const dilation = triple(where, 'dilation', o.dilation ?? 1, 1);
  const groups = o.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new RangeError(`${where}: groups must be a positive integer, got ${describeValue(groups)}`);
  const p = o.padding ?? 0;
  if (p === 'valid') return { stride, dilation, groups, before: [0, 0, 0], after: [0, 0, 0], paddingText: "'valid'" };
  if (p === 'same') {
    if (stride.some((s) => s !== 1)) throw new RangeError(`${where}: padding 'same' is not supported for strided convolutions (stride ${JSON.stringify(o.stride)}), as in PyTorch`);
    const total = kernel.map((k, d) => dilation[d]! * (k - 1));
    const before = asVolume(total.map((t) => Math.floor(t / 2)));
    return { stride, dilation, groups, before, after: asVolume(total.map((t, d) => t - before[d]!)), paddingText: "'same'" };
  }
  if (typeof p === 'string') throw new RangeError(`${where}: padding must be an integer, three integers, 'valid' or 'same', got ${describeValue(p)}`);
  const q = triple(where, 'padding', p, 0);
  return { stride, dilation, groups, before: q, after: q, paddingText: `(${q.join(', ')})` };
}

/** The kernels' plan of a checked F.conv3d call, and its output's shape. */
function conv3dPlan(input: Tensor, weight: Tensor, bias: Tensor | null, options: Conv3dOptions): { plan: ConvPlan; outShape: number[] } {
  const where = 'conv3d';
  if (weight.ndim !== 5) {
    throw new RangeError(`${where}: weight must be 5-D [outChannels, inChannels / groups, kernelDepth, kernelHeight, kernelWidth], got ${formatShape(weight.shape)}`);
  }
  if (input.ndim !== 4 && input.ndim !== 5) {
    throw new RangeError(`${where}: input must be 5-D [batch, channels, depth, height, width] or 4-D [channels, depth, height, width], got ${formatShape(input.shape)}`);
  }
  const [O, Cg] = weight.shape as [number, number];
  const kernel = asVolume(weight.shape.slice(2));
  checkKernelSize(where, kernel);
  const { stride, dilation, groups, before, after, paddingText } = conv3dOptions(where, options, kernel);
  const N = input.ndim === 5 ? input.shape[0]! : 1;
  const C = input.shape[input.ndim - 4]!;
  const size = asVolume(input.shape.slice(-3));
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
  const out = asVolume(size.map((n, d) => outLength(n, kernel[d]!, stride[d]!, dilation[d]!, before[d]!, after[d]!)));
  if (out.some((n) => n <= 0)) {
    throw new RangeError(
      `${where}: the output would be ${out.join('×')} (empty) for an input of shape ${formatShape(input.shape)} with a ${kernel.join('×')} kernel, ` +
        `padding ${paddingText}, dilation (${dilation.join(', ')}): the input is smaller than the (dilated) kernel; pad it or use a smaller kernel`,
    );
  }
  return {
    plan: volumePlan(N, C, O, groups, { Cg, size, kernel, stride, dilation, before, out }),
    outShape: input.ndim === 5 ? [N, O, ...out] : [O, ...out],
  };
}

/**
 * 3-D convolution of `input` [N, C, D, H, W] (or one sample [C, D, H, W]) with `weight` [O, C / groups, kd, kh, kw]
 * and an optional `bias` [O], as PyTorch's `F.conv3d(input, weight, bias, stride, padding, dilation, groups)`:
 * out[n, o, z, y, x] = bias[o] + Σ weight[o, c, a, i, j] · input[n, g·C/groups + c, z·sd + a·dd − pd, y·sh + i·dh −
 * ph, x·sw + j·dw − pw] over the channels c of o's group g and the taps (a, i, j), with zeros in the padding.
 *
 * @example
 * F.conv3d(video, w, b, { stride: [1, 2, 2], padding: 1 });
 */
export function conv3d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: Conv3dOptions = {}): Tensor {
  checkTensor(input, 'conv3d');
  checkTensor(weight, 'conv3d', 'weight');
  if (isPlainObject(bias)) {
    throw new TypeError('conv3d: the third argument is the bias (a Tensor, or null for none) and the options come fourth, as in F.conv3d(x, w, null, { stride: 2, padding: 1 })');
  }
  if (bias !== null && bias !== undefined) checkTensor(bias, 'conv3d', 'bias');
  const b = bias ?? null;
  const { plan, outShape } = conv3dPlan(input, weight, b, options);
  const out = recordConvolution('conv3d', plan, outShape, input, weight, b, input.ndim === 4);
  // Its gradient's graph: the same convolution as patches times weights, written with ops, differentiated.
  return composedTwice(out, (x, w, bb) => convByPatches(plan, x, w, bb ?? null, outShape));
}
