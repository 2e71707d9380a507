// Gumbel(loc, scale), as PyTorch 1.13's: samples loc − scale·log(−log u) with u from Uniform(tiny, 1 − ε) (seeded
// as PyTorch's draws, through PyTorch's chain of transforms), the log density (y − e^y) − log scale with
// y = (loc − v)/scale, and PyTorch's mean, variance and entropy.
import { full } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Param } from './distribution.js';
import { LocScale } from './loc-scale.js';
import { Uniform } from './uniform.js';

const TINY = 1.1754943508222875e-38;
const EULER = 0.57721566490153286060;

export class Gumbel extends LocScale {
  readonly #base: Uniform;

  constructor(loc: Param, scale: Param, options: { validateArgs?: boolean } = {}) {
    super('Gumbel', loc, scale, options);
    this.#base = new Uniform(full(this.batchShape, TINY), full(this.batchShape, 1 - 2 ** -23));
  }

  get mean(): Tensor { return this.loc.add(this.scale.mul(EULER)); }
  get mode(): Tensor { return this.loc; }
  get stddev(): Tensor { return this.scale.mul(Math.PI / Math.sqrt(6)); }
  get variance(): Tensor { return this.stddev.pow(2); }

  /** The transforms of PyTorch's Gumbel: log, ·(−1), log, loc + (−scale)·x. */
  private transform(u: Tensor): Tensor {
    const x = u.log().neg().log();
    return this.loc.add(this.scale.neg().mul(x));
  }

  sample(sampleShape: readonly number[] = []): Tensor {
    return this.transform(this.#base.sample(sampleShape));
  }

  rsample(sampleShape: readonly number[] = []): Tensor {
    return this.transform(this.#base.rsample(sampleShape));
  }

  logProb(value: Tensor): Tensor {
    this.checkValue(value, (v) => !Number.isNaN(v), 'Real()');
    const y = this.loc.sub(value).div(this.scale);
    return y.sub(y.exp()).sub(this.scale.log());
  }

  entropy(): Tensor {
    return this.scale.log().add(1 + EULER);
  }
}
