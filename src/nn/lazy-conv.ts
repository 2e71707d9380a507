/**
 * The lazy convolutions, PyTorch's `nn.LazyConv1d/2d/3d` and `nn.LazyConvTranspose1d/2d/3d`: the input channels come
 * from the first input (its dimension 1, or 0 when unbatched), the weights are drawn then, and the layer becomes the
 * plain convolution (see lazy.ts). `new nn.LazyConv2d(16, 3, { padding: 1 })` takes the plain layer's arguments
 * without `inChannels`.
 */
import { KindlingError } from '../errors.js';
import { allocStorage } from '../kernels/storage.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../options.js';
import type { Generator } from '../random.js';
import { Conv1d, type Conv1dOptions } from './conv1d.js';
import { Conv2d, type Conv2dOptions } from './conv.js';
import { Conv3d, type Conv3dOptions } from './conv3d.js';
import { ConvTranspose1d, ConvTranspose2d, ConvTranspose3d, type ConvTranspose1dOptions, type ConvTranspose2dOptions, type ConvTranspose3dOptions } from './conv-transpose.js';
import { become, placeholderArguments, type Lazy } from './lazy.js';
import { MATERIALIZE, markUninitialized } from './uninitialized.js';
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

type ConvClass = abstract new (...args: never[]) => ConvLayer;

/** The groups a convolution's options ask for (1 unless told), to size the placeholder. */
function groupsOf(rest: readonly unknown[]): number {
  const o = rest.find((v) => typeof v === 'object' && v !== null && !Array.isArray(v)) as { groups?: unknown } | undefined;
  return Number.isInteger(o?.groups) && (o!.groups as number) > 0 ? (o!.groups as number) : 1;
}

/**
 * The lazy form of `Base` (a convolution over `dims` spatial dimensions; `transposed` for the weight [in, out/groups,
 * …k] of the transposed ones), becoming `Base` at its first call.
 */
