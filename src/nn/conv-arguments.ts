import { checkFactoryKwargs, FACTORY_KWARGS, type FactoryKwargs } from '../device.js';
import type { IntPair } from '../ops/window.js';
import { boundArguments, describeValue, type PositionalThenOptions } from '../options.js';
import type { PaddingMode } from './conv-padding-mode.js';

/** What both convolution layers take besides their geometry. */
interface LayerOptions extends FactoryKwargs {
  readonly stride?: IntPair;
  readonly bias?: boolean;
  readonly paddingMode?: PaddingMode;
}

/** PyTorch 1.13's positional parameters of `Conv1d/2d/3d` after the kernel size (`inspect.signature`). */
export const CONV_POSITIONAL = ['stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode', ...FACTORY_KWARGS] as const;
/** PyTorch 1.13's positional parameters of `ConvTranspose1d/2d/3d` after the kernel size: the output padding third, the dilation after the bias. */
export const TRANSPOSE_POSITIONAL = ['stride', 'padding', 'outputPadding', 'groups', 'bias', 'dilation', 'paddingMode', ...FACTORY_KWARGS] as const;

/** A size argument: an integer or one per spatial dimension. */
type Size<S> = number | S;

/** A convolution's arguments after the kernel size: PyTorch's positional ones in order, then options `O`. */
export type ConvRest<S, O> = PositionalThenOptions<
  [stride: Size<S> | undefined, padding: Size<S> | 'valid' | 'same' | undefined, dilation: Size<S> | undefined, groups: number | undefined,
    bias: boolean | undefined, paddingMode: PaddingMode | undefined, device: string | null | undefined, dtype: string | null | undefined],
  O
>;

/** A transposed convolution's arguments after the kernel size: PyTorch's positional ones in order, then options `O`. */
export type ConvTransposeRest<S, O> = PositionalThenOptions<
  [stride: Size<S> | undefined, padding: Size<S> | undefined, outputPadding: Size<S> | undefined, groups: number | undefined,
    bias: boolean | undefined, dilation: Size<S> | undefined, paddingMode: 'zeros' | undefined, device: string | null | undefined, dtype: string | null | undefined],
  O
>;

/**
 * A convolution layer's arguments after the kernel size (`args` from index 3), PyTorch's way: by position in the
 * order of PyTorch 1.13's signature (`positional`: `Conv2d(3, 8, 3, 1, 1, 1, 1, false)`), then optionally one object
 * of options (`names`, which may also name those given by position, but not twice); then the channel counts,
 * `bias`, `device` and `dtype` checked (the layer checks `paddingMode`: conv-padding-mode.ts). Returns the options
 * without device and dtype. `usage` shows a call, for a message.
 */
export function convLayerArguments<O extends LayerOptions>(
  where: string, names: readonly string[], positional: readonly string[], args: ArrayLike<unknown>, inChannels: number, outChannels: number, usage: string,
): O {
  const bound = boundArguments(where, args, 3, positional, names.filter((n) => !positional.includes(n)), usage);
  checkFactoryKwargs(where, bound);
  const { device: _d, dtype: _t, ...o } = bound;
  for (const [v, what] of [[inChannels, 'inChannels'], [outChannels, 'outChannels']] as const) {
    // PyTorch takes 0 channels (an empty weight; Conv2d(0, 4, 3) gives zeros, as its forward does).
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${where}: ${what} must be a non-negative integer, got ${describeValue(v)}`);
  }
  if (o['bias'] !== undefined && typeof o['bias'] !== 'boolean') throw new TypeError(`${where}: bias must be true or false, got ${describeValue(o['bias'])}`);
  return o as unknown as O;
}
