// The regions a distribution's parameters and values live in, as PyTorch 1.13's torch.distributions.constraints:
// `constraints.positive.check(x)` is 1 where x is valid and 0 elsewhere (one verdict per event: the rightmost
// `eventDim` dimensions together), printed as PyTorch prints them, with PyTorch's names in camelCase (`unitInterval`,
// `lowerCholesky`, `greaterThan(lb)` …). `transformTo` and `bijectTo` (constraint-registry.ts) map each to a transform
// from unconstrained reals.
import { broadcastShapes } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { corrCholeskyCheck, lowerCholeskyCheck, positiveDefiniteCheck, symmetricCheck } from './matrix-constraints.js';

/** A number as Python prints a float: 0.0, 1.5, 0.30000001192092896. */
const pyFloat = (v: number): string => (Number.isNaN(v) ? 'nan' : !Number.isFinite(v) ? (v > 0 ? 'inf' : '-inf') : Number.isInteger(v) ? v.toFixed(1) : String(v));

/**
 * A bound as PyTorch prints it: a number as a Python float, a 0-d tensor as its value (Tensor.__format__ of a 0-d
 * tensor is its item's), any other tensor as the tensor.
 */
const bound = (v: number | Tensor): string => (v instanceof Tensor ? (v.ndim === 0 ? pyFloat(v.item()) : String(v)) : pyFloat(v));

/** The verdicts of `test` on each element of `value`, as a tensor of 1s and 0s of value's shape. */
function each(value: Tensor, test: (v: number, i: number) => boolean): Tensor {
  const v = value.values();
  return new Tensor(Float32Array.from(v, (e, i) => (test(e, i) ? 1 : 0)), value.shape);
}

/**
 * `value` broadcast with the bounds that are tensors (PyTorch's comparisons broadcast: a bound larger than the value
 * gives verdicts of the bound's shape), and each bound read at an element of that shape (a number repeated).
 */
function withBounds(value: Tensor, ...bounds: (number | Tensor)[]): [Tensor, ...((i: number) => number)[]] {
  let shape: number[] = [...value.shape];
  for (const b of bounds) if (b instanceof Tensor) shape = broadcastShapes(shape, b.shape, 'constraint check');
  const readers = bounds.map((b) => {
    if (!(b instanceof Tensor)) return () => b;
    const bv = b.expand(shape).contiguous().values();
    return (i: number) => bv[i]!;
  });
  return [value.expand(shape), ...readers];
}

/** Per-matrix verdicts (the last two dimensions) as a tensor of the batch shape. */
const perMatrix = (value: Tensor, verdicts: boolean[]): Tensor => new Tensor(Float32Array.from(verdicts, (b) => (b ? 1 : 0)), value.shape.slice(0, -2));

/** Which of PyTorch's constraint classes a constraint is (what `transformTo` and `bijectTo` dispatch on), and its arguments. */
export interface ConstraintKind {
  kind: string;
  lowerBound?: number | Tensor;
  upperBound?: number | Tensor;
  base?: Constraint;
  reinterpretedBatchNdims?: number;
}

export class Constraint {
  constructor(
    readonly name: string,
    readonly eventDim: number,
    readonly isDiscrete: boolean,
    private readonly test: (value: Tensor) => Tensor,
    readonly kind: ConstraintKind = { kind: name.slice(0, name.indexOf('(')) },
  ) {}

  /** 1 where an event of `value` satisfies the constraint, 0 elsewhere; the rightmost `eventDim` dimensions are one event. */
  check(value: Tensor): Tensor {
    if (!(value instanceof Tensor)) throw new TypeError(`${this.name}.check: the value must be a Tensor`);
    return this.test(value);
  }

  /** Whether one element is valid (the element test of an elementwise constraint; NaN is not). @internal */
  ok(v: number): boolean {
    return this.check(new Tensor(new Float32Array([v]), [])).item() !== 0;
  }