function lazyConvolution<B extends ConvClass>(Base: B, dims: number, transposed: boolean): abstract new (...args: unknown[]) => InstanceType<B> & Lazy {
  abstract class LazyConvolution extends (Base as unknown as new (...args: unknown[]) => ConvLayer) implements Lazy {
    #generator: Generator | undefined;
    #pending = true;

    constructor(...rest: unknown[]) {
      const [outChannels, kernelSize, ...more] = rest;
      const p = placeholderArguments(more);
      super(groupsOf(more), outChannels, kernelSize, ...p.args);
      this.#generator = p.generator;
      this.#allocate(0);
      markUninitialized(this.weight, this.bias);
    }

    hasUninitializedParams(): boolean {
      return this.#pending;
    }

    /** Sizes the layer from `input` (PyTorch's `_get_in_channels`) and draws its weights. */
    initializeParameters(input: Tensor): void {
      if (!this.#pending) return;
      const name = this.constructor.name;
      if (!(input instanceof Tensor)) throw new TypeError(`${name}: input must be a Tensor, got ${describeValue(input)}`);
      if (input.ndim !== dims + 1 && input.ndim !== dims + 2) {
        throw new KindlingError(`Expected ${dims + 1}D (unbatched) or ${dims + 2}D (batched) input to ${name}, but got input of size: ${formatShape(input.shape)}`);
      }
      const inChannels = input.shape[input.ndim === dims + 2 ? 1 : 0]!;
      if (inChannels % this.groups !== 0) throw new KindlingError('in_channels must be divisible by groups');
      this.#allocate(inChannels);
      this.resetParameters(this.#generator);
      this.#pending = false;
    }

    [MATERIALIZE](state: Readonly<Record<string, Tensor>>, prefix: string): void {
      const w = state[`${prefix}weight`];
      if (!this.#pending || !(w instanceof Tensor) || w.ndim !== dims + 2) return;
      this.#allocate(transposed ? w.shape[0]! : w.shape[1]! * this.groups);
      this.#pending = false;
    }

    override forward(input: Tensor, ...rest: unknown[]): Tensor {
      this.initializeParameters(input);
      become(this, Base);
      return (this.forward as (x: Tensor, ...r: unknown[]) => Tensor)(input, ...rest);
    }

    /** A fresh weight and bias for `inChannels`, registered in their places. */
    #allocate(inChannels: number): void {
      const { outChannels: out, groups, kernelSize } = this;
      const shape = transposed ? [inChannels, out / groups, ...kernelSize] : [out, inChannels / groups, ...kernelSize];
      const self = this as unknown as {
        registerParameter(n: string, t: Tensor): Tensor; holdWeightAndBias(w: Tensor, b: Tensor | null): void; inChannels: number;
      };
      const weight = self.registerParameter('weight', new Tensor(allocStorage(shape.reduce((a, b) => a * b, 1)), shape));
      const bias = this.bias === null ? null : self.registerParameter('bias', new Tensor(allocStorage(out), [out]));
      self.holdWeightAndBias(weight, bias);
      self.inChannels = inChannels;
    }
  }
  return LazyConvolution as unknown as abstract new (...args: unknown[]) => InstanceType<B> & Lazy;
}

/** PyTorch's `nn.LazyConv1d(out_channels, kernel_size, …)`: a Conv1d whose inChannels come from its first input. */
export class LazyConv1d extends lazyConvolution(Conv1d, 1, false) {
  constructor(outChannels: number, kernelSize: number | readonly [number], strideOrOptions?: number | readonly [number] | Conv1dOptions, options?: Omit<Conv1dOptions, 'stride'>) {
    super(outChannels, kernelSize, strideOrOptions, options);
  }
}

/** PyTorch's `nn.LazyConv2d(out_channels, kernel_size, …)`: a Conv2d whose inChannels come from its first input. */
export class LazyConv2d extends lazyConvolution(Conv2d, 2, false) {
  constructor(outChannels: number, kernelSize: number | readonly [number, number], strideOrOptions?: number | readonly [number, number] | Conv2dOptions, options?: Omit<Conv2dOptions, 'stride'>) {
    super(outChannels, kernelSize, strideOrOptions, options);
  }
}

/** PyTorch's `nn.LazyConv3d(out_channels, kernel_size, …)`: a Conv3d whose inChannels come from its first input. */
export class LazyConv3d extends lazyConvolution(Conv3d, 3, false) {
  constructor(outChannels: number, kernelSize: number | readonly [number, number, number], strideOrOptions?: number | readonly [number, number, number] | Conv3dOptions, options?: Omit<Conv3dOptions, 'stride'>) {
    super(outChannels, kernelSize, strideOrOptions, options);
  }
}

/** PyTorch's `nn.LazyConvTranspose1d(out_channels, kernel_size, …)`. */
export class LazyConvTranspose1d extends lazyConvolution(ConvTranspose1d, 1, true) {
  constructor(outChannels: number, kernelSize: number | readonly [number], strideOrOptions?: number | readonly [number] | ConvTranspose1dOptions, options?: Omit<ConvTranspose1dOptions, 'stride'>) {
    super(outChannels, kernelSize, strideOrOptions, options);
  }
}

/** PyTorch's `nn.LazyConvTranspose2d(out_channels, kernel_size, …)`. */
export class LazyConvTranspose2d extends lazyConvolution(ConvTranspose2d, 2, true) {
  constructor(outChannels: number, kernelSize: number | readonly [number, number], strideOrOptions?: number | readonly [number, number] | ConvTranspose2dOptions, options?: Omit<ConvTranspose2dOptions, 'stride'>) {
    super(outChannels, kernelSize, strideOrOptions, options);
  }
}

/** PyTorch's `nn.LazyConvTranspose3d(out_channels, kernel_size, …)`. */
export class LazyConvTranspose3d extends lazyConvolution(ConvTranspose3d, 3, true) {
  constructor(outChannels: number, kernelSize: number | readonly [number, number, number], strideOrOptions?: number | readonly [number, number, number] | ConvTranspose3dOptions, options?: Omit<ConvTranspose3dOptions, 'stride'>) {
    super(outChannels, kernelSize, strideOrOptions, options);
  }
}
