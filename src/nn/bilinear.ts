import { bilinear } from '../ops/bilinear.js';
import { getDefaultGenerator, type Generator } from '../random.js';
import { checkArgumentCount, checkOptions, describeValue, leadingOption } from '../options.js';
import { refusePythonNames } from '../python-names.js';
import { Tensor } from '../tensor/tensor.js';
import { withoutFactoryKwargs, type FactoryKwargs } from '../device.js';
import { fillUniform } from './init-core.js';
import { Module } from './module.js';
import { parameterStorage } from './parameter-storage.js';

export interface BilinearOptions extends FactoryKwargs {
  /** PyTorch's flag: a learnable bias [out] (default true). */
  bias?: boolean;
  /** The generator the initial weights are drawn from (the default one when left out). */
  generator?: Generator;
}

/**
 * y = x1ᵀ·A·x2 + b, as PyTorch's `nn.Bilinear(in1_features, in2_features, out_features, bias=True)`: weight
 * [out, in1, in2] and bias [out], both U(−1/√in1, 1/√in1) from the generator (weight first), so after manualSeed
 * PyTorch's values bit for bit. `new Bilinear(2, 3, 4)`, `new Bilinear(2, 3, 4, false)` or `{ bias, generator }`.
 */
export class Bilinear extends Module {
  readonly in1Features: number;
  readonly in2Features: number;
  readonly outFeatures: number;
  #weight: Tensor;
  #bias: Tensor | null;

  constructor(in1Features: number, in2Features: number, outFeatures: number, biasOrOptions?: boolean | BilinearOptions, options?: Omit<BilinearOptions, 'bias'>) {
    super();
    checkArgumentCount('Bilinear', arguments, 5, 'new Bilinear(2, 3, 4, true, { generator })');
    const given = checkOptions('Bilinear', leadingOption<BilinearOptions>('Bilinear', 'bias', withoutFactoryKwargs('Bilinear', biasOrOptions), withoutFactoryKwargs('Bilinear', options), 'new Bilinear(2, 3, 4, false, { generator })'), ['bias', 'generator']);
    if (given.bias !== undefined && typeof given.bias !== 'boolean') throw new TypeError(`Bilinear: bias must be true or false, got ${describeValue(given.bias)}`);
    // PyTorch takes an in2Features or outFeatures of 0 (an empty weight); in1Features 0 fails in its reset_parameters
    // (1 / sqrt(0): "float division by zero"), refused here in words.
    if (!Number.isSafeInteger(in1Features) || in1Features <= 0) throw new RangeError(`Bilinear: in1Features must be a positive integer, got ${describeValue(in1Features)}`);
    for (const [v, what] of [[in2Features, 'in2Features'], [outFeatures, 'outFeatures']] as const) {
      if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`Bilinear: ${what} must be a non-negative integer, got ${describeValue(v)}`);
    }
    this.in1Features = in1Features;
    this.in2Features = in2Features;
    this.outFeatures = outFeatures;
    this.#weight = this.makeParameter('weight', new Tensor(parameterStorage('Bilinear', 'weight', [outFeatures, in1Features, in2Features]), [outFeatures, in1Features, in2Features]));
    this.#bias = given.bias === false ? null : this.makeParameter('bias', new Tensor(parameterStorage('Bilinear', 'bias', [outFeatures]), [outFeatures]));
    this.resetParameters(given.generator);
  }

  /** [out, in1, in2]; replaced only by an `nn.Parameter`, as in PyTorch. */
  get weight(): Tensor {
    return this.#weight;
  }
  set weight(v: Tensor) {
    this.#weight = this.assignParameter('weight', v, false);
  }

  /** [out], or null with `bias: false`. */
  get bias(): Tensor | null {
    return this.#bias;
  }
  set bias(v: Tensor | null) {
    this.#bias = this.assignParameter('bias', v, true);
  }

  /** PyTorch's `reset_parameters`: weight then bias, U(−1/√in1, 1/√in1). */
  resetParameters(generator: Generator = getDefaultGenerator()): void {
    const bound = 1 / Math.sqrt(this.#weight.shape[1]!);
    fillUniform(this.#weight, -bound, bound, generator);
    if (this.#bias !== null) fillUniform(this.#bias, -bound, bound, generator);
  }

  forward(input1: Tensor, input2: Tensor): Tensor {
    if (arguments.length !== 2) checkArgumentCount('Bilinear.forward', arguments, 2, 'forward(input1, input2)');
    return bilinear(input1, input2, this.#weight, this.#bias);
  }

  protected override extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${this.#bias ? 'True' : 'False'}`;
  }
}

refusePythonNames(Bilinear.prototype, 'layer', [['reset_parameters', 'resetParameters', 'method']]);
