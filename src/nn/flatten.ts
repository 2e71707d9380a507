import { checkArgumentCount, checkOptions, describeValue, leadingOption } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { checkTensor } from '../ops/util.js';
import { reshape } from '../ops/view.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

export interface FlattenOptions {
  readonly startDim?: number;
  readonly endDim?: number;
}

/** Merges dimensions `startDim` … `endDim` (default 1 … −1: everything but the batch), as PyTorch's `nn.Flatten`. */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;

  constructor(startDim?: number, endDim?: number);
  constructor(options: FlattenOptions);
  constructor(startOrOptions?: number | FlattenOptions, endDim?: number) {
    super();
    checkArgumentCount('Flatten', arguments, 2, 'new Flatten(1, -1)');
    const given = leadingOption<FlattenOptions>('Flatten', 'startDim', startOrOptions, endDim === undefined ? undefined : { endDim }, 'new Flatten(1, -1)');
    const { startDim = 1, endDim: end = -1 } = checkOptions('Flatten', given, ['startDim', 'endDim']);
    for (const [name, v] of [['startDim', startDim], ['endDim', end]] as const) {
      if (!Number.isInteger(v)) throw new TypeError(`Flatten: ${name} must be an integer, got ${describeValue(v)}`);
    }
    this.startDim = startDim;
    this.endDim = end;
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('Flatten.forward', arguments, 1, 'forward(input); a target goes to the loss');
    checkTensor(input, 'Flatten');
    return input.flatten(this.startDim, this.endDim);
  }

  protected override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/**
 * Splits dimension `dim` into `unflattenedSize`, as PyTorch's `nn.Unflatten(dim, unflattened_size)`: the way from a
 * batch of flat images [N, 784] to [N, 1, 28, 28] for a convolution (`new Unflatten(1, [1, 28, 28])`). One size
 * may be −1, worked out from the others.
 */
export class Unflatten extends Module {
  readonly dim: number;
  readonly unflattenedSize: readonly number[];

  constructor(dim: number, unflattenedSize: readonly number[]) {
    super();
    checkArgumentCount('Unflatten', arguments, 2, 'new Unflatten(1, [1, 28, 28])');
    if (!Number.isInteger(dim)) throw new TypeError(`Unflatten: dim must be an integer, got ${describeValue(dim)}`);
    if (!Array.isArray(unflattenedSize) || unflattenedSize.length === 0 || !unflattenedSize.every((d) => Number.isInteger(d) && (d >= 0 || d === -1))) {
      throw new TypeError(`Unflatten: unflattenedSize must be a non-empty array of sizes (one may be -1), as new Unflatten(1, [1, 28, 28]); got ${describeValue(unflattenedSize)}`);
    }
    if (unflattenedSize.filter((d) => d === -1).length > 1) throw new RangeError(`Unflatten: only one size may be -1, got [${unflattenedSize.join(', ')}]`);
    this.dim = dim;
    this.unflattenedSize = [...unflattenedSize];
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('Unflatten.forward', arguments, 1, 'forward(input); a target goes to the loss');
    checkTensor(input, 'Unflatten');
    const n = input.ndim;
    const d = this.dim < 0 ? this.dim + n : this.dim;
    if (d < 0 || d >= n) throw new RangeError(`Unflatten: dim ${this.dim} is out of range for an input of shape ${formatShape(input.shape)}`);
    const size = input.shape[d]!;
    const known = this.unflattenedSize.reduce((a, b) => (b === -1 ? a : a * b), 1);
    const sizes = this.unflattenedSize.map((s) => (s === -1 && known > 0 ? size / known : s));
    if (sizes.reduce((a, b) => a * b, 1) !== size || !sizes.every(Number.isInteger)) {
      throw new RangeError(`Unflatten: cannot split dimension ${this.dim} of size ${size} (input ${formatShape(input.shape)}) into [${this.unflattenedSize.join(', ')}]`);
    }
    // PyTorch's Unflatten is a view (one dimension split always is one): ViewBackward0.
    return reshape(input, [...input.shape.slice(0, d), ...sizes, ...input.shape.slice(d + 1)], 'reshape', 'ViewBackward0');
  }

  protected override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=(${this.unflattenedSize.join(', ')}${this.unflattenedSize.length === 1 ? ',' : ''})`;
  }
}
