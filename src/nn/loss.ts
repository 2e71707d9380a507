import { lossReduction, type Reduction } from '../ops/loss.js';
import type { Tensor } from '../tensor/tensor.js';
import * as F from './functional.js';

/** Base of loss modules: a reduction and a `forward(input, target)`. */
export abstract class Loss {
  readonly reduction: Reduction;
  constructor(options: { reduction?: Reduction } = {}) {
    this.reduction = lossReduction(options, this.constructor.name);
  }
  abstract forward(input: Tensor, target: Tensor): Tensor;
  toString(): string {
    return `${this.constructor.name}()`;
  }
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
