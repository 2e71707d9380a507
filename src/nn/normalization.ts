import { layerNorm } from '../ops/layer-norm.js';
import { formatPyFloat } from '../tensor/format.js';
import { checkArgumentCount, checkOptions, describeValue, leadingOption } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { withoutFactoryKwargs, type FactoryKwargs } from '../device.js';
import { WeightAndBias } from './weight-and-bias.js';
import { parameterStorage } from './parameter-storage.js';

export interface LayerNormOptions extends FactoryKwargs {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn a weight and a bias (default true). */
  elementwiseAffine?: boolean;
}

/**
 * Normalises over the trailing `normalizedShape` dimensions (biased variance, eps 1e-5), then weight·x̂ + bias.
 * eps and elementwiseAffine may also come by position, as in PyTorch: `new LayerNorm(200, 1e-5, false)`.
 */
export class LayerNorm extends WeightAndBias<Tensor | null> {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  constructor(normalizedShape: number | readonly number[], options?: LayerNormOptions);
  constructor(normalizedShape: number | readonly number[], eps?: number, elementwiseAffine?: boolean);
  constructor(normalizedShape: number | readonly number[], epsOrOptions?: number | LayerNormOptions, elementwiseAffine?: boolean) {
    super(true);
    checkArgumentCount('LayerNorm', arguments, 3, 'new LayerNorm(200, 1e-5, true)');
    epsOrOptions = withoutFactoryKwargs('LayerNorm', epsOrOptions);
    const affineOption: LayerNormOptions | undefined = elementwiseAffine === undefined ? undefined : { elementwiseAffine };
    const given = epsOrOptions === undefined ? affineOption : leadingOption<LayerNormOptions>('LayerNorm', 'eps', epsOrOptions, affineOption, 'new LayerNorm(200, 1e-5, false)');
    const options = checkOptions<LayerNormOptions>('LayerNorm', given, ['eps', 'elementwiseAffine']);
    if (typeof normalizedShape !== 'number' && !Array.isArray(normalizedShape)) {
      throw new TypeError(`LayerNorm: normalizedShape must be a positive integer or an array of them (new LayerNorm(200), new LayerNorm([28, 28])), got ${describeValue(normalizedShape)}`);
    }
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape.slice();
    for (const d of this.normalizedShape) {
      // PyTorch takes 0 (LayerNorm([0]): an empty weight and bias).
      if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
        throw new RangeError(`LayerNorm: normalizedShape must hold non-negative integers, got [${this.normalizedShape.map((v) => (typeof v === 'number' ? String(v) : JSON.stringify(v))).join(', ')}]`);
      }
    }
    this.eps = options.eps ?? 1e-5;
    if (typeof this.eps !== 'number' || !(this.eps >= 0)) throw new RangeError(`LayerNorm: eps must be a non-negative number, got ${String(this.eps)}`);
    const affine = options.elementwiseAffine ?? true;
    if (typeof affine !== 'boolean') throw new TypeError(`LayerNorm: elementwiseAffine must be true or false, got ${describeValue(affine)}`);
    this.holdWeightAndBias(
      affine ? this.makeParameter('weight', new Tensor(parameterStorage('LayerNorm', 'weight', this.normalizedShape, 1), this.normalizedShape)) : null,
      affine ? this.makeParameter('bias', new Tensor(parameterStorage('LayerNorm', 'bias', this.normalizedShape), this.normalizedShape)) : null,
    );
  }

  resetParameters(): void {
    this.weight?.data.fill(1);
    this.bias?.data.fill(0);
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('LayerNorm.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return layerNorm(input, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  protected override extraRepr(): string {
    const shape = this.normalizedShape.length === 1 ? `(${this.normalizedShape[0]},)` : `(${this.normalizedShape.join(', ')})`;
    return `${shape}, eps=${formatPyFloat(this.eps)}, elementwise_affine=${this.weight ? 'True' : 'False'}`;
  }
}
