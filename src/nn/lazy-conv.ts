/**
 * The lazy convolutions, PyTorch's `nn.LazyConv1d/2d/3d` and `nn.LazyConvTranspose1d/2d/3d`: the input channels come
 * from the first input (its dimension 1, or 0 when unbatched), the weights are drawn then, and the layer becomes the
 * plain convolution (see lazy.ts). `new nn.LazyConv2d(16, 3, { padding: 1 })` takes the plain layer's arguments
 * without `inChannels`.
 */
import type { ConvRest, ConvTransposeRest } from './conv-arguments.js';
import { KindlingError } from '../errors.js';
import { isPlainObject } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Generator } from '../random.js';
import { Conv1d, type Conv1dOptions } from './conv1d.js';
import { Conv2d, type Conv2dOptions } from './conv.js';
import { Conv3d, type Conv3dOptions } from './conv3d.js';
import { ConvTranspose1d, ConvTranspose2d, ConvTranspose3d, type ConvTranspose1dOptions, type ConvTranspose2dOptions, type ConvTranspose3dOptions } from './conv-transpose.js';
import { allocateWeightAndBias, lazy, type LazyFamily } from './lazy.js';
import type { Module } from './module.js';

/** What the lazy convolutions need of their plain layer. */
interface ConvLayer extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly groups: number;
  readonly kernelSize: readonly number[];
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  resetParameters(generator?: Generator): void;
}

/**
 * The groups a convolution's arguments after the kernel size ask for (1 unless told), to size the placeholder: by
 * position (fourth, in PyTorch's order for both kinds of convolution) or in the options.
 */
function groupsOf(rest: readonly unknown[]): number {
  const at = rest.findIndex((v) => isPlainObject(v));
  const o = at < 0 ? undefined : (rest[at] as { groups?: unknown });
  const g = (at < 0 || at > 3) && rest[3] !== undefined ? rest[3] : o?.groups;
  return Number.isInteger(g) && (g as number) > 0 ? (g as number) : 1;
}

/** The sizing rules of a convolution over `dims` spatial dimensions (`transposed`: weight [in, out/groups, …k]). */
function convolutions<L extends ConvLayer>(dims: number, transposed: boolean): LazyFamily<L> {
  return {
    placeholder: ([outChannels, kernelSize, ...rest]) => [groupsOf(rest), outChannels, kernelSize, ...rest],
    draws: true,
    sizeOf: (layer, input) => {
      const name = layer.constructor.name;
      if (input.ndim !== dims + 1 && input.ndim !== dims + 2) {
        throw new KindlingError(`Expected ${dims + 1}D (unbatched) or ${dims + 2}D (batched) input to ${name}, but got input of size: ${formatShape(input.shape)}`);
      }
      const n = input.shape[input.ndim === dims + 2 ? 1 : 0]!;
      if (n % layer.groups !== 0) throw new KindlingError('in_channels must be divisible by groups');
      return n;
    },
    sizeFromState: (layer, state, prefix) => {
      const w = state[`${prefix}weight`];
      if (!(w instanceof Tensor) || w.ndim !== dims + 2) return undefined;
      return transposed ? w.shape[0]! : w.shape[1]! * layer.groups;
    },
    allocate: (layer, n) => {
      const { outChannels: out, groups, kernelSize } = layer;
      allocateWeightAndBias(layer, transposed ? [n, out / groups, ...kernelSize] : [out, n / groups, ...kernelSize], out);
      (layer as { inChannels: number }).inChannels = n;
    },
    reset: (layer, generator, fromState) => { if (!fromState) layer.resetParameters(generator); },
    placeholders: (layer) => [layer.weight, layer.bias],
  };
}

type Int1 = number | readonly [number];
type Int2 = number | readonly [number, number];
type Int3 = number | readonly [number, number, number];

/** PyTorch's `nn.LazyConv1d(out_channels, kernel_size, …)`: a Conv1d whose inChannels come from its first input. */
export class LazyConv1d extends lazy(Conv1d, convolutions(1, false)) {
  constructor(outChannels: number, kernelSize: Int1, ...rest: ConvRest<readonly [number], Conv1dOptions>) {
    super(outChannels, kernelSize, ...rest);
  }
}

/** PyTorch's `nn.LazyConv2d(out_channels, kernel_size, …)`: a Conv2d whose inChannels come from its first input. */
export class LazyConv2d extends lazy(Conv2d, convolutions(2, false)) {
  constructor(outChannels: number, kernelSize: Int2, ...rest: ConvRest<readonly [number, number], Conv2dOptions>) {
    super(outChannels, kernelSize, ...rest);
  }
}

/** PyTorch's `nn.LazyConv3d(out_channels, kernel_size, …)`: a Conv3d whose inChannels come from its first input. */
export class LazyConv3d extends lazy(Conv3d, convolutions(3, false)) {
  constructor(outChannels: number, kernelSize: Int3, ...rest: ConvRest<readonly [number, number, number], Conv3dOptions>) {
    super(outChannels, kernelSize, ...rest);
  }
}

/** PyTorch's `nn.LazyConvTranspose1d(out_channels, kernel_size, …)`. */
export class LazyConvTranspose1d extends lazy(ConvTranspose1d, convolutions(1, true)) {
  constructor(outChannels: number, kernelSize: Int1, ...rest: ConvTransposeRest<readonly [number], ConvTranspose1dOptions>) {
    super(outChannels, kernelSize, ...rest);
  }
}

/** PyTorch's `nn.LazyConvTranspose2d(out_channels, kernel_size, …)`. */
export class LazyConvTranspose2d extends lazy(ConvTranspose2d, convolutions(2, true)) {
  constructor(outChannels: number, kernelSize: Int2, ...rest: ConvTransposeRest<readonly [number, number], ConvTranspose2dOptions>) {
    super(outChannels, kernelSize, ...rest);
  }
}

/** PyTorch's `nn.LazyConvTranspose3d(out_channels, kernel_size, …)`. */
export class LazyConvTranspose3d extends lazy(ConvTranspose3d, convolutions(3, true)) {
  constructor(outChannels: number, kernelSize: Int3, ...rest: ConvTransposeRest<readonly [number, number, number], ConvTranspose3dOptions>) {
    super(outChannels, kernelSize, ...rest);
  }
}
