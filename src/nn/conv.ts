import { allocStorage } from '../kernels/storage.js';
import { conv2d, conv2dOptions, CONV2D_OPTIONS, type Conv2dOptions as Conv2dOpOptions } from '../ops/conv.js';
import { pair, type IntPair, type Pair } from '../ops/window.js';
import { checkArgumentCount } from '../options.js';
import { getDefaultGenerator, type Generator } from '../random.js';
import { Tensor } from '../tensor/tensor.js';
import { resetWeightAndBias } from './init-core.js';
import { WeightAndBias } from './weight-and-bias.js';
import { convLayerArguments } from './conv-arguments.js';
import { refusePythonNames } from '../python-names.js';

export interface Conv2dOptions extends Conv2dOpOptions {
  /** Learn an additive bias, one per output channel (default true). */
  readonly bias?: boolean;
  /** How the input is padded: only PyTorch's default, `'zeros'`. */
  readonly paddingMode?: 'zeros';
  /** Draws the initial weights (default: the global generator, which `manualSeed` seeds). */
  readonly generator?: Generator;
}

const OPTIONS = [...CONV2D_OPTIONS, 'bias', 'paddingMode', 'generator'] as const;

/**
 * A 2-D convolution layer, PyTorch's `nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0,
 * dilation=1, groups=1, bias=True)`: takes [N, inChannels, H, W] (or one sample [inChannels, H, W]) to
 * [N, outChannels, Ho, Wo]. The stride may come by position as in PyTorch's examples (`new Conv2d(1, 32, 3, 1)`),
 * the rest as options: `new Conv2d(32, 64, 3, { padding: 1 })`. Sizes are an integer or [height, width].
 *
 * `weight` is [outChannels, inChannels / groups, kh, kw], `bias` [outChannels]; both start as PyTorch's do, drawn
 * in its order from the generator: U(−1/√fanIn, 1/√fanIn) with fanIn = inChannels / groups · kh · kw.
 *
 * @example
 * const net = new nn.Sequential(
 *   new nn.Unflatten(1, [1, 28, 28]), new nn.Conv2d(1, 8, 3), new nn.ReLU(), new nn.MaxPool2d(2),
 *   new nn.Flatten(), new nn.Linear(8 * 13 * 13, 10),
 * );
 */
export class Conv2d extends WeightAndBias<Tensor> {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: Pair;
  readonly stride: Pair;
  readonly padding: Pair | 'valid' | 'same';
  readonly dilation: Pair;
  readonly groups: number;
  constructor(inChannels: number, outChannels: number, kernelSize: IntPair, options?: Conv2dOptions);
  constructor(inChannels: number, outChannels: number, kernelSize: IntPair, stride: IntPair, options?: Omit<Conv2dOptions, 'stride'>);
  constructor(inChannels: number, outChannels: number, kernelSize: IntPair, strideOrOptions?: IntPair | Conv2dOptions, options?: Omit<Conv2dOptions, 'stride'>) {
    super(false);
    checkArgumentCount('Conv2d', arguments, 5, 'new Conv2d(1, 8, 3, 1, { padding: 1 })');
    const where = 'Conv2d';
    const o = convLayerArguments<Conv2dOptions>(where, OPTIONS, inChannels, outChannels, kernelSize, strideOrOptions, options);
    this.kernelSize = pair(where, 'kernelSize', kernelSize, 1);
    const { bias: _b, paddingMode: _m, generator: _g, ...geometry } = o;
    const resolved = conv2dOptions(where, geometry, this.kernelSize);
    const { stride, dilation, groups } = resolved;
    if (inChannels % groups !== 0) throw new RangeError(`${where}: inChannels (${inChannels}) must be divisible by groups (${groups})`);
    if (outChannels % groups !== 0) throw new RangeError(`${where}: outChannels (${outChannels}) must be divisible by groups (${groups})`);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.stride = stride;
    this.dilation = dilation;
    this.groups = groups;
    const p = o.padding ?? 0;
    this.padding = p === 'valid' || p === 'same' ? p : pair(where, 'padding', p, 0);
    const shape = [outChannels, inChannels / groups, ...this.kernelSize];
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
    resetWeightAndBias(this.weight, this.bias, generator, 'Conv2d.resetParameters');
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('Conv2d.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return conv2d(input, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }

  protected override extraRepr(): string {
    const t = (p: Pair): string => `(${p[0]}, ${p[1]})`;
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${t(this.kernelSize)}, stride=${t(this.stride)}`;
    const pad = this.padding;
    if (typeof pad === 'string') s += `, padding=${pad}`;
    else if (pad[0] !== 0 || pad[1] !== 0) s += `, padding=${t(pad)}`;
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) s += `, dilation=${t(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    return s;
  }
}

refusePythonNames(Conv2d.prototype, 'layer', [['reset_parameters', 'resetParameters', 'method']]);
