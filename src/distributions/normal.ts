// Normal(loc, scale), as PyTorch 1.13's: samples from normal(loc, scale) (seeded as PyTorch's draws), rsample as
// loc + ε·scale with ε from normal_(), and its log density, entropy, cdf and icdf in PyTorch's formulas.
import { noGrad } from '../autograd/grad-mode.js';
import { normal, normal_ } from '../ops/random-fills.js';
import { erf, erfinv } from '../ops/unary-math.js';
import { zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Param } from './distribution.js';
import { LocScale } from './loc-scale.js';

const LOG_SQRT_2PI = Math.log(Math.sqrt(2 * Math.PI));

export class Normal extends LocScale {
  constructor(loc: Param, scale: Param, options: { validateArgs?: boolean } = {}) {
    super('Normal', loc, scale, options);
  }

  override get mean(): Tensor { return this.loc; }
  override get mode(): Tensor { return this.loc; }
  override get stddev(): Tensor { return this.scale; }
  override get variance(): Tensor { return this.scale.pow(2); }

  sample(sampleShape: readonly number[] = []): Tensor {
    const shape = this.extendedShape(sampleShape);
    return noGrad(() => normal(this.loc.expand(shape), this.scale.expand(shape)));
  }

  /** A sample through which gradients flow to loc and scale (the reparametrisation trick). */
  override rsample(sampleShape: readonly number[] = []): Tensor {
    const shape = this.extendedShape(sampleShape);
    const eps = noGrad(() => normal_(zeros(shape)));
    return this.loc.add(eps.mul(this.scale));
  }

  logProb(value: Tensor): Tensor {
    this.checkValue(value, (v) => !Number.isNaN(v), 'Real()');
    const variance = this.scale.pow(2);
    return value.sub(this.loc).pow(2).neg().div(variance.mul(2)).sub(this.scale.log()).sub(LOG_SQRT_2PI);
  }

  override entropy(): Tensor {
    return this.scale.log().add(0.5 + 0.5 * Math.log(2 * Math.PI));
  }

  override cdf(value: Tensor): Tensor {
    this.checkValue(value, (v) => v === v, 'Real()', 'cdf');
    return erf(value.sub(this.loc).mul(this.scale.reciprocal()).div(Math.SQRT2)).add(1).mul(0.5);
  }

  override icdf(value: Tensor): Tensor {
    this.checkTensor(value, 'icdf');
    return this.loc.add(this.scale.mul(erfinv(value.mul(2).sub(1))).mul(Math.SQRT2));
  }
}
