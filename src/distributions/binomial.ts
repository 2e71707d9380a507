// Binomial(totalCount, probs | logits), as PyTorch 1.13's: samples from torch.binomial (seeded as PyTorch's draws),
// the log probability from the logits in PyTorch's numerically careful form, entropy by summing over the support
// (one total count only, as in PyTorch), mean and variance.
import { noGrad } from '../autograd/grad-mode.js';
import { binomial } from '../ops/random-samplers.js';
import { arange } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ProbsOrLogits } from './bernoulli.js';
import { CountProbs } from './count-probs.js';
import type { Param } from './distribution.js';
import * as constraints from './constraints.js';

/** max(x, 0) with gradient ½ at 0, as PyTorch's _clamp_by_zero: (clamp(x, min=0) + x − clamp(x, max=0)) / 2. */
const clampByZero = (x: Tensor): Tensor => x.clamp(0, null).add(x).sub(x.clamp(null, 0)).div(2);

export class Binomial extends CountProbs {
  override get support(): constraints.Constraint { return constraints.integerInterval(0, this.totalCount); }
  override get argConstraints(): Record<string, constraints.Constraint> { return { totalCount: constraints.nonnegativeInteger, probs: constraints.unitInterval, logits: constraints.real }; }
  override get hasEnumerateSupport(): boolean { return true; }
  /** 0 … totalCount along a new first dimension; one totalCount for the whole batch, as PyTorch requires. */
  override enumerateSupport(expand = true): Tensor {
    const counts = this.totalCount.values();
    const n = Math.max(...counts);
    if (Math.min(...counts) !== n) throw new Error('Inhomogeneous total count not supported by `enumerate_support`.');
    return this.enumerated(arange(n + 1), expand);
  }

  constructor(totalCount: Param, options: ProbsOrLogits) {
    super('Binomial', totalCount, options, { ok: (v) => v >= 0 && v <= 1, name: 'Interval(lower_bound=0.0, upper_bound=1.0)' },
      { ok: (v) => Number.isInteger(v) && v >= 0, name: 'IntegerGreaterThan(lower_bound=0)' });
  }

  override expand(batchShape: readonly number[]): Binomial {
    return this.keepValidation(new Binomial(...this.expandedParams(batchShape)));
  }

  override get mean(): Tensor { return this.totalCount.mul(this.probs); }
  /** floor((n + 1)·p), at most n (PyTorch's). */
  override get mode(): Tensor { return this.totalCount.add(1).mul(this.probs).floor().clamp(null, this.totalCount); }
  override get variance(): Tensor { return this.totalCount.mul(this.probs).mul(this.probs.neg().add(1)); }

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
    const normalize = n.mul(clampByZero(logits)).add(n.mul(logits.abs().neg().exp().log1p())).sub(logFactorialN);
    return value.mul(logits).sub(logFactorialK).sub(logFactorialNmk).sub(normalize);
  }

  override entropy(): Tensor {
    const counts = this.totalCount.values();
    const total = Math.max(...counts);
    if (!counts.every((c) => c === total)) throw new Error('Inhomogeneous total count not supported by `entropy`.');
    const support = arange(total + 1).reshape([-1, ...this.batchShape.map(() => 1)]);
    const lp = this.logProb(support);
    return lp.exp().mul(lp).sum(0).neg();
  }
}
