/**
 * 2-D transposed convolution, PyTorch's `F.conv_transpose2d` (the gradient of `conv2d` with respect to its input,
 * used as a layer that upsamples): one node in the graph, made of the convolution's own kernels. Its forward pass is
 * a convolution's input gradient, its input's gradient a convolution, and its weight's gradient a convolution's
 * weight gradient with the roles of input and output swapped; the bias's is the sum of the output gradient.
 */
import { record } from '../autograd/record.js';
import { convBackward, convForward, convInputGrad, type ConvPlan } from '../kernels/conv.js';
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { patchRows } from './conv.js';
import { checkTensor, empty } from './util.js';
import { pair, type IntPair, type Pair } from './window.js';

export interface ConvTranspose2dOptions {
  /** The step between the input's elements in the output (default 1). */
  readonly stride?: IntPair;
  /** `dilation · (kernel − 1) − padding` zeros are taken off each side of the output (default 0). */
  readonly padding?: IntPair;
  /** Rows and columns added at the bottom and right of the output (default 0): less than the stride or the dilation. */
  readonly outputPadding?: IntPair;
  /** Channel groups (default 1). */
  readonly groups?: number;
  /** The spacing of the kernel's taps (default 1). */
  readonly dilation?: IntPair;
}

export const CONV_TRANSPOSE2D_OPTIONS = ['stride', 'padding', 'outputPadding', 'groups', 'dilation'] as const;

/** The options resolved with PyTorch's defaults and checks. */
export function convTranspose2dOptions(where: string, options: ConvTranspose2dOptions): {
  stride: Pair; padding: Pair; outputPadding: Pair; groups: number; dilation: Pair;
} {
  const o = checkOptions(where, options, CONV_TRANSPOSE2D_OPTIONS);
  if (typeof o.padding === 'string') {
    throw new RangeError(`${where}: padding must be an integer or a pair of integers; 'same' and 'valid' are for Conv2d only, as in PyTorch (got ${describeValue(o.padding)})`);
  }
  const stride = pair(where, 'stride', o.stride ?? 1, 1);
  const padding = pair(where, 'padding', o.padding ?? 0, 0);
  const outputPadding = pair(where, 'outputPadding', o.outputPadding ?? 0, 0);
  const dilation = pair(where, 'dilation', o.dilation ?? 1, 1);
  const groups = o.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new RangeError(`${where}: groups must be a positive integer, got ${describeValue(groups)}`);
  for (const d of [0, 1] as const) {
    if (outputPadding[d] >= stride[d] && outputPadding[d] >= dilation[d]) {
      throw new RangeError(
        `${where}: outputPadding must be smaller than either the stride or the dilation, but got outputPadding (${outputPadding.join(', ')}), ` +
          `stride (${stride.join(', ')}), dilation (${dilation.join(', ')}), as PyTorch requires`,
      );
    }
  }
  return { stride, padding, outputPadding, groups, dilation };
}

/**
 * The plan of the convolution whose input gradient this transposed convolution is: a convolution of the output
 * [N, outChannels, Ho, Wo] with the same weight [inChannels, outChannels / groups, kh, kw], giving the input's shape.
 * @internal
 */
export function convTranspose2dPlan(input: Tensor, weight: Tensor, bias: Tensor | null, options: ConvTranspose2dOptions): { plan: ConvPlan; outShape: number[] } {
  const where = 'convTranspose2d';
  if (weight.ndim !== 4) throw new RangeError(`${where}: weight must be 4-D [inChannels, outChannels / groups, kernelHeight, kernelWidth], got ${formatShape(weight.shape)}`);
  if (input.ndim !== 3 && input.ndim !== 4) {
    throw new RangeError(`${where}: input must be 4-D [batch, channels, height, width] or 3-D [channels, height, width], got ${formatShape(input.shape)}`);
  }
  const { stride, padding, outputPadding, groups, dilation } = convTranspose2dOptions(where, options);
  const [Cin, Cog, kh, kw] = weight.shape as [number, number, number, number];
  const [N, C, H, W] = (input.ndim === 4 ? input.shape : [1, ...input.shape]) as [number, number, number, number];
  if (C !== Cin) {
    throw new RangeError(`${where}: given weight of shape ${formatShape(weight.shape)} (its first dimension is the input's channels), expected input ${formatShape(input.shape)} to have ${Cin} channels, but got ${C} channels instead`);
  }
  if (Cin % groups !== 0) throw new RangeError(`${where}: the weight's ${Cin} input channels do not split into groups=${groups}`);
  if (H === 0 || W === 0) {
    throw new RangeError(`${where}: the input ${formatShape(input.shape)} has no ${H === 0 ? 'rows' : 'columns'}; only its batch or channels may be empty, as in PyTorch`);
  }
  const Cout = Cog * groups;
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== Cout)) {
    throw new RangeError(`${where}: bias must have shape [${Cout}] (one per output channel), got ${formatShape(bias.shape)}`);
  }
  const Ho = (H - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kh - 1) + outputPadding[0] + 1;
  const Wo = (W - 1) * stride[1] - 2 * padding[1] + dilation[1] * (kw - 1) + outputPadding[1] + 1;
  if (Ho <= 0 || Wo <= 0) {
    throw new RangeError(
      `${where}: the output would be ${Ho}×${Wo} (empty) for an input of shape ${formatShape(input.shape)} with a ${kh}×${kw} kernel, ` +
        `stride (${stride.join(', ')}), padding (${padding.join(', ')}) and dilation (${dilation.join(', ')}): the padding takes off more than the output has`,
    );
  }
  // The convolution over the output: its input is [N, Cout, Ho, Wo], its output the transposed one's input [N, Cin, H, W].
  const g = {
    N, C: Cout, H: Ho, W: Wo, O: Cin, kh, kw, groups, Cg: Cog, Og: Cin / groups, stride, dilation,
    padTop: padding[0], padLeft: padding[1], Ho: H, Wo: W,
  };
  return {
    plan: { N, C: Cout, HW: Ho * Wo, O: Cin, groups, Cg: Cog, Og: Cin / groups, K: Cog * kh * kw, L: H * W, sw: stride[1], rows: patchRows(g) },
    outShape: input.ndim === 4 ? [N, Cout, Ho, Wo] : [Cout, Ho, Wo],
  };
}

