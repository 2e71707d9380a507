// Weibull(scale, concentration) and Pareto(scale, alpha), as PyTorch 1.13's TransformedDistributions of an
// Exponential: samples scale·e^(1/concentration) and scale·exp(e) (seeded as PyTorch's draws), the log densities
// through the inverse transforms and their log-Jacobians in PyTorch's order, and PyTorch's moments and entropies.
import { broadcastShapes } from '../tensor/shape.js';
import { ones } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTensor, atShape, Distribution, type Param } from './distribution.js';
import { Exponential } from './exponential.js';
import * as constraints from './constraints.js';

const EULER = 0.57721566490153286060;

export class Weibull extends Distribution {
  override get support(): constraints.Constraint { return constraints.positive; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { scale: constraints.positive, concentration: constraints.positive }; }
  override get hasRsample(): boolean { return true; }

  readonly #scale: Tensor;
  readonly #concentration: Tensor;
  readonly #base: Exponential;

  constructor(scale: Param, concentration: Param, options: { validateArgs?: boolean } = {}) {
    const [s, c] = [asTensor(scale), asTensor(concentration)];
    const shape = broadcastShapes(s.shape, c.shape, 'Weibull');
    super(shape);
    this.#scale = s;
    this.#concentration = c;
    this.#base = new Exponential(ones(shape), options);
    if (options.validateArgs !== false) {
      this.checkParam('scale', this.scale, (v) => v > 0, 'GreaterThan(lower_bound=0.0)');
      this.checkParam('concentration', this.concentration, (v) => v > 0, 'GreaterThan(lower_bound=0.0)');
    }
  }

  get scale(): Tensor { return atShape(this.#scale, this.batchShape); }
  get concentration(): Tensor { return atShape(this.#concentration, this.batchShape); }
  get concentrationReciprocal(): Tensor { return this.concentration.reciprocal(); }

  protected params(): [string, Tensor][] {
    return [['scale', this.scale], ['concentration', this.concentration]];
  }

  get mean(): Tensor { return this.scale.mul(this.concentrationReciprocal.add(1).lgamma().exp()); }
  get variance(): Tensor {
    const r = this.concentrationReciprocal;
    return this.scale.pow(2).mul(r.mul(2).add(1).lgamma().exp().sub(r.add(1).lgamma().mul(2).exp()));
  }

  sample(sampleShape: readonly number[] = []): Tensor {
    return this.scale.mul(this.#base.sample(sampleShape).pow(this.concentrationReciprocal)).add(0);
  }

  rsample(sampleShape: readonly number[] = []): Tensor {
    return this.scale.mul(this.#base.rsample(sampleShape).pow(this.concentrationReciprocal)).add(0);
  }

  logProb(value: Tensor): Tensor {
    this.checkValue(value, (v) => v >= 0, 'GreaterThanEq(lower_bound=0.0)');
    const r = this.concentrationReciprocal;
    const x1 = value.sub(0).div(this.scale);
    let lp = this.scale.abs().log().expand(x1.shape).neg();
    const x0 = x1.pow(r.reciprocal());
    lp = lp.sub(r.mul(x1).div(x0).abs().log());
    return lp.add(this.#base.logProb(x0));
  }

  entropy(): Tensor {
    const r = this.concentrationReciprocal;
    return r.neg().add(1).mul(EULER).add(this.scale.mul(r).log()).add(1);
  }
}

export class Pareto extends Distribution {
  override get support(): constraints.Constraint { return constraints.greaterThanEq(this.scale); }
  override get argConstraints(): Record<string, constraints.Constraint> { return { alpha: constraints.positive, scale: constraints.positive }; }
  override get hasRsample(): boolean { return true; }

  readonly #scale: Tensor;
  readonly #alpha: Tensor;
  readonly #base: Exponential;

  constructor(scale: Param, alpha: Param, options: { validateArgs?: boolean } = {}) {
    const [s, a] = [asTensor(scale), asTensor(alpha)];
    const shape = broadcastShapes(s.shape, a.shape, 'Pareto');
    super(shape);
    this.#scale = s;
    this.#alpha = a;
    this.#base = new Exponential(this.alpha, options);
    if (options.validateArgs !== false) this.checkParam('scale', this.scale, (v) => v > 0, 'GreaterThan(lower_bound=0.0)');
  }

  get scale(): Tensor { return atShape(this.#scale, this.batchShape); }
  get alpha(): Tensor { return atShape(this.#alpha, this.batchShape); }

  protected params(): [string, Tensor][] {
    return [['scale', this.scale], ['alpha', this.alpha]];
  }

  get mean(): Tensor {
    const a = this.alpha.clamp(1);
    return a.mul(this.scale).div(a.sub(1));
  }

  get variance(): Tensor {
    const a = this.alpha.clamp(2);
    return this.scale.pow(2).mul(a).div(a.sub(1).pow(2).mul(a.sub(2)));
  }

  sample(sampleShape: readonly number[] = []): Tensor {
    return this.scale.mul(this.#base.sample(sampleShape).exp()).add(0);
  }

  rsample(sampleShape: readonly number[] = []): Tensor {
    return this.scale.mul(this.#base.rsample(sampleShape).exp()).add(0);
  }

  logProb(value: Tensor): Tensor {
    const scale = this.scale;
    this.checkValueMask(value, (v) => v.ge(scale).values().every((x) => x !== 0), `GreaterThanEq(lower_bound=${String(scale)})`);
    const x1 = value.sub(0).div(scale);
    let lp = scale.abs().log().expand(x1.shape).neg();
    const x0 = x1.log();
    lp = lp.sub(x0);
    return lp.add(this.#base.logProb(x0));
  }

  entropy(): Tensor {
    return this.scale.div(this.alpha).log().add(this.alpha.reciprocal().add(1));
  }
}
