import {
  convTranspose1d, convTranspose2d, convTranspose3d, convTransposeOptions, CONV_TRANSPOSE_OPTIONS, transposedLength,
  type ConvTranspose1dOptions as Op1dOptions, type ConvTranspose2dOptions as Op2dOptions, type ConvTranspose3dOptions as Op3dOptions,
  type ConvTransposeGeometry,
} from '../ops/conv-transpose.js';
import { sizes, sizeText, type Int3, type Triple } from '../ops/conv-volume.js';
import type { IntPair, Pair } from '../ops/window.js';
import type { Int1 } from '../ops/window1d.js';
import { checkArgumentCount, describeValue } from '../options.js';
import { refusePythonNames } from '../python-names.js';
import { getDefaultGenerator, type Generator } from '../random.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { resetConvolution } from './conv-nd.js';
import { WeightAndBias } from './weight-and-bias.js';
import { convLayerArguments, TRANSPOSE_POSITIONAL, type ConvTransposeRest } from './conv-arguments.js';
import { FACTORY_KWARGS, type FactoryKwargs } from '../device.js';
import { checkPaddingMode } from './conv-padding-mode.js';
import { parameterStorage } from './parameter-storage.js';

/** What a transposed convolution layer takes besides the op's options. */
interface LayerOptions extends FactoryKwargs {
  /** Learn an additive bias, one per output channel (default true). */
  readonly bias?: boolean;
  /** How the input is padded: only `'zeros'`, as PyTorch's transposed convolutions. */
  readonly paddingMode?: 'zeros';
  /** Draws the initial weights (default: the global generator, which `manualSeed` seeds). */
  readonly generator?: Generator;
}

export interface ConvTranspose1dOptions extends Op1dOptions, LayerOptions {}
export interface ConvTranspose2dOptions extends Op2dOptions, LayerOptions {}
export interface ConvTranspose3dOptions extends Op3dOptions, LayerOptions {}

const OPTIONS = [...CONV_TRANSPOSE_OPTIONS, 'bias', 'paddingMode', 'generator', ...FACTORY_KWARGS] as const;
const RUN = { 1: convTranspose1d, 2: convTranspose2d, 3: convTranspose3d } as const;
const SIZE_NAMES = { 1: 'length', 2: '[height, width]', 3: '[depth, height, width]' } as const;

/**
 * The transposed convolution layers' common part (PyTorch's `_ConvTransposeNd`): the geometry, the weight
 * [inChannels, outChannels / groups, …kernel] and bias [outChannels] drawn as PyTorch's, the forward pass with an
 * optional output size, and the printing.
 */
abstract class ConvTransposeNd extends WeightAndBias<Tensor> {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  readonly outputPadding: readonly number[];
  readonly groups: number;
  readonly dilation: readonly number[];
  readonly #dims: 1 | 2 | 3;

