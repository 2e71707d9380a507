import { describeValue } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/**
 * A layer holding PyTorch's `weight` and `bias` parameters (`Linear`, `Conv2d`, `LayerNorm`, the BatchNorms): both
 * read and replaced under those names, as in PyTorch. Assigning takes an `nn.Parameter` (then the one `forward`,
 * `parameters()` and `stateDict()` all use) or null where the layer may have none (a bias always; a weight where
 * `W` allows null: the norms without their affine parameters); a plain tensor is a TypeError.
 */
export abstract class WeightAndBias<W extends Tensor | null> extends Module {
  #weight = null as W;
  /** Whether the weight or the bias is computed from other tensors before each forward pass (weightNorm, spectralNorm, prune). */
  readonly #computed = { weight: false, bias: false };
  #bias: Tensor | null = null;
  /** Tensors standing in for the weight or bias during `nn.utils.stateless.functionalCall`. */
  readonly #stand: { weight: Tensor | null; bias: Tensor | null } = { weight: null, bias: null };
  readonly #nullableWeight: boolean;

  /** `nullableWeight`: whether null may replace the weight (true exactly when `W` includes null). */
  protected constructor(nullableWeight: W extends null ? true : boolean) {
    super();
    this.#nullableWeight = nullableWeight;
  }

  /** The weight (see the layer for its shape), or null where the layer has none. */
  get weight(): W {
    return (this.#stand.weight ?? this.#weight) as W;
  }
  set weight(v: W) {
    // A reparametrized layer's weight is a tensor computed from its parameters (PyTorch's plain attribute).
    if (this.#computed.weight) {
      if (!(v instanceof Tensor)) throw new TypeError(`${this.constructor.name}.weight: the weight computed by its reparametrization must be a Tensor, got ${describeValue(v)}`);
      this.#weight = v;
      return;
    }
    this.#weight = this.assignParameter('weight', v, this.#nullableWeight) as W;
  }

  /** The bias, or null (none). */
  get bias(): Tensor | null {
    return this.#stand.bias ?? this.#bias;
  }
  set bias(v: Tensor | null) {
    if (this.#computed.bias) {
      if (!(v instanceof Tensor)) throw new TypeError(`${this.constructor.name}.bias: the bias computed by its reparametrization must be a Tensor, got ${describeValue(v)}`);
      this.#bias = v;
      return;
    }
    this.#bias = this.assignParameter('bias', v, true);
  }

  /**
   * Turns the parameter `name` (the weight unless told) into a tensor computed from `parameters` and `buffers`
   * (registered in that order, after the layer's others, as PyTorch registers them), or, with `restore`, back into
   * the parameter `restore` (registered last, as PyTorch's `setattr` does), removing `remove`. What
   * `nn.utils.weightNorm`, `spectralNorm` and `prune` do to a layer. @internal
   */
  static reparametrize(
    m: WeightAndBias<Tensor | null>,
    change: { name?: 'weight' | 'bias'; parameters?: Record<string, Tensor>; buffers?: Record<string, Tensor>; restore?: Tensor; remove?: readonly string[] },
  ): void {
    const name = change.name ?? 'weight';
    if (change.restore === undefined) {
      m.unregisterParameter(name);
      m.#computed[name] = true;
    }
    for (const n of change.remove ?? []) if (!m.unregisterParameter(n)) m.unregisterBuffer(n);
    for (const [n, t] of Object.entries(change.parameters ?? {})) m.makeParameter(n, t);
    for (const [n, t] of Object.entries(change.buffers ?? {})) m.registerBuffer(n, t);
    if (change.restore !== undefined) {
      m.#computed[name] = false;
      const t = m.makeParameter(name, change.restore);
      if (name === 'weight') m.#weight = t;
      else m.#bias = t;
    }
  }

  /** Whether the weight (or `name`; without either, the weight or the bias) is computed by a reparametrization. @internal */
  static isReparametrized(m: WeightAndBias<Tensor | null>, name?: 'weight' | 'bias'): boolean {
    return name === undefined ? m.#computed.weight || m.#computed.bias : m.#computed[name];
  }

  /**
   * Makes `t` stand in for the weight or bias (what `forward` reads) until called again with null, leaving the
   * parameters as they are: `nn.utils.stateless.functionalCall`. @internal
   */
  static standIn(m: WeightAndBias<Tensor | null>, name: 'weight' | 'bias', t: Tensor | null): void {
    m.#stand[name] = t;
  }

  /** Keeps the parameters the layer's constructor registered (the weight first, as PyTorch registers them). */
  protected holdWeightAndBias(weight: W, bias: Tensor | null): void {
    this.#weight = weight;
    this.#bias = bias;
  }
}
