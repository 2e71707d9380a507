// Categorical(probs | logits) over the last dimension, as PyTorch 1.13's: probs normalised to sum to 1, logits
// normalised by their logsumexp; samples drawn by `multinomial` with replacement (PyTorch's draws after the same
// seed); log probability of a class index (gathered), entropy.
import { noGrad } from '../autograd/grad-mode.js';
import { multinomial } from '../ops/multinomial.js';
import { arange, full } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { ProbsLogits } from './probs-logits.js';
import { EPS, probsOrLogits, type ProbsOrLogits } from './bernoulli.js';
import * as constraints from './constraints.js';

/** float32's most negative finite value (torch.finfo(float32).min), PyTorch's clamp of logits in the entropy. */
const MIN_REAL = -3.4028234663852886e38;

export class Categorical extends ProbsLogits {
  override get support(): constraints.Constraint { return constraints.integerInterval(0, this.numEvents - 1); }
  override get argConstraints(): Record<string, constraints.Constraint> { return { probs: constraints.simplex, logits: constraints.independent(constraints.real, 1) }; }
  override get hasEnumerateSupport(): boolean { return true; }
  /** 0 … numEvents − 1 along a new first dimension (PyTorch's `enumerate_support`). */
  override enumerateSupport(expand = true): Tensor { return this.enumerated(arange(this.numEvents), expand); }

  constructor(options: ProbsOrLogits) {
    const { probs, logits } = probsOrLogits(options);
    const given = probs ?? logits!;
    if (given.ndim < 1) throw new RangeError(`\`${probs === null ? 'logits' : 'probs'}\` parameter must be at least one-dimensional.`);
    super(given.shape.slice(0, -1), probs === null ? 'logits' : 'probs', given, null, (v) => {
      if (probs === null) {
        const normalised = v.sub(v.logsumexp(-1, true));
        return [normalised.softmax(-1), normalised];
      }
      const p = v.div(v.sum(-1, true));
      return [p, p.clamp(EPS, 1 - EPS).log()];
    }, options, 'IndependentConstraint(Real(), 1)');
    // PyTorch checks the probabilities once normalised: [-1] is [1], fine; [0, 0] is [NaN, NaN], refused.
    if (probs !== null) this.checkParamWhole('probs', this.probs, constraints.simplex.whole(this.probs), 'Simplex()');
  }

  override expand(batchShape: readonly number[]): Categorical {
    const [key, value] = this.given;
    return this.keepValidation(new Categorical({ [key]: value.expand([...batchShape, this.numEvents]), validateArgs: false }));
  }

  /** NaN (a category index has no mean), as PyTorch's. */
  override get mean(): Tensor { return full(this.extendedShape(), NaN); }
  /** NaN, as PyTorch's. */
  override get variance(): Tensor { return full(this.extendedShape(), NaN); }
  /** The most probable category (PyTorch's probs.argmax(-1)). */
  override get mode(): Tensor { return this.probs.argmax(-1); }

  /** The number of categories. */
  get numEvents(): number {
    const p = this.params()[0]![1];
    return p.shape[p.ndim - 1]!;
  }

  /**
   * Class indices of shape [...sampleShape, ...batchShape], as PyTorch's `sample`: `multinomial` of the
   * probabilities (one row per batch element) with replacement, `sampleShape`'s count of draws a row, transposed.
   */
  sample(sampleShape: readonly number[] = []): Tensor {
    const shape = this.extendedShape(sampleShape);
    const count = sampleShape.reduce((a, b) => a * b, 1);
    return noGrad(() => multinomial(this.probs.reshape([-1, this.numEvents]), count, true).t().reshape(shape));
  }

  logProb(value: Tensor): Tensor {
    const n = this.numEvents;
    this.checkValue(value, (v) => Number.isInteger(v) && v >= 0 && v <= n - 1, `IntegerInterval(lower_bound=0, upper_bound=${n - 1})`);
    // PyTorch's value.long(): a fraction (unchecked) is cut toward 0.
    const idx = value.trunc().unsqueeze(-1);
    const shape = [...broadcastOf(idx.shape, this.logits.shape)];
    const logPmf = this.logits.expand(shape);
    const index = idx.expand([...shape.slice(0, -1), 1]);
    return logPmf.gather(-1, index.contiguous()).squeeze(-1);
  }

  override entropy(): Tensor {
    const logits = this.logits.clamp(MIN_REAL, null);
    return logits.mul(this.probs).sum(-1).neg();
  }
}

/** The broadcast shape of an index [..., 1] and logits [..., n]: the last dimension the logits'. */
function broadcastOf(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    out.push(i === n - 1 ? y : Math.max(x, y));
  }
  return out;
}
