// Multinomial(totalCount, probs | logits), as PyTorch 1.13's: counts of totalCount Categorical draws (PyTorch's
// draws after the same seed, scattered into counts), the log probability from the logits, and the entropy through
// the Binomial marginals.
import { noGrad } from '../autograd/grad-mode.js';
import { where } from '../ops/binary.js';
import { zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { type ProbsOrLogits, withoutValidateArgs } from './bernoulli.js';
import { Binomial } from './binomial.js';
import { Categorical } from './categorical.js';
import { Distribution } from './distribution.js';
import { lgamma as lgamma64 } from '../kernels/ref/gamma.js';
import { arange } from '../tensor/creation.js';
import * as constraints from './constraints.js';

export class Multinomial extends Distribution {
  override get support(): constraints.Constraint { return constraints.multinomial(this.totalCount); }
  override get argConstraints(): Record<string, constraints.Constraint> { return { probs: constraints.simplex, logits: constraints.independent(constraints.real, 1) }; }

  readonly #categorical: Categorical;
  readonly #binomial: Binomial;

  constructor(readonly totalCount: number, options: ProbsOrLogits) {
    if (!Number.isInteger(totalCount)) throw new Error('inhomogeneous total_count is not supported');
    // PyTorch builds its Categorical without validate_args: the probabilities are checked whatever validateArgs says.
    const categorical = new Categorical(withoutValidateArgs(options));
    super(categorical.batchShape, [categorical.numEvents], options);
    this.#categorical = categorical;
    this.#binomial = new Binomial(totalCount, { probs: categorical.probs });
  }

  /** None printed: PyTorch's keeps probs and logits in its Categorical, and prints Multinomial(). */
  protected params(): [string, Tensor][] {
    return [];
  }

  override expand(batchShape: readonly number[]): Multinomial {
    const [key, value] = this.#categorical.given;
    return this.keepValidation(new Multinomial(this.totalCount, { [key]: value.expand([...batchShape, this.#categorical.numEvents]), validateArgs: false }));
  }

  get probs(): Tensor { return this.#categorical.probs; }
  get logits(): Tensor { return this.#categorical.logits; }
  override get mean(): Tensor { return this.probs.mul(this.totalCount); }
  override get variance(): Tensor { return this.probs.mul(this.probs.neg().add(1)).mul(this.totalCount); }

  sample(sampleShape: readonly number[] = []): Tensor {
    return noGrad(() => {
      const samples = this.#categorical.sample([this.totalCount, ...sampleShape]);
      const order = [...Array(samples.ndim).keys()];
      order.push(order.shift()!);
      const moved = samples.permute(order);
      const counts = zeros(this.extendedShape(sampleShape));
      return counts.scatterAdd(-1, moved.contiguous(), moved.mul(0).add(1));
    });
  }

  logProb(value: Tensor): Tensor {
    // PyTorch's support: counts ≥ 0 summing to at most totalCount (fractions allowed), printed Multinomial().
    this.validateSample(value);
    const shape = broadcast(this.logits.shape, value.shape);
    const v = value.expand(shape);
    let logits = this.logits.expand(shape);
    const logFactorialN = v.sum(-1).add(1).lgamma();
    const logFactorialXs = v.add(1).lgamma().sum(-1);
    logits = where(v.eq(0).mul(logits.eq(-Infinity)), zeros(shape), logits);
    const logPowers = logits.mul(v).sum(-1);
    return logFactorialN.sub(logFactorialXs).add(logPowers);
  }

  override entropy(): Tensor {
    const n = this.totalCount;
    const term1 = this.#categorical.entropy().mul(n).sub(lgamma64(n + 1));
    const support = arange(1, n + 1).reshape([-1, ...this.#binomial.batchShape.map(() => 1)]);
    const binomialProbs = this.#binomial.logProb(support).exp();
    const weights = support.add(1).lgamma();
    return binomialProbs.mul(weights).sum([0, -1]).add(term1);
  }
}

function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(Math.max(a[a.length - n + i] ?? 1, b[b.length - n + i] ?? 1));
  return out;
}
