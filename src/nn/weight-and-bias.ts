import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/**
 * A layer holding PyTorch's `weight` and `bias` parameters (`Linear`, `Conv2d`, `LayerNorm`, the BatchNorms): both
 * read and replaced under those names, as in PyTorch. Assigning takes an `nn.Parameter` (then the one `forward`,
 * `parameters()` and `stateDict()` all use) or null where the layer may have none (a bias always; a weight where
 * `W` allows null: the norms without their affine parameters); a plain tensor is a TypeError.
 */
export abstract class WeightAndBias<W extends Tensor | null> extends Module {
  #weight = null as W;
  #bias: Tensor | null = null;
  readonly #nullableWeight: boolean;

  /** `nullableWeight`: whether null may replace the weight (true exactly when `W` includes null). */
  protected constructor(nullableWeight: W extends null ? true : boolean) {
    super();
    this.#nullableWeight = nullableWeight;
  }

  /** The weight (see the layer for its shape), or null where the layer has none. */
  get weight(): W {
    return this.#weight;
  }
  set weight(v: W) {
    this.#weight = this.assignParameter('weight', v, this.#nullableWeight) as W;
  }

  /** The bias, or null (none). */
  get bias(): Tensor | null {
    return this.#bias;
  }
  set bias(v: Tensor | null) {
    this.#bias = this.assignParameter('bias', v, true);
  }

  /** Keeps the parameters the layer's constructor registered (the weight first, as PyTorch registers them). */
  protected holdWeightAndBias(weight: W, bias: Tensor | null): void {
    this.#weight = weight;
    this.#bias = bias;
  }
}
