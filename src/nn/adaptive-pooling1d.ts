import { checkArgumentCount } from '../options.js';
import { adaptiveAvgPool1d, adaptiveMaxPool1d } from '../ops/adaptive-pool1d.js';
import { tuple1, type Int1 } from '../ops/window1d.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import { adaptivePoolArguments, type AdaptiveMaxPoolOptions } from './pool-arguments.js';

/** An output size as PyTorch prints it as given: 5, or (5,). */
function py(v: Int1): string {
  return typeof v === 'number' ? String(v) : tuple1(v[0]);
}

const frozen = (v: Int1): Int1 => (Array.isArray(v) ? Object.freeze([...v]) as unknown as Int1 : v);

/**
 * 1-D adaptive average pooling, PyTorch's `nn.AdaptiveAvgPool1d(output_size)`: [N, C, L] (or [C, L]) to
 * [N, C, outputSize] whatever L is.
 *
 * @example
 * new nn.AdaptiveAvgPool1d(1);          // global average pooling
 */
export class AdaptiveAvgPool1d extends Module {
  readonly outputSize: Int1;

  constructor(_outputSize: Int1 | { outputSize: Int1 }) {
    super();
    this.outputSize = frozen(adaptivePoolArguments('AdaptiveAvgPool1d', arguments, false, 'new AdaptiveAvgPool1d(8)').outputSize as Int1);
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('AdaptiveAvgPool1d.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return adaptiveAvgPool1d(input, this.outputSize);
  }

  protected override extraRepr(): string {
    return `output_size=${py(this.outputSize)}`;
  }
}

/**
 * 1-D adaptive max pooling, PyTorch's `nn.AdaptiveMaxPool1d(output_size, return_indices=False)`; with
 * `returnIndices` the forward pass returns `[values, indices]`.
 *
 * @example
 * new nn.AdaptiveMaxPool1d(4);
 */
export class AdaptiveMaxPool1d extends Module {
  readonly outputSize: Int1;
  readonly returnIndices: boolean;

  constructor(_outputSize: Int1 | AdaptiveMaxPoolOptions<Int1>, _returnIndices?: boolean | Omit<AdaptiveMaxPoolOptions<Int1>, 'outputSize'>) {
    super();
    const o = adaptivePoolArguments('AdaptiveMaxPool1d', arguments, true, 'new AdaptiveMaxPool1d(4, { returnIndices })');
    this.outputSize = frozen(o.outputSize as Int1);
    this.returnIndices = o.returnIndices;
  }

  forward(input: Tensor): Tensor;
  forward(input: Tensor): Tensor | [Tensor, Tensor] {
    if (arguments.length > 1) checkArgumentCount('AdaptiveMaxPool1d.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return adaptiveMaxPool1d(input, this.outputSize, this.returnIndices);
  }

  protected override extraRepr(): string {
    return `output_size=${py(this.outputSize)}`;
  }
}
