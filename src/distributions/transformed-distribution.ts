// TransformedDistribution(base, transforms), as PyTorch 1.13's: samples pushed through the transforms in order (with
// the gradient for rsample), the log density by inverting them in reverse, subtracting each log |det J| (summed
// over the event dimensions) before adding the base's, cdf and icdf through the inverses with PyTorch's flip for
// decreasing maps.
import { noGrad } from '../autograd/grad-mode.js';
import { full } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { Distribution, sumRightmost, type DistributionOptions } from './distribution.js';
import { sameShape } from '../tensor/shape.js';
import { Independent } from './independent.js';
import { Transform } from './transforms.js';
import { ComposeTransform } from './transforms-chain.js';
import * as constraints from './constraints.js';
import { codomainOf } from './transform-constraints.js';


export class TransformedDistribution extends Distribution {
  override get argConstraints(): Record<string, constraints.Constraint> { return {}; }
  override get hasRsample(): boolean { return this.baseDist.hasRsample; }
  /**
   * The last transform's codomain (over the event dimensions the transforms leave, as PyTorch's independent), or the
   * base's support when there are no transforms.
   */
  override get support(): constraints.Constraint {
    if (this.transforms.length === 0) return this.baseDist.support;
    const support = codomainOf(this.transforms[this.transforms.length - 1]!);
    return this.eventShape.length > support.eventDim ? constraints.independent(support, this.eventShape.length - support.eventDim) : support;
  }

  readonly transforms: readonly Transform[];
  /** The base distribution: expanded to the batch the transforms' parameters broadcast to, and wrapped in an
   * Independent over the event dimensions the transforms act on (PyTorch's base_dist). */
  readonly baseDist: Distribution;

  constructor(baseDistribution: Distribution, transforms: Transform | readonly Transform[], options: DistributionOptions = {}) {
    const list = Array.isArray(transforms) ? [...transforms] : [transforms as Transform];
    if (list.some((t) => !(t instanceof Transform))) throw new TypeError('transforms must be a Transform or a list of Transforms');
    // The shapes as PyTorch 1.13 computes them: through the transforms composed (their event dimensions carried along
    // the chain), the base expanded to the shape the transforms' parameters broadcast it to.
    const chain = new ComposeTransform(list);
    const baseShape = [...baseDistribution.batchShape, ...baseDistribution.eventShape];
    const baseEventDim = baseDistribution.eventShape.length;
    const domainEventDim = chain.domainEventDim;
    if (baseShape.length < domainEventDim) throw new RangeError(`base_distribution needs to have shape with size at least ${domainEventDim}, but got [${baseShape.join(', ')}].`);
    const shape = chain.forwardShape(baseShape);
    const expandedBaseShape = chain.inverseShape(shape);
    let base = baseDistribution;
    if (!sameShape(baseShape, expandedBaseShape)) base = base.expand(expandedBaseShape.slice(0, expandedBaseShape.length - baseEventDim));
    if (domainEventDim > baseEventDim) base = new Independent(base, domainEventDim - baseEventDim);
    const eventDim = chain.codomainEventDim + Math.max(baseEventDim - domainEventDim, 0);
    super(shape.slice(0, shape.length - eventDim), shape.slice(shape.length - eventDim), options);
    this.baseDist = base;
    this.transforms = list;
  }

  /**
   * The same distribution over batch shape `batchShape`: the base expanded to the batch the transforms take it back
   * to, the same transforms (PyTorch's expand).
   */
  override expand(batchShape: readonly number[]): TransformedDistribution {
    // A subclass with parameters of its own (Kumaraswamy, LogisticNormal …) expands them itself, or not at all.
    if (this.constructor !== TransformedDistribution) throw new Error(`${this.constructor.name}.expand is not implemented in Kindling`);
    let shape = [...batchShape, ...this.eventShape];
    for (let i = this.transforms.length - 1; i >= 0; i--) shape = this.transforms[i]!.inverseShape(shape);
    const base = this.baseDist.expand(shape.slice(0, shape.length - this.baseDist.eventShape.length));
    return this.keepValidation(new TransformedDistribution(base, this.transforms, { validateArgs: false }));
  }

  protected params(): [string, Tensor][] {
    return [];
  }

  override toString(): string {
    // PyTorch prints the parameters it keeps in its __dict__: none for a TransformedDistribution or its subclasses
    // that keep theirs in the base (RelaxedBernoulli(), LogisticNormal() …).
    return `${this.constructor.name}()`;
  }

  sample(sampleShape: readonly number[] = []): Tensor {
    return noGrad(() => {
      let x = this.baseDist.sample(sampleShape);
      for (const t of this.transforms) x = t.forward(x);
      return x;
    });
  }

  override rsample(sampleShape: readonly number[] = []): Tensor {
    let x = this.baseDist.rsample(sampleShape);
    for (const t of this.transforms) x = t.forward(x);
    return x;
  }

  /** The log density: the value checked against the support (PyTorch's _validate_sample), then through the inverses. */
  logProb(value: Tensor): Tensor {
    this.validateSample(value);
    let eventDim = this.eventShape.length;
    let logProb: Tensor | null = null;
    let y = value;
    for (let i = this.transforms.length - 1; i >= 0; i--) {
      const t = this.transforms[i]!;
      const x = t.inverse(y);
      eventDim += t.domainEventDim - t.codomainEventDim;
      const term = sumRightmost(t.logAbsDetJacobian(x, y), eventDim - t.domainEventDim);
      // PyTorch starts from the number 0.0: 0 − term first, then subtracts.
      logProb = logProb === null ? full(term.shape, 0).sub(term) : logProb.sub(term);
      y = x;
    }
    const base = sumRightmost(this.baseDist.logProb(y), eventDim - this.baseDist.eventShape.length);
    return logProb === null ? base : logProb.add(base);
  }

  /** PyTorch's flip of a cdf through decreasing transforms: sign·(v − ½) + ½. */
  private monotonize(value: Tensor): Tensor {
    let sign: number | Tensor = 1;
    for (const t of this.transforms) sign = typeof sign === 'number' && typeof t.sign === 'number' ? sign * t.sign : (t.sign instanceof Tensor ? t.sign : new Tensor(new Float32Array([t.sign]), [])).mul(sign);
    if (sign === 1) return value;
    return value.sub(0.5).mul(sign).add(0.5);
  }

  override cdf(value: Tensor): Tensor {
    this.checkTensor(value, 'cdf');
    let v = value;
    for (let i = this.transforms.length - 1; i >= 0; i--) v = this.transforms[i]!.inverse(v);
    if (this.validateArgs) this.baseDist.validateSample(v, 'cdf');
    return this.monotonize(this.baseDist.cdf(v));
  }

  override icdf(value: Tensor): Tensor {
    this.checkTensor(value, 'icdf');
    let v = this.baseDist.icdf(this.monotonize(value));
    for (const t of this.transforms) v = t.forward(v);
    return v;
  }
}
