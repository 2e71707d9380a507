// PyTorch 1.13's embedding, margin and likelihood loss modules and its distance modules: each keeps its options and
// calls the functional form (src/ops/embedding-losses.ts, likelihood-losses.ts, triplet-loss.ts, distance.ts,
// margin-ranking-loss.ts). They print as PyTorch's do, with no options shown. The losses take PyTorch's positional
// arguments in its `__init__` order, then options (loss-arguments.ts); their values are checked when they are made.
import { checkOptions, describeValue, type PositionalThenOptions } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkReduction, type Reduction } from '../ops/reduction.js';
import type { CosineSimilarityOptions, PairwiseDistanceOptions } from '../ops/distance.js';
import type { MarginLossOptions, MultiLabelSoftMarginLossOptions } from '../ops/embedding-losses.js';
import type { GaussianNLLLossOptions, PoissonNLLLossOptions } from '../ops/likelihood-losses.js';
import type { MarginRankingLossOptions } from '../ops/margin-ranking-loss.js';
import type { MultiMarginLossOptions } from '../ops/class-margin-losses.js';
import type { TripletMarginLossOptions, TripletMarginWithDistanceLossOptions } from '../ops/triplet-loss.js';
import * as F from './functional.js';
import type { LegacyReductionOptions } from './functional-positional.js';
import { Loss, plainLossOptions } from './loss.js';
import {
  booleanArgument, lossModuleArguments, namedOnlyLossArguments, numberArgument, PLAIN_POSITIONAL, weightArgument,
  type LegacyPair, type PlainLossArguments, type WeightArgument,
} from './loss-arguments.js';
import { Module } from './module.js';
import { ctcLoss, type CtcLossOptions } from '../ops/ctc-loss.js';

/** The options with their names and the reduction checked at construction; the functional form checks the values. */
function kept<T extends object>(name: string, options: T, accepted: readonly string[]): T & { reduction: Reduction } {
  const o = checkOptions<Record<string, unknown>>(name, options as Record<string, unknown>, accepted);
  return { ...(o as T), reduction: checkReduction(o['reduction'] ?? 'mean', name) };
}

/** The arguments of a loss whose `__init__` is `(margin, size_average=None, reduce=None, reduction='mean')`. */
type MarginArguments<O> = PositionalThenOptions<[margin: number | undefined, ...LegacyPair, reduction: Reduction | undefined], O & LegacyReductionOptions>;
const MARGIN_POSITIONAL = ['margin', ...PLAIN_POSITIONAL];

/** PyTorch's `nn.HingeEmbeddingLoss(margin=1.0, size_average, reduce, reduction)`, as `F.hingeEmbeddingLoss`. */
export class HingeEmbeddingLoss extends Loss {
  readonly margin: number;
  constructor(...args: MarginArguments<MarginLossOptions>) {
    const name = new.target.name;
    const options = lossModuleArguments<MarginLossOptions>(name, args, MARGIN_POSITIONAL, `new nn.${name}(0.5, null, null, 'sum')`);
    super(options, ['margin', 'reduction']);
    this.margin = numberArgument(name, 'margin', options.margin, 1);
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    return F.hingeEmbeddingLoss(input, target, { margin: this.margin, reduction: this.reduction });
  }
}

/** PyTorch's `nn.SoftMarginLoss(size_average, reduce, reduction)`, as `F.softMarginLoss`. */
export class SoftMarginLoss extends Loss {
  constructor(...args: PlainLossArguments) {
    super(plainLossOptions(new.target.name, args));
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    return F.softMarginLoss(input, target, { reduction: this.reduction });
  }
}

/**
 * PyTorch's `nn.MultiLabelSoftMarginLoss(weight, size_average, reduce, reduction)`, as `F.multilabelSoftMarginLoss`;
 * the weight is a buffer.
 */
