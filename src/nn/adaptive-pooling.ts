import { checkArgumentCount } from '../options.js';
import { adaptiveAvgPool2d, adaptiveMaxPool2d, type AdaptiveSize2d } from '../ops/adaptive-pool.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { adaptivePoolArguments, type AdaptiveMaxPoolOptions } from './pool-arguments.js';

const frozen = (v: AdaptiveSize2d): AdaptiveSize2d => (Array.isArray(v) ? Object.freeze([...v]) as unknown as AdaptiveSize2d : v);

/** An output size as PyTorch prints it: 5, or (5, None). */
function py(v: AdaptiveSize2d): string {
  return typeof v === 'number' ? String(v) : `(${v.map((x) => (x === null ? 'None' : String(x))).join(', ')})`;
}

/**
 * 2-D adaptive average pooling, PyTorch's `nn.AdaptiveAvgPool2d(output_size)`: [N, C, H, W] (or [C, H, W]) to
 * [N, C, Ho, Wo] whatever H and W are; a null entry keeps the input's size.
 *
 * @example
 * new nn.AdaptiveAvgPool2d(1);          // global average pooling
 * new nn.AdaptiveAvgPool2d([7, null]);
 */
export class AdaptiveAvgPool2d extends Module {
  readonly outputSize: AdaptiveSize2d;

  constructor(_outputSize: AdaptiveSize2d | { outputSize: AdaptiveSize2d }) {
    super();
    const o = adaptivePoolArguments('AdaptiveAvgPool2d', arguments, false, 'new AdaptiveAvgPool2d([7, 7])');
    this.outputSize = frozen(o.outputSize as AdaptiveSize2d);
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('AdaptiveAvgPool2d.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return adaptiveAvgPool2d(input, this.outputSize);
  }

  protected override extraRepr(): string {
    return `output_size=${py(this.outputSize)}`;
  }
}

/**
 * 2-D adaptive max pooling, PyTorch's `nn.AdaptiveMaxPool2d(output_size, return_indices=False)`; with
 * `returnIndices` the forward pass returns `[values, indices]`.
 *
 * @example
 * new nn.AdaptiveMaxPool2d([3, 3]);
 */
export class AdaptiveMaxPool2d extends Module {
  readonly outputSize: AdaptiveSize2d;
  readonly returnIndices: boolean;

  constructor(_outputSize: AdaptiveSize2d | AdaptiveMaxPoolOptions<AdaptiveSize2d>, _returnIndices?: boolean | Omit<AdaptiveMaxPoolOptions<AdaptiveSize2d>, 'outputSize'>) {
    super();
    const o = adaptivePoolArguments('AdaptiveMaxPool2d', arguments, true, 'new AdaptiveMaxPool2d([3, 3], { returnIndices })');
    this.outputSize = frozen(o.outputSize as AdaptiveSize2d);
    this.returnIndices = o.returnIndices;
  }

  forward(input: Tensor): Tensor;
  forward(input: Tensor): Tensor | [Tensor, Tensor] {
    if (arguments.length > 1) checkArgumentCount('AdaptiveMaxPool2d.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return adaptiveMaxPool2d(input, this.outputSize, this.returnIndices);
  }

  protected override extraRepr(): string {
    return `output_size=${py(this.outputSize)}`;
  }
}
