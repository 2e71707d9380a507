// HalfNormal(scale) and HalfCauchy(scale), as PyTorch 1.13's: |x| for x from Normal(0, scale) or Cauchy(0, scale)
// (seeded as PyTorch's draws); the base log density + log 2 on [0, ∞) and −∞ below, cdf 2·F(v) − 1, icdf
// F⁻¹((p + 1)/2), entropy the base's − log 2, and PyTorch's mean and variance.
import { where } from '../ops/binary.js';
import { full, zerosLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { Cauchy } from './cauchy.js';
import { asTensor, Distribution, type Param } from './distribution.js';
import { Normal } from './normal.js';
import * as constraints from './constraints.js';

abstract class Half<B extends Normal | Cauchy> extends Distribution {
  override get support(): constraints.Constraint { return constraints.nonnegative; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { scale: constraints.positive }; }
  override get hasRsample(): boolean { return true; }

  constructor(readonly baseDist: B, scale: Tensor, validate: boolean) {
    super(baseDist.batchShape, [], { validateArgs: validate });
    if (validate) this.checkParam('scale', scale, (v) => v > 0, 'GreaterThan(lower_bound=0.0)');
  }

  get scale(): Tensor { return this.baseDist.scale; }

  /** None printed: PyTorch's keeps the scale in its base, and prints HalfNormal(), HalfCauchy(). */
  protected params(): [string, Tensor][] {
    return [];
  }

  override get mode(): Tensor { return zerosLike(this.scale); }

  sample(sampleShape: readonly number[] = []): Tensor {
    return this.baseDist.sample(sampleShape).abs();
  }

  override rsample(sampleShape: readonly number[] = []): Tensor {
    return this.baseDist.rsample(sampleShape).abs();
  }

  logProb(value: Tensor): Tensor {
    this.checkValue(value, (v) => v >= 0, 'GreaterThanEq(lower_bound=0.0)');
    const lp = this.baseDist.logProb(value).add(Math.log(2));
    return where(value.ge(0), lp, full(lp.shape, -Infinity));
  }

  override cdf(value: Tensor): Tensor {
    this.checkValue(value, (v) => v >= 0, 'GreaterThanEq(lower_bound=0.0)', 'cdf');
    return this.baseDist.cdf(value).mul(2).sub(1);
  }

  override icdf(prob: Tensor): Tensor {
    this.checkTensor(prob, 'icdf');
    return this.baseDist.icdf(prob.add(1).div(2));
  }

  override entropy(): Tensor {
    return this.baseDist.entropy().sub(Math.log(2));
  }
}

export class HalfNormal extends Half<Normal> {
  constructor(scale: Param, options: { validateArgs?: boolean } = {}) {
    super(new Normal(0, scale, { validateArgs: false }), asTensor(scale), options.validateArgs !== false);
  }

  override expand(batchShape: readonly number[]): HalfNormal {
    return this.keepValidation(new HalfNormal(this.scale.expand([...batchShape]), { validateArgs: false }));
  }

  override get mean(): Tensor { return this.scale.mul(Math.sqrt(2 / Math.PI)); }
  override get variance(): Tensor { return this.scale.pow(2).mul(1 - 2 / Math.PI); }
}

export class HalfCauchy extends Half<Cauchy> {
  constructor(scale: Param, options: { validateArgs?: boolean } = {}) {
    super(new Cauchy(0, scale, { validateArgs: false }), asTensor(scale), options.validateArgs !== false);
  }

  override expand(batchShape: readonly number[]): HalfCauchy {
    return this.keepValidation(new HalfCauchy(this.scale.expand([...batchShape]), { validateArgs: false }));
  }

  override get mean(): Tensor { return full(this.extendedShape(), Infinity); }
  override get variance(): Tensor { return this.baseDist.variance; }
}
