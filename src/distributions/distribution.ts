// The base of Kindling's distributions, as PyTorch 1.13's torch.distributions.Distribution: batch and event shapes,
// sample/rsample with a sample shape in front, argument and value validation with PyTorch's messages, and printing.
import { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/creation.js';
import type { Constraint } from './constraints.js';

/** A parameter: a tensor, or a number (a 0-d tensor). */
export type Param = Tensor | number;

/** A Python-style repr of a float: 0.0, -1.0, 0.30000001192092896. */
const pyFloat = (v: number): string => (Number.isInteger(v) ? v.toFixed(1) : String(v));

/** `v` as a float32 tensor. */
export const asTensor = (v: Param): Tensor => (v instanceof Tensor ? v : tensor(v));

/** `t` expanded to `shape` (itself when it has that shape already). */
export const atShape = (t: Tensor, shape: readonly number[]): Tensor =>
  t.shape.length === shape.length && t.shape.every((s, i) => s === shape[i]) ? t : t.expand(shape);

/** Sums the rightmost `n` dimensions of `t` (PyTorch's _sum_rightmost; n ≤ 0: t itself). */
export const sumRightmost = (t: Tensor, n: number): Tensor => (n <= 0 ? t : t.reshape([...t.shape.slice(0, t.ndim - n), -1]).sum(-1));

export abstract class Distribution {
  constructor(readonly batchShape: number[], readonly eventShape: number[] = []) {}

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
    throw new Error(`${this.constructor.name}.expand is not implemented (PyTorch's NotImplementedError)`);
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

  /** PyTorch's check of a constructor argument against its constraint. */
  protected checkParam(name: string, t: Tensor, ok: (v: number) => boolean, constraint: string): void {
    const values = t.values();
    if (values.every((v) => ok(v))) return;
    throw new RangeError(`Expected parameter ${name} (Tensor of shape ${pyShape(t.shape)}) of distribution ${this.toString()} to satisfy the constraint ${constraint}, but found invalid values:\n${shown(t)}`);
  }

  /** PyTorch's check of a constructor argument against a constraint on the whole tensor (PositiveDefinite()). */
  protected checkParamWhole(name: string, t: Tensor, ok: boolean, constraint: string): void {
    if (ok) return;
    throw new RangeError(`Expected parameter ${name} (Tensor of shape ${pyShape(t.shape)}) of distribution ${this.toString()} to satisfy the constraint ${constraint}, but found invalid values:\n${shown(t)}`);
  }

  /** PyTorch's check of a value given to logProb or cdf against the support. */
  protected checkValue(value: Tensor, ok: (v: number) => boolean, support: string): void {
    this.checkValueMask(value, (t) => t.values().every(ok), support);
  }

  /** `checkValue` with a check of the whole value (a support that depends on the parameters, broadcast). */
  protected checkValueMask(value: Tensor, fine: (t: Tensor) => boolean, support: string): void {
    if (!(value instanceof Tensor)) throw new TypeError('The value argument to log_prob must be a Tensor');
    if (fine(value)) return;
    throw new RangeError(`Expected value argument (Tensor of shape ${pyShape(value.shape)}) to be within the support (${support}) of the distribution ${this.toString()}, but found invalid values:\n${shown(value)}`);
  }

  toString(): string {
    const args = this.params().map(([k, t]) => `${k}: ${t.numel() === 1 ? (t.ndim === 0 ? pyFloat(t.item()) : String(t)) : `torch.Size([${t.shape.join(', ')}])`}`);
    return `${this.constructor.name}(${args.join(', ')})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** PyTorch's shape tuple: (3,), (2, 3), (). */
const pyShape = (shape: readonly number[]): string => (shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`);
const shown = (t: Tensor): string => (t.ndim === 0 ? pyFloat(t.item()) : String(t));
