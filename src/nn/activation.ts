import { leakyRelu, relu, sigmoid, tanh } from '../ops/unary.js';
import { implicitSoftmaxDim, logSoftmax, softmax } from '../ops/softmax.js';
import { formatPyFloat } from '../tensor/format.js';
import type { Tensor } from '../tensor/tensor.js';
import { leakyReluInPlace } from '../ops/activations-inplace.js';
import { inPlaceOf } from '../ops/inplace.js';
import { checkArgumentCount, checkOptions, describeValue, inplaceOption, layerArguments, leadingOption } from '../options.js';
import { Module } from './module.js';

export class Sigmoid extends Module {
  constructor() {
    super();
    checkArgumentCount('Sigmoid', arguments, 0, 'new Sigmoid()');
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('Sigmoid.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return sigmoid(input);
  }
}

export class Tanh extends Module {
  constructor() {
    super();
    checkArgumentCount('Tanh', arguments, 0, 'new Tanh()');
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('Tanh.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return tanh(input);
  }
}

/**
 * max(0, x). `new ReLU()`; `new ReLU(true)` or `new ReLU({ inplace: true })`, PyTorch's `ReLU(inplace=True)`, changes
 * its input in place and returns it (autograd follows, as PyTorch's: see `relu_`).
 */
export class ReLU extends Module {
  readonly inplace: boolean;

  constructor(inplace?: boolean);
  constructor(options: { readonly inplace?: boolean });
  constructor() {
    super();
    this.inplace = inplaceOption('ReLU', layerArguments('ReLU', arguments, ['inplace'], 'new ReLU()')['inplace']);
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('ReLU.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return this.inplace ? inPlaceOf(input, 'relu_', relu, false) : relu(input);
  }

  protected override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

export interface LeakyReLUOptions {
  /** The slope for negative inputs (default 0.01, PyTorch's). */
  readonly negativeSlope?: number;
  /** PyTorch's flag: change the input in place and return it (default false). */
  readonly inplace?: boolean;
}

/**
 * x for x > 0, negativeSlope·x otherwise (PyTorch's default slope is 0.01; the chapter uses 0.02).
 * `new LeakyReLU(0.02)` or `new LeakyReLU({ negativeSlope: 0.02 })`, PyTorch's `LeakyReLU(negative_slope=0.02)`.
 */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;
  readonly inplace: boolean;

  constructor(negativeSlope?: number, inplace?: boolean);
  constructor(options: LeakyReLUOptions);
  constructor(negativeSlope: number, options: Omit<LeakyReLUOptions, 'negativeSlope'>);
  constructor() {
    super();
    const args = layerArguments('LeakyReLU', arguments, ['negativeSlope', 'inplace'], 'new LeakyReLU(0.02)');
    this.inplace = inplaceOption('LeakyReLU', args['inplace']);
    const negativeSlope = args['negativeSlope'] ?? 0.01;
    if (typeof negativeSlope !== 'number' || !Number.isFinite(negativeSlope)) {
      throw new TypeError(`LeakyReLU: negativeSlope must be a finite number, got ${describeValue(negativeSlope)}`);
    }
    this.negativeSlope = negativeSlope;
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('LeakyReLU.forward', arguments, 1, 'forward(input); a target goes to the loss');
    if (this.inplace) return leakyReluInPlace(input, this.negativeSlope);
    return leakyRelu(input, this.negativeSlope);
  }

  protected override extraRepr(): string {
    return `negative_slope=${formatPyFloat(this.negativeSlope)}${this.inplace ? ', inplace=True' : ''}`;
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
    checkArgumentCount('Softmax', arguments, 1, 'new Softmax(1)');
    this.dim = softmaxDim('Softmax', dimOrOptions);
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('Softmax.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return softmax(input, this.dim ?? implicitSoftmaxDim(input.ndim, 'softmax'));
  }

  protected override extraRepr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}

/**
 * log(softmax(x)) along `dim`, computed as one stable op (PyTorch's `nn.LogSoftmax`, the partner of `NLLLoss`);
 * without a dim, PyTorch's implicit choice for the input's rank (with a warning). `new LogSoftmax(1)` or
 * `new LogSoftmax({ dim: 1 })`.
 */
export class LogSoftmax extends Module {
  readonly dim: number | null;

  constructor(dim?: number | null);
  constructor(options: SoftmaxOptions);
  constructor(dimOrOptions?: number | null | SoftmaxOptions) {
    super();
    checkArgumentCount('LogSoftmax', arguments, 1, 'new LogSoftmax(1)');
    this.dim = softmaxDim('LogSoftmax', dimOrOptions);
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('LogSoftmax.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return logSoftmax(input, this.dim ?? implicitSoftmaxDim(input.ndim, 'log_softmax'));
  }

  protected override extraRepr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}

/** The dim of Softmax and LogSoftmax, by position or as `{ dim }`: an integer, or null for PyTorch's implicit one. */
export function softmaxDim(where: string, dimOrOptions: number | null | SoftmaxOptions | undefined): number | null {
  const given = dimOrOptions === null ? {} : leadingOption<SoftmaxOptions>(where, 'dim', dimOrOptions, undefined, `new ${where}(1)`);
  const dim = checkOptions<SoftmaxOptions>(where, given, ['dim']).dim ?? null;
  if (dim !== null && !Number.isInteger(dim)) {
    throw new TypeError(`${where}: dim must be an integer (or null for PyTorch's implicit choice), got ${describeValue(dim)}`);
  }
  return dim;
}

export class Identity extends Module {
  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('Identity.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return input;
  }
}
