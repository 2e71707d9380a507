/**
 * 2-D transposed convolution, PyTorch's `F.conv_transpose2d` (the gradient of `conv2d` with respect to its input,
 * used as a layer that upsamples): one node in the graph, made of the convolution's own kernels. Its forward pass is
 * a convolution's input gradient, its input's gradient a convolution, and its weight's gradient a convolution's
 * weight gradient with the roles of input and output swapped; the bias's is the sum of the output gradient.
 */
import { composedTwice } from '../autograd/twice.js';
import { fold } from './fold.js';
import { pad } from './pad.js';
import { cat } from './join.js';
import { record } from '../autograd/record.js';
import { convBackward, convForward, convInputGrad, type ConvPlan } from '../kernels/conv.js';
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { convTransposeByPatches } from './conv-patches.js';
import { asVolume, checkKernelSize, sizes, volumePlan, type Int3 } from './conv-volume.js';
import { checkTensor, empty } from './util.js';
import type { IntPair } from './window.js';
import type { Int1 } from './window1d.js';

/** A transposed convolution's options, its sizes of type `S` (an integer, or one per dimension). */
export interface ConvTransposeOptions<S> {
  /** The step between the input's elements in the output (default 1). */
  readonly stride?: S;
  /** `dilation · (kernel − 1) − padding` zeros are taken off each side of the output (default 0). */
  readonly padding?: S;
  /** Elements added at the end of each dimension of the output (default 0): less than the stride or the dilation. */
  readonly outputPadding?: S;
  /** Channel groups (default 1). */
  readonly groups?: number;
  /** The spacing of the kernel's taps (default 1). */
  readonly dilation?: S;
}

export type ConvTranspose1dOptions = ConvTransposeOptions<Int1>;
export type ConvTranspose2dOptions = ConvTransposeOptions<IntPair>;
export type ConvTranspose3dOptions = ConvTransposeOptions<Int3>;

export const CONV_TRANSPOSE_OPTIONS = ['stride', 'padding', 'outputPadding', 'groups', 'dilation'] as const;

/** A transposed convolution's geometry, resolved: one size per dimension. */
export interface ConvTransposeGeometry {
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  readonly outputPadding: readonly number[];
  readonly groups: number;
  readonly dilation: readonly number[];
}

/** The options of a `dims`-D transposed convolution resolved with PyTorch's defaults and checks. */
export function convTransposeOptions(where: string, options: ConvTransposeOptions<unknown>, dims: 1 | 2 | 3): ConvTransposeGeometry {
  const o = checkOptions(where, options, CONV_TRANSPOSE_OPTIONS);
  if (typeof o.padding === 'string') {
    throw new RangeError(`${where}: padding must be an integer or ${dims === 1 ? 'an array of one integer' : dims === 2 ? 'a pair of integers' : 'three integers'}; 'same' and 'valid' are for Conv${dims}d only, as in PyTorch (got ${describeValue(o.padding)})`);
  }
  const stride = sizes(where, 'stride', o.stride ?? 1, dims, 1);
  const padding = sizes(where, 'padding', o.padding ?? 0, dims, 0);
  const outputPadding = sizes(where, 'outputPadding', o.outputPadding ?? 0, dims, 0);
  const dilation = sizes(where, 'dilation', o.dilation ?? 1, dims, 1);
  const groups = o.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new RangeError(`${where}: groups must be a positive integer, got ${describeValue(groups)}`);
  if (outputPadding.some((p, d) => p >= stride[d]! && p >= dilation[d]!)) {
    throw new RangeError(
      `${where}: outputPadding must be smaller than either the stride or the dilation, but got outputPadding (${outputPadding.join(', ')}), ` +
        `stride (${stride.join(', ')}), dilation (${dilation.join(', ')}), as PyTorch requires`,
    );
  }
  return { stride, padding, outputPadding, groups, dilation };
}

/** The names of a `dims`-D input's spatial dimensions, and what an empty one lacks. */
const SPATIAL = { 1: ['length'], 2: ['height', 'width'], 3: ['depth', 'height', 'width'] } as const;
const KERNEL = { 1: ['kernelSize'], 2: ['kernelHeight', 'kernelWidth'], 3: ['kernelDepth', 'kernelHeight', 'kernelWidth'] } as const;
const LACKS = { 1: ['elements'], 2: ['rows', 'columns'], 3: ['planes', 'rows', 'columns'] } as const;

/** The output size of one dimension: (n − 1)·stride − 2·padding + dilation·(kernel − 1) + outputPadding + 1. */
export function transposedLength(n: number, k: number, g: ConvTransposeGeometry, d: number, outputPadding = g.outputPadding[d]!): number {
  return (n - 1) * g.stride[d]! - 2 * g.padding[d]! + g.dilation[d]! * (k - 1) + outputPadding + 1;
}

/**
 * The plan of the convolution whose input gradient this transposed convolution is: a convolution of the output
 * [N, outChannels, …] with the same weight [inChannels, outChannels / groups, …kernel], giving the input's shape.
 * @internal
 */
