// Cauchy(loc, scale), as PyTorch 1.13's: rsample loc + ε·scale with ε from cauchy_() (seeded as PyTorch's draws), its
// log density, entropy, cdf and icdf in PyTorch's formulas; the mean NaN and the variance ∞.
import { noGrad } from '../autograd/grad-mode.js';
import { full, zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Param } from './distribution.js';
import { LocScale } from './loc-scale.js';

export class Cauchy extends LocScale {
  constructor(loc: Param, scale: Param, options: { validateArgs?: boolean } = {}) {
    super('Cauchy', loc, scale, options);
  }

  override get mean(): Tensor { return full(this.extendedShape(), NaN); }
  override get mode(): Tensor { return this.loc; }
  override get variance(): Tensor { return full(this.extendedShape(), Infinity); }

  sample(sampleShape: readonly number[] = []): Tensor {
    return noGrad(() => this.rsample(sampleShape));
  }

  override rsample(sampleShape: readonly number[] = []): Tensor {
    const eps = noGrad(() => zeros(this.extendedShape(sampleShape)).cauchy_());
    return this.loc.add(eps.mul(this.scale));
  }

  logProb(value: Tensor): Tensor {
    this.checkValue(value, (v) => !Number.isNaN(v), 'Real()');
    // −log π − log scale − log(1 + z²); c − s computed as −s + c, the same float32
    return this.scale.log().neg().add(-Math.log(Math.PI)).sub(value.sub(this.loc).div(this.scale).pow(2).add(1).log());
  }

  override cdf(value: Tensor): Tensor {
    this.checkValue(value, (v) => !Number.isNaN(v), 'Real()', 'cdf');
    return value.sub(this.loc).div(this.scale).atan().div(Math.PI).add(0.5);
  }

  override icdf(value: Tensor): Tensor {
    this.checkTensor(value, 'icdf');
    return value.sub(0.5).mul(Math.PI).tan().mul(this.scale).add(this.loc);
  }

  override entropy(): Tensor {
    return this.scale.log().add(Math.log(4 * Math.PI));
  }
}
