import { leakyRelu, relu, sigmoid, tanh } from '../ops/unary.js';
import { implicitSoftmaxDim, softmax } from '../ops/softmax.js';
import { formatPyFloat } from '../tensor/format.js';
import type { Tensor } from '../tensor/tensor.js';
import { describeValue, soleOption } from '../options.js';
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

export interface LeakyReLUOptions {
  /** The slope for negative inputs (default 0.01, PyTorch's). */
  readonly negativeSlope?: number;
}

/**
 * x for x > 0, negativeSlope·x otherwise (PyTorch's default slope is 0.01; the chapter uses 0.02).
 * `new LeakyReLU(0.02)` or `new LeakyReLU({ negativeSlope: 0.02 })`, PyTorch's `LeakyReLU(negative_slope=0.02)`.
 */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;

  constructor(negativeSlope?: number);
  constructor(options: LeakyReLUOptions);
  constructor(slopeOrOptions?: number | LeakyReLUOptions) {
    super();
    const negativeSlope = soleOption('LeakyReLU', 'negativeSlope', slopeOrOptions, 0.01, 'new LeakyReLU(0.02)');
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

/** Softmax along `dim`; without one (null), along PyTorch's implicit choice for the input's rank (with a warning), as `nn.Softmax()`. */
export class Softmax extends Module {
  constructor(readonly dim: number | null = null) {
    super();
  }

  forward(input: Tensor): Tensor {
    return softmax(input, this.dim ?? implicitSoftmaxDim(input.ndim));
  }

  protected override extraRepr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}

export class Identity extends Module {
  forward(input: Tensor): Tensor {
    return input;
  }
}
