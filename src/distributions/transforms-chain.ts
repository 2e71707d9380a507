// Transforms made of others, as PyTorch 1.13's: ComposeTransform (a chain; its inverse the chain of inverses
// reversed, its log |det J| the parts' summed over PyTorch's event dimensions), IndependentTransform (extra event
// dimensions), ReshapeTransform (the event's shape), CatTransform and StackTransform (a transform per slice along a
// dimension), and CumulativeDistributionTransform (a distribution's cdf).
import { cat, stack } from '../ops/join.js';
import { zeros, zerosLike } from '../tensor/creation.js';
import { formatShape, numel, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { sumRightmost } from './distribution.js';
import { type Constraint, Transform } from './transforms.js';

const REAL: Constraint = { name: 'Real()', ok: (v) => !Number.isNaN(v) };

/** `c` over `n` more event dimensions (PyTorch's constraints.independent): the same checks, a longer name. */
const independent = (c: Constraint, n: number): Constraint => (n <= 0 ? c : { ...c, name: `IndependentConstraint(${c.name}, ${n})` });

const product = (signs: readonly (number | Tensor)[]): number | Tensor =>
  signs.reduce<number | Tensor>((a, s) => (typeof a === 'number' && typeof s === 'number' ? a * s : (s instanceof Tensor ? s : new Tensor(new Float32Array([s]), [])).mul(a)), 1);

/** Transforms applied one after another: `new ComposeTransform([t1, t2])` is x ↦ t2(t1(x)). */
export class ComposeTransform extends Transform {
  readonly parts: readonly Transform[];
  override readonly bijective: boolean;
  #inverse: ComposeTransform | null = null;

  constructor(parts: readonly Transform[], cacheSize: 0 | 1 = 0) {
    super(cacheSize);
    if (!Array.isArray(parts) || parts.some((p) => !(p instanceof Transform))) throw new TypeError('ComposeTransform: parts must be an array of Transforms');
    this.parts = [...parts];
    this.bijective = this.parts.every((p) => p.bijective);
  }

  /** PyTorch's domain.event_dim: the last part's, carried back through the parts, never below any part's own. */
  override get domainEventDim(): number {
    if (this.parts.length === 0) return 0;
    let dim = this.parts[this.parts.length - 1]!.codomainEventDim;
    for (let i = this.parts.length - 1; i >= 0; i--) {
      const p = this.parts[i]!;
      dim = Math.max(dim + p.domainEventDim - p.codomainEventDim, p.domainEventDim);
    }
    return dim;
  }

  override get codomainEventDim(): number {
    if (this.parts.length === 0) return 0;
    let dim = this.parts[0]!.domainEventDim;
    for (const p of this.parts) dim = Math.max(dim + p.codomainEventDim - p.domainEventDim, p.codomainEventDim);
    return dim;
  }

  get sign(): number | Tensor { return product(this.parts.map((p) => p.sign)); }

  /** The chain of the parts' inverses, in reverse order (its own inverse is this chain). */
  override get inv(): Transform {
    if (this.#inverse === null) {
      this.#inverse = new ComposeTransform([...this.parts].reverse().map((p) => p.inv));
      this.#inverse.#inverse = this;
    }
    return this.#inverse;
  }

  protected call(x: Tensor): Tensor {
    return this.parts.reduce((v, p) => p.forward(v), x);
  }

  override forwardShape(shape: readonly number[]): number[] { return this.parts.reduce((s, p) => p.forwardShape(s), [...shape]); }
  override inverseShape(shape: readonly number[]): number[] { return this.parts.reduceRight((s, p) => p.inverseShape(s), [...shape]); }

  protected invert(y: Tensor): Tensor {
    return this.parts.reduceRight((v, p) => p.inverse(v), y);
  }

  logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    if (this.parts.length === 0) return zerosLike(x);
    const xs = [x];
    for (const p of this.parts.slice(0, -1)) xs.push(p.forward(xs[xs.length - 1]!));
    xs.push(y);
    let eventDim = this.domainEventDim;
    let total: Tensor | null = null;
    this.parts.forEach((p, i) => {
      const term = sumRightmost(p.logAbsDetJacobian(xs[i]!, xs[i + 1]!), eventDim - p.domainEventDim);
      total = total === null ? term : total.add(term);
      eventDim += p.codomainEventDim - p.domainEventDim;
    });
    return total!;
  }

  codomain(): Constraint {
    if (this.parts.length === 0) return REAL;
    const last = this.parts[this.parts.length - 1]!;
    return independent(last.codomain(), this.codomainEventDim - last.codomainEventDim);
  }

  override equals(other: Transform): boolean {
    return other instanceof ComposeTransform && other.parts.length === this.parts.length && this.parts.every((p, i) => p.equals(other.parts[i]!));
  }

  override toString(): string {
    return `ComposeTransform(\n    ${this.parts.map((p) => p.toString()).join(',\n    ')}\n)`;
  }
}

