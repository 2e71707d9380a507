import { checkArgumentCount } from '../options.js';
import {
  avgPool1d, avgPool1dWindow, maxPool1d, maxPool1dWindow, type AvgPool1dOptions, type MaxPool1dOptions,
} from '../ops/pool1d.js';
import { tuple1, type Int1 } from '../ops/window1d.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { AVG_POOL1D_POSITIONAL, MAX_POOL_POSITIONAL, poolLayerArguments, type AvgPool1dRest, type MaxPoolRest } from './pool-arguments.js';

/** A size as PyTorch prints it as given: 3, or (3,) for a tuple. */
function py(v: Int1): string {
  return typeof v === 'number' ? String(v) : tuple1(v[0]);
}

/**
 * 1-D max pooling, PyTorch's `nn.MaxPool1d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
 * ceil_mode=False)`: the largest value of each window of [N, C, L] (or [C, L]); the stride defaults to the kernel
 * size. With `returnIndices` the forward pass returns `[values, indices]`.
 *
 * @example
 * new nn.MaxPool1d(2);                          // halves the length
 * new nn.MaxPool1d(3, 2, { padding: 1 });
 */
export class MaxPool1d extends Module {
  readonly kernelSize: Int1;
  readonly options: Readonly<MaxPool1dOptions>;

  constructor(kernelSize: Int1, ..._rest: MaxPoolRest<Int1, MaxPool1dOptions>) {
    super();
    const o = poolLayerArguments<MaxPool1dOptions>('MaxPool1d', MAX_POOL_POSITIONAL, arguments, 'new MaxPool1d(3, 2, 1, 1, false, false)');
    maxPool1dWindow('MaxPool1d', kernelSize, o);
    this.kernelSize = Array.isArray(kernelSize) ? Object.freeze([...kernelSize]) as unknown as Int1 : kernelSize;
    this.options = Object.freeze(o);
  }

  /** Whether the forward pass returns `[values, indices]` (PyTorch's `return_indices`). */
  get returnIndices(): boolean {
    return this.options.returnIndices === true;
  }

  forward(input: Tensor): Tensor;
  forward(input: Tensor): Tensor | [Tensor, Tensor] {
    if (arguments.length > 1) checkArgumentCount('MaxPool1d.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return maxPool1d(input, this.kernelSize, this.options);
  }

  protected override extraRepr(): string {
    const o = this.options;
    return `kernel_size=${py(this.kernelSize)}, stride=${py(o.stride ?? this.kernelSize)}, padding=${py(o.padding ?? 0)}, ` +
      `dilation=${py(o.dilation ?? 1)}, ceil_mode=${o.ceilMode === true ? 'True' : 'False'}`;
  }
}

/**
 * 1-D average pooling, PyTorch's `nn.AvgPool1d(kernel_size, stride=None, padding=0, ceil_mode=False,
 * count_include_pad=True)`: the mean of each window of [N, C, L] (or [C, L]); the stride defaults to the kernel size.
 *
 * @example
 * new nn.AvgPool1d(2);
 */
export class AvgPool1d extends Module {
  readonly kernelSize: Int1;
  readonly options: Readonly<AvgPool1dOptions>;

  constructor(kernelSize: Int1, ..._rest: AvgPool1dRest<Int1, AvgPool1dOptions>) {
    super();
    const o = poolLayerArguments<AvgPool1dOptions>('AvgPool1d', AVG_POOL1D_POSITIONAL, arguments, 'new AvgPool1d(3, 2, 1, false, true)');
    avgPool1dWindow('AvgPool1d', kernelSize, o);
    this.kernelSize = Array.isArray(kernelSize) ? Object.freeze([...kernelSize]) as unknown as Int1 : kernelSize;
    this.options = Object.freeze(o);
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('AvgPool1d.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return avgPool1d(input, this.kernelSize, this.options);
  }

  protected override extraRepr(): string {
    // PyTorch's AvgPool1d holds its sizes as tuples (_single), and prints them so.
    const w = avgPool1dWindow('AvgPool1d', this.kernelSize, this.options);
    return `kernel_size=${tuple1(w.k)}, stride=${tuple1(w.s)}, padding=${tuple1(w.p)}`;
  }
}
