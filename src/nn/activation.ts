import { leakyRelu, relu, sigmoid, tanh } from '../ops/unary.js';
import { dropout } from '../ops/dropout.js';
import { softmax } from '../ops/softmax.js';
import { formatPyFloat } from '../tensor/format.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions, describeValue, leadingOption } from '../options.js';
import { Module } from './module.js';

export class Sigmoid extends Module {
  forward(input: Tensor): Tensor {
    return sigmoid(input);
  }
}

export class Tanh extends Module {
  forward(input: Tensor): Tensor {
    return tanh(input);
  }
}

export class ReLU extends Module {
  forward(input: Tensor): Tensor {
    return relu(input);
  }
}

/** x for x > 0, negativeSlope·x otherwise (PyTorch's default slope is 0.01; the chapter uses 0.02). */
export interface LeakyReLUOptions {
  /** The slope for negative inputs (default 0.01, PyTorch's). */
  readonly negativeSlope?: number;
}

/** `new LeakyReLU(0.02)` or `new LeakyReLU({ negativeSlope: 0.02 })`, PyTorch's `LeakyReLU(negative_slope=0.02)`. */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;

  constructor(negativeSlope?: number);
  constructor(options: LeakyReLUOptions);
  constructor(slopeOrOptions?: number | LeakyReLUOptions) {
    super();
    const given = leadingOption<LeakyReLUOptions>('LeakyReLU', 'negativeSlope', slopeOrOptions, undefined, 'new LeakyReLU(0.02)');
    const { negativeSlope = 0.01 } = checkOptions('LeakyReLU', given, ['negativeSlope']);
    if (typeof negativeSlope !== 'number' || !Number.isFinite(negativeSlope)) {
      throw new TypeError(`LeakyReLU: negativeSlope must be a finite number, got ${describeValue(negativeSlope)}`);
    }
    this.negativeSlope = negativeSlope;
  }

  forward(input: Tensor): Tensor {
    return leakyRelu(input, this.negativeSlope);
  }

  protected override extraRepr(): string {
    return `negative_slope=${formatPyFloat(this.negativeSlope)}`;
  }
}

export class Softmax extends Module {
  constructor(readonly dim = -1) {
    super();
  }

  forward(input: Tensor): Tensor {
    return softmax(input, this.dim);
  }

  protected override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

export class Identity extends Module {
  forward(input: Tensor): Tensor {
    return input;
  }
}

export interface DropoutOptions {
  /** The probability of zeroing an element (default 0.5, PyTorch's). */
  readonly p?: number;
}

/**
 * Zeroes each element with probability `p` while training and scales the rest by 1 / (1 − p); the identity in
 * evaluation mode (`model.eval()`). The mask is PyTorch's for the same seed (see `F.dropout`).
 */
export class Dropout extends Module {
  readonly p: number;

  constructor(p?: number);
  constructor(options: DropoutOptions);
  constructor(pOrOptions?: number | DropoutOptions) {
    super();
    const given = leadingOption<DropoutOptions>('Dropout', 'p', pOrOptions, undefined, 'new Dropout(0.5)');
    const { p = 0.5 } = checkOptions('Dropout', given, ['p']);
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`Dropout: dropout probability has to be between 0 and 1, but got ${describeValue(p)}`);
    this.p = p;
  }

  forward(input: Tensor): Tensor {
    return dropout(input, this.p, this.training);
  }

  protected override extraRepr(): string {
    return `p=${formatPyFloat(this.p)}, inplace=False`;
  }
}

/** Merges dimensions `startDim` … `endDim` (default 1 … −1: everything but the batch), as PyTorch's `nn.Flatten`. */
export interface FlattenOptions {
  readonly startDim?: number;
  readonly endDim?: number;
}

export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;

  constructor(startDim?: number, endDim?: number);
  constructor(options: FlattenOptions);
  constructor(startOrOptions?: number | FlattenOptions, endDim?: number) {
    super();
    const given = leadingOption<FlattenOptions>('Flatten', 'startDim', startOrOptions, endDim === undefined ? undefined : { endDim }, 'new Flatten(1, -1)');
    const { startDim = 1, endDim: end = -1 } = checkOptions('Flatten', given, ['startDim', 'endDim']);
    for (const [name, v] of [['startDim', startDim], ['endDim', end]] as const) {
      if (!Number.isInteger(v)) throw new TypeError(`Flatten: ${name} must be an integer, got ${describeValue(v)}`);
    }
    this.startDim = startDim;
    this.endDim = end;
  }

  forward(input: Tensor): Tensor {
    return input.flatten(this.startDim, this.endDim);
  }

  protected override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}
