/**
 * Lazy layers, PyTorch 1.13's `LazyModuleMixin`: a layer made without its input size (`new nn.LazyLinear(10)`) learns
 * it from its first input, draws its weights then (from the generator, as the plain layer's constructor would: the
 * same values after the same seed) and becomes the plain layer (`Linear`, its class and printing too). Until then its
 * weight is a placeholder with no input columns, and an optimizer refuses it — make the optimizer after a first call
 * (PyTorch's "dry run"). A state dict loaded before the first call gives the sizes instead. This file holds the shared
 * mechanism and `LazyLinear`; the convolutions and norms are lazy-conv.ts and lazy-norm.ts.
 */
import { KindlingError } from '../errors.js';
import { allocStorage } from '../kernels/storage.js';
import { describeValue, isPlainObject } from '../options.js';
import { Generator } from '../random.js';
import { Tensor } from '../tensor/tensor.js';
import { Linear, type LinearOptions } from './linear.js';
import type { Module } from './module.js';
import { MATERIALIZE, markUninitialized, type Materializable } from './uninitialized.js';

export { isUninitializedParameter, markUninitialized } from './uninitialized.js';

/**
 * The arguments after the input size with the user's generator taken out and a private one put in, so that the
 * placeholder's draws leave every generator as it was. Returns those arguments and the user's generator (or none).
 */
export function placeholderArguments(rest: readonly unknown[]): { args: unknown[]; generator: Generator | undefined } {
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

/** What the lazy layers share: whether they have run, and the hook `loadStateDict` calls (sizing them from a state dict). */
export interface Lazy extends Materializable {
  hasUninitializedParams(): boolean;
}

/** Turns `m` into an instance of `cls` (the plain layer its lazy class extends), as PyTorch's `cls_to_become`. */
export function become(m: Module, cls: abstract new (...args: never[]) => Module): void {
  Object.setPrototypeOf(m, cls.prototype);
}

/** The input's last size, for LazyLinear. */
function lastSize(where: string, input: unknown): number {
  if (!(input instanceof Tensor)) throw new TypeError(`${where}: input must be a Tensor, got ${describeValue(input)}`);
  if (input.ndim === 0) throw new KindlingError(`${where}: a 0-d input has no features to size the layer from`);
  return input.shape[input.ndim - 1]!;
}

/**
 * A Linear layer whose input size comes from its first input, PyTorch's `nn.LazyLinear(out_features, bias=True)`:
 * `new nn.LazyLinear(10)`, `new nn.LazyLinear(10, false)`, `new nn.LazyLinear(10, { bias: false, generator })`.
 * It prints as `LazyLinear(in_features=0, …)` until then, and is a `Linear` after.
 */
export class LazyLinear extends Linear implements Lazy {
  #generator: Generator | undefined;
  #pending = true;

  constructor(outFeatures: number, biasOrOptions?: boolean | LinearOptions, options?: Omit<LinearOptions, 'bias'>) {
    const p = placeholderArguments([biasOrOptions, options]);
    super(1, outFeatures, ...(p.args as [boolean | LinearOptions, Omit<LinearOptions, 'bias'>]));
    this.#generator = p.generator;
    this.#allocate(0);
    markUninitialized(this.weight, this.bias);
  }

  /** Whether the layer still waits for its first input (PyTorch's `has_uninitialized_params`). */
  hasUninitializedParams(): boolean {
    return this.#pending;
  }

  /** Sizes the layer from `input` and draws its weights (PyTorch's `initialize_parameters`). */
  initializeParameters(input: Tensor): void {
    if (!this.#pending) return;
    this.#allocate(lastSize('LazyLinear', input));
    this.resetParameters(this.#generator);
    this.#pending = false;
  }

  [MATERIALIZE](state: Readonly<Record<string, Tensor>>, prefix: string): void {
    const w = state[`${prefix}weight`];
    if (!this.#pending || !(w instanceof Tensor) || w.ndim !== 2) return;
    this.#allocate(w.shape[1]!);
    this.#pending = false;
  }

  override forward(input: Tensor): Tensor {
    this.initializeParameters(input);
    become(this, Linear);
    return this.forward(input);
  }

  /** Fresh weight [out, inFeatures] (stored transposed, as Linear's) and bias, registered in their places. */
  #allocate(inFeatures: number): void {
    const out = this.outFeatures;
    const weight = new Tensor(allocStorage(inFeatures * out), [out, inFeatures], { strides: [1, out] });
    weight.exposed = false;
    const bias = this.bias === null ? null : this.registerParameter('bias', new Tensor(allocStorage(out), [out]));
    this.holdWeightAndBias(this.registerParameter('weight', weight), bias);
    (this as { inFeatures: number }).inFeatures = inFeatures;
  }
}
