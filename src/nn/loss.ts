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
import { checkOptions } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';
import * as F from './functional.js';
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
 * The options of a loss module that takes `{ reduction }` alone, with any argument after them refused: PyTorch's
 * positional `nn.MSELoss(None, None, 'sum')` is `new nn.MSELoss({ reduction: 'sum' })` here, and without a constructor
 * of its own such a module would hand the extra arguments to `Loss`'s internal ones (a raw TypeError, or options
 * checked against the wrong list).
 */
export function reductionOnly(name: string, options: { reduction?: Reduction } | undefined, extra: readonly unknown[]): { reduction?: Reduction } | undefined {
  if (extra.length === 0) return options;
  throw new TypeError(
    `${name} takes one object of options, got ${1 + extra.length} arguments; PyTorch's positional size_average, reduce ` +
      `and reduction are the option reduction here: new nn.${name}({ reduction: 'sum' })`,
  );
}

export class MSELoss extends Loss {
  constructor(options: { reduction?: Reduction } = {}, ...extra: unknown[]) {
    super(reductionOnly('MSELoss', options, extra));
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    // The op itself, as for L1Loss, BCELoss and NLLLoss: F's form binds PyTorch's positional arguments on every call
    // (about 0.4 µs, 2% of a chapter step), and a module's options were checked when it was made.
    return mseLoss(input, target, { reduction: this.reduction });
  }
}

/** Mean (or sum) of absolute differences, as `F.l1Loss`: PyTorch's `nn.L1Loss`. */
export class L1Loss extends Loss {
  constructor(options: { reduction?: Reduction } = {}, ...extra: unknown[]) {
    super(reductionOnly('L1Loss', options, extra));
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    return l1Loss(input, target, { reduction: this.reduction });
  }
}

/** Smooth L1 loss, as `F.smoothL1Loss`, with PyTorch's options `reduction` and `beta` (default 1, not negative). */
export class SmoothL1Loss extends Loss {
  readonly beta: number;
  constructor(options: SmoothL1LossOptions = {}) {
    super(options, SMOOTH_L1_OPTIONS);
    this.beta = smoothL1Options(options, 'SmoothL1Loss').beta;
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    return F.smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

/** Huber loss, as `F.huberLoss`, with PyTorch's options `reduction` and `delta` (default 1, positive). */
export class HuberLoss extends Loss {
  readonly delta: number;
  constructor(options: HuberLossOptions = {}) {
    super(options, HUBER_OPTIONS);
    this.delta = huberOptions(options, 'HuberLoss').delta;
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    return F.huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

/**
 * KL divergence, as `F.klDiv` (input log-probabilities), with PyTorch's options `reduction` ('mean', the default,
 * with PyTorch's warning; 'batchmean', the KL divergence; 'sum'; 'none') and `logTarget` (default false).
 */
export class KLDivLoss extends Loss<KlDivReduction> {
  readonly logTarget: boolean;
  constructor(options: KlDivLossOptions = {}) {
    super(options, KL_DIV_OPTIONS, checkKlDivReduction);
    this.logTarget = klDivOptions(options, 'KLDivLoss').logTarget;
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    return F.klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}

/**
 * Binary cross-entropy on probabilities, as `F.bceLoss`, with PyTorch's options: `reduction`, `weight` (kept
 * as the buffer `weight`, PyTorch's: in `stateDict()` when given).
 */
export class BCELoss extends Loss {
  declare readonly weight: Tensor | null;
  constructor(options: BceLossOptions = {}) {
    super(options, BCE_OPTIONS);
    this.registerWeight('weight', 'weight', bceOptions(options, 'BCELoss', BCE_OPTIONS).weight ?? null);
  }
  forward(input: Tensor, target: Tensor, ...extra: unknown[]): Tensor {
    this.refuseExtra(extra);
    const weight = this.weight;
    return bceLoss(input, target, weight === null ? { reduction: this.reduction } : { reduction: this.reduction, weight });
  }
}

/**
 * Binary cross-entropy on raw scores, as `F.bceWithLogitsLoss`, with PyTorch's options: `reduction`, `weight` and
 * `posWeight` (one per class, broadcast along the last dimension); both kept as PyTorch's buffers `weight`
 * and `pos_weight` (in `stateDict()` when given).
 */
export class BCEWithLogitsLoss extends Loss {
  declare readonly weight: Tensor | null;
  constructor(options: BceWithLogitsLossOptions = {}) {
    super(options, BCE_WITH_LOGITS_OPTIONS);
    const o = bceOptions(options, 'BCEWithLogitsLoss', BCE_WITH_LOGITS_OPTIONS);
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
 * Cross-entropy, as `F.crossEntropyLoss`, with PyTorch's options: `reduction`, `weight` (one per class, [C]; kept
 * as PyTorch's buffer `weight`, in `stateDict()` when given), `ignoreIndex` (default −100) and
 * `labelSmoothing` (default 0).
 */
export class CrossEntropyLoss extends Loss {
  declare readonly weight: Tensor | null;
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;
  constructor(options: CrossEntropyLossOptions = {}) {
    super(options, CROSS_ENTROPY_OPTIONS);
    const o = classLossOptions(options, 'CrossEntropyLoss', CROSS_ENTROPY_OPTIONS);
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
 * Negative log-likelihood, as `F.nllLoss`, with PyTorch's options: `reduction`, `weight` ([C], as PyTorch's buffer
 * `weight`), `ignoreIndex`.
 */
export class NLLLoss extends Loss {
  declare readonly weight: Tensor | null;
  readonly ignoreIndex: number;
  constructor(options: NllLossOptions = {}) {
    super(options, NLL_OPTIONS);
    const o = classLossOptions(options, 'NLLLoss', NLL_OPTIONS);
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
