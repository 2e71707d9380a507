/**
 * The pooling layers' arguments after the kernel size, as PyTorch 1.13 binds them (`inspect.signature`): by position
 * in its order (`nn.MaxPool2d(3, 2, 1)`, `nn.AvgPool2d(3, 2, 1, false, false)`), then optionally one object of
 * options, which may also name those given by position, but not twice.
 */
import { boundArguments, describeValue, type PositionalThenOptions } from '../options.js';

/** `MaxPool1d/2d/3d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False)`. */
export const MAX_POOL_POSITIONAL = ['stride', 'padding', 'dilation', 'returnIndices', 'ceilMode'] as const;
/** `AvgPool2d/3d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None)`. */
export const AVG_POOL_POSITIONAL = ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'] as const;
/** `AvgPool1d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True)`: no divisor_override in 1.13. */
export const AVG_POOL1D_POSITIONAL = ['stride', 'padding', 'ceilMode', 'countIncludePad'] as const;

/** A max pooling layer's arguments after the kernel size (sizes `S`), then options `O`. */
export type MaxPoolRest<S, O> = PositionalThenOptions<
  [stride: S | null | undefined, padding: S | undefined, dilation: S | undefined, returnIndices: boolean | undefined, ceilMode: boolean | undefined], O
>;
/** AvgPool2d's and AvgPool3d's arguments after the kernel size (sizes `S`), then options `O`. */
export type AvgPoolRest<S, O> = PositionalThenOptions<
  [stride: S | null | undefined, padding: S | undefined, ceilMode: boolean | undefined, countIncludePad: boolean | undefined, divisorOverride: number | null | undefined], O
>;
/** AvgPool1d's arguments after the kernel size, then options `O`. */
export type AvgPool1dRest<S, O> = PositionalThenOptions<
  [stride: S | null | undefined, padding: S | undefined, ceilMode: boolean | undefined, countIncludePad: boolean | undefined], O
>;

/**
 * The options of a pooling layer made with `args` (its constructor's arguments; the kernel size first, checked by
 * the layer): a stride of null, PyTorch's None, is left out (the kernel size then).
 */
export function poolLayerArguments<O>(where: string, positional: readonly string[], args: ArrayLike<unknown>, usage: string): O {
  const o = boundArguments(where, args, 1, positional, [], usage);
  if (o['stride'] === null) delete o['stride'];
  return o as O;
}

/**
 * An adaptive pooling layer's arguments (`args`, all of its constructor's), as PyTorch 1.13 binds them:
 * `AdaptiveAvgPoolNd(output_size)` and `AdaptiveMaxPoolNd(output_size, return_indices=False)`, by position or
 * named (`new AdaptiveMaxPool2d(3, { returnIndices: true })`, `new AdaptiveAvgPool2d({ outputSize: 1 })`).
 */
export function adaptivePoolArguments(where: string, args: ArrayLike<unknown>, takesIndices: boolean, usage: string): { outputSize: unknown; returnIndices: boolean } {
  const o = boundArguments(where, args, 0, takesIndices ? ['outputSize', 'returnIndices'] : ['outputSize'], [], usage);
  if (!Object.hasOwn(o, 'outputSize')) throw new TypeError(`${where}: outputSize is required (${usage})`);
  const returnIndices = o['returnIndices'] ?? false;
  if (typeof returnIndices !== 'boolean') throw new TypeError(`${where}: returnIndices must be true or false, got ${describeValue(returnIndices)}`);
  return { outputSize: o['outputSize'], returnIndices };
}

/** An adaptive max pooling layer's options, PyTorch's keywords: `{ outputSize, returnIndices }`. */
export interface AdaptiveMaxPoolOptions<S> {
  outputSize?: S;
  returnIndices?: boolean;
}
