// What Binomial and NegativeBinomial share: a total count and one of probs and logits, broadcast to one batch shape,
// the other derived as Bernoulli's is, both checked against their constraints, printed in PyTorch's order (the other
// once it has been read, as PyTorch's lazy_property).
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { binaryFrom, type ProbsOrLogits } from './bernoulli.js';
import { asTensor, Distribution, type Param } from './distribution.js';

/** A constraint on values, as PyTorch names it. */
interface Constraint { ok: (v: number) => boolean; name: string }

export abstract class CountProbs extends Distribution {
  readonly totalCount: Tensor;
  readonly #given: 'probs' | 'logits';
  readonly #probs: Tensor;
  readonly #logits: Tensor;
  /** The parameters printed: the one given, and the other once read (PyTorch's lazy_property stores it then). */
  readonly #shown: Set<'probs' | 'logits'>;

  protected constructor(name: string, totalCount: Param, options: ProbsOrLogits, probsRange: Constraint, countRange: Constraint) {
    if ((options.probs === undefined) === (options.logits === undefined)) throw new RangeError('Either `probs` or `logits` must be specified, but not both.');
    const given = options.probs !== undefined ? 'probs' : 'logits';
    const param = asTensor((options.probs ?? options.logits)!);
    const count = asTensor(totalCount);
    const shape = broadcastShapes(count.shape, param.shape, name);
    super(shape, [], options);
    this.totalCount = count.expand(shape);
    const p = param.expand(shape);
    this.#given = given;
    this.#shown = new Set([given]);
    // Both derived before any check, so that the message can print the distribution.
    [this.#probs, this.#logits] = binaryFrom(given, p);
    if (given === 'probs') this.checkParam('probs', p, probsRange.ok, probsRange.name);
    else this.checkParam('logits', p, (v) => v === v, 'Real()');
    this.checkParam('total_count', this.totalCount, countRange.ok, countRange.name);
  }

  /** The parameter given (probs or logits) expanded to `batchShape`, unchecked: what `expand` builds from. */
  protected expandedParams(batchShape: readonly number[]): [Tensor, ProbsOrLogits] {
    const value = this.#given === 'probs' ? this.#probs : this.#logits;
    return [this.totalCount.expand([...batchShape]), { [this.#given]: value.expand([...batchShape]), validateArgs: false }];
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
    const shown = (['probs', 'logits'] as const).filter((k) => this.#shown.has(k));
    return [['total_count', this.totalCount], ...shown.map((k): [string, Tensor] => [k, k === 'probs' ? this.#probs : this.#logits])];
  }
}
