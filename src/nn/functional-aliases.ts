// PyTorch's other names of functional ops: the `_with_indices` forms of the max poolings, which always return
// [values, indices], `native_channel_shuffle`, and the deprecated `upsample`, `upsample_nearest` and
// `upsample_bilinear` (interpolate, the last with alignCorners true, as PyTorch's).
import { checkOptions } from '../options.js';
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

/** `maxPool1d` returning [values, indices] (PyTorch's `max_pool1d_with_indices`). */
export function maxPool1dWithIndices(input: Tensor, kernelSize: Int1, strideOrOptions?: Int1 | null | NoIndices<MaxPool1dOptions>, options?: NoIndices<Omit<MaxPool1dOptions, 'stride'>>): [Tensor, Tensor] {
  if (isOptions(strideOrOptions)) return maxPool1d(input, kernelSize, { ...noIndices(strideOrOptions), returnIndices: true });
  return maxPool1d(input, kernelSize, strideOrOptions, { ...noIndices(options ?? {}), returnIndices: true });
}

/** `maxPool2d` returning [values, indices] (PyTorch's `max_pool2d_with_indices`). */
export function maxPool2dWithIndices(input: Tensor, kernelSize: Pair, strideOrOptions?: Pair | null | NoIndices<MaxPool2dOptions>, options?: NoIndices<Omit<MaxPool2dOptions, 'stride'>>): [Tensor, Tensor] {
  if (isOptions(strideOrOptions)) return maxPool2d(input, kernelSize, { ...noIndices(strideOrOptions), returnIndices: true });
  return maxPool2d(input, kernelSize, strideOrOptions, { ...noIndices(options ?? {}), returnIndices: true });
}

/** `maxPool3d` returning [values, indices] (PyTorch's `max_pool3d_with_indices`). */
export function maxPool3dWithIndices(input: Tensor, kernelSize: Triple, options: NoIndices<MaxPool3dOptions> = {}): [Tensor, Tensor] {
  return maxPool3d(input, kernelSize, { ...noIndices(options), returnIndices: true }) as [Tensor, Tensor];
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

/** `interpolate` under its old name (PyTorch's deprecated `F.upsample`). */
export function upsample(input: Tensor, options: InterpolateOptions = {}): Tensor {
  return interpolate(input, options);
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
