// Bernoulli(probs | logits), as PyTorch 1.13's: one of the two given, the other derived (logits = log p − log(1 − p)
// with p clamped to [ε, 1 − ε]; probs = sigmoid(logits)); samples from bernoulli(probs) (seeded as PyTorch's); log
// probability and entropy as binary cross-entropy with logits.
import { noGrad } from '../autograd/grad-mode.js';
import { bceWithLogitsLoss } from '../nn/functional.js';
import { bernoulli } from '../ops/random-fills.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTensor, Distribution, type Param } from './distribution.js';

/** float32's machine epsilon, PyTorch's clamp for probabilities (torch.finfo(float32).eps). */
export const EPS = 2 ** -23;

export interface ProbsOrLogits { probs?: Param; logits?: Param; validateArgs?: boolean }

/** The probs and logits of a binary or categorical distribution from the one given (PyTorch's message otherwise). */
export function probsOrLogits(o: ProbsOrLogits): { probs: Tensor | null; logits: Tensor | null } {
  if ((o.probs === undefined) === (o.logits === undefined)) throw new RangeError('Either `probs` or `logits` must be specified, but not both.');
  return { probs: o.probs === undefined ? null : asTensor(o.probs), logits: o.logits === undefined ? null : asTensor(o.logits) };
}

export class Bernoulli extends Distribution {
  #probs: Tensor;
  #logits: Tensor;
  /** The parameters printed: the one given, and the other once read (PyTorch's lazy_property fills it in then). */
  readonly #shown: Set<'probs' | 'logits'>;

  constructor(options: ProbsOrLogits) {
    const { probs, logits } = probsOrLogits(options);
    const given = probs ?? logits!;
    super([...given.shape]);
    this.#shown = new Set([probs === null ? 'logits' : 'probs']);
    if (probs !== null) {
      this.#probs = probs;
      this.#logits = probs;
      if (options.validateArgs !== false) this.checkParam('probs', probs, (v) => v >= 0 && v <= 1, 'Interval(lower_bound=0.0, upper_bound=1.0)');
      const clamped = probs.clamp(EPS, 1 - EPS);
      this.#logits = clamped.log().sub(clamped.neg().log1p());
    } else {
      this.#logits = logits!;
      this.#probs = logits!.sigmoid();
    }
  }

  get probs(): Tensor {
    this.#shown.add('probs');
    return this.#probs;
  }

  get logits(): Tensor {
    this.#shown.add('logits');
    return this.#logits;
  }

  protected params(): [string, Tensor][] {
    return (['probs', 'logits'] as const).filter((k) => this.#shown.has(k)).map((k) => [k, k === 'probs' ? this.#probs : this.#logits]);
  }

  get mean(): Tensor { return this.probs; }
  get variance(): Tensor { return this.probs.mul(this.probs.neg().add(1)); }

  sample(sampleShape: readonly number[] = []): Tensor {
    const shape = this.extendedShape(sampleShape);
    return noGrad(() => bernoulli(this.probs.expand(shape).contiguous()));
  }

  logProb(value: Tensor): Tensor {
    this.checkValue(value, (v) => v === 0 || v === 1, 'Boolean()');
    const [logits, v] = broadcastPair(this.logits, value);
    return bceWithLogitsLoss(logits, v, { reduction: 'none' }).neg();
  }

  entropy(): Tensor {
    return bceWithLogitsLoss(this.logits, this.probs, { reduction: 'none' });
  }
}

/** a and b expanded to their common shape. */
export function broadcastPair(a: Tensor, b: Tensor): [Tensor, Tensor] {
  const shape = broadcastShapes(a.shape, b.shape, 'logProb');
  return [a.expand(shape), b.expand(shape)];
}