export class MultiLabelSoftMarginLoss extends Loss {
  declare readonly weight: Tensor | null;
  constructor(...args: PositionalThenOptions<[weight: WeightArgument, ...LegacyPair, reduction: Reduction | undefined], MultiLabelSoftMarginLossOptions & LegacyReductionOptions>) {
    const name = new.target.name;
    const options = lossModuleArguments<MultiLabelSoftMarginLossOptions>(name, args, ['weight', ...PLAIN_POSITIONAL], `new nn.${name}(weight, null, null, 'sum')`);
    super(options, ['weight', 'reduction']);
    this.registerWeight('weight', 'weight', weightArgument(name, options.weight, 'a tensor of one weight per class'));
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    return F.multilabelSoftMarginLoss(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/**
 * PyTorch's `nn.MultiMarginLoss(p=1, margin=1.0, weight, size_average, reduce, reduction)`, as `F.multiMarginLoss`;
 * p 1 or 2 (PyTorch refuses others when the module is made); the weight is a buffer.
 */
export class MultiMarginLoss extends Loss {
  readonly p: number;
  readonly margin: number;
  declare readonly weight: Tensor | null;
  constructor(...args: PositionalThenOptions<[p: number | undefined, margin: number | undefined, weight: WeightArgument, ...LegacyPair, reduction: Reduction | undefined], MultiMarginLossOptions & LegacyReductionOptions>) {
    const name = new.target.name;
    const options = lossModuleArguments<MultiMarginLossOptions>(name, args, ['p', 'margin', 'weight', ...PLAIN_POSITIONAL], `new nn.${name}(2, 0.5, weight, null, null, 'sum')`);
    super(options, ['p', 'margin', 'weight', 'reduction']);
    const p = options.p ?? 1;
    if (p !== 1 && p !== 2) throw new RangeError(`${name}: p must be 1 or 2 (PyTorch: only p == 1 and p == 2 supported), got ${describeValue(p)}`);
    this.p = p;
    this.margin = numberArgument(name, 'margin', options.margin, 1);
    this.registerWeight('weight', 'weight', weightArgument(name, options.weight, 'a 1-D tensor of one weight per class'));
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    return F.multiMarginLoss(input, target, { p: this.p, margin: this.margin, weight: this.weight, reduction: this.reduction });
  }
}

/** PyTorch's `nn.MultiLabelMarginLoss(size_average, reduce, reduction)`, as `F.multilabelMarginLoss`. */
export class MultiLabelMarginLoss extends Loss {
  constructor(...args: PlainLossArguments) {
    super(plainLossOptions(new.target.name, args));
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    return F.multilabelMarginLoss(input, target, { reduction: this.reduction });
  }
}

/**
 * PyTorch's `nn.PoissonNLLLoss(log_input=True, full=False, size_average, eps=1e-8, reduce, reduction)`, as
 * `F.poissonNllLoss`.
 */
export class PoissonNLLLoss extends Loss {
  readonly logInput: boolean;
  readonly full: boolean;
  readonly eps: number;
  constructor(...args: PositionalThenOptions<[logInput: boolean | undefined, full: boolean | undefined, sizeAverage: boolean | null | undefined, eps: number | undefined, reduce: boolean | null | undefined, reduction: Reduction | undefined], PoissonNLLLossOptions & LegacyReductionOptions>) {
    const name = new.target.name;
    const options = lossModuleArguments<PoissonNLLLossOptions>(name, args, ['logInput', 'full', 'sizeAverage', 'eps', 'reduce', 'reduction'], `new nn.${name}(false, true, null, 1e-8, null, 'sum')`);
    super(options, ['logInput', 'full', 'eps', 'reduction']);
    this.logInput = booleanArgument(name, 'logInput', options.logInput, true);
    this.full = booleanArgument(name, 'full', options.full, false);
    this.eps = numberArgument(name, 'eps', options.eps, 1e-8);
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

/**
 * A loss of three tensors (PyTorch's forward(input1, input2, target) or (anchor, positive, negative)); its options
 * also kept as PyTorch's attributes (`margin`, `p`, `eps`, `swap`, `full`) by the subclasses.
 */
abstract class TernaryLoss<O extends { reduction?: Reduction }> extends Module {
  readonly reduction: Reduction;
  protected readonly options: O & { reduction: Reduction };
  /** `options` as bound from the constructor's arguments; `numbers` and `booleans` name those checked here. */
  constructor(options: O, accepted: readonly string[], numbers: readonly string[] = [], booleans: readonly string[] = []) {
    super();
    const name = this.constructor.name;
    this.options = kept(name, options, accepted);
    const o = this.options as Record<string, unknown>;
    for (const k of numbers) numberArgument(name, k, o[k], 0);
    for (const k of booleans) booleanArgument(name, k, o[k], false);
    this.reduction = this.options.reduction;
  }
}

/**
 * PyTorch's `nn.GaussianNLLLoss(*, full=False, eps=1e-6, reduction)`, its arguments by name only:
 * `new nn.GaussianNLLLoss({ full: true })`; `forward(input, target, var)`, as `F.gaussianNllLoss`.
 */
export class GaussianNLLLoss extends TernaryLoss<GaussianNLLLossOptions> {
  readonly full: boolean;
  readonly eps: number;
  constructor(options: GaussianNLLLossOptions = {}, ...rest: never[]) {
    const names = ['full', 'eps', 'reduction'];
    super(namedOnlyLossArguments(new.target.name, [options, ...rest], names, `new nn.${new.target.name}({ full: true, eps: 1e-6 })`), names, ['eps'], ['full']);
    this.full = this.options.full ?? false;
    this.eps = this.options.eps ?? 1e-6;
  }
  forward(input: Tensor, target: Tensor, variance: Tensor): Tensor { return F.gaussianNllLoss(input, target, variance, this.options); }
}

/**
 * PyTorch's `nn.CosineEmbeddingLoss(margin=0, size_average, reduce, reduction)`: `forward(input1, input2, target)`,
 * as `F.cosineEmbeddingLoss`.
 */
export class CosineEmbeddingLoss extends TernaryLoss<MarginLossOptions> {
  readonly margin: number;
  constructor(...args: MarginArguments<MarginLossOptions>) {
    super(lossModuleArguments(new.target.name, args, MARGIN_POSITIONAL, `new nn.${new.target.name}(0.5, null, null, 'sum')`), ['margin', 'reduction'], ['margin']);
    this.margin = this.options.margin ?? 0;
  }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor { return F.cosineEmbeddingLoss(input1, input2, target, this.options); }
}

/**
 * PyTorch's `nn.MarginRankingLoss(margin=0, size_average, reduce, reduction)`: `forward(input1, input2, target)`, as
 * `F.marginRankingLoss`.
 */
export class MarginRankingLoss extends TernaryLoss<MarginRankingLossOptions> {
  readonly margin: number;
  constructor(...args: MarginArguments<MarginRankingLossOptions>) {
    super(lossModuleArguments(new.target.name, args, MARGIN_POSITIONAL, `new nn.${new.target.name}(0.5, null, null, 'sum')`), ['margin', 'reduction'], ['margin']);
    this.margin = this.options.margin ?? 0;
  }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor { return F.marginRankingLoss(input1, input2, target, this.options); }
}

/**
 * PyTorch's `nn.TripletMarginLoss(margin=1.0, p=2, eps=1e-6, swap=False, size_average, reduce, reduction)`:
 * `forward(anchor, positive, negative)`.
 */
export class TripletMarginLoss extends TernaryLoss<TripletMarginLossOptions> {
  readonly margin: number;
  readonly p: number;
  readonly eps: number;
  readonly swap: boolean;
  constructor(...args: PositionalThenOptions<[margin: number | undefined, p: number | undefined, eps: number | undefined, swap: boolean | undefined, ...LegacyPair, reduction: Reduction | undefined], TripletMarginLossOptions & LegacyReductionOptions>) {
    const name = new.target.name;
    const options = lossModuleArguments<TripletMarginLossOptions>(name, args, ['margin', 'p', 'eps', 'swap', ...PLAIN_POSITIONAL], `new nn.${name}(0.5, 1, 1e-6, true, null, null, 'sum')`);
    super(options, ['margin', 'p', 'eps', 'swap', 'reduction'], ['margin', 'p', 'eps'], ['swap']);
    this.margin = this.options.margin ?? 1;
    this.p = this.options.p ?? 2;
    this.eps = this.options.eps ?? 1e-6;
    this.swap = this.options.swap ?? false;
  }
  forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor { return F.tripletMarginLoss(anchor, positive, negative, this.options); }
}

/**
 * PyTorch's `nn.TripletMarginWithDistanceLoss(*, distance_function=None, margin=1.0, swap=False, reduction)`, its
 * arguments by name only: `new nn.TripletMarginWithDistanceLoss({ distanceFunction, margin, swap, reduction })`;
 * `forward(anchor, positive, negative)`. Without a distance function it holds an `nn.PairwiseDistance()` as
 * `distance_function`, as PyTorch's.
 */
export class TripletMarginWithDistanceLoss extends TernaryLoss<TripletMarginWithDistanceLossOptions> {
  readonly margin: number;
  readonly swap: boolean;
  private readonly distance: (a: Tensor, b: Tensor) => Tensor;
  constructor(options: TripletMarginWithDistanceLossOptions = {}, ...rest: never[]) {
    const names = ['distanceFunction', 'margin', 'swap', 'reduction'];
    super(namedOnlyLossArguments(new.target.name, [options, ...rest], names, `new nn.${new.target.name}({ distanceFunction, margin: 0.5 })`), names, ['margin'], ['swap']);
    this.margin = this.options.margin ?? 1;
    this.swap = this.options.swap ?? false;
    const given = this.options.distanceFunction ?? null;
    if (given !== null && typeof given !== 'function') throw new TypeError(`${this.constructor.name}: distanceFunction must be a function of two tensors, got ${describeValue(given)}`);
    if (given === null) {
      const d = this.holdModule('distance_function', new PairwiseDistance());
      this.distance = (a, b) => d.forward(a, b);
    } else this.distance = given;
  }
  forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return F.tripletMarginWithDistanceLoss(anchor, positive, negative, { ...this.options, distanceFunction: this.distance });
  }
}

/**
 * PyTorch's `nn.CTCLoss(blank=0, reduction='mean', zero_infinity=False)`, as `F.ctcLoss(logProbs, targets,
 * inputLengths, targetLengths)`.
 */
export class CTCLoss extends Loss {
  readonly blank: number;
  readonly zeroInfinity: boolean;
  constructor(...args: PositionalThenOptions<[blank: number | undefined, reduction: Reduction | undefined, zeroInfinity: boolean | undefined], CtcLossOptions>) {
    const name = new.target.name;
    const options = lossModuleArguments<CtcLossOptions>(name, args, ['blank', 'reduction', 'zeroInfinity'], `new nn.${name}(0, 'sum', true)`);
    super(options, ['blank', 'reduction', 'zeroInfinity']);
    const blank = options.blank ?? 0;
    if (!Number.isSafeInteger(blank) || blank < 0) throw new TypeError(`${name}: blank must be a class index, a whole number ≥ 0, got ${describeValue(blank)}`);
    this.blank = blank;
    this.zeroInfinity = booleanArgument(name, 'zeroInfinity', options.zeroInfinity, false);
  }
  // PyTorch's forward(log_probs, targets, input_lengths, target_lengths).
  override forward(logProbs: Tensor, targets: Tensor, inputLengths?: Tensor | readonly number[] | number, targetLengths?: Tensor | readonly number[] | number): Tensor {
    if (inputLengths === undefined || targetLengths === undefined) throw new TypeError('CTCLoss.forward(logProbs, targets, inputLengths, targetLengths): the lengths are required');
    return ctcLoss(logProbs, targets, inputLengths, targetLengths, { blank: this.blank, reduction: this.reduction, zeroInfinity: this.zeroInfinity });
  }
}
