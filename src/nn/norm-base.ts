/**
 * What BatchNorm and InstanceNorm layers share, as PyTorch's `_NormBase` (which `_BatchNorm` and `_InstanceNorm`
 * extend): the options, the parameters `weight` (ones) and `bias` (zeros), [numFeatures] each, when `affine`; the
 * buffers `running_mean` (zeros), `running_var` (ones) and `num_batches_tracked` (0-d) when `trackRunningStats`,
 * registered as null otherwise (as PyTorch's None); the resets; and the repr.
 */
import { noGrad } from '../autograd/grad-mode.js';
import { checkArgumentCount, checkOptions, describeValue, isPlainObject } from '../options.js';
import { refusePythonNames } from '../python-names.js';
import { formatPyFloat } from '../tensor/format.js';
import { Tensor } from '../tensor/tensor.js';
import { WeightAndBias } from './weight-and-bias.js';
import { withoutFactoryKwargs, type FactoryKwargs } from '../device.js';
import { parameterStorage } from './parameter-storage.js';

export interface NormOptions extends FactoryKwargs {
  /** Added to the variance (default 1e-5). */
  readonly eps?: number;
  /**
   * How far the running statistics move towards each batch's (default 0.1). BatchNorm takes null for a cumulative
   * moving average (factor 1 / numBatchesTracked), as PyTorch's; InstanceNorm accepts null, and its forward refuses
   * it, as PyTorch's.
   */
  readonly momentum?: number | null;
  /** Learn a weight (ones) and a bias (zeros) per channel (default: true for BatchNorm, false for InstanceNorm). */
  readonly affine?: boolean;
  /**
   * Keep running statistics, used in evaluation mode (default: true for BatchNorm, false for InstanceNorm); without,
   * the input's own are always used.
   */
  readonly trackRunningStats?: boolean;
}

const OPTIONS = ['eps', 'momentum', 'affine', 'trackRunningStats'] as const;

/**
 * eps, momentum, affine and trackRunningStats come by position, as in PyTorch (`new nn.BatchNorm1d(200, 1e-5, 0.1)`),
 * or as one object of options. A subclass says its defaults of affine and trackRunningStats by `statsByDefault`.
 */
export abstract class NormBase extends WeightAndBias<Tensor | null> {
  /** The default of `affine` and `trackRunningStats` (PyTorch's: true for BatchNorm, false for InstanceNorm). */
  protected static readonly statsByDefault: boolean = true;

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

  constructor(numFeatures: number, options?: NormOptions);
  constructor(numFeatures: number, eps?: number, momentum?: number | null, affine?: boolean, trackRunningStats?: boolean);
  constructor(numFeatures: number, epsOrOptions?: number | NormOptions, momentum?: number | null, affine?: boolean, trackRunningStats?: boolean) {
    super(true);
    const where = new.target.name;
    const byDefault = (new.target as unknown as { readonly statsByDefault: boolean }).statsByDefault;
    checkArgumentCount(where, arguments, 5, `new ${where}(64, 1e-5, 0.1, true, true)`);
    const given = withoutFactoryKwargs(where, epsOrOptions);
    const positional = typeof given === 'number';
    const rest = [momentum, affine, trackRunningStats];
    if (!positional && rest.some((v) => v !== undefined)) {
      throw new TypeError(`${where}: the arguments after numFeatures are eps, momentum, affine and trackRunningStats by position (new ${where}(200, 1e-5, 0.1)) or one object of options (new ${where}(200, { momentum: 0.1 })); got ${describeValue(given)} then ${describeValue(rest.find((v) => v !== undefined))}`);
    }
    if (!positional && given !== undefined && !isPlainObject(given)) {
      throw new TypeError(`${where}: eps must be a number, or the second argument an object of options (eps, momentum, affine, trackRunningStats), got ${describeValue(given)}`);
    }
    const o: NormOptions = positional
      ? { eps: given, ...(momentum === undefined ? {} : { momentum }), ...(affine === undefined ? {} : { affine }), ...(trackRunningStats === undefined ? {} : { trackRunningStats }) }
      : checkOptions<NormOptions>(where, given as NormOptions | undefined, OPTIONS);
    // PyTorch takes 0 features (BatchNorm1d(0): empty parameters and statistics).
    if (!Number.isInteger(numFeatures) || numFeatures < 0) throw new RangeError(`${where}: numFeatures must be a non-negative integer, got ${describeValue(numFeatures)}`);
    const eps = o.eps ?? 1e-5;
    if (typeof eps !== 'number' || !(eps >= 0) || eps === Infinity) throw new RangeError(`${where}: eps must be a non-negative number, got ${describeValue(eps)}`);
    const m = o.momentum === undefined ? 0.1 : o.momentum;
    if (m !== null && (typeof m !== 'number' || !Number.isFinite(m))) throw new TypeError(`${where}: momentum must be a number or null, got ${describeValue(m)}`);
    const aff = o.affine ?? byDefault;
    if (typeof aff !== 'boolean') throw new TypeError(`${where}: affine must be true or false, got ${describeValue(aff)}`);
    const track = o.trackRunningStats ?? byDefault;
    if (typeof track !== 'boolean') throw new TypeError(`${where}: trackRunningStats must be true or false, got ${describeValue(track)}`);
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = m;
    this.affine = aff;
    this.trackRunningStats = track;
    const shape = [numFeatures];
    this.holdWeightAndBias(
      aff ? this.makeParameter('weight', new Tensor(parameterStorage(where, 'weight', shape, 1), shape)) : null,
      aff ? this.makeParameter('bias', new Tensor(parameterStorage(where, 'bias', shape), shape)) : null,
    );
    this.registerBuffer('running_mean', track ? new Tensor(parameterStorage(where, 'running_mean', shape, 0, true), shape) : null);
    this.registerBuffer('running_var', track ? new Tensor(parameterStorage(where, 'running_var', shape, 1, true), shape) : null);
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

  protected override extraRepr(): string {
    const py = (b: boolean): string => (b ? 'True' : 'False');
    const momentum = this.momentum === null ? 'None' : formatPyFloat(this.momentum);
    return `${this.numFeatures}, eps=${formatPyFloat(this.eps)}, momentum=${momentum}, affine=${py(this.affine)}, track_running_stats=${py(this.trackRunningStats)}`;
  }
}

refusePythonNames(NormBase.prototype, 'layer', [
  ['reset_running_stats', 'resetRunningStats', 'method'], ['reset_parameters', 'resetParameters', 'method'],
]);
