// Binomial(totalCount, probs | logits), as PyTorch 1.13's: samples from torch.binomial (seeded as PyTorch's draws),
// the log probability from the logits in PyTorch's numerically careful form, entropy by summing over the support
// (one total count only, as in PyTorch), mean and variance.
import { noGrad } from '../autograd/grad-mode.js';
import { binomial } from '../ops/random-samplers.js';
import { arange } from '../tensor/creation.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { EPS, type ProbsOrLogits } from './bernoulli.js';
import { asTensor, Distribution, type Param } from './distribution.js';

export class Binomial extends Distribution {
  readonly totalCount: Tensor;
  readonly #given: 'probs' | 'logits';
  readonly #probs: Tensor;
  readonly #logits: Tensor;

  constructor(totalCount: Param, options: ProbsOrLogits) {
    if ((options.probs === undefined) === (options.logits === undefined)) throw new RangeError('Either `probs` or `logits` must be specified, but not both.');
    const given = options.probs !== undefined ? 'probs' : 'logits';
    const param = asTensor((options.probs ?? options.logits)!);
    const count = asTensor(totalCount);
    const shape = broadcastShapes(count.shape, param.shape, 'Binomial');
    super(shape);
    this.totalCount = count.expand(shape);
    const p = param.expand(shape);
    this.#given = given;
    if (given === 'probs') {
      if (options.validateArgs !== false) this.checkParam('probs', p, (v) => v >= 0 && v <= 1, 'Interval(lower_bound=0.0, upper_bound=1.0)');
      this.#probs = p;
      const c = p.clamp(EPS, 1 - EPS);
      this.#logits = c.log().sub(c.neg().log1p());
    } else {
      this.#logits = p;
      this.#probs = p.sigmoid();
    }
    if (options.validateArgs !== false) this.checkParam('total_count', this.totalCount, (v) => Number.isInteger(v) && v >= 0, 'IntegerGreaterThan(lower_bound=0)');
  }

  get probs(): Tensor { return this.#probs; }
  get logits(): Tensor { return this.#logits; }

  protected params(): [string, Tensor][] {
    return [['total_count', this.totalCount], [this.#given, this.#given === 'probs' ? this.#probs : this.#logits]];
  }

  get mean(): Tensor { return this.totalCount.mul(this.probs); }
  get variance(): Tensor { return this.totalCount.mul(this.probs).mul(this.probs.neg().add(1)); }

  sample(sampleShape: readonly number[] = []): Tensor {
    const shape = this.extendedShape(sampleShape);
    return noGrad(() => binomial(this.totalCount.expand(shape).contiguous(), this.probs.expand(shape).contiguous()));
  }

  logProb(value: Tensor): Tensor {
    const n = this.totalCount;
    this.checkValueMask(value, (v) => v.values().every((x) => Number.isInteger(x) && x >= 0) && v.le(n).values().every((x) => x !== 0), `IntegerInterval(lower_bound=0, upper_bound=${String(n)})`);
    const logits = this.logits;
    const logFactorialN = n.add(1).lgamma();
    const logFactorialK = value.add(1).lgamma();
    const logFactorialNmk = n.sub(value).add(1).lgamma();
    const normalize = n.mul(logits.clamp(0, null)).add(n.mul(logits.abs().neg().exp().log1p())).sub(logFactorialN);
    return value.mul(logits).sub(logFactorialK).sub(logFactorialNmk).sub(normalize);
  }

  entropy(): Tensor {
    const counts = this.totalCount.values();
    const total = Math.max(...counts);
    if (!counts.every((c) => c === total)) throw new Error('Inhomogeneous total count not supported by `entropy`.');
    const support = arange(total + 1).reshape([-1, ...this.batchShape.map(() => 1)]);
    const lp = this.logProb(support);
    return lp.exp().mul(lp).sum(0).neg();
  }
}
