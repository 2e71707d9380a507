// The relaxed (Concrete / Gumbel-softmax) distributions of PyTorch 1.13: LogitRelaxedBernoulli and RelaxedBernoulli
// (its sigmoid), ExpRelaxedCategorical and RelaxedOneHotCategorical (its exp, on the simplex) — reparametrised
// samples from rand (seeded as PyTorch's draws) at a temperature, and PyTorch's log densities.
import { full, rand } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { binaryFrom, broadcastPair, EPS, probsOrLogits, type ProbsOrLogits, withoutValidateArgs } from './bernoulli.js';
import { Categorical } from './categorical.js';
import { asTensor, Distribution, type Param } from './distribution.js';
import { ProbsLogits } from './probs-logits.js';
import { TransformedDistribution } from './transformed-distribution.js';
import { ExpTransform, SigmoidTransform } from './transforms.js';
import * as constraints from './constraints.js';

const clampProbs = (p: Tensor): Tensor => p.clamp(EPS, 1 - EPS);

export class LogitRelaxedBernoulli extends ProbsLogits {
  override get support(): constraints.Constraint { return constraints.real; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { probs: constraints.unitInterval, logits: constraints.real }; }
  override get hasRsample(): boolean { return false; }

  readonly temperature: Tensor;

  constructor(temperature: Param, options: ProbsOrLogits) {
    const { probs, logits } = probsOrLogits(options);
    const check = probs !== null && options.validateArgs !== false ? { ok: (v: number) => v >= 0 && v <= 1, constraint: 'Interval(lower_bound=0.0, upper_bound=1.0)' } : null;
    super([...(probs ?? logits!).shape], probs === null ? 'logits' : 'probs', probs ?? logits!, check, (v) => binaryFrom(probs === null ? 'logits' : 'probs', v), options);
    this.temperature = asTensor(temperature);
  }

  override expand(batchShape: readonly number[]): LogitRelaxedBernoulli {
    const [key, value] = this.given;
    return this.keepValidation(new LogitRelaxedBernoulli(this.temperature, { [key]: value.expand([...batchShape]), validateArgs: false }));
  }

  sample(sampleShape: readonly number[] = []): Tensor {
    return this.rsample(sampleShape).detach();
  }

  /** (logit(u) + logit(p)) / temperature, u from rand. */
  override rsample(sampleShape: readonly number[] = []): Tensor {
    const shape = this.extendedShape(sampleShape);
    const probs = clampProbs(this.probs.expand(shape));
    const u = clampProbs(rand(shape));
    return u.log().sub(u.neg().log1p()).add(probs.log()).sub(probs.neg().log1p()).div(this.temperature);
  }

  logProb(value: Tensor): Tensor {
    this.checkValue(value, (v) => !Number.isNaN(v), 'Real()');
    const [logits, v] = broadcastPair(this.logits, value);
    const diff = logits.sub(v.mul(this.temperature));
    return this.temperature.log().add(diff).sub(diff.exp().log1p().mul(2));
  }
}

export class RelaxedBernoulli extends TransformedDistribution {
  override get support(): constraints.Constraint { return constraints.unitInterval; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { probs: constraints.unitInterval, logits: constraints.real }; }
  override get hasRsample(): boolean { return true; }

  constructor(temperature: Param, options: ProbsOrLogits) {
    super(new LogitRelaxedBernoulli(temperature, withoutValidateArgs(options)), new SigmoidTransform(), options);
  }

  override expand(batchShape: readonly number[]): RelaxedBernoulli {
    const [key, value] = (this.baseDist as LogitRelaxedBernoulli).given;
    return this.keepValidation(new RelaxedBernoulli(this.temperature, { [key]: value.expand([...batchShape]), validateArgs: false }));
  }

  get temperature(): Tensor { return (this.baseDist as LogitRelaxedBernoulli).temperature; }
  get probs(): Tensor { return (this.baseDist as LogitRelaxedBernoulli).probs; }
  get logits(): Tensor { return (this.baseDist as LogitRelaxedBernoulli).logits; }
}

export class ExpRelaxedCategorical extends Distribution {
  override get support(): constraints.Constraint { return constraints.realVector; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { probs: constraints.simplex, logits: constraints.independent(constraints.real, 1) }; }
  override get hasRsample(): boolean { return true; }

  readonly #categorical: Categorical;
  readonly temperature: Tensor;

  constructor(temperature: Param, options: ProbsOrLogits) {
    // PyTorch builds its Categorical without validate_args: the probabilities are checked whatever validateArgs says.
    const categorical = new Categorical(withoutValidateArgs(options));
    super(categorical.batchShape, [categorical.numEvents], options);
    this.#categorical = categorical;
    this.temperature = asTensor(temperature);
  }

  /** The parameter given (probs or logits) expanded to `batchShape`, unchecked: what `expand` builds from. @internal */
  expandedGiven(batchShape: readonly number[]): ProbsOrLogits {
    const [key, value] = this.#categorical.given;
    return { [key]: value.expand([...batchShape, this.#categorical.numEvents]), validateArgs: false };
  }

  override expand(batchShape: readonly number[]): ExpRelaxedCategorical {
    return this.keepValidation(new ExpRelaxedCategorical(this.temperature, this.expandedGiven(batchShape)));
  }

  protected params(): [string, Tensor][] {
    return (this.#categorical as unknown as { params(): [string, Tensor][] }).params();
  }

  get logits(): Tensor { return this.#categorical.logits; }
  get probs(): Tensor { return this.#categorical.probs; }

  sample(sampleShape: readonly number[] = []): Tensor {
    return this.rsample(sampleShape).detach();
  }

  /** Gumbel-perturbed logits over the temperature, normalised by their logsumexp (log-probabilities on the simplex). */
  override rsample(sampleShape: readonly number[] = []): Tensor {
    const shape = this.extendedShape(sampleShape);
    const u = clampProbs(rand(shape));
    const gumbels = u.log().neg().log().neg();
    const scores = this.logits.add(gumbels).div(this.temperature);
    return scores.sub(scores.logsumexp(-1, true));
  }

  logProb(value: Tensor): Tensor {
    const k = this.#categorical.numEvents;
    this.checkValue(value, (v) => !Number.isNaN(v), 'IndependentConstraint(Real(), 1)');
    const [logits, v] = broadcastPair(this.logits, value);
    const logScale = full(this.temperature.shape, k).lgamma().sub(this.temperature.log().mul(-(k - 1)));
    let score = logits.sub(v.mul(this.temperature));
    score = score.sub(score.logsumexp(-1, true)).sum(-1);
    return score.add(logScale);
  }
}

export class RelaxedOneHotCategorical extends TransformedDistribution {
  override get support(): constraints.Constraint { return constraints.simplex; }
  override get argConstraints(): Record<string, constraints.Constraint> { return { probs: constraints.simplex, logits: constraints.independent(constraints.real, 1) }; }
  override get hasRsample(): boolean { return true; }

  constructor(temperature: Param, options: ProbsOrLogits) {
    super(new ExpRelaxedCategorical(temperature, options), new ExpTransform(), options);
  }

  override expand(batchShape: readonly number[]): RelaxedOneHotCategorical {
    const base = this.baseDist as ExpRelaxedCategorical;
    return this.keepValidation(new RelaxedOneHotCategorical(this.temperature, base.expandedGiven(batchShape)));
  }

  get temperature(): Tensor { return (this.baseDist as ExpRelaxedCategorical).temperature; }
  get probs(): Tensor { return (this.baseDist as ExpRelaxedCategorical).probs; }
  get logits(): Tensor { return (this.baseDist as ExpRelaxedCategorical).logits; }
}
