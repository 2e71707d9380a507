// LogNormal(loc, scale), as PyTorch 1.13's TransformedDistribution(Normal(loc, scale), ExpTransform()): samples
// exp of the Normal's (seeded as PyTorch's draws), the log density −log v + the Normal's at log v, cdf, icdf, and
// PyTorch's mean, variance and entropy.
import type { Tensor } from '../tensor/tensor.js';
import { Distribution, type Param } from './distribution.js';
import { Normal } from './normal.js';
import * as constraints from './constraints.js';

export class LogNormal extends Distribution {
  override get support(): constraints.Constraint { return constraints.positive; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { loc: constraints.real, scale: constraints.positive }; }
  override get hasRsample(): boolean { return true; }

  readonly baseDist: Normal;

  constructor(loc: Param, scale: Param, options: { validateArgs?: boolean } = {}) {
    const base = new Normal(loc, scale, options);
    super(base.batchShape, [], options);
    this.baseDist = base;
  }

  get loc(): Tensor { return this.baseDist.loc; }
  get scale(): Tensor { return this.baseDist.scale; }

  override expand(batchShape: readonly number[]): LogNormal {
    return this.keepValidation(new LogNormal(this.loc.expand([...batchShape]), this.scale.expand([...batchShape]), { validateArgs: false }));
  }

  /** None printed: PyTorch's keeps loc and scale in its Normal base, and prints LogNormal(). */
  protected params(): [string, Tensor][] {
    return [];
  }

  override get mean(): Tensor { return this.loc.add(this.scale.pow(2).div(2)).exp(); }
  override get mode(): Tensor { return this.loc.sub(this.scale.square()).exp(); }
  override get variance(): Tensor { return this.scale.pow(2).exp().sub(1).mul(this.loc.mul(2).add(this.scale.pow(2)).exp()); }

  sample(sampleShape: readonly number[] = []): Tensor {
    return this.baseDist.sample(sampleShape).exp();
  }

  override rsample(sampleShape: readonly number[] = []): Tensor {
    return this.baseDist.rsample(sampleShape).exp();
  }

  logProb(value: Tensor): Tensor {
    this.checkValue(value, (v) => v > 0, 'GreaterThan(lower_bound=0.0)');
    const x = value.log();
    return x.neg().add(this.baseDist.logProb(x));
  }

  /** The Normal's cdf at log value (PyTorch's TransformedDistribution: log value checked against the Normal's support). */
  override cdf(value: Tensor): Tensor {
    this.checkTensor(value, 'cdf');
    return this.baseDist.cdf(value.log());
  }

  override icdf(value: Tensor): Tensor {
    this.checkTensor(value, 'icdf');
    return this.baseDist.icdf(value).exp();
  }

  override entropy(): Tensor {
    return this.baseDist.entropy().add(this.loc);
  }
}
