// nn.GLU, nn.Softmax2d and nn.ChannelShuffle, as PyTorch 1.13's: each calls its functional form and prints as PyTorch's.
import { KindlingError } from '../errors.js';
import { checkArgumentCount, describeValue } from '../options.js';
import { channelShuffle } from '../ops/channel-shuffle.js';
import { glu } from '../ops/glu.js';
import { softmax } from '../ops/softmax.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** a·σ(b) of the two halves of the input along `dim` (default −1), PyTorch's `nn.GLU(dim=-1)`. */
export class GLU extends Module {
  readonly dim: number;
  constructor(dim: number | { dim?: number } = -1) {
    super();
    const d = typeof dim === 'number' ? dim : (dim.dim ?? -1);
    if (!Number.isInteger(d)) throw new TypeError(`GLU: dim must be an integer, got ${describeValue(d)}`);
    this.dim = d;
  }
  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('GLU.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return glu(input, this.dim);
  }
  protected override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Softmax over the channels of [C, H, W] or [N, C, H, W] inputs (dim −3), PyTorch's `nn.Softmax2d()`. */
export class Softmax2d extends Module {
  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('Softmax2d.forward', arguments, 1, 'forward(input); a target goes to the loss');
    if (input.ndim !== 3 && input.ndim !== 4) throw new KindlingError('Softmax2d requires a 3D or 4D tensor as input');
    return softmax(input, -3);
  }
}

/** The channels interleaved across `groups`, PyTorch's `nn.ChannelShuffle(groups)`. */
export class ChannelShuffle extends Module {
  readonly groups: number;
  constructor(groups: number) {
    super();
    checkArgumentCount('ChannelShuffle', arguments, 1, 'new ChannelShuffle(3)');
    if (!Number.isInteger(groups)) throw new TypeError(`ChannelShuffle: groups must be an integer, got ${describeValue(groups)}`);
    this.groups = groups;
  }
  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('ChannelShuffle.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return channelShuffle(input, this.groups);
  }
  protected override extraRepr(): string {
    return `groups=${this.groups}`;
  }
}
