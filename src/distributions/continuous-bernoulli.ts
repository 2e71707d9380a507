// ContinuousBernoulli(probs | logits, lims = [0.499, 0.501]), the [0, 1]-valued distribution of Loaiza-Ganem and
// Cunningham, as PyTorch 1.13's: its normalizing constant, mean and variance with PyTorch's Taylor expansions inside
// the unstable region around ½, rsample icdf(u) with u from rand (seeded as PyTorch's draws), log density, cdf and
// entropy, each in PyTorch's order of operations.
import { noGrad } from '../autograd/grad-mode.js';
import { bceWithLogitsLoss } from '../nn/functional.js';
import { where } from '../ops/binary.js';
import { full, rand } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { broadcastPair, EPS, probsOrLogits, type ProbsOrLogits } from './bernoulli.js';
import { ProbsLogits } from './probs-logits.js';
import * as constraints from './constraints.js';

const clampProbs = (p: Tensor): Tensor => p.clamp(EPS, 1 - EPS);

export class ContinuousBernoulli extends ProbsLogits {
  override get support(): constraints.Constraint { return constraints.unitInterval; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { probs: constraints.unitInterval, logits: constraints.real }; }
  override get hasRsample(): boolean { return true; }

  readonly lims: readonly [number, number];

  constructor(options: ProbsOrLogits & { lims?: readonly [number, number] }) {
    const { probs, logits } = probsOrLogits(options);
    // PyTorch checks the probs as given only when validate_args is given (`is not None`: true, and false too); and
    // when validating, once clamped to [ε, 1 − ε], which only NaN fails.
    if (probs !== null && options.validateArgs !== undefined && !probs.values().every((v) => v >= 0 && v <= 1)) throw new RangeError('The parameter probs has invalid values');
    super([...(probs ?? logits!).shape], probs === null ? 'logits' : 'probs', probs ?? logits!, null, (v) => {
      if (probs === null) return [clampProbs(v.sigmoid()), v];
      const p = clampProbs(v);
      const c = p.clamp(EPS, 1 - EPS);
      return [p, c.log().sub(c.neg().log1p())];
    }, options);
    if (probs !== null) this.checkParam('probs', this.probs, (v) => v >= 0 && v <= 1, 'Interval(lower_bound=0.0, upper_bound=1.0)');
    this.lims = options.lims ?? [0.499, 0.501];
  }

  private outside(): Tensor {
    const p = this.probs;
    return p.le(this.lims[0]).add(p.gt(this.lims[1])).gt(0);
  }

  private cutProbs(): Tensor {
    const p = this.probs;
    return where(this.outside(), p, full(p.shape, this.lims[0]));
  }

  private logNorm(): Tensor {
    const cut = this.cutProbs();
    const below = where(cut.le(0.5), cut, full(cut.shape, 0));
    const above = where(cut.ge(0.5), cut, full(cut.shape, 1));
    const logNorm = cut.neg().log1p().sub(cut.log()).abs().log().sub(where(cut.le(0.5), below.mul(-2).log1p(), above.mul(2).sub(1).log()));
    const x = this.probs.sub(0.5).pow(2);
    const taylor = x.mul(104 / 45).add(4 / 3).mul(x).add(Math.log(2));
    return where(this.outside(), logNorm, taylor);
  }

  override get mean(): Tensor {
    const cut = this.cutProbs();
    const mus = cut.div(cut.mul(2).sub(1)).add(cut.neg().log1p().sub(cut.log()).reciprocal());
    const x = this.probs.sub(0.5);
    const taylor = x.pow(2).mul(16 / 45).add(1 / 3).mul(x).add(0.5);
    return where(this.outside(), mus, taylor);
  }

  override get variance(): Tensor {
    const cut = this.cutProbs();
    const vars = cut.mul(cut.sub(1)).div(cut.mul(-2).add(1).pow(2)).add(cut.neg().log1p().sub(cut.log()).pow(2).reciprocal());
    const x = this.probs.sub(0.5).pow(2);
    const taylor = x.mul(-128 / 945).add(1 / 15).mul(x).neg().add(1 / 12);
    return where(this.outside(), vars, taylor);
  }

  override get stddev(): Tensor { return this.variance.sqrt(); }

  sample(sampleShape: readonly number[] = []): Tensor {
    const u = rand(this.extendedShape(sampleShape));
    return noGrad(() => this.icdf(u));
  }

  override rsample(sampleShape: readonly number[] = []): Tensor {
    return this.icdf(rand(this.extendedShape(sampleShape)));
  }

  logProb(value: Tensor): Tensor {
    this.checkValue(value, (v) => v >= 0 && v <= 1, 'Interval(lower_bound=0.0, upper_bound=1.0)');
    const [logits, v] = broadcastPair(this.logits, value);
    return bceWithLogitsLoss(logits, v, { reduction: 'none' }).neg().add(this.logNorm());
  }

  override cdf(value: Tensor): Tensor {
    this.checkValue(value, (v) => v >= 0 && v <= 1, 'Interval(lower_bound=0.0, upper_bound=1.0)', 'cdf');
    const cut = this.cutProbs();
    const cdfs = cut.pow(value).mul(cut.neg().add(1).pow(value.neg().add(1))).add(cut).sub(1).div(cut.mul(2).sub(1));
    const unbounded = where(this.outside(), cdfs, value);
    return where(value.le(0), full(unbounded.shape, 0), where(value.ge(1), full(unbounded.shape, 1), unbounded));
  }

  override icdf(value: Tensor): Tensor {
    this.checkTensor(value, 'icdf');
    const cut = this.cutProbs();
    const inside = cut.neg().add(value.mul(cut.mul(2).sub(1))).log1p().sub(cut.neg().log1p()).div(cut.log().sub(cut.neg().log1p()));
    return where(this.outside(), inside, value);
  }

  override entropy(): Tensor {
    const lp0 = this.probs.neg().log1p();
    const lp1 = this.probs.log();
    return this.mean.mul(lp0.sub(lp1)).sub(this.logNorm()).sub(lp0);
  }
}
