// Gamma(concentration, rate) and Chi2(df) = Gamma(df/2, 1/2), as PyTorch 1.13's: samples from _standard_gamma
// (Marsaglia–Tsang, seeded as PyTorch's draws) divided by the rate; the log density and entropy in PyTorch's
// formulas. rsample sends gradients to the rate and, by PyTorch's _standard_gamma_grad, to the concentration.
import { noGrad } from '../autograd/grad-mode.js';
import { standardGamma } from '../ops/random-samplers.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTensor, atShape, Distribution, type Param } from './distribution.js';
import * as constraints from './constraints.js';

const TINY = 1.1754943508222875e-38;

export class Gamma extends Distribution {
  override get support(): constraints.Constraint { return constraints.nonnegative; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { concentration: constraints.positive, rate: constraints.positive }; }
  override get hasRsample(): boolean { return true; }

  readonly #concentration: Tensor;
  readonly #rate: Tensor;

  constructor(concentration: Param, rate: Param, options: { validateArgs?: boolean } = {}) {
    const [c, r] = [asTensor(concentration), asTensor(rate)];
    super(broadcastShapes(c.shape, r.shape, 'Gamma'), [], options);
    this.#concentration = c;
    this.#rate = r;
    if (options.validateArgs !== false) this.checkArgs();
  }

  /** PyTorch's check of the parameters against argConstraints (Chi2 has its own: df). */
  protected checkArgs(): void {
    this.checkParam('concentration', this.concentration, (v) => v > 0, 'GreaterThan(lower_bound=0.0)');
    this.checkParam('rate', this.rate, (v) => v > 0, 'GreaterThan(lower_bound=0.0)');
  }

  get concentration(): Tensor { return atShape(this.#concentration, this.batchShape); }
  get rate(): Tensor { return atShape(this.#rate, this.batchShape); }

  override expand(batchShape: readonly number[]): Gamma {
    return this.keepValidation(new Gamma(this.concentration.expand([...batchShape]), this.rate.expand([...batchShape]), { validateArgs: false }));
  }

  protected params(): [string, Tensor][] {
    return [['concentration', this.concentration], ['rate', this.rate]];
  }

  override get mean(): Tensor { return this.concentration.div(this.rate); }
  override get mode(): Tensor { return this.concentration.sub(1).div(this.rate).clamp(0); }
  override get variance(): Tensor { return this.concentration.div(this.rate.pow(2)); }

  sample(sampleShape: readonly number[] = []): Tensor {
    return noGrad(() => this.draw(sampleShape));
  }

  /**
   * A reparameterised sample: gradients flow to the rate, and to the concentration through PyTorch's implicit
   * reparameterisation gradient (_standard_gamma_grad).
   */
  override rsample(sampleShape: readonly number[] = []): Tensor {
    return this.draw(sampleShape);
  }

  private draw(sampleShape: readonly number[]): Tensor {
    const shape = this.extendedShape(sampleShape);
    const value = standardGamma(this.concentration.expand(shape).contiguous()).div(this.rate.expand(shape));
    noGrad(() => value.detach().clamp_(TINY));
    return value;
  }

  logProb(value: Tensor): Tensor {
    this.checkValue(value, (v) => v >= 0, 'GreaterThanEq(lower_bound=0.0)');
    const c = this.concentration;
    return c.xlogy(this.rate).add(c.sub(1).xlogy(value)).sub(this.rate.mul(value)).sub(c.lgamma());
  }

  override entropy(): Tensor {
    const c = this.concentration;
    return c.sub(this.rate.log()).add(c.lgamma()).add(c.neg().add(1).mul(c.digamma()));
  }
}

export class Chi2 extends Gamma {
  override get argConstraints(): Record<string, constraints.Constraint> { return { df: constraints.positive }; }

  constructor(df: Param, options: { validateArgs?: boolean } = {}) {
    super(asTensor(df).mul(0.5), 0.5, options);
  }

  get df(): Tensor { return this.concentration.mul(2); }

  /** df checked, as PyTorch's Chi2 (its arg_constraints are df's alone). */
  protected override checkArgs(): void {
    this.checkParam('df', this.df, (v) => v > 0, 'GreaterThan(lower_bound=0.0)');
  }

  /** None printed: PyTorch's keeps df as Gamma's concentration, and prints Chi2(). */
  protected override params(): [string, Tensor][] {
    return [];
  }

  override expand(batchShape: readonly number[]): Chi2 {
    return this.keepValidation(new Chi2(this.df.expand([...batchShape]), { validateArgs: false }));
  }
}
