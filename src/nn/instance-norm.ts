/**
 * Instance normalisation layers, PyTorch's `nn.InstanceNorm1d` and `nn.InstanceNorm2d` (their shared `_InstanceNorm`
 * is `InstanceNormBase` here): each sample's channels normalised on their own over the positions (see
 * `ops/instance-norm.ts` for the op).
 */
import { noGrad } from '../autograd/grad-mode.js';
import { allocStorage } from '../kernels/storage.js';
import { instanceNorm } from '../ops/instance-norm.js';
import { checkArgumentCount, checkOptions, describeValue, isPlainObject } from '../options.js';
import { refusePythonNames } from '../python-names.js';
import { formatPyFloat } from '../tensor/format.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { WeightAndBias } from './weight-and-bias.js';

export interface InstanceNormLayerOptions {
  /** Added to the variance (default 1e-5). */
  readonly eps?: number;
  /** How far the running statistics move towards each batch's (default 0.1). PyTorch accepts null here but its forward refuses it; so does Kindling's. */
  readonly momentum?: number | null;
  /** Learn a weight (ones) and a bias (zeros) per channel (default false). */
  readonly affine?: boolean;
  /** Keep running statistics, used in evaluation mode (default false): without, each instance's are always used. */
  readonly trackRunningStats?: boolean;
}

const OPTIONS = ['eps', 'momentum', 'affine', 'trackRunningStats'] as const;

/**
 * What InstanceNorm1d and InstanceNorm2d share (PyTorch's `_InstanceNorm`): parameters `weight` (ones) and `bias`
 * (zeros), [numFeatures] each, when `affine`; buffers `running_mean` (zeros), `running_var` (ones) and
 * `num_batches_tracked` (0-d, which PyTorch's InstanceNorm never advances: it stays 0) when `trackRunningStats`.
 * In training mode, or without trackRunningStats, each instance's statistics are used (and the running ones, when
 * kept, move towards the batch's mean of them); in evaluation mode with trackRunningStats, the running ones. An input
 * without its batch dimension is normalised as a batch of one. eps, momentum, affine and trackRunningStats also come
 * by position, as in PyTorch: `new nn.InstanceNorm1d(3, 1e-5, 0.1, true)`.
 */
export abstract class InstanceNormBase extends WeightAndBias<Tensor | null> {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;

  /** The buffer `running_mean` (null without trackRunningStats). */
  get runningMean(): Tensor | null {
    return this.getBuffer('running_mean');
  }
  set runningMean(v: Tensor | null) {
    Reflect.set(this, 'running_mean', v);
  }

  /** The buffer `running_var` (null without trackRunningStats). */
  get runningVar(): Tensor | null {
    return this.getBuffer('running_var');
  }
  set runningVar(v: Tensor | null) {
    Reflect.set(this, 'running_var', v);
  }

  /** The buffer `num_batches_tracked`, a 0-d float32 tensor (null without trackRunningStats); stays 0, as PyTorch's. */
  get numBatchesTracked(): Tensor | null {
    return this.getBuffer('num_batches_tracked');
  }
  set numBatchesTracked(v: Tensor | null) {
    Reflect.set(this, 'num_batches_tracked', v);
  }

  constructor(numFeatures: number, options?: InstanceNormLayerOptions);
  constructor(numFeatures: number, eps?: number, momentum?: number | null, affine?: boolean, trackRunningStats?: boolean);
  constructor(numFeatures: number, epsOrOptions?: number | InstanceNormLayerOptions, momentum?: number | null, affine?: boolean, trackRunningStats?: boolean) {
    super(true);
    const where = new.target.name;
    checkArgumentCount(where, arguments, 5, `new ${where}(64, 1e-5, 0.1, true, true)`);
    const positional = typeof epsOrOptions === 'number';
    const rest = [momentum, affine, trackRunningStats];
    if (!positional && rest.some((v) => v !== undefined)) {
      throw new TypeError(`${where}: the arguments after numFeatures are eps, momentum, affine and trackRunningStats by position (new ${where}(3, 1e-5, 0.1, true)) or one object of options (new ${where}(3, { affine: true })); got ${describeValue(epsOrOptions)} then ${describeValue(rest.find((v) => v !== undefined))}`);
    }
    if (!positional && epsOrOptions !== undefined && !isPlainObject(epsOrOptions)) {
      throw new TypeError(`${where}: eps must be a number, or the second argument an object of options (eps, momentum, affine, trackRunningStats), got ${describeValue(epsOrOptions)}`);
    }
    const o: InstanceNormLayerOptions = positional
      ? { eps: epsOrOptions, ...(momentum === undefined ? {} : { momentum }), ...(affine === undefined ? {} : { affine }), ...(trackRunningStats === undefined ? {} : { trackRunningStats }) }
      : checkOptions<InstanceNormLayerOptions>(where, epsOrOptions as InstanceNormLayerOptions | undefined, OPTIONS);
    if (!Number.isInteger(numFeatures) || numFeatures <= 0) throw new RangeError(`${where}: numFeatures must be a positive integer, got ${describeValue(numFeatures)}`);
    const eps = o.eps ?? 1e-5;
    if (typeof eps !== 'number' || !(eps >= 0) || eps === Infinity) throw new RangeError(`${where}: eps must be a non-negative number, got ${describeValue(eps)}`);
    const m = o.momentum === undefined ? 0.1 : o.momentum;
    if (m !== null && (typeof m !== 'number' || !Number.isFinite(m))) throw new TypeError(`${where}: momentum must be a number, got ${describeValue(m)}`);
    const aff = o.affine ?? false;
    if (typeof aff !== 'boolean') throw new TypeError(`${where}: affine must be true or false, got ${describeValue(aff)}`);
    const track = o.trackRunningStats ?? false;
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

  protected override extraRepr(): string {
    const py = (b: boolean): string => (b ? 'True' : 'False');
    const momentum = this.momentum === null ? 'None' : formatPyFloat(this.momentum);
    return `${this.numFeatures}, eps=${formatPyFloat(this.eps)}, momentum=${momentum}, affine=${py(this.affine)}, track_running_stats=${py(this.trackRunningStats)}`;
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

refusePythonNames(InstanceNormBase.prototype, 'layer', [
  ['reset_running_stats', 'resetRunningStats', 'method'], ['reset_parameters', 'resetParameters', 'method'],
]);
