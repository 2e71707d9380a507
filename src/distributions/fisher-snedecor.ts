// FisherSnedecor(df1, df2), the F distribution, as PyTorch 1.13's: rsample X1/X2 with X1, X2 from Gamma(df/2, df)
// (PyTorch's sampler and draw order, clamped to the smallest normal float), the log density, mean and variance
// (NaN where they do not exist).
import { noGrad } from '../autograd/grad-mode.js';
import { where } from '../ops/binary.js';
import { broadcastShapes } from '../tensor/shape.js';
import { full } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTensor, atShape, Distribution, type Param } from './distribution.js';
import { Gamma } from './gamma.js';
import * as constraints from './constraints.js';

const TINY = 1.1754943508222875e-38;

export class FisherSnedecor extends Distribution {
  override get support(): constraints.Constraint { return constraints.positive; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { df1: constraints.positive, df2: constraints.positive }; }
  override get hasRsample(): boolean { return true; }

  readonly #df1: Tensor;
  readonly #df2: Tensor;
  readonly #gamma1: Gamma;
  readonly #gamma2: Gamma;

  constructor(df1: Param, df2: Param, options: { validateArgs?: boolean } = {}) {
    const [a, b] = [asTensor(df1), asTensor(df2)];
    const shape = broadcastShapes(a.shape, b.shape, 'FisherSnedecor');
    super(shape, [], options);
    this.#df1 = a;
    this.#df2 = b;
    if (options.validateArgs !== false) {
      this.checkParam('df1', this.df1, (v) => v > 0, 'GreaterThan(lower_bound=0.0)');
      this.checkParam('df2', this.df2, (v) => v > 0, 'GreaterThan(lower_bound=0.0)');
    }
    this.#gamma1 = new Gamma(this.df1.mul(0.5), this.df1);
    this.#gamma2 = new Gamma(this.df2.mul(0.5), this.df2);
  }

  get df1(): Tensor { return atShape(this.#df1, this.batchShape); }
  get df2(): Tensor { return atShape(this.#df2, this.batchShape); }

  protected params(): [string, Tensor][] {
    return [['df1', this.df1], ['df2', this.df2]];
  }

  override get mean(): Tensor {
    const df2 = this.df2;
    return where(df2.le(2), full(df2.shape, NaN), df2.div(df2.sub(2)));
  }

  /** (df1 − 2)/df1 · df2/(df2 + 2); NaN for df1 ≤ 2 (PyTorch's). */
  override get mode(): Tensor {
    const df1 = this.df1;
    const df2 = this.df2;
    return where(df1.le(2), NaN, df1.sub(2).div(df1).mul(df2).div(df2.add(2)));
  }

  /**
   * PyTorch's formula with df2 set to NaN where it is at most 4 first (its df2[df2 <= 4] = nan), so that the
   * variance, and its gradient to df1, are NaN there.
   */
  override get variance(): Tensor {
    const df1 = this.df1;
    const df2 = where(this.df2.le(4), NaN, this.df2);
    return df2.pow(2).mul(2).mul(df1.add(df2).sub(2)).div(df1.mul(df2.sub(2).pow(2)).mul(df2.sub(4)));
  }

  sample(sampleShape: readonly number[] = []): Tensor {
    return noGrad(() => this.rsample(sampleShape));
  }

  override rsample(sampleShape: readonly number[] = []): Tensor {
    const shape = this.extendedShape(sampleShape);
    const x1 = this.#gamma1.rsample(sampleShape).reshape(shape);
    const x2 = this.#gamma2.rsample(sampleShape).reshape(shape);
    noGrad(() => x2.detach().clamp_(TINY));
    const y = x1.div(x2);
    noGrad(() => y.detach().clamp_(TINY));
    return y;
  }

  logProb(value: Tensor): Tensor {
    this.checkValue(value, (v) => v > 0, 'GreaterThan(lower_bound=0.0)');
    const ct1 = this.df1.mul(0.5);
    const ct2 = this.df2.mul(0.5);
    const ct3 = this.df1.div(this.df2);
    const t1 = ct1.add(ct2).lgamma().sub(ct1.lgamma()).sub(ct2.lgamma());
    const t2 = ct1.mul(ct3.log()).add(ct1.sub(1).mul(value.log()));
    const t3 = ct1.add(ct2).mul(ct3.mul(value).log1p());
    return t1.add(t2).sub(t3);
  }
}
