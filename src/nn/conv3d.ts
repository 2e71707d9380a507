import { allocStorage } from '../kernels/storage.js';
import { conv3d, conv3dOptions, CONV3D_OPTIONS, type Conv3dOptions as Conv3dOpOptions } from '../ops/conv3d.js';
import { sizeText, triple, type Int3, type Triple } from '../ops/conv-volume.js';
import type { IntPair } from '../ops/window.js';
import { checkArgumentCount } from '../options.js';
import { refusePythonNames } from '../python-names.js';
import { getDefaultGenerator, type Generator } from '../random.js';
import { Tensor } from '../tensor/tensor.js';
import { resetWeightAndBias } from './init-core.js';
import { WeightAndBias } from './weight-and-bias.js';
import { convLayerArguments } from './conv-arguments.js';

export interface Conv3dOptions extends Conv3dOpOptions {
  /** Learn an additive bias, one per output channel (default true). */
  readonly bias?: boolean;
  /** How the input is padded: only PyTorch's default, `'zeros'`. */
  readonly paddingMode?: 'zeros';
  /** Draws the initial weights (default: the global generator, which `manualSeed` seeds). */
  readonly generator?: Generator;
}

type LayerArguments = { readonly stride?: IntPair; readonly bias?: boolean; readonly paddingMode?: 'zeros' };

const OPTIONS = [...CONV3D_OPTIONS, 'bias', 'paddingMode', 'generator'] as const;

/**
 * A 3-D convolution layer, PyTorch's `nn.Conv3d(in_channels, out_channels, kernel_size, stride=1, padding=0,
 * dilation=1, groups=1, bias=True)`: takes [N, inChannels, D, H, W] (or one sample [inChannels, D, H, W]) to
 * [N, outChannels, Do, Ho, Wo], for volumes and short videos. The stride may come by position
 * (`new Conv3d(1, 8, 3, 2)`), the rest as options; sizes are an integer or [depth, height, width].
 *
 * `weight` is [outChannels, inChannels / groups, kd, kh, kw], `bias` [outChannels]; both start as PyTorch's do,
 * drawn in its order from the generator: U(−1/√fanIn, 1/√fanIn) with fanIn = inChannels / groups · kd · kh · kw.
 *
 * @example
 * const net = new nn.Sequential(new nn.Conv3d(1, 8, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool3d(2));
 */
export class Conv3d extends WeightAndBias<Tensor> {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: Triple;
  readonly stride: Triple;
  readonly padding: Triple | 'valid' | 'same';
  readonly dilation: Triple;
  readonly groups: number;
  constructor(inChannels: number, outChannels: number, kernelSize: Int3, options?: Conv3dOptions);
  constructor(inChannels: number, outChannels: number, kernelSize: Int3, stride: Int3, options?: Omit<Conv3dOptions, 'stride'>);
  constructor(inChannels: number, outChannels: number, kernelSize: Int3, strideOrOptions?: Int3 | Conv3dOptions, options?: Omit<Conv3dOptions, 'stride'>) {
    super(false);
    const where = 'Conv3d';
    checkArgumentCount(where, arguments, 5, 'new Conv3d(1, 8, 3, 1, { padding: 1 })');
    const o = convLayerArguments<LayerArguments>(
      where, OPTIONS, inChannels, outChannels, kernelSize as IntPair, strideOrOptions as LayerArguments | undefined, options as never,
    ) as Conv3dOptions;
    this.kernelSize = triple(where, 'kernelSize', kernelSize, 1);
    const { bias: _b, paddingMode: _m, generator: _g, ...geometry } = o;
    const { stride, dilation, groups } = conv3dOptions(where, geometry, this.kernelSize);
    if (inChannels % groups !== 0) throw new RangeError(`${where}: inChannels (${inChannels}) must be divisible by groups (${groups})`);
    if (outChannels % groups !== 0) throw new RangeError(`${where}: outChannels (${outChannels}) must be divisible by groups (${groups})`);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.stride = stride;
    this.dilation = dilation;
    this.groups = groups;
    const p = o.padding ?? 0;
    this.padding = p === 'valid' || p === 'same' ? p : triple(where, 'padding', p, 0);
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
    resetWeightAndBias(this.weight, this.bias, generator, 'Conv3d.resetParameters');
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('Conv3d.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return conv3d(input, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }

  protected override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${sizeText(this.kernelSize)}, stride=${sizeText(this.stride)}`;
    const pad = this.padding;
    if (typeof pad === 'string') s += `, padding=${pad}`;
    else if (pad.some((p) => p !== 0)) s += `, padding=${sizeText(pad)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${sizeText(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    return s;
  }
}

refusePythonNames(Conv3d.prototype, 'layer', [['reset_parameters', 'resetParameters', 'method']]);
