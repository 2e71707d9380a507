import { leakyRelu, relu, sigmoid, tanh } from '../ops/unary.js';
import { implicitSoftmaxDim, softmax } from '../ops/softmax.js';
import { formatPyFloat } from '../tensor/format.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions, describeValue, leadingOption, soleOption } from '../options.js';
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

export interface SoftmaxOptions {
  /** The dimension the softmax runs along (negative counts from the end); null or none: PyTorch's implicit choice. */
  readonly dim?: number | null;
}

/**
 * Softmax along `dim`; without one (null), along PyTorch's implicit choice for the input's rank (with a warning), as
 * `nn.Softmax()`. `new Softmax(1)` or `new Softmax({ dim: 1 })`, PyTorch's `Softmax(dim=1)`.
 */
export class Softmax extends Module {
  readonly dim: number | null;

  constructor(dim?: number | null);
  constructor(options: SoftmaxOptions);
  constructor(dimOrOptions?: number | null | SoftmaxOptions) {
    super();
    const given = dimOrOptions === null ? {} : leadingOption<SoftmaxOptions>('Softmax', 'dim', dimOrOptions, undefined, 'new Softmax(1)');
    const dim = checkOptions<SoftmaxOptions>('Softmax', given, ['dim']).dim ?? null;
    if (dim !== null && !Number.isInteger(dim)) {
      throw new TypeError(`Softmax: dim must be an integer (or null for PyTorch's implicit choice), got ${describeValue(dim)}`);
    }
    this.dim = dim;
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
