// Dirichlet(concentration) over the last dimension and Beta(concentration1, concentration0), as PyTorch 1.13's:
// samples from _sample_dirichlet (float64 gammas, normalized; seeded as PyTorch's draws), the log density, entropy,
// mean and variance in PyTorch's formulas; rsample's gradient is PyTorch's _dirichlet_grad (kernels/ref/dirichlet-grad.ts).
import { noGrad } from '../autograd/grad-mode.js';
import { where } from '../ops/binary.js';
import { stack } from '../ops/join.js';
import { oneHot } from '../ops/one-hot.js';
import { sampleDirichlet } from '../ops/random-samplers.js';
import { broadcastShapes } from '../tensor/shape.js';
import { tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { asTensor, atShape, Distribution, type Param } from './distribution.js';
import * as constraints from './constraints.js';

export class Dirichlet extends Distribution {
  override get support(): constraints.Constraint { return constraints.simplex; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { concentration: constraints.independent(constraints.positive, 1) }; }
  override get hasRsample(): boolean { return true; }

  readonly concentration: Tensor;

  constructor(concentration: Tensor, options: { validateArgs?: boolean } = {}) {
    if (!(concentration instanceof Tensor) || concentration.ndim < 1) throw new RangeError('`concentration` parameter must be at least one-dimensional.');
    super(concentration.shape.slice(0, -1), concentration.shape.slice(-1), options);
    this.concentration = concentration;
    if (options.validateArgs !== false) this.checkParam('concentration', concentration, (v) => v > 0, 'IndependentConstraint(GreaterThan(lower_bound=0.0), 1)');
  }

  override expand(batchShape: readonly number[]): Dirichlet {
    return this.keepValidation(new Dirichlet(this.concentration.expand([...batchShape, ...this.eventShape]), { validateArgs: false }));
  }

  protected params(): [string, Tensor][] {
    return [['concentration', this.concentration]];
  }

  override get mean(): Tensor { return this.concentration.div(this.concentration.sum(-1, true)); }
  /**
   * (c − 1)⁺ normalised; where every concentration is below 1, the one-hot vector of its largest entry (PyTorch's
   * formula, the rows replaced as its mode[mask] = one_hot(…) replaces them).
   */
  override get mode(): Tensor {
    const c = this.concentration;
    const m1 = c.sub(1).clamp(0);
    const mode = m1.div(m1.sum(-1, true));
    const k = c.shape[c.ndim - 1]!;
    const below = c.lt(1).amin(-1, true).expand(mode.shape);
    return where(below, oneHot(mode.argmax(-1), k), mode);
  }
  override get variance(): Tensor {
    const c = this.concentration;
    const c0 = c.sum(-1, true);
    return c.mul(c0.sub(c)).div(c0.pow(2).mul(c0.add(1)));
  }

  sample(sampleShape: readonly number[] = []): Tensor {
    return noGrad(() => this.rsample(sampleShape));
  }

  /** A reparameterised sample: gradients reach the concentration by PyTorch's _dirichlet_grad. */
  override rsample(sampleShape: readonly number[] = []): Tensor {
    return sampleDirichlet(this.concentration.expand(this.extendedShape(sampleShape)).contiguous());
  }

  logProb(value: Tensor): Tensor {
    this.checkValueMask(value, (v) => simplex(v), 'Simplex()');
    const c = this.concentration;
    return value.log().mul(c.sub(1)).sum(-1).add(c.sum(-1).lgamma()).sub(c.lgamma().sum(-1));
  }

  override entropy(): Tensor {
    const c = this.concentration;
    const k = c.shape[c.ndim - 1]!;
    const a0 = c.sum(-1);
    return c.lgamma().sum(-1).sub(a0.lgamma()).sub(a0.neg().add(k).mul(a0.digamma())).sub(c.sub(1).mul(c.digamma()).sum(-1));
  }
}

/** PyTorch's simplex check: every value ≥ 0 and each row sums to 1 within 1e-6. */
function simplex(v: Tensor): boolean {
  const values = v.contiguous().values();
  const k = v.shape[v.ndim - 1] ?? 1;
  for (let row = 0; row < values.length; row += k) {
    let sum = 0;
    for (let j = 0; j < k; j++) {
      if (!(values[row + j]! >= 0)) return false;
      sum += values[row + j]!;
    }
    if (!(Math.abs(sum - 1) < 1e-6)) return false;
  }
  return true;
}

export class Beta extends Distribution {
  override get support(): constraints.Constraint { return constraints.unitInterval; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { concentration1: constraints.positive, concentration0: constraints.positive }; }
  override get hasRsample(): boolean { return true; }

  readonly #dirichlet: Dirichlet;

  constructor(concentration1: Param, concentration0: Param, options: { validateArgs?: boolean } = {}) {
    let both: Tensor;
    if (typeof concentration1 === 'number' && typeof concentration0 === 'number') both = tensor([concentration1, concentration0]);
    else {
      const [a, b] = [asTensor(concentration1), asTensor(concentration0)];
      const shape = broadcastShapes(a.shape, b.shape, 'Beta');
      both = stack([atShape(a, shape), atShape(b, shape)], -1);
    }
    const dirichlet = new Dirichlet(both, options);
    super(dirichlet.batchShape, [], options);
    this.#dirichlet = dirichlet;
  }

  get concentration1(): Tensor {
    const c = this.#dirichlet.concentration;
    return c.select(c.ndim - 1, 0);
  }

  get concentration0(): Tensor {
    const c = this.#dirichlet.concentration;
    return c.select(c.ndim - 1, 1);
  }

  override expand(batchShape: readonly number[]): Beta {
    return this.keepValidation(new Beta(this.concentration1.expand([...batchShape]), this.concentration0.expand([...batchShape]), { validateArgs: false }));
  }

  /** None printed: PyTorch's Beta keeps its concentrations in its Dirichlet, and prints Beta(). */
  protected params(): [string, Tensor][] {
    return [];
  }

  override get mean(): Tensor { return this.concentration1.div(this.concentration1.add(this.concentration0)); }
  /** The Dirichlet's mode's first entry (PyTorch's). */
  override get mode(): Tensor {
    const m = this.#dirichlet.mode;
    return m.select(m.ndim - 1, 0);
  }
  override get variance(): Tensor {
    const total = this.concentration1.add(this.concentration0);
    return this.concentration1.mul(this.concentration0).div(total.pow(2).mul(total.add(1)));
  }

  sample(sampleShape: readonly number[] = []): Tensor {
    return noGrad(() => this.rsample(sampleShape));
  }

  /** A reparameterised sample (the first coordinate of the Dirichlet's): gradients reach both concentrations. */
  override rsample(sampleShape: readonly number[] = []): Tensor {
    const s = this.#dirichlet.rsample(sampleShape);
    return s.select(s.ndim - 1, 0);
  }

  logProb(value: Tensor): Tensor {
    this.checkValue(value, (v) => v >= 0 && v <= 1, 'Interval(lower_bound=0.0, upper_bound=1.0)');
    return this.#dirichlet.logProb(stack([value, value.neg().add(1)], -1));
  }

  override entropy(): Tensor {
    return this.#dirichlet.entropy();
  }
}
