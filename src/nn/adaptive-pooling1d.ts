import { checkArgumentCount, describeValue } from '../options.js';
import { adaptiveAvgPool1d, adaptiveMaxPool1d } from '../ops/adaptive-pool1d.js';
import { tuple1, type Int1 } from '../ops/window1d.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

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

  constructor(outputSize: Int1) {
    super();
    checkArgumentCount('AdaptiveAvgPool1d', arguments, 1, 'new AdaptiveAvgPool1d(8)');
    this.outputSize = frozen(outputSize);
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

  constructor(outputSize: Int1, returnIndices = false) {
    super();
    checkArgumentCount('AdaptiveMaxPool1d', arguments, 2, 'new AdaptiveMaxPool1d(4)');
    if (typeof returnIndices !== 'boolean') throw new TypeError(`AdaptiveMaxPool1d: returnIndices must be true or false, got ${describeValue(returnIndices)}`);
    this.outputSize = frozen(outputSize);
    this.returnIndices = returnIndices;
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