export function convTransposePlan(
  op: string, dims: 1 | 2 | 3, input: Tensor, weight: Tensor, bias: Tensor | null, options: ConvTransposeOptions<unknown>,
): { plan: ConvPlan; outShape: number[] } {
  const spatial = SPATIAL[dims];
  if (weight.ndim !== dims + 2) {
    throw new RangeError(`${op}: weight must be ${dims + 2}-D [inChannels, outChannels / groups, ${KERNEL[dims].join(', ')}], got ${formatShape(weight.shape)}`);
  }
  if (input.ndim !== dims + 1 && input.ndim !== dims + 2) {
    throw new RangeError(`${op}: input must be ${dims + 2}-D [batch, channels, ${spatial.join(', ')}] or ${dims + 1}-D [channels, ${spatial.join(', ')}], got ${formatShape(input.shape)}`);
  }
  const kernel = weight.shape.slice(2);
  checkKernelSize(op, kernel);
  const g = convTransposeOptions(op, options, dims);
  const [Cin, Cog] = weight.shape as [number, number];
  const batched = input.ndim === dims + 2;
  const N = batched ? input.shape[0]! : 1;
  const C = input.shape[batched ? 1 : 0]!;
  const inSize = input.shape.slice(-dims);
  if (C !== Cin) {
    throw new RangeError(`${op}: given weight of shape ${formatShape(weight.shape)} (its first dimension is the input's channels), expected input ${formatShape(input.shape)} to have ${Cin} channels, but got ${C} channels instead`);
  }
  if (Cin % g.groups !== 0) throw new RangeError(`${op}: the weight's ${Cin} input channels do not split into groups=${g.groups}`);
  const none = inSize.findIndex((n) => n === 0);
  if (none >= 0) {
    throw new RangeError(`${op}: the input ${formatShape(input.shape)} has no ${LACKS[dims][none]}; only its batch or channels may be empty, as in PyTorch`);
  }
  const Cout = Cog * g.groups;
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== Cout)) {
    throw new RangeError(`${op}: bias must have shape [${Cout}] (one per output channel), got ${formatShape(bias.shape)}`);
  }
  const outSize = inSize.map((n, d) => transposedLength(n, kernel[d]!, g, d));
  // An empty batch may have an empty output, as in PyTorch (a negative size it refuses too, if not in these words).
  if (outSize.some((n) => n < 0 || (n === 0 && N > 0))) {
    throw new RangeError(
      `${op}: the output would be ${outSize.join('×')} (empty) for an input of shape ${formatShape(input.shape)} with a ${kernel.join('×')} kernel, ` +
        `stride (${g.stride.join(', ')}), padding (${g.padding.join(', ')}) and dilation (${g.dilation.join(', ')}): the padding takes off more than the output has`,
    );
  }
  // The convolution over the output: its input is [N, Cout, …outSize], its output the transposed one's input.
  const plan = volumePlan(N, Cout, Cin, g.groups, {
    Cg: Cog, size: asVolume(outSize), kernel: asVolume(kernel), stride: asVolume(g.stride), dilation: asVolume(g.dilation),
    before: asVolume(g.padding, 0), out: asVolume(inSize),
  });
  return { plan, outShape: batched ? [N, Cout, ...outSize] : [Cout, ...outSize] };
}

/** A `dims`-D transposed convolution, checked, run and recorded as one node. */
function convTransposeNd(op: string, dims: 1 | 2 | 3, input: Tensor, weight: Tensor, bias: Tensor | null | undefined, options: ConvTransposeOptions<unknown>): Tensor {
  checkTensor(input, op);
  checkTensor(weight, op, 'weight');
  if (isPlainObject(bias)) {
    throw new TypeError(`${op}: the third argument is the bias (a Tensor, or null for none) and the options come fourth, as in F.${op}(x, w, null, { stride: 2 })`);
  }
  if (bias !== null && bias !== undefined) checkTensor(bias, op, 'bias');
  const b = bias ?? null;
  const { plan, outShape } = convTransposePlan(op, dims, input, weight, b, options);
  const X = input.values();
  const Wt = weight.values();
  const out = empty(outShape);
  convInputGrad(plan, Wt, X, out.data);
  if (b !== null) addChannels(out.data, b.values(), plan.N, plan.C, plan.HW);
  const inputs = b === null ? [input, weight] : [input, weight, b];
  const node = record(out, op, inputs, (grad) => {
    const gx = input.requiresGrad ? empty(input.shape) : null;
    const gw = weight.requiresGrad ? empty(weight.shape) : null;
    const gb = b !== null && b.requiresGrad ? empty([plan.C]) : null;
    // The input's gradient is the convolution of the output gradient; the weight's, the convolution's weight
    // gradient with the output gradient as its input and this op's input as its output gradient.
    if (gx !== null) convForward(plan, grad.data, Wt, null, gx.data);
    if (gw !== null) convBackward(plan, grad.data, Wt, X, { input: null, weight: gw.data, bias: null });
    if (gb !== null) channelSums(grad.data, plan.N, plan.C, plan.HW, gb.data);
    return b === null ? [gx, gw] : [gx, gw, gb];
    // PyTorch's node, as the convolutions': ConvolutionBackward0, or SqueezeBackward1 for one unbatched sample.
  }, [input, weight], input.ndim === dims + 1 ? 'SqueezeBackward1' : 'ConvolutionBackward0');
  // The gradient's graph (createGraph): the op written with ops (folded columns in 1-D and 2-D, the patches in 3-D).
  if (dims === 3) return composedTwice(node, (x, w, bb) => convTransposeByPatches(plan, x, w, bb ?? null, outShape));
  return composedTwice(node, (x, w, bb) => byFolding(x, w, bb ?? null, convTransposeOptions(op, options, dims), dims, outShape));
}

