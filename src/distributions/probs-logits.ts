// What Bernoulli and Categorical share: one of `probs` and `logits` given, the other derived from it, and PyTorch's
// printing of them (the one given, and the other once it has been read: PyTorch's lazy_property stores it then).
import type { Tensor } from '../tensor/tensor.js';
import { Distribution, type DistributionOptions } from './distribution.js';

/** A constraint a given `probs` is checked against (PyTorch's validate_args). */
export interface ProbsCheck { ok: (v: number) => boolean; constraint: string }

export abstract class ProbsLogits extends Distribution {
  #probs: Tensor;
  #logits: Tensor;
  readonly #shown: Set<'probs' | 'logits'>;
  /** Which parameter was given, and its value as given. @internal */
  readonly given: readonly ['probs' | 'logits', Tensor];

  /**
   * `derive` makes [probs, logits] from the parameter given; `check` is run on a given probs first. Given logits are
   * checked against `logitsConstraint` (PyTorch's Real(), or IndependentConstraint(Real(), 1) for a Categorical's) as
   * derived: NaN is refused, ±∞ is not.
   */
  protected constructor(batchShape: number[], given: 'probs' | 'logits', value: Tensor, check: ProbsCheck | null, derive: (value: Tensor) => [Tensor, Tensor], options: DistributionOptions = {}, logitsConstraint = 'Real()') {
    super(batchShape, [], options);
    this.#shown = new Set([given]);
    this.given = [given, value];
    this.#probs = value;
    this.#logits = value;
    if (check !== null) this.checkParam('probs', value, check.ok, check.constraint);
    [this.#probs, this.#logits] = derive(value);
    if (given === 'logits') this.checkParam('logits', this.#logits, (v) => v === v, logitsConstraint);
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
}
