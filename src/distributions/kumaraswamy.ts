// Kumaraswamy(concentration1, concentration0) and LogisticNormal(loc, scale), as PyTorch 1.13's
// TransformedDistributions: Kumaraswamy pushes Uniform(0, 1) through u^(1/b), 1 − ·, ·^(1/a) (rsample, log density
// through the inverses), with PyTorch's moments (lgamma), mode (its formula, NaN where a concentration is below 1) and
// entropy; LogisticNormal pushes Normal(loc, scale) onto the simplex by StickBreakingTransform.
import { where } from '../ops/binary.js';
import { full } from '../tensor/creation.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTensor, atShape, Distribution, type Param } from './distribution.js';
import type { Independent } from './independent.js';
import { Normal } from './normal.js';
import { TransformedDistribution } from './transformed-distribution.js';
import { AffineTransform, PowerTransform } from './transforms.js';
import { StickBreakingTransform } from './transforms-simplex.js';
import { Uniform } from './uniform.js';
import * as constraints from './constraints.js';

const EULER = 0.57721566490153286060;

/** b·B(1 + n/a, b): the n-th moment, as PyTorch's _moments (through lgamma). */
function moment(a: Tensor, b: Tensor, n: number): Tensor {
  const arg = a.reciprocal().mul(n).add(1);
  return b.mul(arg.lgamma().add(b.lgamma()).sub(arg.add(b).lgamma()).exp());
}

export class Kumaraswamy extends TransformedDistribution {
  override get support(): constraints.Constraint { return constraints.unitInterval; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { concentration1: constraints.positive, concentration0: constraints.positive }; }
  override get hasRsample(): boolean { return true; }

  readonly concentration1: Tensor;
  readonly concentration0: Tensor;

  constructor(concentration1: Param, concentration0: Param, options: { validateArgs?: boolean } = {}) {
    const [a, b] = [asTensor(concentration1), asTensor(concentration0)];
    const shape = broadcastShapes(a.shape, b.shape, 'Kumaraswamy');
    const [c1, c0] = [atShape(a, shape), atShape(b, shape)];
    const base = new Uniform(full(shape, 0), full(shape, 1), options);
    super(base, [new PowerTransform(c0.reciprocal()), new AffineTransform(1, -1), new PowerTransform(c1.reciprocal())], options);
    this.concentration1 = c1;
    this.concentration0 = c0;
    if (options.validateArgs !== false) {
      this.checkParam('concentration1', c1, (v) => v > 0, 'GreaterThan(lower_bound=0.0)');
      this.checkParam('concentration0', c0, (v) => v > 0, 'GreaterThan(lower_bound=0.0)');
    }
  }

  protected override params(): [string, Tensor][] {
    return [['concentration1', this.concentration1], ['concentration0', this.concentration0]];
  }

  /** Printed as the other distributions print (PyTorch's repr of the parameters), not as a TransformedDistribution. */
  override toString(): string {
    return Distribution.prototype.toString.call(this);
  }

  override get mean(): Tensor { return moment(this.concentration1, this.concentration0, 1); }
  override get variance(): Tensor { return moment(this.concentration1, this.concentration0, 2).sub(this.mean.pow(2)); }

  /** PyTorch's formula, (1/b)·log1p(−b) − log1p(−a·b), exponentiated; NaN where a or b is below 1. */
  override get mode(): Tensor {
    const [a, b] = [this.concentration1, this.concentration0];
    const logMode = b.reciprocal().mul(b.neg().log1p()).sub(b.neg().mul(a).log1p());
    return where(b.lt(1).logicalOr(a.lt(1)), NaN, logMode).exp();
  }

  override entropy(): Tensor {
    const t1 = this.concentration1.reciprocal().neg().add(1);
    const t0 = this.concentration0.reciprocal().neg().add(1);
    const h0 = this.concentration0.add(1).digamma().add(EULER);
    return t0.add(t1.mul(h0)).sub(this.concentration1.log()).sub(this.concentration0.log());
  }
}

export class LogisticNormal extends TransformedDistribution {
  override get support(): constraints.Constraint { return constraints.simplex; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { loc: constraints.real, scale: constraints.positive }; }
  override get hasRsample(): boolean { return true; }

  constructor(loc: Param, scale: Param, options: { validateArgs?: boolean } = {}) {
    let base = new Normal(loc, scale, options);
    // PyTorch gives a scalar base one batch dimension, so that the simplex has two entries.
    if (base.batchShape.length === 0) base = base.expand([1]) as Normal;
    super(base, new StickBreakingTransform(), options);
  }

  /** The base Normal's (PyTorch's base_dist.base_dist: the Normal inside the Independent over its last dimension). */
  get loc(): Tensor { return ((this.baseDist as unknown as Independent).baseDist as Normal).loc; }
  get scale(): Tensor { return ((this.baseDist as unknown as Independent).baseDist as Normal).scale; }

  /** `LogisticNormal()`, as PyTorch prints it (its parameters belong to the base distribution). */
  override toString(): string {
    return Distribution.prototype.toString.call(this);
  }
}