/**
 * 2-D transposed convolution of `input` [N, inChannels, H, W] (or one sample [inChannels, H, W]) with `weight`
 * [inChannels, outChannels / groups, kh, kw] and an optional `bias` [outChannels], as PyTorch's
 * `F.conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups, dilation)`: each input element
 * spreads its value times the kernel over the output, at `stride` steps, so the output is
 * [N, outChannels, (H − 1)·sh − 2·ph + dh·(kh − 1) + oph + 1, likewise for the width].
 *
 * @example
 * F.convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 }); // doubles the height and width (3×3 kernel)
 */
export function convTranspose2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvTranspose2dOptions = {}): Tensor {
  checkTensor(input, 'convTranspose2d');
  checkTensor(weight, 'convTranspose2d', 'weight');
  if (isPlainObject(bias)) {
    throw new TypeError('convTranspose2d: the third argument is the bias (a Tensor, or null for none) and the options come fourth, as in F.convTranspose2d(x, w, null, { stride: 2 })');
  }
  if (bias !== null && bias !== undefined) checkTensor(bias, 'convTranspose2d', 'bias');
  const b = bias ?? null;
  const { plan, outShape } = convTranspose2dPlan(input, weight, b, options);
  const X = input.values();
  const Wt = weight.values();
  const out = empty(outShape);
  convInputGrad(plan, Wt, X, out.data);
  if (b !== null) addChannels(out.data, b.values(), plan.N, plan.C, plan.HW);
  const inputs = b === null ? [input, weight] : [input, weight, b];
  return record(out, 'convTranspose2d', inputs, (grad) => {
    const gx = input.requiresGrad ? empty(input.shape) : null;
    const gw = weight.requiresGrad ? empty(weight.shape) : null;
    const gb = b !== null && b.requiresGrad ? empty([plan.C]) : null;
    // The input's gradient is the convolution of the output gradient; the weight's, the convolution's weight
    // gradient with the output gradient as its input and this op's input as its output gradient.
    if (gx !== null) convForward(plan, grad.data, Wt, null, gx.data);
    if (gw !== null) convBackward(plan, grad.data, Wt, X, { input: null, weight: gw.data, bias: null });
    if (gb !== null) channelSums(grad.data, plan.N, plan.C, plan.HW, gb.data);
    return b === null ? [gx, gw] : [gx, gw, gb];
    // PyTorch's node, as conv2d's: ConvolutionBackward0, or SqueezeBackward1 for one unbatched sample.
  }, [input, weight], input.ndim === 3 ? 'SqueezeBackward1' : 'ConvolutionBackward0');
}

/** Y [N, C, L] += bias [C], each channel's value added to its L positions (float32). */
function addChannels(Y: Float32Array, bias: Float32Array, N: number, C: number, L: number): void {
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const v = bias[c]!;
      for (let l = 0, at = (n * C + c) * L; l < L; l++) Y[at + l] = Math.fround(Y[at + l]! + v);
    }
  }
}

/** GB [C] ← for each channel, the float64 sum of G [N, C, L] over samples, then positions, rounded once. */
function channelSums(G: Float32Array, N: number, C: number, L: number, GB: Float32Array): void {
  for (let c = 0; c < C; c++) {
    let s = 0;
    for (let n = 0; n < N; n++) for (let l = 0, at = (n * C + c) * L; l < L; l++) s += G[at + l]!;
    GB[c] = s;
  }
}
