// Invertible transforms of random variables, as PyTorch 1.13's torch.distributions.transforms: ExpTransform,
// AffineTransform (with its event dimensions), TanhTransform, SigmoidTransform (clipped to (tiny, 1 − ε)),
// PowerTransform and AbsTransform, each with PyTorch's forward map, inverse, log |det J| and sign, an `inv` that is
// the inverse transform, and PyTorch's one-entry cache (cacheSize 1: the inverse of the last output is its input,
// exactly — what a tanh-squashed policy needs to score its own samples).
import { softplus } from '../ops/activations-more.js';
import { full } from '../tensor/creation.js';
import { broadcastShapes } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

const TINY = 1.1754943508222875e-38;
const EPS = 2 ** -23;

/**
 * A transform's codomain as PyTorch's constraint: its name, a check of one value, and for constraints on whole events
 * (the simplex, Cholesky factors) a check of a whole tensor.
 */
export interface Constraint {
  name: string;
  ok: (v: number) => boolean;
  whole?: (t: Tensor) => boolean;
}

export abstract class Transform {
  readonly cacheSize: 0 | 1;
  #cached: [Tensor, Tensor] | null = null;
  #inv: InverseTransform | null = null;
  /** Whether the map is one to one (AbsTransform's is not). */
  readonly bijective: boolean = true;

  constructor(cacheSize: 0 | 1 = 0) {
    if (cacheSize !== 0 && cacheSize !== 1) throw new RangeError('cache_size must be 0 or 1');
    this.cacheSize = cacheSize;
  }

  /** The event dimensions the map acts on together (0: elementwise). */
  get domainEventDim(): number { return 0; }
  get codomainEventDim(): number { return 0; }

  /** The shape of T(x) for an x of shape `shape` (PyTorch's forward_shape). */
  forwardShape(shape: readonly number[]): number[] { return [...shape]; }
  /** The shape of T⁻¹(y) for a y of shape `shape` (PyTorch's inverse_shape). */
  inverseShape(shape: readonly number[]): number[] { return [...shape]; }

  /** The sign of the Jacobian's determinant: +1, −1, or a tensor of them. */
  abstract get sign(): number | Tensor;