  protected constructor(dims: 1 | 2 | 3, args: IArguments) {
    super(false);
    const where = `ConvTranspose${dims}d`;
    const [inChannels, outChannels, kernelSize] = args as unknown as [number, number, unknown];
    const usage = `new ${where}(16, 8, 4, 2, 1, 0, 1, true, 1, 'zeros', { generator })`;
    const o = convLayerArguments<ConvTranspose2dOptions>(where, OPTIONS, TRANSPOSE_POSITIONAL, args, inChannels, outChannels, usage);
    checkPaddingMode(where, o.paddingMode, true);
    this.#dims = dims;
    this.kernelSize = sizes(where, 'kernelSize', kernelSize, dims, 1);
    const { bias: _b, paddingMode: _m, generator: _g, ...geometry } = o;
    const { stride, padding, outputPadding, groups, dilation } = convTransposeOptions(where, geometry, dims);
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
      this.makeParameter('weight', new Tensor(parameterStorage(where, 'weight', shape), shape)),
      o.bias === false ? null : this.makeParameter('bias', new Tensor(parameterStorage(where, 'bias', [outChannels]), [outChannels])),
    );
    this.resetParameters(o.generator);
  }

  /**
   * PyTorch's default initialisation, drawn in PyTorch's order from the generator: kaiming_uniform_(a=√5) for the
   * weight (= U(−1/√fanIn, 1/√fanIn)), then U(−1/√fanIn, 1/√fanIn) for the bias.
   */
  resetParameters(generator: Generator = getDefaultGenerator()): void {
    resetConvolution(this.weight, this.bias, generator, `${this.constructor.name}.resetParameters`);
  }

  /**
   * The transposed convolution of `input`. With `outputSize` (the output's spatial sizes, or its whole shape, of
   * which the last ones count), the output padding is the one that gives that size, as PyTorch's
   * `forward(input, output_size)` chooses it (the layer's own `outputPadding` is then not used).
   */
  forward(input: Tensor, outputSize?: readonly number[]): Tensor {
    const where = `${this.constructor.name}.forward`;
    if (arguments.length > 2) checkArgumentCount(where, arguments, 2, 'forward(input, outputSize?); a target goes to the loss');
    const outputPadding = outputSize === undefined ? this.outputPadding : this.paddingFor(where, input, outputSize);
    const run = RUN[this.#dims] as (x: Tensor, w: Tensor, b: Tensor | null, o: ConvTransposeGeometry) => Tensor;
    return run(input, this.weight, this.bias, {
      stride: this.stride, padding: this.padding, outputPadding, groups: this.groups, dilation: this.dilation,
    });
  }

  /** The output padding that makes the output `outputSize`, or an error giving the sizes that can be had. */
  private paddingFor(where: string, input: Tensor, outputSize: readonly number[]): readonly number[] {
    const dims = this.#dims;
    if (!(input instanceof Tensor) || (input.ndim !== dims + 1 && input.ndim !== dims + 2)) return this.outputPadding;
    if (!Array.isArray(outputSize) || (outputSize.length !== dims && outputSize.length !== input.ndim) || !outputSize.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new TypeError(`${where}: outputSize must be ${SIZE_NAMES[dims]} or the whole output shape (${input.ndim} sizes), got ${Array.isArray(outputSize) ? JSON.stringify(outputSize) : describeValue(outputSize)}`);
    }
    const size = outputSize.slice(-dims);
    const inSize = input.shape.slice(-dims);
    // The sizes each output padding from 0 to stride − 1 gives: the least, and the most.
    const g = this as ConvTransposeGeometry;
    const least = inSize.map((n, d) => transposedLength(n, this.kernelSize[d]!, g, d, 0));
    const most = least.map((l, d) => l + this.stride[d]! - 1);
    if (size.some((n, d) => n < least[d]! || n > most[d]!)) {
      throw new RangeError(
        `${where}: requested an output size of [${size.join(', ')}], but valid sizes range from [${least.join(', ')}] to [${most.join(', ')}] (for an input of ${formatShape(input.shape)})`,
      );
    }
    return size.map((n, d) => n - least[d]!);
  }

  protected override extraRepr(): string {
    const t = sizeText;
    const off = (p: readonly number[], v: number): boolean => p.some((x) => x !== v);
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${t(this.kernelSize)}, stride=${t(this.stride)}`;
    if (off(this.padding, 0)) s += `, padding=${t(this.padding)}`;
    if (off(this.dilation, 1)) s += `, dilation=${t(this.dilation)}`;
    if (off(this.outputPadding, 0)) s += `, output_padding=${t(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    return s;
  }
}

refusePythonNames(ConvTransposeNd.prototype, 'layer', [['reset_parameters', 'resetParameters', 'method']]);

/**
 * A 1-D transposed convolution layer, PyTorch's `nn.ConvTranspose1d(in_channels, out_channels, kernel_size,
 * stride=1, padding=0, output_padding=0, groups=1, bias=True, dilation=1)`: takes [N, inChannels, L] (or one sample
 * [inChannels, L]) to [N, outChannels, (L − 1)·stride − 2·padding + dilation·(kernel − 1) + outputPadding + 1].
 * `weight` is [inChannels, outChannels / groups, k], drawn as PyTorch's (fanIn = outChannels / groups · k).
 *
 * @example
 * const up = new nn.ConvTranspose1d(8, 4, 4, 2, { padding: 1 }); // [N, 8, 50] → [N, 4, 100]
 */
export class ConvTranspose1d extends ConvTransposeNd {
  declare readonly kernelSize: readonly [number];
  declare readonly stride: readonly [number];
  declare readonly padding: readonly [number];
  declare readonly outputPadding: readonly [number];
  declare readonly dilation: readonly [number];
  constructor(_inChannels: number, _outChannels: number, _kernelSize: Int1, ..._rest: ConvTransposeRest<readonly [number], ConvTranspose1dOptions>) {
    super(1, arguments);
  }
}

/**
 * A 2-D transposed convolution layer, PyTorch's `nn.ConvTranspose2d(in_channels, out_channels, kernel_size,
 * stride=1, padding=0, output_padding=0, groups=1, bias=True, dilation=1)`: the layer a GAN's generator upsamples
 * with, taking [N, inChannels, H, W] (or one sample [inChannels, H, W]) to [N, outChannels, Ho, Wo] with
 * Ho = (H − 1)·stride − 2·padding + dilation·(kernel − 1) + outputPadding + 1. The arguments come by position in that
 * order (then padding_mode, device, dtype), as options, or some of each: `new ConvTranspose2d(16, 8, 4, 2, 1)` and
 * `new ConvTranspose2d(16, 8, 4, 2, { padding: 1 })` double the height and width.
 *
 * `weight` is [inChannels, outChannels / groups, kh, kw], `bias` [outChannels]; both start as PyTorch's do, drawn in
 * its order from the generator: U(−1/√fanIn, 1/√fanIn) with fanIn = outChannels / groups · kh · kw (PyTorch computes
 * it from the weight's second dimension).
 *
 * @example
 * const up = new nn.ConvTranspose2d(8, 1, 4, 2, { padding: 1 }); // [N, 8, 14, 14] → [N, 1, 28, 28]
 */
export class ConvTranspose2d extends ConvTransposeNd {
  declare readonly kernelSize: Pair;
  declare readonly stride: Pair;
  declare readonly padding: Pair;
  declare readonly outputPadding: Pair;
  declare readonly dilation: Pair;
  constructor(_inChannels: number, _outChannels: number, _kernelSize: IntPair, ..._rest: ConvTransposeRest<Pair, ConvTranspose2dOptions>) {
    super(2, arguments);
  }
}

/**
 * A 3-D transposed convolution layer, PyTorch's `nn.ConvTranspose3d(in_channels, out_channels, kernel_size,
 * stride=1, padding=0, output_padding=0, groups=1, bias=True, dilation=1)`: takes [N, inChannels, D, H, W] (or one
 * sample [inChannels, D, H, W]) to [N, outChannels, Do, Ho, Wo], each size as for ConvTranspose1d. `weight` is
 * [inChannels, outChannels / groups, kd, kh, kw], drawn as PyTorch's (fanIn = outChannels / groups · kd · kh · kw).
 *
 * @example
 * const up = new nn.ConvTranspose3d(8, 4, 4, 2, { padding: 1 }); // [N, 8, 4, 8, 8] → [N, 4, 8, 16, 16]
 */
export class ConvTranspose3d extends ConvTransposeNd {
  declare readonly kernelSize: Triple;
  declare readonly stride: Triple;
  declare readonly padding: Triple;
  declare readonly outputPadding: Triple;
  declare readonly dilation: Triple;
  constructor(_inChannels: number, _outChannels: number, _kernelSize: Int3, ..._rest: ConvTransposeRest<Triple, ConvTranspose3dOptions>) {
    super(3, arguments);
  }
}
