// NegativeBinomial(totalCount, probs | logits): the number of successes before totalCount failures, as PyTorch
// 1.13's: samples Poisson(Gamma(totalCount, e^−logits)) (PyTorch's two samplers, seeded as its draws), the log
// probability through logsigmoid and lgamma, mean and variance.
import { noGrad } from '../autograd/grad-mode.js';
import { where } from '../ops/binary.js';
import { logsigmoid } from '../ops/activations-extra.js';
import { poisson } from '../ops/random-samplers.js';
import { zeros } from '../tensor/creation.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { EPS, type ProbsOrLogits } from './bernoulli.js';
import { asTensor, Distribution, type Param } from './distribution.js';
import { Gamma } from './gamma.js';

export class NegativeBinomial extends Distribution {
  readonly totalCount: Tensor;
  readonly #given: 'probs' | 'logits';
  readonly #probs: Tensor;
  readonly #logits: Tensor;

  constructor(totalCount: Param, options: ProbsOrLogits) {
    if ((options.probs === undefined) === (options.logits === undefined)) throw new RangeError('Either `probs` or `logits` must be specified, but not both.');
    const given = options.probs !== undefined ? 'probs' : 'logits';
    const param = asTensor((options.probs ?? options.logits)!);
    const count = asTensor(totalCount);
    const shape = broadcastShapes(count.shape, param.shape, 'NegativeBinomial');
    super(shape);
    this.totalCount = count.expand(shape);
    const p = param.expand(shape);
    this.#given = given;
    if (given === 'probs') {
      if (options.validateArgs !== false) this.checkParam('probs', p, (v) => v >= 0 && v < 1, 'HalfOpenInterval(lower_bound=0.0, upper_bound=1.0)');
      this.#probs = p;
      const c = p.clamp(EPS, 1 - EPS);
      this.#logits = c.log().sub(c.neg().log1p());
    } else {
      this.#logits = p;
      this.#probs = p.sigmoid();
    }
    if (options.validateArgs !== false) this.checkParam('total_count', this.totalCount, (v) => v >= 0, 'GreaterThanEq(lower_bound=0)');
  }

  get probs(): Tensor { return this.#probs; }
  get logits(): Tensor { return this.#logits; }

  protected params(): [string, Tensor][] {
    return [['total_count', this.totalCount], [this.#given, this.#given === 'probs' ? this.#probs : this.#logits]];
  }

  get mean(): Tensor { return this.totalCount.mul(this.logits.exp()); }
  get variance(): Tensor { return this.mean.div(this.logits.neg().sigmoid()); }

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
