// Weibull(scale, concentration) and Pareto(scale, alpha), as PyTorch 1.13's TransformedDistributions of an
// Exponential: Weibull through PowerTransform(1/concentration) then AffineTransform(0, scale), Pareto through
// ExpTransform then AffineTransform(0, scale) (seeded as PyTorch's draws; sample without gradient, rsample with it;
// logProb, cdf and icdf through the transforms in PyTorch's order), with PyTorch's moments, modes and entropies.
import { broadcastShapes } from '../tensor/shape.js';
import { ones } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTensor, atShape, Distribution, type DistributionOptions, type Param } from './distribution.js';
import { Exponential } from './exponential.js';
import { TransformedDistribution } from './transformed-distribution.js';
import { AffineTransform, ExpTransform, PowerTransform } from './transforms.js';
import * as constraints from './constraints.js';

const EULER = 0.57721566490153286060;

export class Weibull extends TransformedDistribution {
  override get support(): constraints.Constraint { return constraints.positive; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { scale: constraints.positive, concentration: constraints.positive }; }

  /** scale and concentration broadcast to one shape (PyTorch's broadcast_all). */
  readonly scale: Tensor;
  readonly concentration: Tensor;
  readonly concentrationReciprocal: Tensor;

  constructor(scale: Param, concentration: Param, options: DistributionOptions = {}) {
    const [s, c] = [asTensor(scale), asTensor(concentration)];
    const shape = broadcastShapes(s.shape, c.shape, 'Weibull');
    const [bs, bc] = [atShape(s, shape), atShape(c, shape)];
    const reciprocal = bc.reciprocal();
    super(new Exponential(ones(shape), options), [new PowerTransform(reciprocal), new AffineTransform(0, bs)], options);
    this.scale = bs;
    this.concentration = bc;
    this.concentrationReciprocal = reciprocal;
    this.checkParam('scale', bs, (v) => v > 0, 'GreaterThan(lower_bound=0.0)');
    this.checkParam('concentration', bc, (v) => v > 0, 'GreaterThan(lower_bound=0.0)');
  }

  override expand(batchShape: readonly number[]): Weibull {
    return this.keepValidation(new Weibull(this.scale.expand([...batchShape]), this.concentration.expand([...batchShape]), { validateArgs: false }));
  }

  protected override params(): [string, Tensor][] {
    return [['scale', this.scale], ['concentration', this.concentration]];
  }

  /** Printed as the other distributions print (PyTorch's repr of the parameters), not as a TransformedDistribution. */
  override toString(): string {
    return Distribution.prototype.toString.call(this);
  }

  override get mean(): Tensor { return this.scale.mul(this.concentrationReciprocal.add(1).lgamma().exp()); }
  override get mode(): Tensor {
    const c = this.concentration;
    return this.scale.mul(c.sub(1).div(c).pow(c.reciprocal()));
  }

  override get variance(): Tensor {
    const r = this.concentrationReciprocal;
    return this.scale.pow(2).mul(r.mul(2).add(1).lgamma().exp().sub(r.add(1).lgamma().mul(2).exp()));
  }

  override entropy(): Tensor {
    const r = this.concentrationReciprocal;
    return r.neg().add(1).mul(EULER).add(this.scale.mul(r).log()).add(1);
  }
}

export class Pareto extends TransformedDistribution {
  override get support(): constraints.Constraint { return constraints.greaterThanEq(this.scale); }
  override get argConstraints(): Record<string, constraints.Constraint> { return { alpha: constraints.positive, scale: constraints.positive }; }

  /** scale and alpha broadcast to one shape (PyTorch's broadcast_all). */
  readonly scale: Tensor;
  readonly alpha: Tensor;

  constructor(scale: Param, alpha: Param, options: DistributionOptions = {}) {
    const [s, a] = [asTensor(scale), asTensor(alpha)];
    const shape = broadcastShapes(s.shape, a.shape, 'Pareto');
    const [bs, ba] = [atShape(s, shape), atShape(a, shape)];
    // The Exponential checks alpha (as its rate), as PyTorch's does.
    super(new Exponential(ba, options), [new ExpTransform(), new AffineTransform(0, bs)], options);
    this.scale = bs;
    this.alpha = ba;
    this.checkParam('scale', bs, (v) => v > 0, 'GreaterThan(lower_bound=0.0)');
  }

  override expand(batchShape: readonly number[]): Pareto {
    return this.keepValidation(new Pareto(this.scale.expand([...batchShape]), this.alpha.expand([...batchShape]), { validateArgs: false }));
  }

  protected override params(): [string, Tensor][] {
    return [['alpha', this.alpha], ['scale', this.scale]];
  }

  /** Printed as the other distributions print (PyTorch's repr of the parameters), not as a TransformedDistribution. */
  override toString(): string {
    return Distribution.prototype.toString.call(this);
  }

  /** ∞ for alpha ≤ 1 (alpha clamped to 1, as PyTorch's). */
  override get mean(): Tensor {
    const a = this.alpha.clamp(1);
    return a.mul(this.scale).div(a.sub(1));
  }

  override get mode(): Tensor { return this.scale; }

  /** ∞ for alpha ≤ 2 (alpha clamped to 2, as PyTorch's). */
  override get variance(): Tensor {
    const a = this.alpha.clamp(2);
    return this.scale.pow(2).mul(a).div(a.sub(1).pow(2).mul(a.sub(2)));
  }

  override entropy(): Tensor {
    return this.scale.div(this.alpha).log().add(this.alpha.reciprocal().add(1));
  }
}
