// PyTorch's other names of functional ops: the `_with_indices` forms of the max poolings, which always return
// [values, indices], `native_channel_shuffle`, and the deprecated `upsample`, `upsample_nearest` and
// `upsample_bilinear` (interpolate, the last with alignCorners true, as PyTorch's).
import { checkOptions, type PositionalThenOptions } from '../options.js';
import { functionalArguments, interpolate as positionalInterpolate } from './functional-positional.js';
import { adaptiveMaxPool2d, type AdaptiveSize2d } from '../ops/adaptive-pool.js';
import { adaptiveMaxPool1d } from '../ops/adaptive-pool1d.js';
import { channelShuffle } from '../ops/channel-shuffle.js';
import { interpolate, type InterpolateOptions } from '../ops/interpolate.js';
import { maxPool2d, type MaxPool2dOptions } from '../ops/pool.js';
import { maxPool1d, type MaxPool1dOptions } from '../ops/pool1d.js';
import { adaptiveMaxPool3d, maxPool3d, type AdaptiveSize, type MaxPool3dOptions, type Triple } from '../ops/pool3d.js';
import type { Int1 } from '../ops/window1d.js';
import type { Tensor } from '../tensor/tensor.js';
import { fractionalMaxPool2d, fractionalMaxPool3d, type FractionalMaxPoolOptions } from './fractional-pool.js';

type Pair = number | readonly [number, number];
type NoIndices<T> = Omit<T, 'returnIndices'>;

type WithIndicesArgs<S, O> = PositionalThenOptions<[stride: S | null, padding: S, dilation: S, ceilMode: boolean, returnIndices: boolean], NoIndices<O>>;

/**
 * A `_with_indices` max pooling: PyTorch's `(input, kernel_size, stride=None, padding=0, dilation=1,
 * ceil_mode=False, return_indices=False)` by position, then options; [values, indices] whatever returnIndices says,
 * as PyTorch's (only by position: in the options it is refused, these forms always return both).
 */
function withIndices(where: string, args: readonly unknown[], op: (x: Tensor, k: never, o: object) => unknown): [Tensor, Tensor] {
  const named = args.length > 2 && isOptions(args[args.length - 1]) ? noIndices(args[args.length - 1] as object) : undefined;
  const o = functionalArguments(where, named === undefined ? args : args.slice(0, -1).concat([named]), 2, ['stride', 'padding', 'dilation', 'ceilMode', 'returnIndices'], ['stride'], `F.${where}(x, 3, 2, 1)`);
  delete o['returnIndices'];
  return op(args[0] as Tensor, args[1] as never, { ...o, returnIndices: true }) as [Tensor, Tensor];
}

/** `maxPool1d` returning [values, indices] (PyTorch's `max_pool1d_with_indices`, in its positional order). */
export function maxPool1dWithIndices(input: Tensor, kernelSize: Int1, ...rest: WithIndicesArgs<Int1, MaxPool1dOptions>): [Tensor, Tensor] {
  return withIndices('maxPool1dWithIndices', [input, kernelSize, ...rest], maxPool1d);
}

/** `maxPool2d` returning [values, indices] (PyTorch's `max_pool2d_with_indices`, in its positional order). */
export function maxPool2dWithIndices(input: Tensor, kernelSize: Pair, ...rest: WithIndicesArgs<Pair, MaxPool2dOptions>): [Tensor, Tensor] {
  return withIndices('maxPool2dWithIndices', [input, kernelSize, ...rest], maxPool2d);
}

/** `maxPool3d` returning [values, indices] (PyTorch's `max_pool3d_with_indices`, in its positional order). */
export function maxPool3dWithIndices(input: Tensor, kernelSize: Triple, ...rest: WithIndicesArgs<Triple, MaxPool3dOptions>): [Tensor, Tensor] {
  return withIndices('maxPool3dWithIndices', [input, kernelSize, ...rest], maxPool3d);
}

/** `adaptiveMaxPool1d` returning [values, indices] (PyTorch's `adaptive_max_pool1d_with_indices`). */
export function adaptiveMaxPool1dWithIndices(input: Tensor, outputSize: Int1): [Tensor, Tensor] {
  return adaptiveMaxPool1d(input, outputSize, true);
}

/** `adaptiveMaxPool2d` returning [values, indices] (PyTorch's `adaptive_max_pool2d_with_indices`). */
export function adaptiveMaxPool2dWithIndices(input: Tensor, outputSize: AdaptiveSize2d): [Tensor, Tensor] {
  return adaptiveMaxPool2d(input, outputSize, true);
}

/** `adaptiveMaxPool3d` returning [values, indices] (PyTorch's `adaptive_max_pool3d_with_indices`). */
export function adaptiveMaxPool3dWithIndices(input: Tensor, outputSize: AdaptiveSize): [Tensor, Tensor] {
  return adaptiveMaxPool3d(input, outputSize, true) as [Tensor, Tensor];
}

/** `fractionalMaxPool2d` returning [values, indices] (PyTorch's `fractional_max_pool2d_with_indices`). */
export function fractionalMaxPool2dWithIndices(input: Tensor, kernelSize: Pair, options: NoIndices<FractionalMaxPoolOptions> = {}): [Tensor, Tensor] {
  return fractionalMaxPool2d(input, kernelSize, { ...noIndices(options), returnIndices: true }) as [Tensor, Tensor];
}

/** `fractionalMaxPool3d` returning [values, indices] (PyTorch's `fractional_max_pool3d_with_indices`). */
export function fractionalMaxPool3dWithIndices(input: Tensor, kernelSize: Triple, options: NoIndices<FractionalMaxPoolOptions> = {}): [Tensor, Tensor] {
  return fractionalMaxPool3d(input, kernelSize, { ...noIndices(options), returnIndices: true }) as [Tensor, Tensor];
}

/** `channelShuffle` (PyTorch's `native_channel_shuffle`). */
export function nativeChannelShuffle(input: Tensor, groups: number): Tensor {
  return channelShuffle(input, groups);
}

/** `interpolate` under its old name (PyTorch's deprecated `F.upsample`), in its positional order too. */
export function upsample(input: Tensor, ...rest: Parameters<typeof positionalInterpolate> extends [Tensor, ...infer R] ? R : never): Tensor {
  return positionalInterpolate(input, ...rest);
}

/** Nearest-neighbour `interpolate` (PyTorch's deprecated `F.upsample_nearest`): `{ size }` or `{ scaleFactor }`. */
export function upsampleNearest(input: Tensor, options: Pick<InterpolateOptions, 'size' | 'scaleFactor'> = {}): Tensor {
  const o = checkOptions('upsampleNearest', options, ['size', 'scaleFactor']);
  return interpolate(input, { ...o, mode: 'nearest' });
}

/** Bilinear `interpolate` with alignCorners true (PyTorch's deprecated `F.upsample_bilinear`): `{ size }` or `{ scaleFactor }`. */
export function upsampleBilinear(input: Tensor, options: Pick<InterpolateOptions, 'size' | 'scaleFactor'> = {}): Tensor {
  const o = checkOptions('upsampleBilinear', options, ['size', 'scaleFactor']);
  return interpolate(input, { ...o, mode: 'bilinear', alignCorners: true });
}

function isOptions<O extends object>(v: unknown): v is O {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The options as given, refusing returnIndices: these forms always return [values, indices]. */
function noIndices<O extends object>(options: O): O {
  if (isOptions(options) && 'returnIndices' in options) throw new TypeError('the WithIndices forms always return [values, indices]: leave returnIndices out');
  return options;
}
