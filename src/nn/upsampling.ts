// PyTorch's older resampling layers, kept for the code that uses them: `nn.UpsamplingNearest2d(size, scale_factor)`
// (an Upsample with mode 'nearest') and `nn.UpsamplingBilinear2d(size, scale_factor)` (mode 'bilinear' with
// align_corners, as PyTorch's), and `nn.NLLLoss2d`, PyTorch's deprecated name for NLLLoss on images.
import { checkOptions } from '../options.js';
import { NLLLoss } from './loss.js';
import { Upsample } from './upsample.js';

/** The options of the two layers: a size or a scale factor, as PyTorch's. */
export interface UpsamplingOptions {
  readonly size?: number | readonly number[] | null;
  readonly scaleFactor?: number | readonly number[] | null;
}

/** PyTorch's `nn.UpsamplingNearest2d(size=None, scale_factor=None)`: `new nn.UpsamplingNearest2d({ scaleFactor: 2 })`. */
export class UpsamplingNearest2d extends Upsample {
  constructor(options: UpsamplingOptions = {}) {
    const o = checkOptions('UpsamplingNearest2d', options, ['size', 'scaleFactor']);
    super({ size: o.size ?? null, scaleFactor: o.scaleFactor ?? null, mode: 'nearest' });
  }
}

/** PyTorch's `nn.UpsamplingBilinear2d(size=None, scale_factor=None)`: bilinear with align_corners true. */
export class UpsamplingBilinear2d extends Upsample {
  constructor(options: UpsamplingOptions = {}) {
    const o = checkOptions('UpsamplingBilinear2d', options, ['size', 'scaleFactor']);
    super({ size: o.size ?? null, scaleFactor: o.scaleFactor ?? null, mode: 'bilinear', alignCorners: true });
  }
}

/** PyTorch's deprecated `nn.NLLLoss2d`: NLLLoss, under its old name. */
export class NLLLoss2d extends NLLLoss {}