  /** Whether every event of `value` is valid. @internal */
  whole(value: Tensor): boolean {
    return this.check(value).values().every((v) => v !== 0);
  }

  /**
   * The same constraint printed as `name` (PyTorch prints a bound given as a Python int without the `.0`:
   * `GreaterThanEq(lower_bound=0)`, which a JS number cannot tell apart). @internal
   */
  renamed(name: string): Constraint {
    return new Constraint(name, this.eventDim, this.isDiscrete, this.test, this.kind);
  }

  toString(): string {
    return this.name;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.name;
  }
}

const elementwise = (name: string, discrete: boolean, test: (v: number) => boolean): Constraint => new Constraint(name, 0, discrete, (x) => each(x, test));

export const real = elementwise('Real()', false, (v) => v === v);
export const boolean = elementwise('Boolean()', true, (v) => v === 0 || v === 1);
export const positive = greaterThan(0);
export const nonnegative = greaterThanEq(0);
export const unitInterval = interval(0, 1);
export const nonnegativeInteger = integerGreaterThan(0);
export const positiveInteger = integerGreaterThan(1);

/** Values above `lowerBound` (a number, or a tensor broadcast with the value). */
export function greaterThan(lowerBound: number | Tensor): Constraint {
  return new Constraint(`GreaterThan(lower_bound=${bound(lowerBound)})`, 0, false, (x) => {
    const [v, lb] = withBounds(x, lowerBound);
    return each(v, (e, i) => lb!(i) < e);
  }, { kind: 'GreaterThan', lowerBound });
}

/** Values at or above `lowerBound`. */
export function greaterThanEq(lowerBound: number | Tensor): Constraint {
  return new Constraint(`GreaterThanEq(lower_bound=${bound(lowerBound)})`, 0, false, (x) => {
    const [v, lb] = withBounds(x, lowerBound);
    return each(v, (e, i) => lb!(i) <= e);
  }, { kind: 'GreaterThanEq', lowerBound });
}

/** Values below `upperBound`. */
export function lessThan(upperBound: number | Tensor): Constraint {
  return new Constraint(`LessThan(upper_bound=${bound(upperBound)})`, 0, false, (x) => {
    const [v, ub] = withBounds(x, upperBound);
    return each(v, (e, i) => e < ub!(i));
  }, { kind: 'LessThan', upperBound });
}

/** Values in [lowerBound, upperBound]. */
export function interval(lowerBound: number | Tensor, upperBound: number | Tensor): Constraint {
  return new Constraint(`Interval(lower_bound=${bound(lowerBound)}, upper_bound=${bound(upperBound)})`, 0, false, (x) => {
    const [v, lb, ub] = withBounds(x, lowerBound, upperBound);
    return each(v, (e, i) => lb!(i) <= e && e <= ub!(i));
  }, { kind: 'Interval', lowerBound, upperBound });
}

/** Values in [lowerBound, upperBound). */
export function halfOpenInterval(lowerBound: number | Tensor, upperBound: number | Tensor): Constraint {
  return new Constraint(`HalfOpenInterval(lower_bound=${bound(lowerBound)}, upper_bound=${bound(upperBound)})`, 0, false, (x) => {
    const [v, lb, ub] = withBounds(x, lowerBound, upperBound);
    return each(v, (e, i) => lb!(i) <= e && e < ub!(i));
  }, { kind: 'HalfOpenInterval', lowerBound, upperBound });
}

/** Whole numbers from `lowerBound` to `upperBound`. */
export function integerInterval(lowerBound: number, upperBound: number | Tensor): Constraint {
  return new Constraint(`IntegerInterval(lower_bound=${lowerBound}, upper_bound=${upperBound instanceof Tensor ? bound(upperBound) : upperBound})`, 0, true, (x) => {
    const [v, ub] = withBounds(x, upperBound);
    return each(v, (e, i) => e % 1 === 0 && lowerBound <= e && e <= ub!(i));
  });
}

