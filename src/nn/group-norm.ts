/**
 * PyTorch's `nn.GroupNorm(num_groups, num_channels, eps=1e-05, affine=True)`: see `ops/group-norm.ts` for the op.
 */
import { noGrad } from '../autograd/grad-mode.js';
import { groupNorm } from '../ops/group-norm.js';
import { checkArgumentCount, checkOptions, describeValue, isPlainObject } from '../options.js';
import { withoutFactoryKwargs, type FactoryKwargs } from '../device.js';
import { refusePythonNames } from '../python-names.js';
import { formatPyFloat } from '../tensor/format.js';
import { Tensor } from '../tensor/tensor.js';
import { WeightAndBias } from './weight-and-bias.js';
import { parameterStorage } from './parameter-storage.js';

export interface GroupNormLayerOptions extends FactoryKwargs {
  /** Added to the variance (default 1e-5). */
  readonly eps?: number;
  /** Learn a weight (ones) and a bias (zeros) per channel (default true). */
  readonly affine?: boolean;
}

/**
 * Splits the C channels of an input [N, C, …] into `numGroups` groups of consecutive channels and normalises each
 * sample's group with its own mean and (biased) variance, then weight·x̂ + bias per channel, as PyTorch's
 * `nn.GroupNorm`. The same in training and evaluation mode: no running statistics. `weight` (ones) and `bias`
 * (zeros), [numChannels] each, when `affine`. eps and affine also come by position: `new nn.GroupNorm(2, 4, 1e-5, true)`.
 *
 * @example
 * const block = new nn.Sequential(new nn.Conv2d(3, 8, 3), new nn.GroupNorm(2, 8), new nn.ReLU());
 */
export class GroupNorm extends WeightAndBias<Tensor | null> {
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  readonly affine: boolean;

  constructor(numGroups: number, numChannels: number, options?: GroupNormLayerOptions);
  constructor(numGroups: number, numChannels: number, eps?: number, affine?: boolean);
  constructor(numGroups: number, numChannels: number, epsOrOptions?: number | GroupNormLayerOptions, affine?: boolean) {
    super(true);
    const where = 'GroupNorm';
    checkArgumentCount(where, arguments, 4, 'new GroupNorm(2, 4, 1e-5, true)');
    epsOrOptions = withoutFactoryKwargs(where, epsOrOptions);
    let o: GroupNormLayerOptions;
    if (typeof epsOrOptions === 'number' || (epsOrOptions === undefined && affine !== undefined)) {
      o = { ...(epsOrOptions === undefined ? {} : { eps: epsOrOptions }), ...(affine === undefined ? {} : { affine }) };
    } else {
      if (epsOrOptions !== undefined && !isPlainObject(epsOrOptions)) {
        throw new TypeError(`${where}: eps must be a number, or the third argument an object of options (eps, affine), got ${describeValue(epsOrOptions)}`);
      }
      if (affine !== undefined) throw new TypeError(`${where}: pass eps and affine by position (new GroupNorm(2, 4, 1e-5, false)) or as one object of options (new GroupNorm(2, 4, { affine: false })), not both`);
      o = checkOptions<GroupNormLayerOptions>(where, epsOrOptions, ['eps', 'affine']);
    }
    if (typeof numGroups !== 'number' || !Number.isInteger(numGroups) || numGroups <= 0) throw new RangeError(`${where}: numGroups must be a positive integer, got ${describeValue(numGroups)}`);
    // PyTorch takes 0 channels (GroupNorm(2, 0): an empty weight and bias).
    if (typeof numChannels !== 'number' || !Number.isInteger(numChannels) || numChannels < 0) throw new RangeError(`${where}: numChannels must be a non-negative integer, got ${describeValue(numChannels)}`);
    if (numChannels % numGroups !== 0) {
      throw new RangeError(`${where}: num_channels must be divisible by num_groups (got numChannels ${numChannels} and numGroups ${numGroups})`);
    }
    const eps = o.eps ?? 1e-5;
    if (typeof eps !== 'number' || !(eps >= 0) || eps === Infinity) throw new RangeError(`${where}: eps must be a non-negative number, got ${describeValue(eps)}`);
    const aff = o.affine ?? true;
    if (typeof aff !== 'boolean') throw new TypeError(`${where}: affine must be true or false, got ${describeValue(aff)}`);
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    this.eps = eps;
    this.affine = aff;
    this.holdWeightAndBias(
      aff ? this.makeParameter('weight', new Tensor(parameterStorage(where, 'weight', [numChannels], 1), [numChannels])) : null,
      aff ? this.makeParameter('bias', new Tensor(parameterStorage(where, 'bias', [numChannels]), [numChannels])) : null,
    );
  }

  /** PyTorch's `reset_parameters`: the weight ones and the bias zeros. */
  resetParameters(): void {
    noGrad(() => {
      this.weight?.fill_(1);
      this.bias?.zero_();
    });
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('GroupNorm.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return groupNorm(input, this.numGroups, this.weight, this.bias, this.eps);
  }

  protected override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${formatPyFloat(this.eps)}, affine=${this.affine ? 'True' : 'False'}`;
  }
}

refusePythonNames(GroupNorm.prototype, 'layer', [['reset_parameters', 'resetParameters', 'method']]);
