import { checkArgumentCount } from '../options.js';
import { AVG_POOL2D_OPTIONS, avgPool2d, MAX_POOL2D_OPTIONS, maxPool2d, poolCallOptions, poolWindow, type AvgPool2dOptions, type MaxPool2dOptions } from '../ops/pool.js';
import type { IntPair } from '../ops/window.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** A size as PyTorch prints it: an integer, or a tuple (2, 3). */
function py(v: IntPair | null | undefined): string {
  return typeof v === 'number' ? String(v) : Array.isArray(v) ? `(${v.join(', ')})` : 'None';
}

/**
 * 2-D max pooling, PyTorch's `nn.MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
 * ceil_mode=False)`: the largest value of each window of [N, C, H, W] (or [C, H, W]); the stride defaults to the
 * kernel size. With `returnIndices` the forward pass returns `[values, indices]`, as PyTorch's.
 *
 * @example
 * new nn.MaxPool2d(2);                          // 28×28 → 14×14
 * new nn.MaxPool2d(3, 2, { padding: 1 });
 */
export class MaxPool2d extends Module {
  readonly kernelSize: IntPair;
  readonly options: Readonly<MaxPool2dOptions>;

  constructor(kernelSize: IntPair, options?: MaxPool2dOptions);
  constructor(kernelSize: IntPair, stride: IntPair | null | undefined, options?: Omit<MaxPool2dOptions, 'stride'>);
  constructor(kernelSize: IntPair, strideOrOptions?: IntPair | null | MaxPool2dOptions, options?: Omit<MaxPool2dOptions, 'stride'>) {
    super();
    checkArgumentCount('MaxPool2d', arguments, 3, 'new MaxPool2d(2, 2, { padding: 1 })');
    const o = poolCallOptions<MaxPool2dOptions>('MaxPool2d', strideOrOptions, options, MAX_POOL2D_OPTIONS);
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
 *
 * @example
 * new nn.AvgPool2d(2);
 */
export class AvgPool2d extends Module {
  readonly kernelSize: IntPair;
  readonly options: Readonly<AvgPool2dOptions>;

  constructor(kernelSize: IntPair, options?: AvgPool2dOptions);
  constructor(kernelSize: IntPair, stride: IntPair | null | undefined, options?: Omit<AvgPool2dOptions, 'stride'>);
  constructor(kernelSize: IntPair, strideOrOptions?: IntPair | null | AvgPool2dOptions, options?: Omit<AvgPool2dOptions, 'stride'>) {
    super();
    checkArgumentCount('AvgPool2d', arguments, 3, 'new AvgPool2d(2, 2, { padding: 1 })');
    const o = poolCallOptions<AvgPool2dOptions>('AvgPool2d', strideOrOptions, options, AVG_POOL2D_OPTIONS);
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
