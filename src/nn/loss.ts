import {
  BCE_OPTIONS, BCE_WITH_LOGITS_OPTIONS, bceOptions, type BceLossOptions, type BceWithLogitsLossOptions,
} from '../ops/bce-options.js';
import {
  bceLoss, checkReduction, classLossOptions, CROSS_ENTROPY_OPTIONS, mseLoss, NLL_OPTIONS, nllLoss,
  type CrossEntropyLossOptions, type NllLossOptions, type Reduction,
} from '../ops/loss.js';
import { checkKlDivReduction, KL_DIV_OPTIONS, klDivOptions, type KlDivLossOptions, type KlDivReduction } from '../ops/kl-div.js';
import {
  HUBER_OPTIONS, huberOptions, l1Loss, SMOOTH_L1_OPTIONS, smoothL1Options, type HuberLossOptions, type SmoothL1LossOptions,
} from '../ops/regression-loss.js';
import { checkOptions, type PositionalThenOptions } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';
import type { LegacyReductionOptions } from './functional-positional.js';
import * as F from './functional.js';
import {
  lossModuleArguments, NLL_POSITIONAL, PLAIN_POSITIONAL, type LegacyPair, type PlainLossArguments, type WeightArgument,
} from './loss-arguments.js';
import { Module } from './module.js';

/**
 * Base of loss modules: a reduction and a `forward(input, target)`. Losses are modules, as in PyTorch, so a model
 * holding one (the book's `self.loss_function`) lists it when printed; they have no parameters.
 */
export abstract class Loss<R extends string = Reduction> extends Module {
  readonly reduction: R;
  /**
   * `accepted`: the options the loss takes (`reduction` alone unless it says otherwise); `checkR` checks the
   * reduction (`checkReduction`'s three unless it says otherwise: `KLDivLoss` takes 'batchmean' too).
   */
  constructor(
    options: { reduction?: R } = {}, accepted: readonly string[] = ['reduction'],
    checkR: (r: unknown, op: string) => R = checkReduction as (r: unknown, op: string) => R,
  ) {
    super();
    const name = this.constructor.name;
    this.reduction = checkR(checkOptions<Record<string, unknown>>(name, options, accepted).reduction ?? 'mean', name);
  }
  abstract override forward(input: Tensor, target: Tensor): Tensor;

  /**
   * Keeps the weight option `option` (or null) as the buffer `name`, as PyTorch's losses do. A buffer is state that
   * is not trained, so a weight that requires grad is refused here, saying what to do instead.
   */
  protected registerWeight(name: string, option: string, t: Tensor | null): void {
    if (t !== null && t.requiresGrad) {
      const cls = this.constructor.name;
      throw new TypeError(
        `${cls}: ${option} requires grad, but a loss module keeps its weights as buffers, which are not trained; pass ` +
          `${option}.detach(), or, to learn the weights, multiply the loss with reduction: 'none' by them yourself`,
      );
    }
    this.registerBuffer(name, t);
  }

  /**
   * Refuses arguments after the target, as Python refuses `loss_fn(out, y, 'sum')`: JavaScript would drop them, so
   * options meant for this call (`forward(out, y, { reduction: 'sum' })`, the form of `F`'s losses) would be lost.
   */
  protected refuseExtra(extra: readonly unknown[]): void {
    if (extra.length === 0) return;
    const name = this.constructor.name;
    throw new TypeError(
      `${name}.forward takes (input, target), got ${2 + extra.length} arguments; options go to the constructor ` +
        `(new nn.${name}({ reduction: 'sum' })), as in PyTorch`,
    );
  }
}

/**
 * The options of a loss module whose `__init__` is PyTorch's `(size_average=None, reduce=None, reduction='mean')`:
 * `new nn.MSELoss(null, null, 'sum')`, `new nn.MSELoss({ reduction: 'sum' })`, `new nn.MSELoss(false)` ('sum', with
 * PyTorch's deprecation warning). Its own constructor, so the arguments never reach `Loss`'s internal ones.
 */
export function plainLossOptions(name: string, args: readonly unknown[]): { reduction?: Reduction } {
  return lossModuleArguments(name, args, PLAIN_POSITIONAL, `new nn.${name}(null, null, 'sum')`);
}

/** Mean (or sum) of squared differences, as `F.mseLoss`: PyTorch's `nn.MSELoss(size_average, reduce, reduction)`. */
export class MSELoss extends Loss {
  constructor(...args: PlainLossArguments) {
    super(plainLossOptions(new.target.name, args));
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    // The op itself, as for L1Loss, BCELoss and NLLLoss: F's form binds PyTorch's positional arguments on every call
    // (about 0.4 µs, 2% of a chapter step), and a module's options were checked when it was made.
    return mseLoss(input, target, { reduction: this.reduction });
  }
}

