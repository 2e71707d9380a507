// Uniform(low, high), as PyTorch 1.13's: rsample low + u·(high − low) with u from rand (seeded as PyTorch's), its
// log density (−∞ outside [low, high)), entropy, cdf and icdf.
import { noGrad } from '../autograd/grad-mode.js';
import { uniform_ } from '../ops/random-fills.js';
import { broadcastShapes } from '../tensor/shape.js';
import { zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTensor, atShape, Distribution, type Param } from './distribution.js';
import * as constraints from './constraints.js';

export class Uniform extends Distribution {
  override get support(): constraints.Constraint { return constraints.interval(this.low, this.high); }
  override get argConstraints(): Record<string, constraints.Constraint> { return { low: constraints.dependent, high: constraints.dependent }; }
  override get hasRsample(): boolean { return true; }

  readonly #low: Tensor;
  readonly #high: Tensor;

  constructor(low: Param, high: Param, options: { validateArgs?: boolean } = {}) {
    const [l, h] = [asTensor(low), asTensor(high)];
    const shape = broadcastShapes(l.shape, h.shape, 'Uniform');
    super(shape, [], options);
    this.#low = l;
    this.#high = h;
    if (options.validateArgs !== false) {
      const lv = this.low.contiguous().values();
      const hv = this.high.contiguous().values();
      if (lv.some((v, i) => !(v < hv[i]!))) throw new RangeError('Uniform is not defined when low>= high');
    }
  }

  /** The bounds at the batch shape (expanded when they were given smaller, at each read: no node kept). */
  get low(): Tensor { return atShape(this.#low, this.batchShape); }
  get high(): Tensor { return atShape(this.#high, this.batchShape); }

  override expand(batchShape: readonly number[]): Uniform {
    return this.keepValidation(new Uniform(this.low.expand([...batchShape]), this.high.expand([...batchShape]), { validateArgs: false }));
  }

  protected params(): [string, Tensor][] {
    return [['low', this.low], ['high', this.high]];
  }

  override get mean(): Tensor { return this.high.add(this.low).div(2); }
  /** NaN (every point is a mode), as PyTorch's nan · high. */
  override get mode(): Tensor { return this.high.mul(NaN); }
  override get stddev(): Tensor { return this.high.sub(this.low).div(12 ** 0.5); }
  override get variance(): Tensor { return this.high.sub(this.low).pow(2).div(12); }

  sample(sampleShape: readonly number[] = []): Tensor {
    return noGrad(() => this.rsample(sampleShape));
  }

  override rsample(sampleShape: readonly number[] = []): Tensor {
    const shape = this.extendedShape(sampleShape);
    const u = noGrad(() => uniform_(zeros(shape)));
    return this.low.add(u.mul(this.high.sub(this.low)));
  }

  /** PyTorch's check of a value against the support [low, high] (logProb and cdf). */
  private checkWithin(value: Tensor, method: string): void {
    const within = (v: Tensor): Tensor => this.low.le(v).mul(this.high.ge(v));
    this.checkValueMask(value, (v) => within(v).values().every((x) => x !== 0), `Interval(lower_bound=${pyNum(this.low)}, upper_bound=${pyNum(this.high)})`, method);
  }

  logProb(value: Tensor): Tensor {
    this.checkWithin(value, 'logProb');
    const inside = this.low.le(value).mul(this.high.gt(value));
    return inside.log().sub(this.high.sub(this.low).log());
  }

  override entropy(): Tensor {
    return this.high.sub(this.low).log();
  }

  override cdf(value: Tensor): Tensor {
    this.checkWithin(value, 'cdf');
    return value.sub(this.low).div(this.high.sub(this.low)).clamp(0, 1);
  }

  override icdf(value: Tensor): Tensor {
    this.checkTensor(value, 'icdf');
    return value.mul(this.high.sub(this.low)).add(this.low);
  }
}

/** How PyTorch prints a bound in the support's name: a number as a Python float, a tensor as itself. */
function pyNum(t: Tensor): string {
  if (t.ndim === 0) return Number.isInteger(t.item()) ? t.item().toFixed(1) : String(t.item());
  return String(t);
}
