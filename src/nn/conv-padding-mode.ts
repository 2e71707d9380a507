/**
 * A convolution layer's `paddingMode`, PyTorch's `padding_mode`. 'zeros' (the default) pads inside the convolution;
 * 'reflect', 'replicate' and 'circular' pad the input first, with F.pad in that mode by the layer's padding (PyTorch's
 * `_reversed_padding_repeated_twice`, 'same' worked out as for zeros: the odd one after), then convolve with no
 * padding, as PyTorch's Conv1d/2d/3d do — so F.pad's checks apply (a reflection narrower than the input, a circular
 * padding of a batched input only, as in PyTorch 1.13). The transposed convolutions take 'zeros' only, as PyTorch's.
 */
import { pad } from '../ops/pad.js';
import { describeValue } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';

export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

const MODES: readonly string[] = ['zeros', 'reflect', 'replicate', 'circular'];

/** The layer's mode (default 'zeros'), or PyTorch's refusal: of an unknown mode, or of any but 'zeros' when `transposed`. */
export function checkPaddingMode(where: string, mode: unknown, transposed: boolean): PaddingMode {
  if (mode === undefined || mode === 'zeros') return 'zeros';
  if (transposed) throw new RangeError(`${where}: Only "zeros" padding mode is supported for ${where}, as in PyTorch (got paddingMode ${describeValue(mode)})`);
  if (typeof mode !== 'string' || !MODES.includes(mode)) {
    throw new RangeError(`${where}: paddingMode must be one of 'zeros', 'reflect', 'replicate' or 'circular', got ${describeValue(mode)}`);
  }
  return mode as PaddingMode;
}

/**
 * PyTorch's `_reversed_padding_repeated_twice`: the amounts before and after each spatial dimension, the last
 * dimension first, as F.pad takes them. 'valid' is none; 'same' pads dilation·(kernel − 1) in all, the odd one after.
 */
export function reversedPaddingRepeatedTwice(padding: readonly number[] | 'valid' | 'same', kernelSize: readonly number[], dilation: readonly number[]): number[] {
  const out: number[] = [];
  for (let d = kernelSize.length - 1; d >= 0; d--) {
    if (padding === 'valid') out.push(0, 0);
    else if (padding === 'same') {
      const total = dilation[d]! * (kernelSize[d]! - 1);
      out.push(Math.floor(total / 2), total - Math.floor(total / 2));
    } else out.push(padding[d]!, padding[d]!);
  }
  return out;
}

/** `input` padded as a layer with this mode (not 'zeros') and geometry pads it before its convolution without padding. */
export function padForConvolution(
  input: Tensor, mode: Exclude<PaddingMode, 'zeros'>, padding: readonly number[] | 'valid' | 'same', kernelSize: readonly number[], dilation: readonly number[],
): Tensor {
  return pad(input, reversedPaddingRepeatedTwice(padding, kernelSize, dilation), { mode });
}
