import { checkOptions, describeValue, leadingOption } from '../options.js';
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
