import { allocStorage } from '../kernels/storage.js';
import { convTranspose2d, convTranspose2dOptions, CONV_TRANSPOSE2D_OPTIONS, type ConvTranspose2dOptions as OpOptions } from '../ops/conv-transpose.js';
import { pair, type IntPair, type Pair } from '../ops/window.js';
import { checkArgumentCount, describeValue } from '../options.js';
import { refusePythonNames } from '../python-names.js';
import { getDefaultGenerator, type Generator } from '../random.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { resetWeightAndBias } from './init-core.js';
import { WeightAndBias } from './weight-and-bias.js';
import { convLayerArguments } from './conv-arguments.js';

export interface ConvTranspose2dOptions extends OpOptions {
  /** Learn an additive bias, one per output channel (default true). */
  readonly bias?: boolean;
  /** How the input is padded: only PyTorch's default, `'zeros'`. */
  readonly paddingMode?: 'zeros';
  /** Draws the initial weights (default: the global generator, which `manualSeed` seeds). */
  readonly generator?: Generator;
}

const OPTIONS = [...CONV_TRANSPOSE2D_OPTIONS, 'bias', 'paddingMode', 'generator'] as const;

/**
 * A 2-D transposed convolution layer, PyTorch's `nn.ConvTranspose2d(in_channels, out_channels, kernel_size,
 * stride=1, padding=0, output_padding=0, groups=1, bias=True, dilation=1)`: the layer a GAN's generator upsamples
 * with, taking [N, inChannels, H, W] (or one sample [inChannels, H, W]) to [N, outChannels, Ho, Wo] with
 * Ho = (H − 1)·stride − 2·padding + dilation·(kernel − 1) + outputPadding + 1. The stride may come by position, the
 * rest as options: `new ConvTranspose2d(16, 8, 4, 2, { padding: 1 })` doubles the height and width.
 *
 * `weight` is [inChannels, outChannels / groups, kh, kw], `bias` [outChannels]; both start as PyTorch's do, drawn in
 * its order from the generator: U(−1/√fanIn, 1/√fanIn) with fanIn = outChannels / groups · kh · kw (PyTorch computes
 * it from the weight's second dimension).
 *
 * @example
 * const up = new nn.ConvTranspose2d(8, 1, 4, 2, { padding: 1 }); // [N, 8, 14, 14] → [N, 1, 28, 28]
 */
export class ConvTranspose2d extends WeightAndBias<Tensor> {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly outputPadding: Pair;
  readonly groups: number;
  readonly dilation: Pair;
  constructor(inChannels: number, outChannels: number, kernelSize: IntPair, options?: ConvTranspose2dOptions);
  constructor(inChannels: number, outChannels: number, kernelSize: IntPair, stride: IntPair, options?: Omit<ConvTranspose2dOptions, 'stride'>);
  constructor(inChannels: number, outChannels: number, kernelSize: IntPair, strideOrOptions?: IntPair | ConvTranspose2dOptions, options?: Omit<ConvTranspose2dOptions, 'stride'>) {
    super(false);
    const where = 'ConvTranspose2d';
    checkArgumentCount(where, arguments, 5, 'new ConvTranspose2d(16, 8, 4, 2, { padding: 1 })');
    const o = convLayerArguments<ConvTranspose2dOptions>(where, OPTIONS, inChannels, outChannels, kernelSize, strideOrOptions, options);
    this.kernelSize = pair(where, 'kernelSize', kernelSize, 1);
    const { bias: _b, paddingMode: _m, generator: _g, ...geometry } = o;
    const { stride, padding, outputPadding, groups, dilation } = convTranspose2dOptions(where, geometry);
    if (inChannels % groups !== 0) throw new RangeError(`${where}: inChannels (${inChannels}) must be divisible by groups (${groups})`);
    if (outChannels % groups !== 0) throw new RangeError(`${where}: outChannels (${outChannels}) must be divisible by groups (${groups})`);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.stride = stride;
    this.padding = padding;
    this.outputPadding = outputPadding;
    this.groups = groups;
    this.dilation = dilation;
    const shape = [inChannels, outChannels / groups, ...this.kernelSize];
    this.holdWeightAndBias(
      this.registerParameter('weight', new Tensor(allocStorage(shape.reduce((a, b) => a * b, 1)), shape)),
      o.bias === false ? null : this.registerParameter('bias', new Tensor(allocStorage(outChannels), [outChannels])),
    );
    this.resetParameters(o.generator);
  }