/** Whole numbers at or above `lowerBound`. */
export function integerGreaterThan(lowerBound: number): Constraint {
  return new Constraint(`IntegerGreaterThan(lower_bound=${lowerBound})`, 0, true, (x) => each(x, (v) => v % 1 === 0 && v >= lowerBound));
}

/** `base` over `reinterpretedBatchNdims` more rightmost dimensions: an event is valid when all its entries are. */
export function independent(base: Constraint, reinterpretedBatchNdims: number): Constraint {
  return new Constraint(`IndependentConstraint(${base.name}, ${reinterpretedBatchNdims})`, base.eventDim + reinterpretedBatchNdims, base.isDiscrete, (x) => {
    const r = base.check(x);
    if (r.ndim < reinterpretedBatchNdims) throw new RangeError(`Expected value.dim() >= ${base.eventDim + reinterpretedBatchNdims} but got ${x.ndim}`);
    if (reinterpretedBatchNdims === 0) return r;
    return r.reshape([...r.shape.slice(0, r.ndim - reinterpretedBatchNdims), -1]).amin(-1);
  }, { kind: 'IndependentConstraint', base, reinterpretedBatchNdims });
}

export const realVector = independent(real, 1);

/** Non-negative vectors summing to 1 (within 1e-6) along the last dimension. */
export const simplex = new Constraint('Simplex()', 1, false, (x) => {
  const nonneg = each(x, (v) => v >= 0).amin(-1);
  return nonneg.mul(each(x.sum(-1).sub(1).abs(), (d) => d < 1e-6));
});

/** One-hot vectors (0s and 1s summing to 1). */
export const oneHot = new Constraint('OneHot()', 1, true, (x) => each(x, (v) => v === 0 || v === 1).amin(-1).mul(each(x.sum(-1), (s) => s === 1)));

/** Count vectors of at most `upperBound` in all (PyTorch's constraints.multinomial; printed, as PyTorch's, `Multinomial()`). */
export function multinomial(upperBound: number): Constraint {
  return new Constraint('Multinomial()', 1, true, (x) => each(x, (v) => v >= 0).amin(-1).mul(each(x.sum(-1), (s) => s <= upperBound)));
}

/** Lower-triangular matrices. */
export const lowerTriangular = new Constraint('LowerTriangular()', 2, false, (x) => x.tril().eq(x).reshape([...x.shape.slice(0, -2), -1]).amin(-1));
/** Lower-triangular matrices with a positive diagonal. */
export const lowerCholesky = new Constraint('LowerCholesky()', 2, false, (x) => perMatrix(x, lowerCholeskyCheck(x)));
/** Cholesky factors of correlation matrices: lower Cholesky with rows of unit norm. */
export const corrCholesky = new Constraint('CorrCholesky()', 2, false, (x) => perMatrix(x, corrCholeskyCheck(x)));
/** Square matrices. */
export const square = new Constraint('Square()', 2, false, (x) => perMatrix(x, Array.from({ length: x.numel() / Math.max(1, x.shape[x.ndim - 1]! * x.shape[x.ndim - 2]!) }, () => x.shape[x.ndim - 1] === x.shape[x.ndim - 2])));
/** Symmetric matrices (within PyTorch's isclose, atol 1e-6). */
export const symmetric = new Constraint('Symmetric()', 2, false, (x) => perMatrix(x, symmetricCheck(x)));
/** Symmetric positive-definite matrices (PyTorch's float32 Cholesky succeeds). */
export const positiveDefinite = new Constraint('PositiveDefinite()', 2, false, (x) => perMatrix(x, positiveDefiniteCheck(x)));

/** A parameter or support that depends on others and is checked elsewhere (PyTorch's constraints.dependent). */
export const dependent = new Constraint('Dependent()', 0, false, () => {
  throw new Error('Cannot determine validity of dependent constraint');
});
