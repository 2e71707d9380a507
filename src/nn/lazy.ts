/**
 * Lazy layers, PyTorch 1.13's `LazyModuleMixin`: a layer made without its input size (`new nn.LazyLinear(10)`) learns
 * it from its first input, draws its weights then (from the generator, as the plain layer's constructor would: the
 * same values after the same seed) and becomes the plain layer (`Linear`, its class and printing too). Until then its
 * tensors are placeholders with no input size, and an optimizer refuses them — make the optimizer after a first call
 * (PyTorch's "dry run"). A state dict loaded before the first call gives the sizes instead. This file holds the
 * mechanism every lazy layer shares (`lazy(Base, family)`) and `LazyLinear`; the convolutions and norms are
 * lazy-conv.ts and lazy-norm.ts, each a family of sizing rules.
 */
import { KindlingError } from '../errors.js';
import { allocStorage } from '../kernels/storage.js';
import { describeValue, isPlainObject } from '../options.js';
import { Generator } from '../random.js';
import { Tensor } from '../tensor/tensor.js';
import { warnOnce } from '../warn.js';
import { Linear, type LinearOptions } from './linear.js';
import type { Module } from './module.js';
import { MATERIALIZE, markUninitialized, type Materializable } from './uninitialized.js';

export { isUninitializedParameter } from './uninitialized.js';

/** What the lazy layers share: whether they have run, and the hook `loadStateDict` calls (sizing them from a state dict). */
export interface Lazy extends Materializable {
  /** Whether the layer still waits for its first input (PyTorch's `has_uninitialized_params`). */
  hasUninitializedParams(): boolean;
  /** Sizes the layer from `input` and makes its tensors (PyTorch's `initialize_parameters`). */
  initializeParameters(input: Tensor): void;
}

/** A layer's protected registration methods, which a family's rules call to put fresh tensors in place. */
export interface Registrar {
  makeParameter(name: string, t: Tensor): Tensor;
  holdWeightAndBias(weight: Tensor | null, bias: Tensor | null): void;
  registerBuffer(name: string, t: Tensor | null, persistent?: boolean): Tensor | null;
}

/** How one family of lazy layers is sized and filled. */
export interface LazyFamily<L extends Module> {
  /** The plain layer's constructor arguments for a placeholder, from the lazy layer's (the input size left out). */
  placeholder(args: readonly unknown[]): unknown[];
  /** Whether the plain layer draws its weights (then the placeholder draws from a private generator, and the first call from the user's). */
  readonly draws: boolean;
  /** The input size the first input gives (refusing an input the plain layer could not take, in PyTorch's words). */
  sizeOf(layer: L, input: Tensor): number;
  /** The input size a state dict's tensors under `prefix` give, or undefined when they do not. */
  sizeFromState(layer: L, state: Readonly<Record<string, Tensor>>, prefix: string): number | undefined;
  /** Fresh tensors for input size `n`, registered in their places (n = 0: the placeholders). */
  allocate(layer: L & Registrar, n: number): void;
  /** Fills fresh tensors (draws from `generator`, or resets), after the first input or a state dict (`fromState`). */
  reset(layer: L, generator: Generator | undefined, fromState: boolean): void;
  /** The placeholder tensors, for the optimizers to refuse. */
  placeholders(layer: L): (Tensor | null)[];
}

/**
 * The arguments with the user's generator taken out and a private one put in, so that the placeholder's draws leave
 * every generator as it was. Returns those arguments and the user's generator (or none).
 */
function withPrivateGenerator(rest: readonly unknown[]): { args: unknown[]; generator: Generator | undefined } {
  const args = [...rest];
  while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
  const last = args[args.length - 1];
  if (isPlainObject(last)) {
    const { generator, ...others } = last as { generator?: Generator };
    args[args.length - 1] = { ...others, generator: new Generator(0) };
    return { args, generator };
  }
  args.push({ generator: new Generator(0) });
  return { args, generator: undefined };
}

