// Poisson(rate), as PyTorch 1.13's: samples from torch.poisson (seeded as PyTorch's draws), the log probability
// value·log(rate) − rate − lgamma(value + 1) (xlogy: 0 at value 0).
import { noGrad } from '../autograd/grad-mode.js';
import { poisson } from '../ops/random-samplers.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTensor, atShape, Distribution, type Param } from './distribution.js';
import * as constraints from './constraints.js';

export class Poisson extends Distribution {
  override get support(): constraints.Constraint { return constraints.nonnegativeInteger; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { rate: constraints.nonnegative }; }

  readonly #rate: Tensor;

  constructor(rate: Param, options: { validateArgs?: boolean } = {}) {
    const r = asTensor(rate);
    super([...r.shape], [], options);
    this.#rate = r;
    if (options.validateArgs !== false) this.checkParam('rate', this.rate, (v) => v >= 0, 'GreaterThanEq(lower_bound=0.0)');
  }

  get rate(): Tensor { return atShape(this.#rate, this.batchShape); }

  override expand(batchShape: readonly number[]): Poisson {
    return this.keepValidation(new Poisson(this.rate.expand([...batchShape]), { validateArgs: false }));
  }

  protected params(): [string, Tensor][] {
    return [['rate', this.rate]];
  }

  override get mean(): Tensor { return this.rate; }
  override get mode(): Tensor { return this.rate.floor(); }
  override get variance(): Tensor { return this.rate; }

  sample(sampleShape: readonly number[] = []): Tensor {
    return noGrad(() => poisson(this.rate.expand(this.extendedShape(sampleShape)).contiguous()));
  }

  logProb(value: Tensor): Tensor {
    this.checkValue(value, (v) => v >= 0 && Number.isInteger(v), 'IntegerGreaterThan(lower_bound=0)');
    const rate = this.rate;
    return value.xlogy(rate).sub(rate).sub(value.add(1).lgamma());
  }
}
