/**
 * Batch normalisation layers, PyTorch's `nn.BatchNorm1d` and `nn.BatchNorm2d` (their shared `_BatchNorm` is
 * `BatchNormBase` here): each channel normalised with the batch's statistics while training, and with running
 * statistics, kept as buffers, in evaluation mode (see `ops/batch-norm.ts` for the op).
 */
import { noGrad } from '../autograd/grad-mode.js';
import { allocStorage } from '../kernels/storage.js';
import { batchNorm } from '../ops/batch-norm.js';
import { checkArgumentCount, checkOptions, describeValue, isPlainObject } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { formatPyFloat } from '../tensor/format.js';
import { Tensor } from '../tensor/tensor.js';
import { WeightAndBias } from './weight-and-bias.js';
import { refusePythonNames } from '../python-names.js';

export interface BatchNormOptions {
  /** Added to the variance (default 1e-5). */
  readonly eps?: number;
  /**
   * How far the running statistics move towards each batch's (default 0.1); null: a cumulative moving average (the
   * plain mean of every batch's statistics so far: factor 1 / numBatchesTracked), as in PyTorch.
   */
  readonly momentum?: number | null;
  /** Learn a weight (ones) and a bias (zeros) per channel (default true). */
  readonly affine?: boolean;
  /** Keep running statistics, used in evaluation mode (default true); without, the batch's are always used. */
  readonly trackRunningStats?: boolean;
}

const OPTIONS = ['eps', 'momentum', 'affine', 'trackRunningStats'] as const;

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
export abstract class BatchNormBase extends WeightAndBias<Tensor | null> {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  /** The buffer `running_mean` (null without trackRunningStats); assigning a Tensor or null replaces it. */
  get runningMean(): Tensor | null {
    return this.getBuffer('running_mean');
  }
  set runningMean(v: Tensor | null) {
    Reflect.set(this, 'running_mean', v);
  }

  /** The buffer `running_var` (null without trackRunningStats); assigning a Tensor or null replaces it. */
  get runningVar(): Tensor | null {
    return this.getBuffer('running_var');
  }
  set runningVar(v: Tensor | null) {
    Reflect.set(this, 'running_var', v);
  }

  /** The buffer `num_batches_tracked`, a 0-d float32 tensor (null without trackRunningStats). */
  get numBatchesTracked(): Tensor | null {
    return this.getBuffer('num_batches_tracked');
  }
  set numBatchesTracked(v: Tensor | null) {
    Reflect.set(this, 'num_batches_tracked', v);
  }

  constructor(numFeatures: number, options?: BatchNormOptions);
  constructor(numFeatures: number, eps?: number, momentum?: number | null, affine?: boolean, trackRunningStats?: boolean);
  constructor(numFeatures: number, epsOrOptions?: number | BatchNormOptions, momentum?: number | null, affine?: boolean, trackRunningStats?: boolean) {
    super(true);
    const where = new.target.name;
    checkArgumentCount(where, arguments, 5, `new ${where}(64, 1e-5, 0.1, true, true)`);
    const positional = typeof epsOrOptions === 'number';
    const rest = [momentum, affine, trackRunningStats];
    if (!positional && rest.some((v) => v !== undefined)) {
      throw new TypeError(`${where}: the arguments after numFeatures are eps, momentum, affine and trackRunningStats by position (new ${where}(200, 1e-5, 0.1)) or one object of options (new ${where}(200, { momentum: 0.1 })); got ${describeValue(epsOrOptions)} then ${describeValue(rest.find((v) => v !== undefined))}`);
    }
    if (!positional && epsOrOptions !== undefined && !isPlainObject(epsOrOptions)) {
      throw new TypeError(`${where}: eps must be a number, or the second argument an object of options (eps, momentum, affine, trackRunningStats), got ${describeValue(epsOrOptions)}`);
    }
    const o: BatchNormOptions = positional
      ? { eps: epsOrOptions, ...(momentum === undefined ? {} : { momentum }), ...(affine === undefined ? {} : { affine }), ...(trackRunningStats === undefined ? {} : { trackRunningStats }) }
      : checkOptions<BatchNormOptions>(where, epsOrOptions as BatchNormOptions | undefined, OPTIONS);
    if (!Number.isInteger(numFeatures) || numFeatures <= 0) throw new RangeError(`${where}: numFeatures must be a positive integer, got ${describeValue(numFeatures)}`);
    const eps = o.eps ?? 1e-5;
    if (typeof eps !== 'number' || !(eps >= 0) || eps === Infinity) throw new RangeError(`${where}: eps must be a non-negative number, got ${describeValue(eps)}`);
    const m = o.momentum === undefined ? 0.1 : o.momentum;
    if (m !== null && (typeof m !== 'number' || !Number.isFinite(m))) throw new TypeError(`${where}: momentum must be a number or null (a cumulative moving average), got ${describeValue(m)}`);
    const aff = o.affine ?? true;
    if (typeof aff !== 'boolean') throw new TypeError(`${where}: affine must be true or false, got ${describeValue(aff)}`);
    const track = o.trackRunningStats ?? true;
    if (typeof track !== 'boolean') throw new TypeError(`${where}: trackRunningStats must be true or false, got ${describeValue(track)}`);
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = m;
    this.affine = aff;
    this.trackRunningStats = track;
    const shape = [numFeatures];
    this.holdWeightAndBias(
      aff ? this.registerParameter('weight', new Tensor(allocStorage(numFeatures).fill(1), shape)) : null,
      aff ? this.registerParameter('bias', new Tensor(allocStorage(numFeatures), shape)) : null,
    );
    this.registerBuffer('running_mean', track ? new Tensor(new Float32Array(numFeatures), shape) : null);
    this.registerBuffer('running_var', track ? new Tensor(new Float32Array(numFeatures).fill(1), shape) : null);
    this.registerBuffer('num_batches_tracked', track ? new Tensor(new Float32Array(1), []) : null);
  }

  /** PyTorch's `reset_running_stats`: running mean 0, running variance 1, no batches tracked. */
  resetRunningStats(): void {
    noGrad(() => {
      this.runningMean?.zero_();
      this.runningVar?.fill_(1);
      this.numBatchesTracked?.zero_();
    });
  }

  /** PyTorch's `reset_parameters`: the running statistics reset, the weight ones and the bias zeros. */
  resetParameters(): void {
    this.resetRunningStats();
    noGrad(() => {
      this.weight?.fill_(1);
      this.bias?.zero_();
    });
  }

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

  protected override extraRepr(): string {
    const py = (b: boolean): string => (b ? 'True' : 'False');
    const momentum = this.momentum === null ? 'None' : formatPyFloat(this.momentum);
    return `${this.numFeatures}, eps=${formatPyFloat(this.eps)}, momentum=${momentum}, affine=${py(this.affine)}, track_running_stats=${py(this.trackRunningStats)}`;
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

refusePythonNames(BatchNormBase.prototype, 'layer', [
  ['reset_running_stats', 'resetRunningStats', 'method'], ['reset_parameters', 'resetParameters', 'method'],
]);
