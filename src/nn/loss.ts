import { lossReduction, type Reduction } from '../ops/loss.js';
import type { Tensor } from '../tensor/tensor.js';
import * as F from './functional.js';
import { Module } from './module.js';

/**
 * Base of loss modules: a reduction and a `forward(input, target)`. Losses are modules, as in PyTorch, so a model
 * holding one (the book's `self.loss_function`) lists it when printed; they have no parameters.
 */
export abstract class Loss extends Module {
  readonly reduction: Reduction;
  constructor(options: { reduction?: Reduction } = {}) {
    super();
    this.reduction = lossReduction(options, this.constructor.name);
  }
  abstract override forward(input: Tensor, target: Tensor): Tensor;
}

export class MSELoss extends Loss {
  forward(input: Tensor, target: Tensor): Tensor {
    return F.mseLoss(input, target, { reduction: this.reduction });
  }
}

export class BCELoss extends Loss {
  forward(input: Tensor, target: Tensor): Tensor {
    return F.bceLoss(input, target, { reduction: this.reduction });
  }
}

export class BCEWithLogitsLoss extends Loss {
  forward(input: Tensor, target: Tensor): Tensor {
    return F.bceWithLogitsLoss(input, target, { reduction: this.reduction });
  }
}

export class CrossEntropyLoss extends Loss {
  forward(input: Tensor, target: Tensor): Tensor {
    return F.crossEntropyLoss(input, target, { reduction: this.reduction });
  }
}

export class NLLLoss extends Loss {
  forward(input: Tensor, target: Tensor): Tensor {
    return F.nllLoss(input, target, { reduction: this.reduction });
  }
}
