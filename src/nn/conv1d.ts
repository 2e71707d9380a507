import { conv1d, conv1dOptions, CONV1D_OPTIONS, type Conv1dOptions as Conv1dOpOptions } from '../ops/conv1d.js';
import type { IntPair } from '../ops/window.js';
import { single, tuple1, type Int1 } from '../ops/window1d.js';
import { checkArgumentCount } from '../options.js';
import { FACTORY_KWARGS, type FactoryKwargs } from '../device.js';
import { getDefaultGenerator, type Generator } from '../random.js';
import { Tensor } from '../tensor/tensor.js';
import { resetConvolution } from './conv-nd.js';
import { WeightAndBias } from './weight-and-bias.js';
import { convLayerArguments, CONV_POSITIONAL, type ConvRest } from './conv-arguments.js';
import { checkPaddingMode, padForConvolution, type PaddingMode } from './conv-padding-mode.js';
import { refusePythonNames } from '../python-names.js';
import { parameterStorage } from './parameter-storage.js';

export interface Conv1dOptions extends Conv1dOpOptions, FactoryKwargs {
  /** Learn an additive bias, one per output channel (default true). */
  readonly bias?: boolean;
  /** How the padding is filled (default `'zeros'`; `'reflect'`, `'replicate'` or `'circular'`: see Conv2d). */
  readonly paddingMode?: PaddingMode;
  /** Draws the initial weights (default: the global generator, which `manualSeed` seeds). */
  readonly generator?: Generator;
}

type LayerArguments = { readonly stride?: IntPair; readonly bias?: boolean; readonly paddingMode?: PaddingMode };

const OPTIONS = [...CONV1D_OPTIONS, 'bias', 'paddingMode', 'generator', ...FACTORY_KWARGS] as const;

/**
 * A 1-D convolution layer, PyTorch's `nn.Conv1d(in_channels, out_channels, kernel_size, stride=1, padding=0,
 * dilation=1, groups=1, bias=True)`: takes [N, inChannels, L] (or one sample [inChannels, L]) to
 * [N, outChannels, Lo]. The arguments come by position in that order (then padding_mode, device, dtype), as in
 * `new Conv1d(4, 8, 3, 2, 1)`, as options (`new Conv1d(4, 8, 3, { padding: 'same' })`), or some of each.
 *
 * `weight` is [outChannels, inChannels / groups, k], `bias` [outChannels]; both start as PyTorch's do, drawn in its
 * order from the generator: U(−1/√fanIn, 1/√fanIn) with fanIn = inChannels / groups · k.
 *
 * @example
 * const net = new nn.Sequential(new nn.Conv1d(1, 8, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool1d(2));
 */
export class Conv1d extends WeightAndBias<Tensor> {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly [number];
  readonly stride: readonly [number];
  readonly padding: readonly [number] | 'valid' | 'same';
  readonly dilation: readonly [number];
  readonly groups: number;
  readonly paddingMode: PaddingMode;
  constructor(inChannels: number, outChannels: number, kernelSize: Int1, ..._rest: ConvRest<readonly [number], Conv1dOptions>) {
    super(false);
    const where = 'Conv1d';
    // PyTorch's positional arguments or the options, the channel counts and bias checked as for Conv2d.
    const o = convLayerArguments<LayerArguments>(where, OPTIONS, CONV_POSITIONAL, arguments, inChannels, outChannels, "new Conv1d(1, 8, 3, 1, 1, 1, 1, true, 'zeros', { generator })") as Conv1dOptions;
    const k = single(where, 'kernelSize', kernelSize, 1);
    const p = o.padding ?? 0;
    if (typeof p === 'string' && p !== 'valid' && p !== 'same') {
      throw new RangeError(`${where}: Invalid padding string '${p}', should be one of {'valid', 'same'}`);
    }
    const { bias: _b, paddingMode: _m, generator: _g, ...geometry } = o;
    const { stride, dilation, groups } = conv1dOptions(where, geometry, k);
    if (inChannels % groups !== 0) throw new RangeError(`${where}: in_channels must be divisible by groups (inChannels ${inChannels}, groups ${groups})`);
    if (outChannels % groups !== 0) throw new RangeError(`${where}: out_channels must be divisible by groups (outChannels ${outChannels}, groups ${groups})`);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = [k];
    this.stride = [stride];
    this.dilation = [dilation];
    this.groups = groups;
    this.paddingMode = checkPaddingMode(where, o.paddingMode, false);
    this.padding = p === 'valid' || p === 'same' ? p : [single(where, 'padding', p, 0)];
    const shape = [outChannels, inChannels / groups, k];
    this.holdWeightAndBias(
      this.makeParameter('weight', new Tensor(parameterStorage('Conv1d', 'weight', shape), shape)),
      o.bias === false ? null : this.makeParameter('bias', new Tensor(parameterStorage('Conv1d', 'bias', [outChannels]), [outChannels])),
    );
    this.resetParameters(o.generator);
  }

  /**
   * PyTorch's default initialisation, drawn in PyTorch's order from the generator: kaiming_uniform_(a=√5) for the
   * weight (= U(−1/√fanIn, 1/√fanIn)), then U(−1/√fanIn, 1/√fanIn) for the bias.
   */
  resetParameters(generator: Generator = getDefaultGenerator()): void {
    resetConvolution(this.weight, this.bias, generator, 'Conv1d.resetParameters');
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('Conv1d.forward', arguments, 1, 'forward(input); a target goes to the loss');
    const options = { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups };
    if (this.paddingMode === 'zeros') return conv1d(input, this.weight, this.bias, options);
    const padded = padForConvolution(input, this.paddingMode, this.padding, this.kernelSize, this.dilation);
    return conv1d(padded, this.weight, this.bias, { ...options, padding: 0 });
  }

  protected override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${tuple1(this.kernelSize[0])}, stride=${tuple1(this.stride[0])}`;
    const pad = this.padding;
    if (typeof pad === 'string') s += `, padding=${pad}`;
    else if (pad[0] !== 0) s += `, padding=${tuple1(pad[0])}`;
    if (this.dilation[0] !== 1) s += `, dilation=${tuple1(this.dilation[0])}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    if (this.paddingMode !== 'zeros') s += `, padding_mode=${this.paddingMode}`;
    return s;
  }
}

refusePythonNames(Conv1d.prototype, 'layer', [['reset_parameters', 'resetParameters', 'method']]);
