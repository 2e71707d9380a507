// PyTorch 1.13's embedding, margin and likelihood loss modules and its distance modules: each keeps its options and
// calls the functional form (src/ops/embedding-losses.ts, likelihood-losses.ts, triplet-loss.ts, distance.ts,
// margin-ranking-loss.ts). They print as PyTorch's do, with no options shown.
import { checkOptions } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkReduction, type Reduction } from '../ops/reduction.js';
import type { CosineSimilarityOptions, PairwiseDistanceOptions } from '../ops/distance.js';
import type { MarginLossOptions, MultiLabelSoftMarginLossOptions } from '../ops/embedding-losses.js';
import type { GaussianNLLLossOptions, PoissonNLLLossOptions } from '../ops/likelihood-losses.js';
import type { MarginRankingLossOptions } from '../ops/margin-ranking-loss.js';
import type { MultiMarginLossOptions } from '../ops/class-margin-losses.js';
import type { TripletMarginLossOptions, TripletMarginWithDistanceLossOptions } from '../ops/triplet-loss.js';
import * as F from './functional.js';
import { Loss, reductionOnly } from './loss.js';
import { Module } from './module.js';
import { ctcLoss, type CtcLossOptions } from '../ops/ctc-loss.js';

/** The options with their names and the reduction checked at construction; the functional form checks the values. */
function kept<T extends object>(name: string, options: T, accepted: readonly string[]): T & { reduction: Reduction } {
  const o = checkOptions<Record<string, unknown>>(name, options as Record<string, unknown>, accepted);
  return { ...(o as T), reduction: checkReduction(o['reduction'] ?? 'mean', name) };
}

/** `new nn.HingeEmbeddingLoss({ margin: 1, reduction })`, as `F.hingeEmbeddingLoss`. */
export class HingeEmbeddingLoss extends Loss {
  readonly margin: number;
  constructor(options: MarginLossOptions = {}) {
    super(options, ['margin', 'reduction']);
    this.margin = options.margin ?? 1;
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    return F.hingeEmbeddingLoss(input, target, { margin: this.margin, reduction: this.reduction });
  }
}

/** `new nn.SoftMarginLoss({ reduction })`, as `F.softMarginLoss`. */
export class SoftMarginLoss extends Loss {
  constructor(options: { reduction?: Reduction } = {}, ...extra: unknown[]) {
    super(reductionOnly('SoftMarginLoss', options, extra));
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    return F.softMarginLoss(input, target, { reduction: this.reduction });
  }
}

