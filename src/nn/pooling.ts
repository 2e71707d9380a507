import { AVG_POOL2D_OPTIONS, avgPool2d, MAX_POOL2D_OPTIONS, maxPool2d, poolWindow, type AvgPool2dOptions, type MaxPool2dOptions } from '../ops/pool.js';
import type { IntPair } from '../ops/window.js';
import { checkOptions, describeValue } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** A size as PyTorch prints it: an integer, or a tuple (2, 3). */
function py(v: IntPair | null | undefined): string {
  return typeof v === 'number' ? String(v) : Array.isArray(v) ? `(${v.join(', ')})` : 'None';
}

/** The options of a pooling layer whose stride may come second by position, as in PyTorch: `(2, 2)`, `(3, { stride: 2 })`. */
function poolOptions<T extends { stride?: IntPair | null }>(
  where: string, strideOrOptions: IntPair | T | undefined, options: Omit<T, 'stride'> | undefined, accepted: readonly string[],
): T {
  const positional = typeof strideOrOptions === 'number' || Array.isArray(strideOrOptions);
  if (!positional && options !== undefined) {
    throw new TypeError(`${where}: more named options only follow a stride given by position, as in new ${where}(3, 2, { padding: 1 }); got ${describeValue(options)} after ${describeValue(strideOrOptions)}`);
  }
  const given = checkOptions<T>(where, (positional ? options : strideOrOptions) as T | undefined, accepted as (keyof T & string)[]);
  if (positional && given.stride !== undefined) throw new TypeError(`${where}: stride given twice: by position and in the options`);
  return (positional ? { ...given, stride: strideOrOptions } : { ...given }) as T;
}

/**
 * 2-D max pooling, PyTorch's `nn.MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False)`: the
 * largest value of each window of [N, C, H, W] (or [C, H, W]); the stride defaults to the kernel size.
 *
 * @example
 * new nn.MaxPool2d(2);                          // 28×28 → 14×14
 * new nn.MaxPool2d(3, 2, { padding: 1 });
 */
export class MaxPool2d extends Module {
  readonly kernelSize: IntPair;
  readonly options: Readonly<MaxPool2dOptions>;

  constructor(kernelSize: IntPair, options?: MaxPool2dOptions);
  constructor(kernelSize: IntPair, stride: IntPair, options?: Omit<MaxPool2dOptions, 'stride'>);
  constructor(kernelSize: IntPair, strideOrOptions?: IntPair | MaxPool2dOptions, options?: Omit<MaxPool2dOptions, 'stride'>) {
    super();
    const o = poolOptions<MaxPool2dOptions>('MaxPool2d', strideOrOptions, options, MAX_POOL2D_OPTIONS);
    poolWindow('MaxPool2d', kernelSize, o, true);
    this.kernelSize = kernelSize;
    this.options = Object.freeze(o);
  }

  forward(input: Tensor): Tensor {
    return maxPool2d(input, this.kernelSize, this.options);
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
  constructor(kernelSize: IntPair, stride: IntPair, options?: Omit<AvgPool2dOptions, 'stride'>);
  constructor(kernelSize: IntPair, strideOrOptions?: IntPair | AvgPool2dOptions, options?: Omit<AvgPool2dOptions, 'stride'>) {
    super();
    const o = poolOptions<AvgPool2dOptions>('AvgPool2d', strideOrOptions, options, AVG_POOL2D_OPTIONS);
    poolWindow('AvgPool2d', kernelSize, o, false);
    this.kernelSize = kernelSize;
    this.options = Object.freeze(o);
  }

  forward(input: Tensor): Tensor {
    return avgPool2d(input, this.kernelSize, this.options);
  }

  protected override extraRepr(): string {
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.options.stride ?? this.kernelSize)}, padding=${py(this.options.padding ?? 0)}`;
  }
}
