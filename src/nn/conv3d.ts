import { conv3d, conv3dOptions, CONV3D_OPTIONS, type Conv3dOptions as Conv3dOpOptions } from '../ops/conv3d.js';
import { triple, type Int3, type Triple } from '../ops/conv-volume.js';
import type { IntPair } from '../ops/window.js';
import { checkArgumentCount } from '../options.js';
import { FACTORY_KWARGS, type FactoryKwargs } from '../device.js';
import { refusePythonNames } from '../python-names.js';
import type { Generator } from '../random.js';
import type { Tensor } from '../tensor/tensor.js';
import { ConvNd } from './conv-nd.js';
import { convLayerArguments, CONV_POSITIONAL, type ConvRest } from './conv-arguments.js';
import { checkPaddingMode, padForConvolution, type PaddingMode } from './conv-padding-mode.js';

export interface Conv3dOptions extends Conv3dOpOptions, FactoryKwargs {
  /** Learn an additive bias, one per output channel (default true). */
  readonly bias?: boolean;
  /** How the padding is filled (default `'zeros'`; `'reflect'`, `'replicate'` or `'circular'`: see Conv2d). */
  readonly paddingMode?: PaddingMode;
  /** Draws the initial weights (default: the global generator, which `manualSeed` seeds). */
  readonly generator?: Generator;
}

type LayerArguments = { readonly stride?: IntPair; readonly bias?: boolean; readonly paddingMode?: PaddingMode };

const OPTIONS = [...CONV3D_OPTIONS, 'bias', 'paddingMode', 'generator', ...FACTORY_KWARGS] as const;

/**
 * A 3-D convolution layer, PyTorch's `nn.Conv3d(in_channels, out_channels, kernel_size, stride=1, padding=0,
 * dilation=1, groups=1, bias=True)`: takes [N, inChannels, D, H, W] (or one sample [inChannels, D, H, W]) to
 * [N, outChannels, Do, Ho, Wo], for volumes and short videos. The arguments come by position in that order (then
 * padding_mode, device, dtype), as in `new Conv3d(1, 8, 3, 2)`, as options, or some of each; sizes are an integer or
 * [depth, height, width].
 *
 * `weight` is [outChannels, inChannels / groups, kd, kh, kw], `bias` [outChannels]; both start as PyTorch's do,
 * drawn in its order from the generator: U(−1/√fanIn, 1/√fanIn) with fanIn = inChannels / groups · kd · kh · kw.
 *
 * @example
 * const net = new nn.Sequential(new nn.Conv3d(1, 8, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool3d(2));
 */
export class Conv3d extends ConvNd<Triple> {
  constructor(inChannels: number, outChannels: number, kernelSize: Int3, ..._rest: ConvRest<Triple, Conv3dOptions>) {
    const where = 'Conv3d';
    const o = convLayerArguments<LayerArguments>(where, OPTIONS, CONV_POSITIONAL, arguments, inChannels, outChannels, "new Conv3d(1, 8, 3, 1, 1, 1, 1, true, 'zeros', { generator })") as Conv3dOptions;
    const k = triple(where, 'kernelSize', kernelSize, 1);
    const { bias: _b, paddingMode: _m, generator: _g, ...geometry } = o;
    const { stride, dilation, groups } = conv3dOptions(where, geometry, k);
    const p = o.padding ?? 0;
    const padding = p === 'valid' || p === 'same' ? p : triple(where, 'padding', p, 0);
    const paddingMode = checkPaddingMode(where, o.paddingMode, false);
    super(where, inChannels, outChannels, { kernelSize: k, stride, padding, dilation, groups, paddingMode }, o.bias !== false, o.generator);
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('Conv3d.forward', arguments, 1, 'forward(input); a target goes to the loss');
    const options = { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups };
    if (this.paddingMode === 'zeros') return conv3d(input, this.weight, this.bias, options);
    const padded = padForConvolution(input, this.paddingMode, this.padding, this.kernelSize, this.dilation);
    return conv3d(padded, this.weight, this.bias, { ...options, padding: 0 });
  }
}

refusePythonNames(Conv3d.prototype, 'layer', [['reset_parameters', 'resetParameters', 'method']]);