/** `base` with `reinterpretedBatchNdims` more rightmost dimensions in its event: its log |det J| summed over them. */
export class IndependentTransform extends Transform {
  override readonly bijective: boolean;

  constructor(readonly baseTransform: Transform, readonly reinterpretedBatchNdims: number, cacheSize: 0 | 1 = 0) {
    super(cacheSize);
    if (!(baseTransform instanceof Transform)) throw new TypeError('IndependentTransform: base_transform must be a Transform');
    if (!Number.isInteger(reinterpretedBatchNdims) || reinterpretedBatchNdims < 0) throw new RangeError(`IndependentTransform: reinterpreted_batch_ndims must be a non-negative integer, got ${reinterpretedBatchNdims}`);
    this.bijective = baseTransform.bijective;
  }
  override get domainEventDim(): number { return this.baseTransform.domainEventDim + this.reinterpretedBatchNdims; }
  override get codomainEventDim(): number { return this.baseTransform.codomainEventDim + this.reinterpretedBatchNdims; }
  get sign(): number | Tensor { return this.baseTransform.sign; }

  protected call(x: Tensor): Tensor {
    if (x.ndim < this.domainEventDim) throw new RangeError(`IndependentTransform: too few dimensions on input (${x.ndim}, the event has ${this.domainEventDim})`);
    return this.baseTransform.forward(x);
  }

  protected invert(y: Tensor): Tensor {
    if (y.ndim < this.codomainEventDim) throw new RangeError(`IndependentTransform: too few dimensions on input (${y.ndim}, the event has ${this.codomainEventDim})`);
    return this.baseTransform.inverse(y);
  }

  override forwardShape(shape: readonly number[]): number[] { return this.baseTransform.forwardShape(shape); }
  override inverseShape(shape: readonly number[]): number[] { return this.baseTransform.inverseShape(shape); }
  logAbsDetJacobian(x: Tensor, y: Tensor): Tensor { return sumRightmost(this.baseTransform.logAbsDetJacobian(x, y), this.reinterpretedBatchNdims); }
  codomain(): Constraint { return independent(this.baseTransform.codomain(), this.reinterpretedBatchNdims); }

  override equals(other: Transform): boolean {
    return other instanceof IndependentTransform && other.reinterpretedBatchNdims === this.reinterpretedBatchNdims && this.baseTransform.equals(other.baseTransform);
  }

  override toString(): string { return `IndependentTransform(${this.baseTransform.toString()}, ${this.reinterpretedBatchNdims})`; }
}

