// The base of Kindling's distributions, as PyTorch 1.13's torch.distributions.Distribution: batch and event shapes,
// sample/rsample with a sample shape in front, argument and value validation with PyTorch's messages, and printing.
import { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/creation.js';
import type { Constraint } from './constraints.js';

/** A parameter: a tensor, or a number (a 0-d tensor). */
export type Param = Tensor | number;

/** A Python-style repr of a float: 0.0, -1.0, 0.30000001192092896. */
const pyFloat = (v: number): string => (Number.isNaN(v) ? 'nan' : !Number.isFinite(v) ? (v > 0 ? 'inf' : '-inf') : Number.isInteger(v) ? v.toFixed(1) : String(v));

/** `v` as a float32 tensor. */
export const asTensor = (v: Param): Tensor => (v instanceof Tensor ? v : tensor(v));

/** `t` expanded to `shape` (itself when it has that shape already). */
export const atShape = (t: Tensor, shape: readonly number[]): Tensor =>
  t.shape.length === shape.length && t.shape.every((s, i) => s === shape[i]) ? t : t.expand(shape);

/** Sums the rightmost `n` dimensions of `t` (PyTorch's _sum_rightmost; n ≤ 0: t itself). */
export const sumRightmost = (t: Tensor, n: number): Tensor => (n <= 0 ? t : t.reshape([...t.shape.slice(0, t.ndim - n), -1]).sum(-1));

/** What every distribution's constructor takes besides its parameters. */
export interface DistributionOptions {
  /**
   * Whether the parameters, and the values given to logProb, cdf …, are checked against their constraints (PyTorch's
   * validate_args; default true). With false nothing is checked: an invalid value gives what the formulas give (NaN).
   */
  validateArgs?: boolean;
}

/** How a value that is not a tensor is named in a message. */
const described = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'number' ? `the number ${v}` : `a ${typeof v}`);

export abstract class Distribution {
  #validateArgs: boolean;

  constructor(readonly batchShape: number[], readonly eventShape: number[] = [], options: DistributionOptions = {}) {
    this.#validateArgs = options.validateArgs !== false;
  }