  /** y = T(x) (PyTorch's `t(x)`), from the cache when x is the last input. */
  forward(x: Tensor): Tensor {
    if (this.cacheSize === 0) return this.call(x);
    if (this.#cached !== null && this.#cached[0] === x) return this.#cached[1];
    const y = this.call(x);
    this.#cached = [x, y];
    return y;
  }

  /** x = T⁻¹(y), from the cache when y is the last output. */
  inverse(y: Tensor): Tensor {
    if (this.cacheSize === 0) return this.invert(y);
    if (this.#cached !== null && this.#cached[1] === y) return this.#cached[0];
    const x = this.invert(y);
    this.#cached = [x, y];
    return x;
  }

  /** The inverse transform (`t.inv.inv` is `t`). */
  get inv(): Transform {
    return (this.#inv ??= new InverseTransform(this));
  }

  /** log |dy/dx| elementwise (summed over the event dimensions of an AffineTransform with eventDim). */
  abstract logAbsDetJacobian(x: Tensor, y: Tensor): Tensor;

  /** Whether `v` is inside the codomain, and the codomain's name in PyTorch's constraint form. */
  abstract codomain(): Constraint;

  /** Whether `other` is the same map (PyTorch's __eq__). */
  equals(other: Transform): boolean {
    return other === this;
  }

  protected abstract call(x: Tensor): Tensor;
  protected abstract invert(y: Tensor): Tensor;

  toString(): string {
    return `${this.constructor.name}()`;
  }
}

/** The inverse of a transform: forward and inverse swapped, the log-Jacobian negated (PyTorch's _InverseTransform). @internal */
export class InverseTransform extends Transform {
  constructor(readonly base: Transform) {
    super(base.cacheSize);
  }

  override get domainEventDim(): number { return this.base.codomainEventDim; }
  override get codomainEventDim(): number { return this.base.domainEventDim; }
  get sign(): number | Tensor { return this.base.sign; }
  override get inv(): Transform { return this.base; }
  override forwardShape(shape: readonly number[]): number[] { return this.base.inverseShape(shape); }
  override inverseShape(shape: readonly number[]): number[] { return this.base.forwardShape(shape); }
  protected call(x: Tensor): Tensor { return this.base.inverse(x); }
  protected invert(y: Tensor): Tensor { return this.base.forward(y); }
  logAbsDetJacobian(x: Tensor, y: Tensor): Tensor { return this.base.logAbsDetJacobian(y, x).neg(); }
  codomain(): Constraint { return { name: 'Real()', ok: (v) => !Number.isNaN(v) }; }
  override equals(other: Transform): boolean { return other instanceof InverseTransform && this.base.equals(other.base); }
  override toString(): string { return `_InverseTransform(${this.base.toString()})`; }
}

export class ExpTransform extends Transform {
  get sign(): number { return 1; }
  protected call(x: Tensor): Tensor { return x.exp(); }
  protected invert(y: Tensor): Tensor { return y.log(); }
  logAbsDetJacobian(x: Tensor): Tensor { return x; }
  codomain(): Constraint { return { name: 'GreaterThan(lower_bound=0.0)', ok: (v) => v > 0 }; }
  override equals(other: Transform): boolean { return other instanceof ExpTransform; }
}

export class TanhTransform extends Transform {
  get sign(): number { return 1; }
  protected call(x: Tensor): Tensor { return x.tanh(); }
  protected invert(y: Tensor): Tensor { return y.atanh(); }
  /** 2·(log 2 − x − softplus(−2x)). */
  logAbsDetJacobian(x: Tensor): Tensor { return x.neg().add(Math.log(2)).sub(softplus(x.mul(-2))).mul(2); }
  codomain(): Constraint { return { name: 'Interval(lower_bound=-1.0, upper_bound=1.0)', ok: (v) => v >= -1 && v <= 1 }; }
  override equals(other: Transform): boolean { return other instanceof TanhTransform; }
}

export class SigmoidTransform extends Transform {
  get sign(): number { return 1; }
  protected call(x: Tensor): Tensor { return x.sigmoid().clamp(TINY, 1 - EPS); }
  protected invert(y: Tensor): Tensor {
    const c = y.clamp(TINY, 1 - EPS);
    return c.log().sub(c.neg().log1p());
  }
  /** −softplus(−x) − softplus(x). */
  logAbsDetJacobian(x: Tensor): Tensor { return softplus(x.neg()).neg().sub(softplus(x)); }
  codomain(): Constraint { return { name: 'Interval(lower_bound=0.0, upper_bound=1.0)', ok: (v) => v >= 0 && v <= 1 }; }
  override equals(other: Transform): boolean { return other instanceof SigmoidTransform; }
}

export class AbsTransform extends Transform {
  override readonly bijective = false;
  get sign(): number { throw new Error('AbsTransform has no sign: it is not bijective'); }
  protected call(x: Tensor): Tensor { return x.abs(); }
  protected invert(y: Tensor): Tensor { return y; }
  logAbsDetJacobian(): Tensor { throw new Error('AbsTransform has no log |det J|: it is not bijective (PyTorch\'s NotImplementedError)'); }
  codomain(): Constraint { return { name: 'GreaterThan(lower_bound=0.0)', ok: (v) => v > 0 }; }
  override equals(other: Transform): boolean { return other instanceof AbsTransform; }
}

export class PowerTransform extends Transform {
  readonly exponent: Tensor;

  constructor(exponent: Tensor | number, cacheSize: 0 | 1 = 0) {
    super(cacheSize);
    this.exponent = exponent instanceof Tensor ? exponent : new Tensor(new Float32Array([exponent]), []);
  }

  get sign(): number { return 1; }
  /** The shape broadcast with the exponent's (PyTorch's forward_shape). */
  override forwardShape(shape: readonly number[]): number[] { return broadcastShapes(shape, this.exponent.shape, 'PowerTransform'); }
  override inverseShape(shape: readonly number[]): number[] { return broadcastShapes(shape, this.exponent.shape, 'PowerTransform'); }
  protected call(x: Tensor): Tensor { return x.pow(this.exponent); }
  protected invert(y: Tensor): Tensor { return y.pow(this.exponent.reciprocal()); }
  /** log |exponent·y / x|. */
  logAbsDetJacobian(x: Tensor, y: Tensor): Tensor { return this.exponent.mul(y).div(x).abs().log(); }
  codomain(): Constraint { return { name: 'GreaterThan(lower_bound=0.0)', ok: (v) => v > 0 }; }
  override equals(other: Transform): boolean {
    return other instanceof PowerTransform && this.exponent.eq(other.exponent).values().every((v) => v !== 0);
  }
}

export class AffineTransform extends Transform {
  readonly loc: Tensor | number;
  readonly scale: Tensor | number;
  readonly eventDim: number;

  constructor(loc: Tensor | number, scale: Tensor | number, eventDim = 0, cacheSize: 0 | 1 = 0) {
    super(cacheSize);
    this.loc = loc;
    this.scale = scale;
    this.eventDim = eventDim;
  }

  override get domainEventDim(): number { return this.eventDim; }
  override get codomainEventDim(): number { return this.eventDim; }

  /** The shape broadcast with loc's and scale's (PyTorch's forward_shape; a number has shape []). */
  override forwardShape(shape: readonly number[]): number[] {
    const of = (p: Tensor | number): readonly number[] => (p instanceof Tensor ? p.shape : []);
    return broadcastShapes(broadcastShapes(shape, of(this.loc), 'AffineTransform'), of(this.scale), 'AffineTransform');
  }
  override inverseShape(shape: readonly number[]): number[] { return this.forwardShape(shape); }

  get sign(): number | Tensor {
    return typeof this.scale === 'number' ? (this.scale > 0 ? 1 : this.scale < 0 ? -1 : 0) : this.scale.sign();
  }

  protected call(x: Tensor): Tensor {
    const scaled = typeof this.scale === 'number' ? x.mul(this.scale) : this.scale.mul(x);
    return typeof this.loc === 'number' ? scaled.add(this.loc) : this.loc.add(scaled);
  }

  protected invert(y: Tensor): Tensor {
    return y.sub(this.loc).div(this.scale);
  }

  logAbsDetJacobian(x: Tensor): Tensor {
    let result = typeof this.scale === 'number' ? full(x.shape, Math.log(Math.abs(this.scale))) : this.scale.abs().log();
    if (this.eventDim > 0) {
      result = result.reshape([...result.shape.slice(0, result.ndim - this.eventDim), -1]).sum(-1);
      return result.expand(x.shape.slice(0, x.ndim - this.eventDim));
    }
    return result.expand(x.shape);
  }

  codomain(): Constraint { return { name: 'Real()', ok: (v) => !Number.isNaN(v) }; }

  override equals(other: Transform): boolean {
    if (!(other instanceof AffineTransform)) return false;
    const same = (a: Tensor | number, b: Tensor | number): boolean =>
      typeof a === 'number' && typeof b === 'number' ? a === b : (a instanceof Tensor ? a : new Tensor(new Float32Array([a]), [])).eq(b).values().every((v) => v !== 0);
    return same(this.loc, other.loc) && same(this.scale, other.scale);
  }
}
