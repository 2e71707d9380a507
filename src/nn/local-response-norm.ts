/** PyTorch's `nn.LocalResponseNorm(size, alpha=1e-4, beta=0.75, k=1.0)`: see `ops/local-response-norm.ts`. */
import { checkLrnArguments, localResponseNorm } from '../ops/local-response-norm.js';
import { checkArgumentCount, checkOptions, isPlainObject } from '../options.js';
import { formatPyFloat } from '../tensor/format.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

export interface LocalResponseNormOptions {
  /** The scale of the mean of squares (default 1e-4). */
  readonly alpha?: number;
  /** The exponent (default 0.75). */
  readonly beta?: number;
  /** The constant added (default 1). */
  readonly k?: number;
}

/**
 * Divides each value of an input [N, C, …] by (k + alpha · the mean of the squares over `size` neighbouring
 * channels)^beta, as PyTorch's `nn.LocalResponseNorm` (no parameters, no buffers). alpha, beta and k by position
 * (`new nn.LocalResponseNorm(2, 1e-4, 0.75, 1)`) or as options (`new nn.LocalResponseNorm(2, { alpha: 0.01 })`).
 */
export class LocalResponseNorm extends Module {
  readonly size: number;
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;

  constructor(size: number, options?: LocalResponseNormOptions);
  constructor(size: number, alpha?: number, beta?: number, k?: number);
  constructor(size: number, alphaOrOptions?: number | LocalResponseNormOptions, beta?: number, k?: number) {
    super();
    const where = 'LocalResponseNorm';
    checkArgumentCount(where, arguments, 4, 'new LocalResponseNorm(2, 1e-4, 0.75, 1)');
    let o: LocalResponseNormOptions;
    if (isPlainObject(alphaOrOptions)) {
      if (beta !== undefined || k !== undefined) throw new TypeError(`${where}: pass alpha, beta and k by position or as one object of options, not both`);
      o = checkOptions<LocalResponseNormOptions>(where, alphaOrOptions, ['alpha', 'beta', 'k']);
    } else {
      o = { ...(alphaOrOptions === undefined ? {} : { alpha: alphaOrOptions as number }), ...(beta === undefined ? {} : { beta }), ...(k === undefined ? {} : { k }) };
    }
    this.size = size;
    this.alpha = o.alpha ?? 1e-4;
    this.beta = o.beta ?? 0.75;
    this.k = o.k ?? 1;
    checkLrnArguments(this.size, this.alpha, this.beta, this.k, where);
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('LocalResponseNorm.forward', arguments, 1, 'forward(input)');
    return localResponseNorm(input, this.size, this.alpha, this.beta, this.k);
  }

  protected override extraRepr(): string {
    return `${this.size}, alpha=${formatPyFloat(this.alpha)}, beta=${formatPyFloat(this.beta)}, k=${formatPyFloat(this.k)}`;
  }
}
