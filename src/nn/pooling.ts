import { checkArgumentCount } from '../options.js';
import { avgPool2d, maxPool2d, poolWindow, type AvgPool2dOptions, type MaxPool2dOptions } from '../ops/pool.js';
import type { IntPair } from '../ops/window.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { AVG_POOL_POSITIONAL, MAX_POOL_POSITIONAL, poolLayerArguments, type AvgPoolRest, type MaxPoolRest } from './pool-arguments.js';

/** A size as PyTorch prints it: an integer, or a tuple (2, 3). */
function py(v: IntPair | null | undefined): string {
  return typeof v === 'number' ? String(v) : Array.isArray(v) ? `(${v.join(', ')})` : 'None';
}

/**
 * 2-D max pooling, PyTorch's `nn.MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
 * ceil_mode=False)`: the largest value of each window of [N, C, H, W] (or [C, H, W]); the stride defaults to the
 * kernel size. With `returnIndices` the forward pass returns `[values, indices]`, as PyTorch's. The arguments come by
 * position in that order (`new nn.MaxPool2d(3, 2, 1)`), or as options, or some of each.
 *
 * @example
 * new nn.MaxPool2d(2);                          // 28×28 → 14×14
 * new nn.MaxPool2d(3, 2, { padding: 1 });
 */
export class MaxPool2d extends Module {
  readonly kernelSize: IntPair;
  readonly options: Readonly<MaxPool2dOptions>;

  constructor(kernelSize: IntPair, ..._rest: MaxPoolRest<IntPair, MaxPool2dOptions>) {
    super();
    const o = poolLayerArguments<MaxPool2dOptions>('MaxPool2d', MAX_POOL_POSITIONAL, arguments, 'new MaxPool2d(3, 2, 1, 1, false, false)');
    poolWindow('MaxPool2d', kernelSize, o);
    this.kernelSize = kernelSize;
    this.options = Object.freeze(o);
  }

  /** Whether the forward pass returns `[values, indices]` (PyTorch's `return_indices`). */
  get returnIndices(): boolean {
    return this.options.returnIndices === true;
  }

  /** The windows' maxima; with `returnIndices`, `[values, indices]` (typed as the values: read it with `forwardWithIndices`). */
  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('MaxPool2d.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return maxPool2d(input, this.kernelSize, this.options) as Tensor;
  }

  /** `[values, indices]`, as `forward` gives with PyTorch's return_indices=True, for `MaxUnpool2d`. */
  forwardWithIndices(input: Tensor): [Tensor, Tensor] {
    return maxPool2d(input, this.kernelSize, { ...this.options, returnIndices: true });
  }

  protected override extraRepr(): string {
    const o = this.options;
    return `kernel_size=${py(this.kernelSize)}, stride=${py(o.stride ?? this.kernelSize)}, padding=${py(o.padding ?? 0)}, ` +
      `dilation=${py(o.dilation ?? 1)}, ceil_mode=${o.ceilMode === true ? 'True' : 'False'}`;
  }
}

/**
 * 2-D average pooling, PyTorch's `nn.AvgPool2d(kernel_size, stride=None, padding=0, ceil_mode=False,
 * count_include_pad=True, divisor_override=None)`: the mean of each window; the stride defaults to the kernel size.
 * The arguments come by position in that order (`new nn.AvgPool2d(3, 2, 1)`), or as options, or some of each.
 *
 * @example
 * new nn.AvgPool2d(2);
 */
export class AvgPool2d extends Module {
  readonly kernelSize: IntPair;
  readonly options: Readonly<AvgPool2dOptions>;

  constructor(kernelSize: IntPair, ..._rest: AvgPoolRest<IntPair, AvgPool2dOptions>) {
    super();
    const o = poolLayerArguments<AvgPool2dOptions>('AvgPool2d', AVG_POOL_POSITIONAL, arguments, 'new AvgPool2d(3, 2, 1, false, true, null)');
    poolWindow('AvgPool2d', kernelSize, o);
    this.kernelSize = kernelSize;
    this.options = Object.freeze(o);
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('AvgPool2d.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return avgPool2d(input, this.kernelSize, this.options);
  }

  protected override extraRepr(): string {
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.options.stride ?? this.kernelSize)}, padding=${py(this.options.padding ?? 0)}`;
  }
}