/** The lazy form of `Base`: made with `family`'s placeholder, sized and filled at its first call, then a `Base`. */
export function lazy<B extends abstract new (...args: never[]) => Module>(Base: B, family: LazyFamily<InstanceType<B>>): abstract new (...args: unknown[]) => InstanceType<B> & Lazy {
  type L = InstanceType<B>;
  abstract class LazyLayer extends (Base as unknown as new (...args: unknown[]) => Module) implements Lazy {
    readonly #generator: Generator | undefined;
    #pending = true;

    constructor(...args: unknown[]) {
      const given = family.placeholder(args);
      const p = family.draws ? withPrivateGenerator(given) : { args: given, generator: undefined };
      super(...p.args);
      this.#generator = p.generator;
      family.allocate(this as unknown as L & Registrar, 0);
      markUninitialized(...family.placeholders(this as unknown as L));
      // PyTorch's LazyModuleMixin warns from one line: once per process, whichever lazy layer.
      warnOnce('Lazy modules are a new feature under heavy development so changes to the API or functionality can happen at any moment. (PyTorch\'s warning)', 'LazyModuleMixin');
    }

    hasUninitializedParams(): boolean {
      return this.#pending;
    }

    initializeParameters(input: Tensor): void {
      if (!this.#pending) return;
      if (!(input instanceof Tensor)) throw new TypeError(`${this.constructor.name}: input must be a Tensor, got ${describeValue(input)}`);
      this.#fill(family.sizeOf(this as unknown as L, input), false);
    }

    [MATERIALIZE](state: Readonly<Record<string, Tensor>>, prefix: string): void {
      if (!this.#pending) return;
      const n = family.sizeFromState(this as unknown as L, state, prefix);
      if (n !== undefined) this.#fill(n, true);
    }

    override forward(input: Tensor, ...rest: unknown[]): Tensor {
      this.initializeParameters(input);
      Object.setPrototypeOf(this, Base.prototype);
      return (this.forward as (x: Tensor, ...r: unknown[]) => Tensor)(input, ...rest);
    }

    #fill(n: number, fromState: boolean): void {
      family.allocate(this as unknown as L & Registrar, n);
      family.reset(this as unknown as L, this.#generator, fromState);
      this.#pending = false;
    }
  }
  return LazyLayer as unknown as abstract new (...args: unknown[]) => L & Lazy;
}

/**
 * A weight's and bias's fresh tensors in place: the weight of `shape` (stored with `strides` when given: Linear's
 * transposed weight, left unexposed as its constructor leaves it), the bias of `out` when the layer has one.
 */
export function allocateWeightAndBias(layer: Registrar & { bias: Tensor | null }, shape: readonly number[], out: number, strides?: readonly number[]): void {
  const weight = new Tensor(allocStorage(shape.reduce((a, b) => a * b, 1)), shape, strides === undefined ? undefined : { strides });
  if (strides !== undefined) weight.exposed = false;
  const bias = layer.bias === null ? null : layer.makeParameter('bias', new Tensor(allocStorage(out), [out]));
  layer.holdWeightAndBias(layer.makeParameter('weight', weight), bias);
}

/** PyTorch's `nn.LazyLinear(out_features, bias=True)`: a Linear whose in_features come from its first input's last size. */
export class LazyLinear extends lazy(Linear, {
  placeholder: ([outFeatures, ...rest]) => [1, outFeatures, ...rest],
  draws: true,
  sizeOf: (_layer, input) => {
    if (input.ndim === 0) throw new KindlingError('LazyLinear: a 0-d input has no features to size the layer from');
    return input.shape[input.ndim - 1]!;
  },
  sizeFromState: (_layer, state, prefix) => {
    const w = state[`${prefix}weight`];
    return w instanceof Tensor && w.ndim === 2 ? w.shape[1]! : undefined;
  },
  allocate: (layer, n) => {
    allocateWeightAndBias(layer, [layer.outFeatures, n], layer.outFeatures, [1, layer.outFeatures]);
    (layer as { inFeatures: number }).inFeatures = n;
  },
  reset: (layer, generator, fromState) => { if (!fromState) layer.resetParameters(generator); },
  placeholders: (layer) => [layer.weight, layer.bias],
}) {
  constructor(outFeatures: number, biasOrOptions?: boolean | LinearOptions, options?: Omit<LinearOptions, 'bias'>) {
    super(outFeatures, biasOrOptions, options);
  }
}
