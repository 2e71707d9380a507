import { dropout } from '../ops/dropout.js';
import { dropoutLeavesInput } from '../ops/feature-dropout.js';
import { inPlaceOf } from '../ops/inplace.js';
import { checkTensor } from '../ops/util.js';
import { describeValue, inplaceOption, layerArguments, checkArgumentCount } from '../options.js';
import { formatPyFloat } from '../tensor/format.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

export interface DropoutOptions {
  /** The probability of zeroing an element (default 0.5, PyTorch's). */
  readonly p?: number;
  /** PyTorch's flag: change the input in place and return it (default false). */
  readonly inplace?: boolean;
}

/**
 * Zeroes each element with probability `p` while training and scales the rest by 1 / (1 − p); the identity in
 * evaluation mode (`model.eval()`). The mask is PyTorch's for the same seed (see `F.dropout`).
 */
export class Dropout extends Module {
  readonly p: number;
  readonly inplace: boolean;

  constructor(p?: number, inplace?: boolean);
  constructor(options: DropoutOptions);
  constructor(p: number, options: Omit<DropoutOptions, 'p'>);
  constructor() {
    super();
    const args = layerArguments('Dropout', arguments, ['p', 'inplace'], 'new Dropout(0.5)');
    this.inplace = inplaceOption('Dropout', args['inplace']);
    const p = args['p'] ?? 0.5;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`Dropout: dropout probability has to be between 0 and 1, but got ${describeValue(p)}`);
    this.p = p;
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('Dropout.forward', arguments, 1, 'forward(input); a target goes to the loss');
    if (this.inplace) {
      checkTensor(input, 'Dropout');
      if (dropoutLeavesInput(input, this.p, this.training)) return input;
      return inPlaceOf(input, 'dropout_', (x) => dropout(x, this.p, this.training), false);
    }
    return dropout(input, this.p, this.training);
  }

  protected override extraRepr(): string {
    return `p=${formatPyFloat(this.p)}, inplace=${this.inplace ? 'True' : 'False'}`;
  }
}