/**
 * A 1- or 2-D transposed convolution as the adjoint of conv2d's unfold: each group's weight [Cin/G, Cout/G·kh·kw],
 * transposed, times its input channels [N, Cin/G, H·W] gives columns that fold sums into the whole uncropped output
 * [(H − 1)·sh + dh·(kh − 1) + 1, likewise for the width]; a 1-D one is a 2-D one of height 1. The padding then crops
 * each side and the output padding adds zeros past the end (fold alone cannot: with outputPadding ≥ stride, which
 * PyTorch allows below the dilation, fold would count more blocks than the input has).
 */
function byFolding(x: Tensor, w: Tensor, bias: Tensor | null, g: ConvTransposeGeometry, dims: 1 | 2, outShape: readonly number[]): Tensor {
  const lift = (v: readonly number[], one: number): [number, number] => (dims === 1 ? [one, v[0]!] : [v[0]!, v[1]!]);
  const batch = x.ndim === dims + 1 ? x.unsqueeze(0) : x;
  const x4 = dims === 1 ? batch.unsqueeze(2) : batch;
  const w4 = dims === 1 ? w.unsqueeze(2) : w;
  const [N, Cin, H, W] = x4.shape as [number, number, number, number];
  const [, Cog, kh, kw] = w4.shape as [number, number, number, number];
  const Cig = Cin / g.groups;
  const [stride, dilation, padding] = [lift(g.stride, 1), lift(g.dilation, 1), lift(g.padding, 0)];
  const whole: [number, number] = [(H - 1) * stride[0] + dilation[0] * (kh - 1) + 1, (W - 1) * stride[1] + dilation[1] * (kw - 1) + 1];
  const parts: Tensor[] = [];
  for (let k = 0; k < g.groups; k++) {
    const xs = (g.groups === 1 ? x4 : x4.narrow(1, k * Cig, Cig)).reshape([N, Cig, H * W]);
    const ws = (g.groups === 1 ? w4 : w4.narrow(0, k * Cig, Cig)).reshape([Cig, Cog * kh * kw]);
    parts.push(fold(ws.t().matmul(xs), whole, [kh, kw], { stride, dilation }));
  }
  let y = parts.length === 1 ? parts[0]! : cat(parts, 1);
  // Each dimension's output is the whole one's [padding, padding + size), zeros past its end.
  const size = lift(outShape.slice(-dims), 1);
  const beyond = [0, 1].map((d) => Math.max(0, padding[d]! + size[d]! - whole[d]!));
  if (beyond[0]! > 0 || beyond[1]! > 0) y = pad(y, [0, beyond[1]!, 0, beyond[0]!]);
  for (const d of [0, 1]) if (padding[d]! > 0) y = y.narrow(2 + d, padding[d]!, size[d]!);
  return (bias === null ? y : y.add(bias.reshape([1, -1, 1, 1]))).reshape(outShape);
}

/**
 * 1-D transposed convolution of `input` [N, inChannels, L] (or one sample [inChannels, L]) with `weight`
 * [inChannels, outChannels / groups, k] and an optional `bias` [outChannels], as PyTorch's
 * `F.conv_transpose1d(input, weight, bias, stride, padding, output_padding, groups, dilation)`: gives
 * [N, outChannels, (L − 1)·s − 2·p + d·(k − 1) + op + 1].
 *
 * @example
 * F.convTranspose1d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 }); // doubles the length (kernel 3)
 */
export function convTranspose1d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvTranspose1dOptions = {}): Tensor {
  return convTransposeNd('convTranspose1d', 1, input, weight, bias, options);
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
  return convTransposeNd('convTranspose2d', 2, input, weight, bias, options);
}

/**
 * 3-D transposed convolution of `input` [N, inChannels, D, H, W] (or one sample [inChannels, D, H, W]) with
 * `weight` [inChannels, outChannels / groups, kd, kh, kw] and an optional `bias` [outChannels], as PyTorch's
 * `F.conv_transpose3d(input, weight, bias, stride, padding, output_padding, groups, dilation)`.
 *
 * @example
 * F.convTranspose3d(x, w, b, { stride: 2 }); // [N, C, 4, 4, 4] → [N, O, 9, 9, 9] with a 3×3×3 kernel
 */
export function convTranspose3d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvTranspose3dOptions = {}): Tensor {
  return convTransposeNd('convTranspose3d', 3, input, weight, bias, options);
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
