// Exponential(rate), as PyTorch 1.13's: rsample exponential_() / rate (seeded as PyTorch's draws), its log density,
// entropy, cdf and icdf in PyTorch's formulas.
import { noGrad } from '../autograd/grad-mode.js';
import { zeros, zerosLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTensor, atShape, Distribution, type Param } from './distribution.js';
import * as constraints from './constraints.js';

export class Exponential extends Distribution {
  override get support(): constraints.Constraint { return constraints.nonnegative; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { rate: constraints.positive }; }
  override get hasRsample(): boolean { return true; }

  readonly #rate: Tensor;

  constructor(rate: Param, options: { validateArgs?: boolean } = {}) {
    const r = asTensor(rate);
    super([...r.shape], [], options);
    this.#rate = r;
    if (options.validateArgs !== false) this.checkParam('rate', this.rate, (v) => v > 0, 'GreaterThan(lower_bound=0.0)');
  }

  get rate(): Tensor { return atShape(this.#rate, this.batchShape); }

  override expand(batchShape: readonly number[]): Exponential {
    return this.keepValidation(new Exponential(this.rate.expand([...batchShape]), { validateArgs: false }));
  }

  protected params(): [string, Tensor][] {
    return [['rate', this.rate]];
  }

  override get mean(): Tensor { return this.rate.reciprocal(); }
  override get mode(): Tensor { return zerosLike(this.rate); }
  override get stddev(): Tensor { return this.rate.reciprocal(); }
  override get variance(): Tensor { return this.rate.pow(-2); }

  sample(sampleShape: readonly number[] = []): Tensor {
    return noGrad(() => this.rsample(sampleShape));
  }

  /** exponential_() draws divided by the rate: gradients flow to rate. */
  override rsample(sampleShape: readonly number[] = []): Tensor {
    const e = noGrad(() => zeros(this.extendedShape(sampleShape)).exponential_());
    return e.div(this.rate);
  }

  logProb(value: Tensor): Tensor {
    this.checkValue(value, (v) => v >= 0, 'GreaterThanEq(lower_bound=0.0)');
    return this.rate.log().sub(this.rate.mul(value));
  }

  override cdf(value: Tensor): Tensor {
    this.checkValue(value, (v) => v >= 0, 'GreaterThanEq(lower_bound=0.0)', 'cdf');
    return this.rate.neg().mul(value).exp().neg().add(1);
  }

  override icdf(value: Tensor): Tensor {
    this.checkTensor(value, 'icdf');
    return value.neg().add(1).log().neg().div(this.rate);
  }

  override entropy(): Tensor {
    return this.rate.log().neg().add(1);
  }
}
