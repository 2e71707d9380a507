import { linear } from '../ops/linear.js';
import { getDefaultGenerator, type Generator } from '../random.js';
import { checkArgumentCount, checkOptions, describeValue, leadingOption } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { withoutFactoryKwargs, type FactoryKwargs } from '../device.js';
import { resetWeightAndBias } from './init-core.js';
import { WeightAndBias } from './weight-and-bias.js';
import { refusePythonNames } from '../python-names.js';
import { parameterStorage } from './parameter-storage.js';

export interface LinearOptions extends FactoryKwargs {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Draws the initial weights (default: the global generator, which `manualSeed` seeds). */
  generator?: Generator;
}

/**
 * y = x·Wᵀ + b. `new Linear(784, 200, false)` has no bias, as PyTorch's `Linear(784, 200, False)`. `weight` has PyTorch's shape [out, in] and is stored transposed ([in, out] row-major) so the
 * per-sample kernels walk contiguous rows; `weight.toArray()` and the state dict give the usual row-major values.
 */
export class Linear extends WeightAndBias<Tensor> {
  readonly inFeatures: number;
  readonly outFeatures: number;
  constructor(inFeatures: number, outFeatures: number, biasOrOptions?: boolean | LinearOptions, options?: Omit<LinearOptions, 'bias'>) {
    super(false);
    checkArgumentCount('Linear', arguments, 4, 'new Linear(784, 200, true, { generator })');
    const given = checkOptions('Linear', leadingOption<LinearOptions>('Linear', 'bias', withoutFactoryKwargs('Linear', biasOrOptions), withoutFactoryKwargs('Linear', options), 'new Linear(2, 2, false, { generator })'), ['bias', 'generator']);
    if (given.bias !== undefined && typeof given.bias !== 'boolean') throw new TypeError(`Linear: bias must be true or false, got ${describeValue(given.bias)}`);
    for (const [v, what] of [[inFeatures, 'inFeatures'], [outFeatures, 'outFeatures']] as const) {
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`Linear: ${what} must be a non-negative integer (0 makes an empty layer, as PyTorch's), got ${describeValue(v)}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const weight = new Tensor(parameterStorage('Linear', 'weight', [outFeatures, inFeatures]), [outFeatures, inFeatures], { strides: [1, outFeatures] });
    // Nobody holds its storage yet: the optimizers may owe it updates until it is read (see optim/adam.ts).
    weight.exposed = false;
    this.holdWeightAndBias(
      this.makeParameter('weight', weight),
      given.bias === false ? null : this.makeParameter('bias', new Tensor(parameterStorage('Linear', 'bias', [outFeatures]), [outFeatures])),
    );
    this.resetParameters(given.generator);
  }

  /**
   * PyTorch's default initialisation, drawn in PyTorch's order from the generator: kaiming_uniform_(a=√5) for the
   * weight (= U(−1/√in, 1/√in)) in row-major order, then U(−1/√in, 1/√in) for the bias.
   */
  resetParameters(generator: Generator = getDefaultGenerator()): void {
    // Through the strides: an assigned weight (`lin.weight = new nn.Parameter(w)`) may be stored row-major.
    resetWeightAndBias(this.weight, this.bias, generator, 'Linear.resetParameters');
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('Linear.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return linear(input, this.weight, this.bias);
  }

  protected override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? 'True' : 'False'}`;
  }
}

refusePythonNames(Linear.prototype, 'layer', [['reset_parameters', 'resetParameters', 'method']]);
