// NegativeBinomial(totalCount, probs | logits): the number of successes before totalCount failures, as PyTorch
// 1.13's: samples Poisson(Gamma(totalCount, e^−logits)) (PyTorch's two samplers, seeded as its draws), the log
// probability through logsigmoid and lgamma, mean and variance.
import { noGrad } from '../autograd/grad-mode.js';
import { where } from '../ops/binary.js';
import { logsigmoid } from '../ops/activations-extra.js';
import { poisson } from '../ops/random-samplers.js';
import { zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ProbsOrLogits } from './bernoulli.js';
import { CountProbs } from './count-probs.js';
import type { Param } from './distribution.js';
import { Gamma } from './gamma.js';
import * as constraints from './constraints.js';

export class NegativeBinomial extends CountProbs {
  override get support(): constraints.Constraint { return constraints.nonnegativeInteger; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { totalCount: constraints.greaterThanEq(0).renamed('GreaterThanEq(lower_bound=0)'), probs: constraints.halfOpenInterval(0, 1), logits: constraints.real }; }

  constructor(totalCount: Param, options: ProbsOrLogits) {
    super('NegativeBinomial', totalCount, options, { ok: (v) => v >= 0 && v < 1, name: 'HalfOpenInterval(lower_bound=0.0, upper_bound=1.0)' },
      { ok: (v) => v >= 0, name: 'GreaterThanEq(lower_bound=0)' });
  }

  override expand(batchShape: readonly number[]): NegativeBinomial {
    return this.keepValidation(new NegativeBinomial(...this.expandedParams(batchShape)));
  }

  override get mean(): Tensor { return this.totalCount.mul(this.logits.exp()); }
  /** floor((n − 1)·e^logits), at least 0 (PyTorch's). */
  override get mode(): Tensor { return this.totalCount.sub(1).mul(this.logits.exp()).floor().clamp(0); }
  override get variance(): Tensor { return this.mean.div(this.logits.neg().sigmoid()); }

  sample(sampleShape: readonly number[] = []): Tensor {
    return noGrad(() => {
      const rate = new Gamma(this.totalCount, this.logits.neg().exp(), { validateArgs: false }).sample(sampleShape);
      return poisson(rate.contiguous());
    });
  }

  logProb(value: Tensor): Tensor {
    this.checkValue(value, (v) => Number.isInteger(v) && v >= 0, 'IntegerGreaterThan(lower_bound=0)');
    const n = this.totalCount;
    const unnormalized = n.mul(logsigmoid(this.logits.neg())).add(value.mul(logsigmoid(this.logits)));
    let normalization = n.add(value).lgamma().neg().add(value.add(1).lgamma()).add(n.lgamma());
    const sum = n.add(value);
    normalization = where(sum.eq(0), zeros(sum.shape), normalization);
    return unnormalized.sub(normalization);
  }
}
