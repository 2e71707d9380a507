import { layerNorm } from '../ops/layer-norm.js';
import { formatPyFloat } from '../tensor/format.js';
import { allocStorage } from '../kernels/storage.js';
import { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** Normalises over the trailing `normalizedShape` dimensions (biased variance, eps 1e-5), then weight·x̂ + bias. */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;

  constructor(normalizedShape: number | readonly number[], options: { eps?: number; elementwiseAffine?: boolean } = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape.slice();
    for (const d of this.normalizedShape) {
      if (!Number.isInteger(d) || d <= 0) throw new RangeError(`LayerNorm: normalizedShape must hold positive integers, got [${this.normalizedShape.join(', ')}]`);
    }
    this.eps = options.eps ?? 1e-5;
    if (typeof this.eps !== 'number' || !(this.eps >= 0)) throw new RangeError(`LayerNorm: eps must be a non-negative number, got ${String(this.eps)}`);
    const n = this.normalizedShape.reduce((a, b) => a * b, 1);
    const affine = options.elementwiseAffine ?? true;
    this.weight = affine ? this.registerParameter('weight', new Tensor(allocStorage(n).fill(1), this.normalizedShape)) : null;
    this.bias = affine ? this.registerParameter('bias', new Tensor(allocStorage(n), this.normalizedShape)) : null;
  }

  resetParameters(): void {
    this.weight?.data.fill(1);
    this.bias?.data.fill(0);
  }

  forward(input: Tensor): Tensor {
    return layerNorm(input, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  protected override extraRepr(): string {
    const shape = this.normalizedShape.length === 1 ? `(${this.normalizedShape[0]},)` : `(${this.normalizedShape.join(', ')})`;
    return `${shape}, eps=${formatPyFloat(this.eps)}, elementwise_affine=${this.weight ? 'True' : 'False'}`;
  }
}
