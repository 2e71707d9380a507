/**
 * Batch normalisation layers, PyTorch's `nn.BatchNorm1d` and `nn.BatchNorm2d` (their shared `_BatchNorm` is
 * `BatchNormBase` here): each channel normalised with the batch's statistics while training, and with running
 * statistics, kept as buffers, in evaluation mode (see `ops/batch-norm.ts` for the op).
 */
import { noGrad } from '../autograd/grad-mode.js';
import { batchNorm } from '../ops/batch-norm.js';
import { checkArgumentCount, describeValue } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { NormBase, type NormOptions } from './norm-base.js';

/** BatchNorm's options (affine and trackRunningStats default to true). */
export type BatchNormOptions = NormOptions;

/**
 * What BatchNorm1d and BatchNorm2d share (PyTorch's `_BatchNorm`): parameters `weight` (ones) and `bias` (zeros),
 * [numFeatures] each, when `affine`; buffers `running_mean` (zeros), `running_var` (ones) and `num_batches_tracked`
 * (a 0-d tensor counting the training batches seen: PyTorch's is int64, Kindling's a float32 holding the count,
 * exact up to 2^24) when `trackRunningStats`, registered as null otherwise (as PyTorch's None).
 *
 * In training mode the batch's statistics normalise it (the biased variance), and the running ones move towards
 * them (the unbiased variance) with `momentum`; in evaluation mode the running ones are used, or the batch's without
 * `trackRunningStats`. eps, momentum, affine and trackRunningStats also come by position, as in PyTorch:
 * `new nn.BatchNorm1d(200, 1e-5, 0.1)`.
 */
export abstract class BatchNormBase extends NormBase {
  /** Throws PyTorch's error for an input of a rank this layer does not take. */
  protected abstract checkInputDim(input: Tensor): void;

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount(`${this.constructor.name}.forward`, arguments, 1, 'forward(input); a target goes to the loss');
    if (!(input instanceof Tensor)) throw new TypeError(`${this.constructor.name}: input must be a Tensor, got ${describeValue(input)}`);
    this.checkInputDim(input);
    let factor = this.momentum ?? 0;
    const tracked = this.numBatchesTracked;
    if (this.training && this.trackRunningStats && tracked !== null) {
      noGrad(() => tracked.add_(1));
      if (this.momentum === null) factor = 1 / tracked.item();
    }
    const mean = this.runningMean;
    const variance = this.runningVar;
    const useRunning = !this.training || this.trackRunningStats;
    return batchNorm(input, useRunning ? mean : null, useRunning ? variance : null, {
      weight: this.weight,
      bias: this.bias,
      training: this.training || (mean === null && variance === null),
      momentum: factor,
      eps: this.eps,
    });
  }
}

/**
 * PyTorch's `nn.BatchNorm1d(num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)`:
 * normalises each of C channels of an input [N, C] or [N, C, L] over the batch (and L). See `BatchNormBase`.
 *
 * @example
 * const net = new nn.Sequential(new nn.Linear(784, 200), new nn.BatchNorm1d(200), new nn.ReLU(), new nn.Linear(200, 10));
 */
export class BatchNorm1d extends BatchNormBase {
  protected checkInputDim(input: Tensor): void {
    if (input.ndim !== 2 && input.ndim !== 3) {
      throw new RangeError(`BatchNorm1d: expected 2D or 3D input (got ${input.ndim}D input of shape ${formatShape(input.shape)})`);
    }
  }
}

/**
 * PyTorch's `nn.BatchNorm2d(num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)`:
 * normalises each of C channels of an input [N, C, H, W] over the batch and every position. See `BatchNormBase`.
 *
 * @example
 * const block = new nn.Sequential(new nn.Conv2d(1, 8, 3), new nn.BatchNorm2d(8), new nn.ReLU(), new nn.MaxPool2d(2));
 */
export class BatchNorm2d extends BatchNormBase {
  protected checkInputDim(input: Tensor): void {
    if (input.ndim !== 4) throw new RangeError(`BatchNorm2d: expected 4D input (got ${input.ndim}D input of shape ${formatShape(input.shape)})`);
  }
}

/**
 * PyTorch's `nn.BatchNorm3d(num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)`: each
 * channel of an input [N, C, D, H, W] normalised over N, D, H and W. See `BatchNormBase`.
 */
export class BatchNorm3d extends BatchNormBase {
  protected checkInputDim(input: Tensor): void {
    if (input.ndim !== 5) throw new RangeError(`BatchNorm3d: expected 5D input (got ${input.ndim}D input of shape ${formatShape(input.shape)})`);
  }
}
