// Geometric(probs | logits): the number of failures before the first success, as PyTorch 1.13's: samples
// floor(log u / log(1 − p)) with u from uniform_(tiny, 1) (seeded as PyTorch's draws), the log probability
// v·log(1 − p) + log p (0·log 0 taken as 0 at p = 1), entropy, mean and variance.
import { noGrad } from '../autograd/grad-mode.js';
import { bceWithLogitsLoss } from '../nn/functional.js';
import { where } from '../ops/binary.js';
import { tensor, zeros, zerosLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { binaryFrom, broadcastPair, probsOrLogits, type ProbsOrLogits } from './bernoulli.js';
import { pyShape } from './distribution.js';
import { ProbsLogits } from './probs-logits.js';
import * as constraints from './constraints.js';

const TINY = 1.1754943508222875e-38;

export class Geometric extends ProbsLogits {
  override get support(): constraints.Constraint { return constraints.nonnegativeInteger; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { probs: constraints.unitInterval, logits: constraints.real }; }

  constructor(options: ProbsOrLogits) {
    const { probs, logits } = probsOrLogits(options);
    const check = probs !== null && options.validateArgs !== false ? { ok: (v: number) => v >= 0 && v <= 1, constraint: 'Interval(lower_bound=0.0, upper_bound=1.0)' } : null;
    super([...(probs ?? logits!).shape], probs === null ? 'logits' : 'probs', probs ?? logits!, check, (v) => binaryFrom(probs === null ? 'logits' : 'probs', v), options);
    // PyTorch's extra check beyond the unit interval, in its words, printing the invalid values alone.
    const bad = check === null ? [] : this.probs.values().filter((v) => !(v > 0));
    if (bad.length > 0) {
      throw new RangeError(`Expected parameter probs (Tensor of shape ${pyShape(this.probs.shape)}) of distribution ${this.toString()} to be positive but found invalid values:\n${String(tensor(bad))}`);
    }
  }

  override expand(batchShape: readonly number[]): Geometric {
    const [key, value] = this.given;
    return this.keepValidation(new Geometric({ [key]: value.expand([...batchShape]), validateArgs: false }));
  }

  override get mean(): Tensor { return this.probs.reciprocal().sub(1); }
  override get mode(): Tensor { return zerosLike(this.probs); }
  override get variance(): Tensor { return this.probs.reciprocal().sub(1).div(this.probs); }

  sample(sampleShape: readonly number[] = []): Tensor {
    return noGrad(() => {
      const u = zeros(this.extendedShape(sampleShape)).uniform_(TINY, 1);
      return u.log().div(this.probs.neg().log1p()).floor();
    });
  }

  logProb(value: Tensor): Tensor {
    this.checkValue(value, (v) => Number.isInteger(v) && v >= 0, 'IntegerGreaterThan(lower_bound=0)');
    const [v, p] = broadcastPair(value, this.probs);
    const probs = where(p.eq(1).mul(v.eq(0)), p.mul(0), p);
    return v.mul(probs.neg().log1p()).add(this.probs.log());
  }

  override entropy(): Tensor {
    return bceWithLogitsLoss(this.logits, this.probs, { reduction: 'none' }).div(this.probs);
  }
}
