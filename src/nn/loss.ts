import {
  BCE_OPTIONS, BCE_WITH_LOGITS_OPTIONS, bceOptions, type BceLossOptions, type BceWithLogitsLossOptions,
} from '../ops/bce-options.js';
import {
  checkReduction, classLossOptions, CROSS_ENTROPY_OPTIONS, NLL_OPTIONS,
  type CrossEntropyLossOptions, type NllLossOptions, type Reduction,
} from '../ops/loss.js';
import { checkOptions } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';
import * as F from './functional.js';
import { Module } from './module.js';

/**
 * Base of loss modules: a reduction and a `forward(input, target)`. Losses are modules, as in PyTorch, so a model
 * holding one (the book's `self.loss_function`) lists it when printed; they have no parameters.
 */
export abstract class Loss extends Module {
  readonly reduction: Reduction;
  /** `accepted`: the options the loss takes (`reduction` alone unless it says otherwise). */
  constructor(options: { reduction?: Reduction } = {}, accepted: readonly string[] = ['reduction']) {
    super();
    const name = this.constructor.name;
    this.reduction = checkReduction(checkOptions<Record<string, unknown>>(name, options, accepted).reduction ?? 'mean', name);
  }
  abstract override forward(input: Tensor, target: Tensor): Tensor;
}

export class MSELoss extends Loss {
  forward(input: Tensor, target: Tensor): Tensor {
    return F.mseLoss(input, target, { reduction: this.reduction });
  }
}

/** Binary cross-entropy on probabilities, as `F.bceLoss`, with PyTorch's options: `reduction`, `weight` (kept detached). */
export class BCELoss extends Loss {
  readonly weight: Tensor | null;
  readonly #options: BceLossOptions;
  constructor(options: BceLossOptions = {}) {
    super(options, BCE_OPTIONS);
    const o = bceOptions(options, 'BCELoss', BCE_OPTIONS);
    this.weight = o.weight ?? null;
    this.#options = o.weight === undefined ? { reduction: o.reduction } : { reduction: o.reduction, weight: o.weight };
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.bceLoss(input, target, this.#options);
  }
}

/**
 * Binary cross-entropy on raw scores, as `F.bceWithLogitsLoss`, with PyTorch's options: `reduction`, `weight` and
 * `posWeight` (one per class, broadcast along the last dimension); both kept detached.
 */
export class BCEWithLogitsLoss extends Loss {
  readonly weight: Tensor | null;
  readonly posWeight: Tensor | null;
  readonly #options: BceWithLogitsLossOptions;
  constructor(options: BceWithLogitsLossOptions = {}) {
    super(options, BCE_WITH_LOGITS_OPTIONS);
    const o = bceOptions(options, 'BCEWithLogitsLoss', BCE_WITH_LOGITS_OPTIONS);
    this.weight = o.weight ?? null;
    this.posWeight = o.posWeight ?? null;
    this.#options = { reduction: o.reduction };
    if (o.weight !== undefined) this.#options.weight = o.weight;
    if (o.posWeight !== undefined) this.#options.posWeight = o.posWeight;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.bceWithLogitsLoss(input, target, this.#options);
  }
}

/**
 * Cross-entropy, as `F.crossEntropyLoss`, with PyTorch's options: `reduction`, `weight` (one per class, [C]; kept
 * detached), `ignoreIndex` (default −100) and `labelSmoothing` (default 0).
 */
export class CrossEntropyLoss extends Loss {
  readonly weight: Tensor | null;
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;
  readonly #options: CrossEntropyLossOptions;
  constructor(options: CrossEntropyLossOptions = {}) {
    super(options, CROSS_ENTROPY_OPTIONS);
    const o = classLossOptions(options, 'CrossEntropyLoss', CROSS_ENTROPY_OPTIONS);
    this.weight = o.weight ?? null;
    this.ignoreIndex = o.ignoreIndex;
    this.labelSmoothing = o.labelSmoothing;
    this.#options = { reduction: o.reduction, ...nonDefault(o) };
    if (o.labelSmoothing !== 0) this.#options.labelSmoothing = o.labelSmoothing;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.crossEntropyLoss(input, target, this.#options);
  }
}

/** Negative log-likelihood, as `F.nllLoss`, with PyTorch's options: `reduction`, `weight` ([C]), `ignoreIndex`. */
export class NLLLoss extends Loss {
  readonly weight: Tensor | null;
  readonly ignoreIndex: number;
  readonly #options: NllLossOptions;
  constructor(options: NllLossOptions = {}) {
    super(options, NLL_OPTIONS);
    const o = classLossOptions(options, 'NLLLoss', NLL_OPTIONS);
    this.weight = o.weight ?? null;
    this.ignoreIndex = o.ignoreIndex;
    this.#options = { reduction: o.reduction, ...nonDefault(o) };
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.nllLoss(input, target, this.#options);
  }
}

/** The `weight` and `ignoreIndex` options that differ from the defaults (so the default call stays the plain one). */
function nonDefault(o: { weight: Tensor | undefined; ignoreIndex: number }): NllLossOptions {
  const out: NllLossOptions = {};
  if (o.weight !== undefined) out.weight = o.weight;
  if (o.ignoreIndex !== -100) out.ignoreIndex = o.ignoreIndex;
  return out;
}
