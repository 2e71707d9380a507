import {
  elu, eluAlpha, gelu, geluApproximate, silu, softplus, softplusOptions,
  type EluOptions, type GeluApproximate, type GeluOptions, type SoftplusOptions,
} from '../ops/activations-more.js';
import { eluInPlace } from '../ops/activations-inplace.js';
import { inPlaceOf } from '../ops/inplace.js';
import { checkArgumentCount, inplaceOption, layerArguments } from '../options.js';
import { formatPyFloat, formatPyNumber as pyNumber } from '../tensor/format.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/**
 * GELU, x·Φ(x) (Φ the standard normal CDF), or its tanh approximation. `new GELU()`, `new GELU('tanh')` or
 * `new GELU({ approximate: 'tanh' })`, PyTorch's `GELU(approximate='tanh')`.
 */
export class GELU extends Module {
  readonly approximate: GeluApproximate;

  constructor(approximate?: GeluApproximate);
  constructor(options: GeluOptions);
  constructor(approximateOrOptions?: GeluApproximate | GeluOptions) {
    super();
    checkArgumentCount('GELU', arguments, 1, "new GELU() or new GELU('tanh')");
    this.approximate = geluApproximate('GELU', approximateOrOptions);
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('GELU.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return gelu(input, this.approximate);
  }

  protected override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** SiLU (swish), x·σ(x), as PyTorch's `nn.SiLU()`; `new SiLU(true)` changes its input in place and returns it. */
export class SiLU extends Module {
  readonly inplace: boolean;

  constructor(inplace?: boolean);
  constructor(options: { readonly inplace?: boolean });
  constructor() {
    super();
    this.inplace = inplaceOption('SiLU', layerArguments('SiLU', arguments, ['inplace'], 'new SiLU()')['inplace']);
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('SiLU.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return this.inplace ? inPlaceOf(input, 'silu_', silu, true) : silu(input);
  }

  protected override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/**
 * ELU: x for x > 0, alpha·(e^x − 1) elsewhere (alpha defaults to 1.0, PyTorch's). `new ELU(0.5)` or
 * `new ELU({ alpha: 0.5 })`, PyTorch's `ELU(alpha=0.5)`.
 */
export class ELU extends Module {
  readonly alpha: number;
  readonly inplace: boolean;

  constructor(alpha?: number, inplace?: boolean);
  constructor(options: EluOptions & { readonly inplace?: boolean });
  constructor(alpha: number, options: { readonly inplace?: boolean });
  constructor() {
    super();
    const args = layerArguments('ELU', arguments, ['alpha', 'inplace'], 'new ELU(0.5)');
    this.inplace = inplaceOption('ELU', args['inplace']);
    this.alpha = eluAlpha('ELU', args['alpha']);
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('ELU.forward', arguments, 1, 'forward(input); a target goes to the loss');
    if (this.inplace) return eluInPlace(input, this.alpha);
    return elu(input, this.alpha);
  }

  protected override extraRepr(): string {
    return `alpha=${formatPyFloat(this.alpha)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

/**
 * Softplus, log(1 + e^(βx))/β, turning into x itself where βx > threshold (defaults β = 1, threshold 20, PyTorch's).
 * `new Softplus(2, 10)` as PyTorch's `Softplus(beta=2, threshold=10)`, `new Softplus(2, { threshold: 10 })` or
 * `new Softplus({ beta: 2, threshold: 10 })`.
 */
export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;

  constructor(beta?: number, threshold?: number);
  constructor(beta: number, options: Omit<SoftplusOptions, 'beta'>);
  constructor(options: SoftplusOptions);
  constructor(betaOrOptions?: number | SoftplusOptions, threshold?: number | Omit<SoftplusOptions, 'beta'>) {
    super();
    checkArgumentCount('Softplus', arguments, 2, 'new Softplus(2, 10)');
    const o = softplusOptions('Softplus', betaOrOptions, threshold, 'new Softplus(2, 10)');
    this.beta = o.beta;
    this.threshold = o.threshold;
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('Softplus.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return softplus(input, this.beta, this.threshold);
  }

  /**
   * As PyTorch prints its defaults, the ints 1 and 20 (`beta=1, threshold=20`), and `Softplus(2, 10)` keeps ints:
   * whole numbers print as ints, others as floats (JavaScript cannot tell 2 from 2.0).
   */
  protected override extraRepr(): string {
    return `beta=${pyNumber(this.beta)}, threshold=${pyNumber(this.threshold)}`;
  }
}