/** The rightmost dimensions of shape `inShape` reshaped to `outShape` (the same number of elements); log |det J| = 0. */
export class ReshapeTransform extends Transform {
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];

  constructor(inShape: readonly number[], outShape: readonly number[], cacheSize: 0 | 1 = 0) {
    super(cacheSize);
    if (numel(inShape) !== numel(outShape)) throw new RangeError(`ReshapeTransform: in_shape, out_shape have different numbers of elements (${formatShape(inShape)} and ${formatShape(outShape)})`);
    this.inShape = [...inShape];
    this.outShape = [...outShape];
  }

  override get domainEventDim(): number { return this.inShape.length; }
  override get codomainEventDim(): number { return this.outShape.length; }
  get sign(): number { throw new Error('ReshapeTransform has no sign (PyTorch\'s NotImplementedError)'); }

  private batchOf(shape: readonly number[], event: readonly number[]): number[] {
    const cut = shape.length - event.length;
    if (cut < 0 || !sameShape(shape.slice(cut), event)) throw new RangeError(`ReshapeTransform: shape mismatch: expected the rightmost dimensions ${formatShape(event)}, got shape ${formatShape(shape)}`);
    return shape.slice(0, cut);
  }

  override forwardShape(shape: readonly number[]): number[] { return [...this.batchOf(shape, this.inShape), ...this.outShape]; }
  override inverseShape(shape: readonly number[]): number[] { return [...this.batchOf(shape, this.outShape), ...this.inShape]; }
  protected call(x: Tensor): Tensor { return x.reshape(this.forwardShape(x.shape)); }
  protected invert(y: Tensor): Tensor { return y.reshape(this.inverseShape(y.shape)); }
  logAbsDetJacobian(x: Tensor): Tensor { return zeros(this.batchOf(x.shape, this.inShape)); }
  codomain(): Constraint { return independent(REAL, this.outShape.length); }

  override equals(other: Transform): boolean {
    return other instanceof ReshapeTransform && sameShape(other.inShape, this.inShape) && sameShape(other.outShape, this.outShape);
  }
}

/** What CumulativeDistributionTransform needs of a distribution. */
interface WithCdf {
  readonly eventShape: readonly number[];
  cdf(value: Tensor): Tensor;
  icdf(value: Tensor): Tensor;
  logProb(value: Tensor): Tensor;
}

/** x ↦ F(x), the distribution's cdf: its inverse the icdf, log |det J| the log density (a copula's margins). */
export class CumulativeDistributionTransform extends Transform {
  constructor(readonly distribution: WithCdf, cacheSize: 0 | 1 = 0) {
    super(cacheSize);
    if (typeof distribution?.cdf !== 'function' || typeof distribution.icdf !== 'function') throw new TypeError('CumulativeDistributionTransform: the distribution must have cdf and icdf');
  }

  override get domainEventDim(): number { return this.distribution.eventShape.length; }
  override get codomainEventDim(): number { return this.distribution.eventShape.length; }
  get sign(): number { return 1; }
  protected call(x: Tensor): Tensor { return this.distribution.cdf(x); }
  protected invert(y: Tensor): Tensor { return this.distribution.icdf(y); }
  logAbsDetJacobian(x: Tensor): Tensor { return this.distribution.logProb(x); }
  codomain(): Constraint { return { name: 'Interval(lower_bound=0.0, upper_bound=1.0)', ok: (v) => v >= 0 && v <= 1 }; }
  override equals(other: Transform): boolean { return other instanceof CumulativeDistributionTransform && other.distribution === this.distribution; }
}

/** The dimension `dim` of a tensor of `ndim` dimensions, checked (negative from the end). */
function dimOf(op: string, dim: number, ndim: number): number {
  if (!Number.isInteger(dim) || dim < -ndim || dim >= ndim) throw new RangeError(`${op}: dim ${dim} is out of range for a tensor of ${ndim} dimensions`);
  return dim;
}

/**
 * A transform per slice of a tensor along `dim` (CatTransform's runs of entries, StackTransform's single indices):
 * each part applied to its slice, the results joined again; the codomain each part's, checked on its own slice
 * (PyTorch's constraints.cat and constraints.stack).
 */
abstract class PiecewiseTransform extends Transform {
  readonly transforms: readonly Transform[];
  override readonly bijective: boolean;

  constructor(readonly name: string, tseq: readonly Transform[], readonly dim: number, cacheSize: 0 | 1) {
    super(cacheSize);
    if (!Array.isArray(tseq) || tseq.some((t) => !(t instanceof Transform))) throw new TypeError(`${name}: tseq must be an array of Transforms`);
    this.transforms = [...tseq];
    this.bijective = this.transforms.every((t) => t.bijective);
  }

  override get domainEventDim(): number { return Math.max(0, ...this.transforms.map((t) => t.domainEventDim)); }
  override get codomainEventDim(): number { return Math.max(0, ...this.transforms.map((t) => t.codomainEventDim)); }
  get sign(): number { throw new Error(`${this.name} has no sign (PyTorch's NotImplementedError)`); }

