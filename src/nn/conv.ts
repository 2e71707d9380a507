import { conv2d, conv2dOptions, CONV2D_OPTIONS, type Conv2dOptions as Conv2dOpOptions } from '../ops/conv.js';
import { pair, type IntPair, type Pair } from '../ops/window.js';
import { checkArgumentCount } from '../options.js';
import { FACTORY_KWARGS, type FactoryKwargs } from '../device.js';
import type { Generator } from '../random.js';
import type { Tensor } from '../tensor/tensor.js';
import { ConvNd } from './conv-nd.js';
import { convLayerArguments, CONV_POSITIONAL, type ConvRest } from './conv-arguments.js';
import { checkPaddingMode, padForConvolution, type PaddingMode } from './conv-padding-mode.js';
import { refusePythonNames } from '../python-names.js';

export interface Conv2dOptions extends Conv2dOpOptions, FactoryKwargs {
  /** Learn an additive bias, one per output channel (default true). */
  readonly bias?: boolean;
  /**
   * How the padding is filled (default `'zeros'`): `'reflect'`, `'replicate'` or `'circular'` pad the input with F.pad
   * in that mode first, as PyTorch's `padding_mode` does.
   */
  readonly paddingMode?: PaddingMode;
  /** Draws the initial weights (default: the global generator, which `manualSeed` seeds). */
  readonly generator?: Generator;
}

const OPTIONS = [...CONV2D_OPTIONS, 'bias', 'paddingMode', 'generator', ...FACTORY_KWARGS] as const;

/**
 * A 2-D convolution layer, PyTorch's `nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0,
 * dilation=1, groups=1, bias=True, padding_mode='zeros', device=None, dtype=None)`: takes [N, inChannels, H, W] (or one
 * sample [inChannels, H, W]) to [N, outChannels, Ho, Wo]. The arguments come by position in that order, as in
 * PyTorch's examples (`new Conv2d(3, 64, 3, 1, 1)`), or as options (`new Conv2d(32, 64, 3, { padding: 1 })`), or some
 * of each (`new Conv2d(3, 8, 3, 1, 1, { bias: false })`). Sizes are an integer or [height, width].
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
export class Conv2d extends ConvNd<Pair> {
  constructor(inChannels: number, outChannels: number, kernelSize: IntPair, ..._rest: ConvRest<Pair, Conv2dOptions>) {
    const where = 'Conv2d';
    const o = convLayerArguments<Conv2dOptions>(where, OPTIONS, CONV_POSITIONAL, arguments, inChannels, outChannels, "new Conv2d(3, 8, 3, 1, 1, 1, 1, true, 'zeros', { generator })");
    const k = pair(where, 'kernelSize', kernelSize, 1);
    const { bias: _b, paddingMode: _m, generator: _g, ...geometry } = o;
    const { stride, dilation, groups } = conv2dOptions(where, geometry, k);
    const p = o.padding ?? 0;
    const padding = p === 'valid' || p === 'same' ? p : pair(where, 'padding', p, 0);
    const paddingMode = checkPaddingMode(where, o.paddingMode, false);
    super(where, inChannels, outChannels, { kernelSize: k, stride, padding, dilation, groups, paddingMode }, o.bias !== false, o.generator);
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('Conv2d.forward', arguments, 1, 'forward(input); a target goes to the loss');
    const options = { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups };
    if (this.paddingMode === 'zeros') return conv2d(input, this.weight, this.bias, options);
    const padded = padForConvolution(input, this.paddingMode, this.padding, this.kernelSize, this.dilation);
    return conv2d(padded, this.weight, this.bias, { ...options, padding: 0 });
  }
}

refusePythonNames(Conv2d.prototype, 'layer', [['reset_parameters', 'resetParameters', 'method']]);
