// StudentT(df, loc = 0, scale = 1), as PyTorch 1.13's: rsample loc + scale·X·rsqrt(Z/df) with X from normal_() and
// Z from Chi2(df) (seeded as PyTorch's draws, in PyTorch's order: X first), the log density, entropy, mean (NaN for
// df ≤ 1) and variance (∞ for 1 < df ≤ 2, NaN for df ≤ 1).
import { noGrad } from '../autograd/grad-mode.js';
import { lgamma as lgamma64 } from '../kernels/ref/gamma.js';
import { where } from '../ops/binary.js';
import { broadcastShapes } from '../tensor/shape.js';
import { full, zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTensor, atShape, Distribution, type Param } from './distribution.js';
import { Chi2 } from './gamma.js';
import * as constraints from './constraints.js';

export class StudentT extends Distribution {
  override get support(): constraints.Constraint { return constraints.real; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { df: constraints.positive, loc: constraints.real, scale: constraints.positive }; }
  override get hasRsample(): boolean { return true; }

  readonly #df: Tensor;
  readonly #loc: Tensor;
  readonly #scale: Tensor;
  readonly #chi2: Chi2;

  constructor(df: Param, loc: Param = 0, scale: Param = 1, options: { validateArgs?: boolean } = {}) {
    const [d, l, s] = [asTensor(df), asTensor(loc), asTensor(scale)];
    const shape = broadcastShapes(broadcastShapes(d.shape, l.shape, 'StudentT'), s.shape, 'StudentT');
    super(shape, [], options);
    this.#df = d;
    this.#loc = l;
    this.#scale = s;
    if (options.validateArgs !== false) {
      this.checkParam('df', this.df, (v) => v > 0, 'GreaterThan(lower_bound=0.0)');
      this.checkParam('scale', this.scale, (v) => v > 0, 'GreaterThan(lower_bound=0.0)');
    }
    // PyTorch builds its Chi2 without validate_args: df is checked whatever validateArgs says.
    this.#chi2 = new Chi2(this.df);
  }

  get df(): Tensor { return atShape(this.#df, this.batchShape); }
  get loc(): Tensor { return atShape(this.#loc, this.batchShape); }
  get scale(): Tensor { return atShape(this.#scale, this.batchShape); }

  override expand(batchShape: readonly number[]): StudentT {
    const s = [...batchShape];
    return this.keepValidation(new StudentT(this.df.expand(s), this.loc.expand(s), this.scale.expand(s), { validateArgs: false }));
  }

  protected params(): [string, Tensor][] {
    return [['df', this.df], ['loc', this.loc], ['scale', this.scale]];
  }

  override get mean(): Tensor {
    return where(this.df.le(1), full(this.batchShape, NaN), this.loc);
  }

  override get mode(): Tensor { return this.loc; }

  override get variance(): Tensor {
    const df = this.df;
    const m = this.scale.pow(2).mul(df).div(df.sub(2));
    const wide = where(df.le(2).mul(df.gt(1)), full(this.batchShape, Infinity), m);
    return where(df.le(1), full(this.batchShape, NaN), wide);
  }

  sample(sampleShape: readonly number[] = []): Tensor {
    return noGrad(() => this.rsample(sampleShape));
  }

  override rsample(sampleShape: readonly number[] = []): Tensor {
    const x = noGrad(() => zeros(this.extendedShape(sampleShape)).normal_());
    const z = this.#chi2.rsample(sampleShape);
    const y = x.mul(z.div(this.df).rsqrt());
    return this.loc.add(this.scale.mul(y));
  }

  logProb(value: Tensor): Tensor {
    this.checkValue(value, (v) => !Number.isNaN(v), 'Real()');
    const df = this.df;
    const y = value.sub(this.loc).div(this.scale);
    const z = this.scale.log().add(df.log().mul(0.5)).add(0.5 * Math.log(Math.PI)).add(df.mul(0.5).lgamma()).sub(df.add(1).mul(0.5).lgamma());
    return df.add(1).mul(-0.5).mul(y.pow(2).div(df).log1p()).sub(z);
  }

  override entropy(): Tensor {
    const df = this.df;
    const lbeta = df.mul(0.5).lgamma().add(lgamma64(0.5)).sub(df.add(1).mul(0.5).lgamma());
    return this.scale.log().add(df.add(1).mul(0.5).mul(df.add(1).mul(0.5).digamma().sub(df.mul(0.5).digamma()))).add(df.log().mul(0.5)).add(lbeta);
  }
}
