// Bernoulli(probs | logits), as PyTorch 1.13's: one of the two given, the other derived (logits = log p − log(1 − p)
// with p clamped to [ε, 1 − ε]; probs = sigmoid(logits)); samples from bernoulli(probs) (seeded as PyTorch's); log
// probability and entropy as binary cross-entropy with logits.
import { noGrad } from '../autograd/grad-mode.js';
import { bceWithLogitsLoss } from '../nn/functional.js';
import { where } from '../ops/binary.js';
import { bernoulli } from '../ops/random-fills.js';
import { tensor } from '../tensor/creation.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTensor, type Param } from './distribution.js';
import { ProbsLogits } from './probs-logits.js';
import * as constraints from './constraints.js';

/** float32's machine epsilon, PyTorch's clamp for probabilities (torch.finfo(float32).eps). */
export const EPS = 2 ** -23;

export interface ProbsOrLogits { probs?: Param; logits?: Param; validateArgs?: boolean }

/** `o` without its validateArgs (what PyTorch's distributions pass to the ones they build inside: nothing, so those check always). */
export function withoutValidateArgs(o: ProbsOrLogits): ProbsOrLogits {
  const { validateArgs, ...rest } = o;
  void validateArgs;
  return rest;
}

/** The probs and logits of a binary or categorical distribution from the one given (PyTorch's message otherwise). */
export function probsOrLogits(o: ProbsOrLogits): { probs: Tensor | null; logits: Tensor | null } {
  if ((o.probs === undefined) === (o.logits === undefined)) throw new RangeError('Either `probs` or `logits` must be specified, but not both.');
  return { probs: o.probs === undefined ? null : asTensor(o.probs), logits: o.logits === undefined ? null : asTensor(o.logits) };
}

/**
 * [probs, logits] of a binary distribution from the one given: logits = log p − log(1 − p) with p clamped to
 * [ε, 1 − ε], or probs = sigmoid(logits) (PyTorch's probs_to_logits and logits_to_probs, is_binary).
 */
export function binaryFrom(given: 'probs' | 'logits', v: Tensor): [Tensor, Tensor] {
  if (given === 'logits') return [v.sigmoid(), v];
  const clamped = v.clamp(EPS, 1 - EPS);
  return [v, clamped.log().sub(clamped.neg().log1p())];
}

export class Bernoulli extends ProbsLogits {
  override get support(): constraints.Constraint { return constraints.boolean; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { probs: constraints.unitInterval, logits: constraints.real }; }
  override get hasEnumerateSupport(): boolean { return true; }
  /** [0, 1] along a new first dimension (PyTorch's `enumerate_support`). */
  override enumerateSupport(expand = true): Tensor { return this.enumerated(tensor([0, 1]), expand); }

  constructor(options: ProbsOrLogits) {
    const { probs, logits } = probsOrLogits(options);
    const check = probs !== null && options.validateArgs !== false ? { ok: (v: number) => v >= 0 && v <= 1, constraint: 'Interval(lower_bound=0.0, upper_bound=1.0)' } : null;
    super([...(probs ?? logits!).shape], probs === null ? 'logits' : 'probs', probs ?? logits!, check, (v) => binaryFrom(probs === null ? 'logits' : 'probs', v), options);
  }

  override expand(batchShape: readonly number[]): Bernoulli {
    const [key, value] = this.given;
    return this.keepValidation(new Bernoulli({ [key]: value.expand([...batchShape]), validateArgs: false }));
  }

  override get mean(): Tensor { return this.probs; }
  /** 1 where probs ≥ ½, else 0; NaN at exactly ½ (PyTorch's). */
  override get mode(): Tensor { return where(this.probs.eq(0.5), NaN, this.probs.ge(0.5)); }
  override get variance(): Tensor { return this.probs.mul(this.probs.neg().add(1)); }

  sample(sampleShape: readonly number[] = []): Tensor {
    const shape = this.extendedShape(sampleShape);
    return noGrad(() => bernoulli(this.probs.expand(shape).contiguous()));
  }

  logProb(value: Tensor): Tensor {
    this.checkValue(value, (v) => v === 0 || v === 1, 'Boolean()');
    const [logits, v] = broadcastPair(this.logits, value);
    return bceWithLogitsLoss(logits, v, { reduction: 'none' }).neg();
  }

  override entropy(): Tensor {
    return bceWithLogitsLoss(this.logits, this.probs, { reduction: 'none' });
  }
}

/** a and b expanded to their common shape. */
export function broadcastPair(a: Tensor, b: Tensor): [Tensor, Tensor] {
  const shape = broadcastShapes(a.shape, b.shape, 'logProb');
  return [a.expand(shape), b.expand(shape)];
}