  /** The slices of t along dim (checked against the parts), in the parts' order. */
  protected abstract slices(t: Tensor): Tensor[];
  /** The parts' results joined along dim. */
  protected abstract join(parts: Tensor[]): Tensor;

  /** t's dimension `dim`, checked, and its size there. */
  protected along(t: Tensor): [number, number] {
    const d = dimOf(this.name, this.dim, t.ndim);
    return [d, t.shape[d < 0 ? d + t.ndim : d]!];
  }

  protected call(x: Tensor): Tensor { return this.join(this.slices(x).map((s, i) => this.transforms[i]!.forward(s))); }
  protected invert(y: Tensor): Tensor { return this.join(this.slices(y).map((s, i) => this.transforms[i]!.inverse(s))); }

  codomain(): Constraint {
    const parts = this.transforms.map((t) => t.codomain());
    const holds = (c: Constraint, t: Tensor): boolean => (c.whole !== undefined ? c.whole(t) : t.values().every((v) => c.ok(v)));
    return { name: this.name === 'CatTransform' ? 'Cat()' : 'Stack()', ok: (v) => parts.some((c) => c.ok(v)), whole: (t) => this.slices(t).every((sl, i) => holds(parts[i]!, sl)) };
  }
}

/** A transform per slice of `lengths[i]` entries along `dim`, the results joined as `cat` joins them. */
export class CatTransform extends PiecewiseTransform {
  readonly lengths: readonly number[];

  constructor(tseq: readonly Transform[], dim = 0, lengths?: readonly number[], cacheSize: 0 | 1 = 0) {
    super('CatTransform', tseq, dim, cacheSize);
    this.lengths = lengths === undefined ? tseq.map(() => 1) : [...lengths];
    if (this.lengths.length !== this.transforms.length) throw new RangeError(`CatTransform: ${this.transforms.length} transforms but ${this.lengths.length} lengths`);
  }

  protected slices(t: Tensor): Tensor[] {
    const [d, size] = this.along(t);
    const total = this.lengths.reduce((a, b) => a + b, 0);
    if (size !== total) throw new RangeError(`CatTransform: the input has size ${size} along dim ${this.dim}, but the lengths sum to ${total}`);
    let start = 0;
    return this.lengths.map((len) => {
      const part = t.narrow(d, start, len);
      start += len;
      return part;
    });
  }

  protected join(parts: Tensor[]): Tensor { return cat(parts, this.dim); }

  /** Each slice's log |det J| (summed to the widest event), joined along dim where dim is a batch dimension, else summed. */
  logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    const eventDim = this.domainEventDim;
    const ys = this.slices(y);
    const terms = this.slices(x).map((xs, i) => {
      const t = this.transforms[i]!;
      return sumRightmost(t.logAbsDetJacobian(xs, ys[i]!), eventDim - t.domainEventDim);
    });
    const dim = (this.dim >= 0 ? this.dim - x.ndim : this.dim) + eventDim;
    return dim < 0 ? cat(terms, dim) : terms.reduce((a, b) => a.add(b));
  }
}

/** A transform per index along `dim`, the results stacked as `stack` stacks them. */
export class StackTransform extends PiecewiseTransform {
  constructor(tseq: readonly Transform[], dim = 0, cacheSize: 0 | 1 = 0) {
    super('StackTransform', tseq, dim, cacheSize);
  }

  protected slices(t: Tensor): Tensor[] {
    const [d, size] = this.along(t);
    if (size !== this.transforms.length) throw new RangeError(`StackTransform: the input has size ${size} along dim ${this.dim}, but there are ${this.transforms.length} transforms`);
    return Array.from({ length: size }, (_, i) => t.select(d, i));
  }

  protected join(parts: Tensor[]): Tensor { return stack(parts, this.dim); }

  logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    const ys = this.slices(y);
    return stack(this.slices(x).map((xs, i) => this.transforms[i]!.logAbsDetJacobian(xs, ys[i]!)), this.dim);
  }
}