/** Mean (or sum) of absolute differences, as `F.l1Loss`: PyTorch's `nn.L1Loss(size_average, reduce, reduction)`. */
export class L1Loss extends Loss {
  constructor(...args: PlainLossArguments) {
    super(plainLossOptions(new.target.name, args));
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    return l1Loss(input, target, { reduction: this.reduction });
  }
}

/**
 * Smooth L1 loss, as `F.smoothL1Loss`: PyTorch's `nn.SmoothL1Loss(size_average, reduce, reduction, beta)`, `beta`
 * default 1, not negative.
 */
export class SmoothL1Loss extends Loss {
  readonly beta: number;
  constructor(...args: PositionalThenOptions<[...LegacyPair, reduction: Reduction | undefined, beta: number | undefined], SmoothL1LossOptions & LegacyReductionOptions>) {
    const options = lossModuleArguments<SmoothL1LossOptions>(new.target.name, args, [...PLAIN_POSITIONAL, 'beta'], `new nn.${new.target.name}(null, null, 'sum', 0.5)`);
    super(options, SMOOTH_L1_OPTIONS);
    this.beta = smoothL1Options(options, this.constructor.name).beta;
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    return F.smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

/** Huber loss, as `F.huberLoss`: PyTorch's `nn.HuberLoss(reduction, delta)`, `delta` default 1, positive. */
export class HuberLoss extends Loss {
  readonly delta: number;
  constructor(...args: PositionalThenOptions<[reduction: Reduction | undefined, delta: number | undefined], HuberLossOptions>) {
    const options = lossModuleArguments<HuberLossOptions>(new.target.name, args, ['reduction', 'delta'], `new nn.${new.target.name}('sum', 0.5)`);
    super(options, HUBER_OPTIONS);
    this.delta = huberOptions(options, this.constructor.name).delta;
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    return F.huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

/**
 * KL divergence, as `F.klDiv` (input log-probabilities): PyTorch's `nn.KLDivLoss(size_average, reduce, reduction,
 * log_target)`, `reduction` 'mean' (the default, with PyTorch's warning), 'batchmean' (the KL divergence), 'sum' or
 * 'none', `logTarget` default false.
 */
export class KLDivLoss extends Loss<KlDivReduction> {
  readonly logTarget: boolean;
  constructor(...args: PositionalThenOptions<[...LegacyPair, reduction: KlDivReduction | undefined, logTarget: boolean | undefined], KlDivLossOptions & LegacyReductionOptions>) {
    const options = lossModuleArguments<KlDivLossOptions>(new.target.name, args, [...PLAIN_POSITIONAL, 'logTarget'], `new nn.${new.target.name}(null, null, 'batchmean', true)`);
    super(options, KL_DIV_OPTIONS, checkKlDivReduction);
    this.logTarget = klDivOptions(options, this.constructor.name).logTarget;
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    return F.klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}

/**
 * Binary cross-entropy on probabilities, as `F.bceLoss`: PyTorch's `nn.BCELoss(weight, size_average, reduce,
 * reduction)`, `weight` kept as the buffer `weight`, PyTorch's (in `stateDict()` when given).
 */
export class BCELoss extends Loss {
  declare readonly weight: Tensor | null;
  constructor(...args: PositionalThenOptions<[weight: WeightArgument, ...LegacyPair, reduction: Reduction | undefined], BceLossOptions & LegacyReductionOptions>) {
    const options = lossModuleArguments<BceLossOptions>(new.target.name, args, ['weight', ...PLAIN_POSITIONAL], `new nn.${new.target.name}(weight, null, null, 'sum')`);
    super(options, BCE_OPTIONS);
    this.registerWeight('weight', 'weight', bceOptions(options, this.constructor.name, BCE_OPTIONS).weight ?? null);
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    const weight = this.weight;
    return bceLoss(input, target, weight === null ? { reduction: this.reduction } : { reduction: this.reduction, weight });
  }
}

/**
 * Binary cross-entropy on raw scores, as `F.bceWithLogitsLoss`: PyTorch's `nn.BCEWithLogitsLoss(weight,
 * size_average, reduce, reduction, pos_weight)`, `posWeight` one per class, broadcast along the last dimension;
 * both kept as PyTorch's buffers `weight` and `pos_weight` (in `stateDict()` when given).
 */
export class BCEWithLogitsLoss extends Loss {
  declare readonly weight: Tensor | null;
  constructor(...args: PositionalThenOptions<[weight: WeightArgument, ...LegacyPair, reduction: Reduction | undefined, posWeight: WeightArgument], BceWithLogitsLossOptions & LegacyReductionOptions>) {
    const options = lossModuleArguments<BceWithLogitsLossOptions>(new.target.name, args, ['weight', ...PLAIN_POSITIONAL, 'posWeight'], `new nn.${new.target.name}(null, null, null, 'sum', posWeight)`);
    super(options, BCE_WITH_LOGITS_OPTIONS);
    const o = bceOptions(options, this.constructor.name, BCE_WITH_LOGITS_OPTIONS);
    this.registerWeight('weight', 'weight', o.weight ?? null);
    this.registerWeight('pos_weight', 'posWeight', o.posWeight ?? null);
  }
  /** The buffer `pos_weight` (null when not given). */
  get posWeight(): Tensor | null {
    return this.getBuffer('pos_weight');
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    const options: BceWithLogitsLossOptions = { reduction: this.reduction };
    const { weight, posWeight } = this;
    if (weight !== null) options.weight = weight;
    if (posWeight !== null) options.posWeight = posWeight;
    return F.bceWithLogitsLoss(input, target, options);
  }
}

/**
 * Cross-entropy, as `F.crossEntropyLoss`: PyTorch's `nn.CrossEntropyLoss(weight, size_average, ignore_index, reduce,
 * reduction, label_smoothing)`, `weight` one per class, [C] (kept as PyTorch's buffer `weight`, in `stateDict()`
 * when given), `ignoreIndex` default −100, `labelSmoothing` default 0.
 */
export class CrossEntropyLoss extends Loss {
  declare readonly weight: Tensor | null;
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;
  constructor(...args: PositionalThenOptions<[weight: WeightArgument, sizeAverage: boolean | null | undefined, ignoreIndex: number | undefined, reduce: boolean | null | undefined, reduction: Reduction | undefined, labelSmoothing: number | undefined], CrossEntropyLossOptions & LegacyReductionOptions>) {
    const options = lossModuleArguments<CrossEntropyLossOptions>(new.target.name, args, [...NLL_POSITIONAL, 'labelSmoothing'], `new nn.${new.target.name}(weight, null, -100, null, 'sum', 0.1)`);
    super(options, CROSS_ENTROPY_OPTIONS);
    const o = classLossOptions(options, this.constructor.name, CROSS_ENTROPY_OPTIONS);
    this.registerWeight('weight', 'weight', o.weight ?? null);
    this.ignoreIndex = o.ignoreIndex;
    this.labelSmoothing = o.labelSmoothing;
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    const options: CrossEntropyLossOptions = { reduction: this.reduction, ...nonDefault(this.weight, this.ignoreIndex) };
    if (this.labelSmoothing !== 0) options.labelSmoothing = this.labelSmoothing;
    return F.crossEntropyLoss(input, target, options);
  }
}

/**
 * Negative log-likelihood, as `F.nllLoss`: PyTorch's `nn.NLLLoss(weight, size_average, ignore_index, reduce,
 * reduction)`, `weight` [C] (as PyTorch's buffer `weight`), `ignoreIndex` default −100.
 */
export class NLLLoss extends Loss {
  declare readonly weight: Tensor | null;
  readonly ignoreIndex: number;
  constructor(...args: PositionalThenOptions<[weight: WeightArgument, sizeAverage: boolean | null | undefined, ignoreIndex: number | undefined, reduce: boolean | null | undefined, reduction: Reduction | undefined], NllLossOptions & LegacyReductionOptions>) {
    const options = lossModuleArguments<NllLossOptions>(new.target.name, args, NLL_POSITIONAL, `new nn.${new.target.name}(weight, null, -100, null, 'sum')`);
    super(options, NLL_OPTIONS);
    const o = classLossOptions(options, this.constructor.name, NLL_OPTIONS);
    this.registerWeight('weight', 'weight', o.weight ?? null);
    this.ignoreIndex = o.ignoreIndex;
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    return nllLoss(input, target, { reduction: this.reduction, ...nonDefault(this.weight, this.ignoreIndex) });
  }
}

/** The `weight` and `ignoreIndex` options that differ from the defaults (so the default call stays the plain one). */
function nonDefault(weight: Tensor | null, ignoreIndex: number): NllLossOptions {
  const out: NllLossOptions = {};
  if (weight !== null) out.weight = weight;
  if (ignoreIndex !== -100) out.ignoreIndex = ignoreIndex;
  return out;
}
