import { checkArgumentCount, describeValue } from '../options.js';
import { pixelShuffle, pixelUnshuffle } from '../ops/pixel-shuffle.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

function factor(where: string, name: string, v: unknown): number {
  if (!Number.isInteger(v)) throw new TypeError(`${where}: ${name} must be an integer, got ${describeValue(v)}`);
  return v as number;
}

/**
 * [*, C·r², H, W] to [*, C, H·r, W·r], PyTorch's `nn.PixelShuffle(upscale_factor)`.
 *
 * @example
 * new nn.PixelShuffle(2);
 */
export class PixelShuffle extends Module {
  readonly upscaleFactor: number;

  constructor(upscaleFactor: number) {
    super();
    checkArgumentCount('PixelShuffle', arguments, 1, 'new PixelShuffle(2)');
    this.upscaleFactor = factor('PixelShuffle', 'upscaleFactor', upscaleFactor);
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('PixelShuffle.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return pixelShuffle(input, this.upscaleFactor);
  }

  protected override extraRepr(): string {
    return `upscale_factor=${this.upscaleFactor}`;
  }
}

/**
 * [*, C, H·r, W·r] to [*, C·r², H, W], PyTorch's `nn.PixelUnshuffle(downscale_factor)`.
 *
 * @example
 * new nn.PixelUnshuffle(2);
 */
export class PixelUnshuffle extends Module {
  readonly downscaleFactor: number;

  constructor(downscaleFactor: number) {
    super();
    checkArgumentCount('PixelUnshuffle', arguments, 1, 'new PixelUnshuffle(2)');
    this.downscaleFactor = factor('PixelUnshuffle', 'downscaleFactor', downscaleFactor);
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('PixelUnshuffle.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return pixelUnshuffle(input, this.downscaleFactor);
  }

  protected override extraRepr(): string {
    return `downscale_factor=${this.downscaleFactor}`;
  }
}