  /** Whether arguments and values are checked (PyTorch's `_validate_args`). */
  get validateArgs(): boolean { return this.#validateArgs; }

  /** `d` (an expanded copy of this one) checking values as this one does (PyTorch's `new._validate_args = self._validate_args`). */
  protected keepValidation<T extends Distribution>(d: T): T {
    d.#validateArgs = this.#validateArgs;
    return d;
  }

  /** PyTorch's NotImplementedError for a member a distribution does not have. */
  protected notImplemented(member: string): Error {
    return new Error(`${this.constructor.name} does not implement ${member} (PyTorch's NotImplementedError)`);
  }

  /** The mean (PyTorch's NotImplementedError where the distribution has none). */
  get mean(): Tensor { throw this.notImplemented('mean'); }
  /** The mode (PyTorch's NotImplementedError where the distribution has none). */
  get mode(): Tensor { throw this.notImplemented('mode'); }
  /** The variance (PyTorch's NotImplementedError where the distribution has none). */
  get variance(): Tensor { throw this.notImplemented('variance'); }
  /** The standard deviation: the variance's square root unless the distribution has its own (PyTorch's `stddev`). */
  get stddev(): Tensor { return this.variance.sqrt(); }
  /** The entropy (PyTorch's NotImplementedError where the distribution has none). */
  entropy(): Tensor { throw this.notImplemented('entropy'); }
  /** exp(entropy) (PyTorch's `perplexity`). */
  perplexity(): Tensor { return this.entropy().exp(); }

  /** The cumulative distribution function at `value` (PyTorch's NotImplementedError where the distribution has none). */
  cdf(value: Tensor): Tensor {
    void value;
    throw this.notImplemented('cdf');
  }

  /** The inverse cdf at `value` (PyTorch's NotImplementedError where the distribution has none). */
  icdf(value: Tensor): Tensor {
    void value;
    throw this.notImplemented('icdf');
  }

  /** A reparameterized sample: gradients flow to the parameters (PyTorch's NotImplementedError where there is none). */
  rsample(sampleShape?: readonly number[]): Tensor {
    void sampleShape;
    throw this.notImplemented('rsample');
  }

  /** The parameters to print and check, in PyTorch's order. */
  protected abstract params(): [string, Tensor][];

  /** Draws a sample of shape [...sampleShape, ...batchShape, ...eventShape], without gradient. */
  abstract sample(sampleShape?: readonly number[]): Tensor;

  /** The log of the probability (density) of `value`. */
  abstract logProb(value: Tensor): Tensor;

  /**
   * The same distribution with batch shape `batchShape`, its parameters expanded to it (views: no copy, gradients
   * flow back to the originals), as PyTorch's `expand`; the new one is not validated again.
   */
  expand(batchShape: readonly number[]): Distribution {
    void batchShape;
    throw new Error(`${this.constructor.name}.expand is not implemented in Kindling`);
  }

  /** The constraint the values live in (PyTorch's `support`; built from the parameters where it depends on them). */
  get support(): Constraint {
    throw new Error(`${this.constructor.name}.support is not implemented (PyTorch's NotImplementedError)`);
  }

  /** The constraints of the parameters, by Kindling's (camelCase) names (PyTorch's `arg_constraints`). */
  get argConstraints(): Record<string, Constraint> {
    throw new Error(`${this.constructor.name}.argConstraints is not implemented (PyTorch's NotImplementedError)`);
  }

  /** Whether `rsample` draws reparameterized samples (PyTorch's `has_rsample`). */
  get hasRsample(): boolean { return false; }

  /** Whether the support can be enumerated (PyTorch's `has_enumerate_support`). */
  get hasEnumerateSupport(): boolean { return false; }

  /**
   * Every value of a discrete support, along a new first dimension: [n, ...batchShape, ...eventShape] with `expand`
   * (the default, views), else [n, 1, …, 1, ...eventShape] (PyTorch's `enumerate_support`).
   */
  enumerateSupport(expand = true): Tensor {
    void expand;
    throw new Error(`${this.constructor.name}.enumerateSupport is not implemented (PyTorch's NotImplementedError)`);
  }

  /** The values `values` (one per row of its first dimension) as enumerateSupport gives them: over the batch, or with ones. */
  protected enumerated(values: Tensor, expand: boolean): Tensor {
    const event = values.shape.slice(1);
    const n = values.shape[0]!;
    const shaped = values.reshape([n, ...this.batchShape.map(() => 1), ...event]);
    return expand ? shaped.expand([n, ...this.batchShape, ...event]) : shaped;
  }

  /** The shape of a sample for `sampleShape`. */
  protected extendedShape(sampleShape: readonly number[] = []): number[] {
    return [...sampleShape, ...this.batchShape, ...this.eventShape];
  }

  /**
   * PyTorch's check of `value` against the support (`this.support`), as its _validate_sample: what TransformedDistribution
   * asks of its base in cdf. @internal
   */
  validateSample(value: Tensor, method = 'logProb'): void {
    this.checkTensor(value, method);
    if (!this.#validateArgs) return;
    const support = this.support;
    this.checkValueMask(value, (v) => support.whole(v), support.name, method);
  }

  /** PyTorch's check of a constructor argument against its constraint (none with validateArgs false). */
  protected checkParam(name: string, t: Tensor, ok: (v: number) => boolean, constraint: string): void {
    if (!this.#validateArgs) return;
    const values = t.values();
    if (values.every((v) => ok(v))) return;
    throw new RangeError(`Expected parameter ${name} (Tensor of shape ${pyShape(t.shape)}) of distribution ${this.toString()} to satisfy the constraint ${constraint}, but found invalid values:\n${shown(t)}`);
  }

  /** PyTorch's check of a constructor argument against a constraint on the whole tensor (PositiveDefinite()). */
  protected checkParamWhole(name: string, t: Tensor, ok: boolean, constraint: string): void {
    if (ok || !this.#validateArgs) return;
    throw new RangeError(`Expected parameter ${name} (Tensor of shape ${pyShape(t.shape)}) of distribution ${this.toString()} to satisfy the constraint ${constraint}, but found invalid values:\n${shown(t)}`);
  }

  /** Refuses a value given to `method` that is not a tensor (checked whether or not arguments are validated). */
  protected checkTensor(value: unknown, method: string): asserts value is Tensor {
    if (!(value instanceof Tensor)) throw new TypeError(`The value argument to ${this.constructor.name}.${method} must be a Tensor, got ${described(value)}`);
  }

  /** PyTorch's check of a value given to logProb or cdf (`method`) against the support (none with validateArgs false). */
  protected checkValue(value: Tensor, ok: (v: number) => boolean, support: string, method = 'logProb'): void {
    this.checkValueMask(value, (t) => t.values().every(ok), support, method);
  }

  /** `checkValue` with a check of the whole value (a support that depends on the parameters, broadcast). */
  protected checkValueMask(value: Tensor, fine: (t: Tensor) => boolean, support: string, method = 'logProb'): void {
    this.checkTensor(value, method);
    if (!this.#validateArgs) return;
    this.checkValueShape(value);
    if (fine(value)) return;
    throw new RangeError(`Expected value argument (Tensor of shape ${pyShape(value.shape)}) to be within the support (${support}) of the distribution ${this.toString()}, but found invalid values:\n${shown(value)}`);
  }

  /**
   * PyTorch's check of a value's shape in _validate_sample: its rightmost sizes are the event shape, and it broadcasts
   * with batchShape + eventShape (sizes of 1 on either side, or missing in front, are fine).
   */
  private checkValueShape(value: Tensor): void {
    const expected = [...this.batchShape, ...this.eventShape];
    const trailing = value.shape.slice(value.ndim - this.eventShape.length);
    if (trailing.length !== this.eventShape.length || trailing.some((s, i) => s !== this.eventShape[i])) {
      throw new RangeError(`The right-most size of value must match event_shape: ${torchSize(value.shape)} vs ${torchSize(this.eventShape)}.`);
    }
    for (let i = 1; i <= Math.min(value.ndim, expected.length); i++) {
      const a = value.shape[value.ndim - i]!;
      const b = expected[expected.length - i]!;
      if (a !== 1 && b !== 1 && a !== b) throw new RangeError(`Value is not broadcastable with batch_shape+event_shape: ${torchSize(value.shape)} vs ${torchSize(expected)}.`);
    }
  }

  toString(): string {
    const args = this.params().map(([k, t]) => `${k}: ${t.numel() === 1 ? (t.ndim === 0 ? pyFloat(t.item()) : String(t)) : torchSize(t.shape)}`);
    return `${this.constructor.name}(${args.join(', ')})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** PyTorch's torch.Size([2, 3]). */
const torchSize = (shape: readonly number[]): string => `torch.Size([${shape.join(', ')}])`;
/** PyTorch's shape tuple: (3,), (2, 3), (). */
export const pyShape = (shape: readonly number[]): string => (shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`);
const shown = (t: Tensor): string => (t.ndim === 0 ? pyFloat(t.item()) : String(t));
