/**
 * Instance normalisation layers, PyTorch's `nn.InstanceNorm1d` and `nn.InstanceNorm2d` (their shared `_InstanceNorm`
 * is `InstanceNormBase` here): each sample's channels normalised on their own over the positions (see
 * `ops/instance-norm.ts` for the op).
 */
import { instanceNorm } from '../ops/instance-norm.js';
import { checkArgumentCount, describeValue } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { NormBase, type NormOptions } from './norm-base.js';

/** InstanceNorm's options (affine and trackRunningStats default to false). */
export type InstanceNormLayerOptions = NormOptions;

/**
 * What InstanceNorm1d and InstanceNorm2d share (PyTorch's `_InstanceNorm`): parameters `weight` (ones) and `bias`
 * (zeros), [numFeatures] each, when `affine`; buffers `running_mean` (zeros), `running_var` (ones) and
 * `num_batches_tracked` (0-d, which PyTorch's InstanceNorm never advances: it stays 0) when `trackRunningStats`.
 * In training mode, or without trackRunningStats, each instance's statistics are used (and the running ones, when
 * kept, move towards the batch's mean of them); in evaluation mode with trackRunningStats, the running ones. An input
 * without its batch dimension is normalised as a batch of one. eps, momentum, affine and trackRunningStats also come
 * by position, as in PyTorch: `new nn.InstanceNorm1d(3, 1e-5, 0.1, true)`.
 */
export abstract class InstanceNormBase extends NormBase {
  protected static override readonly statsByDefault: boolean = false;

  /** The rank of an input without its batch dimension (2 for InstanceNorm1d, 3 for InstanceNorm2d). */
  protected abstract get noBatchDim(): number;

  forward(input: Tensor): Tensor {
    const where = this.constructor.name;
    if (arguments.length > 1) checkArgumentCount(`${where}.forward`, arguments, 1, 'forward(input); a target goes to the loss');
    if (!(input instanceof Tensor)) throw new TypeError(`${where}: input must be a Tensor, got ${describeValue(input)}`);
    const k = this.noBatchDim;
    if (input.ndim !== k && input.ndim !== k + 1) {
      throw new RangeError(`${where}: expected ${k}D or ${k + 1}D input (got ${input.ndim}D input of shape ${formatShape(input.shape)})`);
    }
    const unbatched = input.ndim === k;
    const x = unbatched ? input.unsqueeze(0) : input;
    const out = instanceNorm(x, {
      runningMean: this.runningMean, runningVar: this.runningVar, weight: this.weight, bias: this.bias,
      useInputStats: this.training || !this.trackRunningStats, momentum: this.momentum as number, eps: this.eps,
    });
    return unbatched ? out.squeeze(0) : out;
  }
}

/**
 * PyTorch's `nn.InstanceNorm1d(num_features, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)`:
 * normalises each channel of each sample of an input [N, C, L] (or [C, L]) over L. See `InstanceNormBase`.
 *
 * @example
 * const y = new nn.InstanceNorm1d(3, { affine: true }).forward(x);   // x [N, 3, L]
 */
export class InstanceNorm1d extends InstanceNormBase {
  protected get noBatchDim(): number {
    return 2;
  }
}

/**
 * PyTorch's `nn.InstanceNorm2d(num_features, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)`:
 * normalises each channel of each sample of an input [N, C, H, W] (or [C, H, W]) over H and W. See `InstanceNormBase`.
 *
 * @example
 * const block = new nn.Sequential(new nn.Conv2d(3, 8, 3), new nn.InstanceNorm2d(8, { affine: true }), new nn.ReLU());
 */
export class InstanceNorm2d extends InstanceNormBase {
  protected get noBatchDim(): number {
    return 3;
  }
}

/**
 * PyTorch's `nn.InstanceNorm3d(num_features, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)`:
 * normalises each channel of each sample of an input [N, C, D, H, W] (or [C, D, H, W]) over D, H and W.
 */
export class InstanceNorm3d extends InstanceNormBase {
  protected get noBatchDim(): number {
    return 4;
  }
}