  /**
   * PyTorch's default initialisation, drawn in PyTorch's order from the generator: kaiming_uniform_(a=√5) for the
   * weight (= U(−1/√fanIn, 1/√fanIn)), then U(−1/√fanIn, 1/√fanIn) for the bias.
   */
  resetParameters(generator: Generator = getDefaultGenerator()): void {
    resetWeightAndBias(this.weight, this.bias, generator, 'ConvTranspose2d.resetParameters');
  }

  /**
   * The transposed convolution of `input`. With `outputSize` ([height, width], or the whole shape, of which the last
   * two count), the output padding is the one that gives that size, as PyTorch's `forward(input, output_size)`
   * chooses it (the layer's own `outputPadding` is then not used).
   */
  forward(input: Tensor, outputSize?: readonly number[]): Tensor {
    if (arguments.length > 2) checkArgumentCount('ConvTranspose2d.forward', arguments, 2, 'forward(input, outputSize?); a target goes to the loss');
    const outputPadding = outputSize === undefined ? this.outputPadding : this.paddingFor(input, outputSize);
    return convTranspose2d(input, this.weight, this.bias, {
      stride: this.stride, padding: this.padding, outputPadding, groups: this.groups, dilation: this.dilation,
    });
  }

  /** The output padding that makes the output `outputSize`, or an error giving the sizes that can be had. */
  private paddingFor(input: Tensor, outputSize: readonly number[]): Pair {
    const where = 'ConvTranspose2d.forward';
    if (!(input instanceof Tensor) || (input.ndim !== 3 && input.ndim !== 4)) return this.outputPadding;
    if (!Array.isArray(outputSize) || (outputSize.length !== 2 && outputSize.length !== input.ndim) || !outputSize.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new TypeError(`${where}: outputSize must be [height, width] or the whole output shape (${input.ndim} sizes), got ${Array.isArray(outputSize) ? JSON.stringify(outputSize) : describeValue(outputSize)}`);
    }
    const size = outputSize.slice(-2) as [number, number];
    const inSize = input.shape.slice(-2);
    // The sizes each output padding from 0 to stride − 1 gives: the least, and the most.
    const least = [0, 1].map((d) => (inSize[d]! - 1) * this.stride[d]! - 2 * this.padding[d]! + this.dilation[d]! * (this.kernelSize[d]! - 1) + 1);
    const most = least.map((l, d) => l + this.stride[d]! - 1);
    if ([0, 1].some((d) => size[d]! < least[d]! || size[d]! > most[d]!)) {
      throw new RangeError(
        `${where}: requested an output size of [${size.join(', ')}], but valid sizes range from [${least.join(', ')}] to [${most.join(', ')}] (for an input of ${formatShape(input.shape)})`,
      );
    }
    return [size[0] - least[0]!, size[1] - least[1]!];
  }

  protected override extraRepr(): string {
    const t = (p: Pair): string => `(${p[0]}, ${p[1]})`;
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${t(this.kernelSize)}, stride=${t(this.stride)}`;
    if (this.padding[0] !== 0 || this.padding[1] !== 0) s += `, padding=${t(this.padding)}`;
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) s += `, dilation=${t(this.dilation)}`;
    if (this.outputPadding[0] !== 0 || this.outputPadding[1] !== 0) s += `, output_padding=${t(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    return s;
  }
}

refusePythonNames(ConvTranspose2d.prototype, 'layer', [['reset_parameters', 'resetParameters', 'method']]);
