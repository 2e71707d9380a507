// Gumbel(loc, scale), as PyTorch 1.13's TransformedDistribution of Uniform(tiny, 1 − ε) through ExpTransform().inv,
// AffineTransform(0, −1), ExpTransform().inv and AffineTransform(loc, −scale): samples loc − scale·log(−log u)
// (seeded as PyTorch's draws; sample without gradient, rsample with it), cdf and icdf through the transforms, its own
// log density (y − e^y) − log scale with y = (loc − v)/scale, and PyTorch's mean, mode, stddev, variance and entropy.
import { full } from '../tensor/creation.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTensor, atShape, Distribution, type DistributionOptions, type Param } from './distribution.js';
import { TransformedDistribution } from './transformed-distribution.js';
import { AffineTransform, ExpTransform } from './transforms.js';
import { Uniform } from './uniform.js';
import * as constraints from './constraints.js';

const TINY = 1.1754943508222875e-38;
const EPS = 2 ** -23;
const EULER = 0.57721566490153286060;

export class Gumbel extends TransformedDistribution {
  override get support(): constraints.Constraint { return constraints.real; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { loc: constraints.real, scale: constraints.positive }; }

  /** loc and scale broadcast to one shape (PyTorch's broadcast_all). */
  readonly loc: Tensor;
  readonly scale: Tensor;

  constructor(loc: Param, scale: Param, options: DistributionOptions = {}) {
    const [l, s] = [asTensor(loc), asTensor(scale)];
    const shape = broadcastShapes(l.shape, s.shape, 'Gumbel');
    const [bl, bs] = [atShape(l, shape), atShape(s, shape)];
    // Built without validateArgs, as PyTorch's: the base checks the values cdf takes back to it, whatever validateArgs says.
    const base = new Uniform(full(shape, TINY), full(shape, 1 - EPS));
    // PyTorch's last transform takes loc as it was given (a number stays a number).
    super(base, [new ExpTransform().inv, new AffineTransform(0, full(shape, -1)), new ExpTransform().inv, new AffineTransform(typeof loc === 'number' ? loc : l, bs.neg())], options);
    this.loc = bl;
    this.scale = bs;
    this.checkParam('loc', bl, (v) => v === v, 'Real()');
    this.checkParam('scale', bs, (v) => v > 0, 'GreaterThan(lower_bound=0.0)');
  }

  override expand(batchShape: readonly number[]): Gumbel {
    return this.keepValidation(new Gumbel(this.loc.expand([...batchShape]), this.scale.expand([...batchShape]), { validateArgs: false }));
  }

  protected override params(): [string, Tensor][] {
    return [['loc', this.loc], ['scale', this.scale]];
  }

  /** Printed as the other distributions print (PyTorch's repr of the parameters), not as a TransformedDistribution. */
  override toString(): string {
    return Distribution.prototype.toString.call(this);
  }

  override get mean(): Tensor { return this.loc.add(this.scale.mul(EULER)); }
  override get mode(): Tensor { return this.loc; }
  override get stddev(): Tensor { return this.scale.mul(Math.PI / Math.sqrt(6)); }
  override get variance(): Tensor { return this.stddev.pow(2); }

  /** PyTorch's own formula (for precision), not the transforms'. */
  override logProb(value: Tensor): Tensor {
    this.checkValue(value, (v) => v === v, 'Real()');
    const y = this.loc.sub(value).div(this.scale);
    return y.sub(y.exp()).sub(this.scale.log());
  }

  override entropy(): Tensor {
    return this.scale.log().add(1 + EULER);
  }
}