/** `new nn.MultiLabelSoftMarginLoss({ weight, reduction })`, as `F.multilabelSoftMarginLoss`; the weight is a buffer. */
export class MultiLabelSoftMarginLoss extends Loss {
  declare readonly weight: Tensor | null;
  constructor(options: MultiLabelSoftMarginLossOptions = {}) {
    super(options, ['weight', 'reduction']);
    this.registerWeight('weight', 'weight', options.weight ?? null);
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    return F.multilabelSoftMarginLoss(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/** `new nn.MultiMarginLoss({ p, margin, weight, reduction })`, as `F.multiMarginLoss`; the weight is a buffer. */
export class MultiMarginLoss extends Loss {
  readonly p: number;
  readonly margin: number;
  declare readonly weight: Tensor | null;
  constructor(options: MultiMarginLossOptions = {}) {
    super(options, ['p', 'margin', 'weight', 'reduction']);
    this.p = options.p ?? 1;
    this.margin = options.margin ?? 1;
    this.registerWeight('weight', 'weight', options.weight ?? null);
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    return F.multiMarginLoss(input, target, { p: this.p, margin: this.margin, weight: this.weight, reduction: this.reduction });
  }
}

/** `new nn.MultiLabelMarginLoss({ reduction })`, as `F.multilabelMarginLoss`. */
export class MultiLabelMarginLoss extends Loss {
  constructor(options: { reduction?: Reduction } = {}, ...extra: unknown[]) {
    super(reductionOnly('MultiLabelMarginLoss', options, extra));
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    return F.multilabelMarginLoss(input, target, { reduction: this.reduction });
  }
}

/** `new nn.PoissonNLLLoss({ logInput, full, eps, reduction })`, as `F.poissonNllLoss`. */
export class PoissonNLLLoss extends Loss {
  readonly logInput: boolean;
  readonly full: boolean;
  readonly eps: number;
  constructor(options: PoissonNLLLossOptions = {}) {
    super(options, ['logInput', 'full', 'eps', 'reduction']);
    this.logInput = options.logInput ?? true;
    this.full = options.full ?? false;
    this.eps = options.eps ?? 1e-8;
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    return F.poissonNllLoss(input, target, { logInput: this.logInput, full: this.full, eps: this.eps, reduction: this.reduction });
  }
}

/** `new nn.CosineSimilarity({ dim: 1, eps: 1e-8 })`: `forward(x1, x2)`, as `F.cosineSimilarity`. */
export class CosineSimilarity extends Module {
  private readonly options: CosineSimilarityOptions;
  constructor(options: CosineSimilarityOptions = {}) {
    super();
    this.options = checkOptions<CosineSimilarityOptions>('CosineSimilarity', options, ['dim', 'eps']);
  }
  forward(x1: Tensor, x2: Tensor): Tensor { return F.cosineSimilarity(x1, x2, this.options); }
}

/** `new nn.PairwiseDistance({ p: 2, eps: 1e-6, keepdim: false })`: `forward(x1, x2)`, as `F.pairwiseDistance`. */
export class PairwiseDistance extends Module {
  private readonly options: PairwiseDistanceOptions;
  constructor(options: PairwiseDistanceOptions = {}) {
    super();
    this.options = checkOptions<PairwiseDistanceOptions>('PairwiseDistance', options, ['p', 'eps', 'keepdim']);
  }
  forward(x1: Tensor, x2: Tensor): Tensor { return F.pairwiseDistance(x1, x2, this.options); }
}

/** A loss of three tensors (PyTorch's forward(input1, input2, target) or (anchor, positive, negative)). */
abstract class TernaryLoss<O extends { reduction?: Reduction }> extends Module {
  readonly reduction: Reduction;
  protected readonly options: O & { reduction: Reduction };
  constructor(options: O, accepted: readonly string[]) {
    super();
    this.options = kept(this.constructor.name, options, accepted);
    this.reduction = this.options.reduction;
  }
}

/** `new nn.GaussianNLLLoss({ full, eps, reduction })`: `forward(input, target, var)`, as `F.gaussianNllLoss`. */
export class GaussianNLLLoss extends TernaryLoss<GaussianNLLLossOptions> {
  constructor(options: GaussianNLLLossOptions = {}) { super(options, ['full', 'eps', 'reduction']); }
  forward(input: Tensor, target: Tensor, variance: Tensor): Tensor { return F.gaussianNllLoss(input, target, variance, this.options); }
}

/** `new nn.CosineEmbeddingLoss({ margin, reduction })`: `forward(input1, input2, target)`, as `F.cosineEmbeddingLoss`. */
export class CosineEmbeddingLoss extends TernaryLoss<MarginLossOptions> {
  constructor(options: MarginLossOptions = {}) { super(options, ['margin', 'reduction']); }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor { return F.cosineEmbeddingLoss(input1, input2, target, this.options); }
}

/** `new nn.MarginRankingLoss({ margin, reduction })`: `forward(input1, input2, target)`, as `F.marginRankingLoss`. */
export class MarginRankingLoss extends TernaryLoss<MarginRankingLossOptions> {
  constructor(options: MarginRankingLossOptions = {}) { super(options, ['margin', 'reduction']); }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor { return F.marginRankingLoss(input1, input2, target, this.options); }
}

/** `new nn.TripletMarginLoss({ margin, p, eps, swap, reduction })`: `forward(anchor, positive, negative)`. */
export class TripletMarginLoss extends TernaryLoss<TripletMarginLossOptions> {
  constructor(options: TripletMarginLossOptions = {}) { super(options, ['margin', 'p', 'eps', 'swap', 'reduction']); }
  forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor { return F.tripletMarginLoss(anchor, positive, negative, this.options); }
}

/**
 * `new nn.TripletMarginWithDistanceLoss({ distanceFunction, margin, swap, reduction })`: `forward(anchor, positive,
 * negative)`. Without a distance function it holds an `nn.PairwiseDistance()` as `distance_function`, as PyTorch's.
 */
export class TripletMarginWithDistanceLoss extends TernaryLoss<TripletMarginWithDistanceLossOptions> {
  private readonly distance: (a: Tensor, b: Tensor) => Tensor;
  constructor(options: TripletMarginWithDistanceLossOptions = {}) {
    super(options, ['distanceFunction', 'margin', 'swap', 'reduction']);
    const given = options.distanceFunction ?? null;
    if (given === null) {
      const d = this.holdModule('distance_function', new PairwiseDistance());
      this.distance = (a, b) => d.forward(a, b);
    } else this.distance = given;
  }
  forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return F.tripletMarginWithDistanceLoss(anchor, positive, negative, { ...this.options, distanceFunction: this.distance });
  }
}

/** `new nn.CTCLoss({ blank, reduction, zeroInfinity })`, as `F.ctcLoss(logProbs, targets, inputLengths, targetLengths)`. */
export class CTCLoss extends Loss {
  readonly blank: number;
  readonly zeroInfinity: boolean;
  constructor(options: CtcLossOptions = {}) {
    super(options, ['blank', 'reduction', 'zeroInfinity']);
    this.blank = options.blank ?? 0;
    this.zeroInfinity = options.zeroInfinity ?? false;
  }
  // PyTorch's forward(log_probs, targets, input_lengths, target_lengths).
  override forward(logProbs: Tensor, targets: Tensor, inputLengths?: Tensor | readonly number[] | number, targetLengths?: Tensor | readonly number[] | number): Tensor {
    if (inputLengths === undefined || targetLengths === undefined) throw new TypeError('CTCLoss.forward(logProbs, targets, inputLengths, targetLengths): the lengths are required');
    return ctcLoss(logProbs, targets, inputLengths, targetLengths, { blank: this.blank, reduction: this.reduction, zeroInfinity: this.zeroInfinity });
  }
}
