// OneHotCategorical(probs | logits) and OneHotCategoricalStraightThrough, as PyTorch 1.13's: a Categorical's samples
// (the same draws after the same seed) as one-hot vectors, the log probability of the vector's largest entry's index,
// entropy, mean and variance; the straight-through form's rsample adds probs − probs.detach(), so gradients reach the
// probabilities.
import type { Tensor } from '../tensor/tensor.js';
import { oneHot } from '../ops/one-hot.js';
import { eye } from '../tensor/integers.js';
import { type ProbsOrLogits, withoutValidateArgs } from './bernoulli.js';
import { Categorical } from './categorical.js';
import { Distribution } from './distribution.js';
import * as constraints from './constraints.js';

export class OneHotCategorical extends Distribution {
  override get support(): constraints.Constraint { return constraints.oneHot; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { probs: constraints.simplex, logits: constraints.independent(constraints.real, 1) }; }
  override get hasEnumerateSupport(): boolean { return true; }
  /** The numEvents one-hot vectors along a new first dimension (PyTorch's `enumerate_support`). */
  override enumerateSupport(expand = true): Tensor { return this.enumerated(eye(this.eventShape[0]!), expand); }

  readonly #categorical: Categorical;

  constructor(options: ProbsOrLogits) {
    // PyTorch builds its Categorical without validate_args: the probabilities are checked whatever validateArgs says.
    const categorical = new Categorical(withoutValidateArgs(options));
    super(categorical.batchShape, [categorical.numEvents], options);
    this.#categorical = categorical;
  }

  /** None printed: PyTorch's keeps probs and logits in its Categorical, and prints OneHotCategorical(). */
  protected params(): [string, Tensor][] {
    return [];
  }

  override expand(batchShape: readonly number[]): this {
    const Ctor = this.constructor as new (options: ProbsOrLogits) => this;
    const [key, value] = this.#categorical.given;
    return this.keepValidation(new Ctor({ [key]: value.expand([...batchShape, this.#categorical.numEvents]), validateArgs: false }));
  }

  /** The Categorical over the vector's index that this is the one-hot form of. */
  get categorical(): Categorical { return this.#categorical; }
  get probs(): Tensor { return this.#categorical.probs; }
  get logits(): Tensor { return this.#categorical.logits; }
  override get mean(): Tensor { return this.#categorical.probs; }
  /** The most probable category as a one-hot vector (PyTorch's). */
  override get mode(): Tensor { return oneHot(this.#categorical.probs.argmax(-1), this.#categorical.numEvents); }
  override get variance(): Tensor {
    const p = this.#categorical.probs;
    return p.mul(p.neg().add(1));
  }

  sample(sampleShape: readonly number[] = []): Tensor {
    return oneHot(this.#categorical.sample(sampleShape), this.#categorical.numEvents);
  }

  logProb(value: Tensor): Tensor {
    this.checkValueMask(value, (v) => oneHotRows(v), 'OneHot()');
    return this.#categorical.logProb(value.max(-1).indices);
  }

  override entropy(): Tensor {
    return this.#categorical.entropy();
  }
}

/** PyTorch's OneHot() check: 0/1 entries, exactly one 1 per vector. */
function oneHotRows(v: Tensor): boolean {
  const values = v.contiguous().values();
  const k = v.shape[v.ndim - 1] ?? 1;
  for (let row = 0; row < values.length; row += k) {
    let ones = 0;
    for (let j = 0; j < k; j++) {
      const x = values[row + j]!;
      if (x !== 0 && x !== 1) return false;
      ones += x;
    }
    if (ones !== 1) return false;
  }
  return true;
}

export class OneHotCategoricalStraightThrough extends OneHotCategorical {
  override get hasRsample(): boolean { return true; }

  /** sample() + (probs − probs.detach()): the sample's values, with the probabilities' gradient (straight through). */
  override rsample(sampleShape: readonly number[] = []): Tensor {
    const samples = this.sample(sampleShape);
    const probs = this.probs;
    return samples.add(probs.sub(probs.detach()));
  }
}
