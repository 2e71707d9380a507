import { hardshrink, hardtanh, relu6, softshrink } from '../ops/activations-clip.js';
import { KindlingError } from '../errors.js';
import { inPlaceOf } from '../ops/inplace.js';
import { checkArgumentCount, inplaceOption, layerArguments } from '../options.js';
import { formatPyFloat, formatPyNumber as pyNumber } from '../tensor/format.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** A number as Python prints the value given: whole numbers as ints (format.ts; kept under this name for its importers). */
export { pyNumber };

/**
 * Hardtanh: x clamped to [minVal, maxVal], PyTorch's `nn.Hardtanh(min_val=-1.0, max_val=1.0, inplace=False)`:
 * `new Hardtanh(-2, 3.5)`, `new Hardtanh(-2, 3.5, true)` or `new Hardtanh({ minVal: -2, maxVal: 3.5, inplace: true })`.
 * The defaults print as PyTorch's floats (`min_val=-1.0`), given whole numbers as ints.
 */
export class Hardtanh extends Module {
  readonly minVal: number;
  readonly maxVal: number;
  readonly inplace: boolean;
  /** Which of minVal and maxVal were given (printed as written; a default prints as PyTorch's float, -1.0 or 1.0). */
  private readonly given: { readonly minVal: boolean; readonly maxVal: boolean };

  constructor(minVal?: number, maxVal?: number, inplace?: boolean);
  constructor(options: { readonly minVal?: number; readonly maxVal?: number; readonly inplace?: boolean });
  constructor() {
    super();
    const args = layerArguments('Hardtanh', arguments, ['minVal', 'maxVal', 'inplace'], 'new Hardtanh(-2, 3.5)');
    this.given = { minVal: args['minVal'] !== undefined, maxVal: args['maxVal'] !== undefined };
    this.minVal = (args['minVal'] as number | undefined) ?? -1;
    this.maxVal = (args['maxVal'] as number | undefined) ?? 1;
    this.inplace = inplaceOption('Hardtanh', args['inplace']);
    for (const [name, v] of [['minVal', this.minVal], ['maxVal', this.maxVal]] as const) {
      // ±Infinity as PyTorch takes it; NaN fails PyTorch's assertion below.
      if (typeof v !== 'number') throw new TypeError(`Hardtanh: ${name} must be a number (±Infinity allowed), got ${String(v)}`);
    }
    if (!(this.maxVal > this.minVal)) {
      throw new KindlingError(`Hardtanh: maxVal (${this.maxVal}) must be greater than minVal (${this.minVal}), as PyTorch asserts`);
    }
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('Hardtanh.forward', arguments, 1, 'forward(input); a target goes to the loss');
    const fn = (x: Tensor): Tensor => hardtanh(x, this.minVal, this.maxVal);
    return this.inplace ? inPlaceOf(input, 'hardtanh_', fn, true) : fn(input);
  }

  protected override extraRepr(): string {
    // A given -0 can only be Python's -0.0 (an int has no sign of zero), which PyTorch prints so.
    const p = (v: number, given: boolean): string => (!given ? formatPyFloat(v) : Object.is(v, -0) ? '-0.0' : pyNumber(v));
    return `min_val=${p(this.minVal, this.given.minVal)}, max_val=${p(this.maxVal, this.given.maxVal)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

/** ReLU6, min(max(x, 0), 6), PyTorch's `nn.ReLU6(inplace=False)`; `new ReLU6(true)` works in place. */
export class ReLU6 extends Module {
  readonly inplace: boolean;

  constructor(inplace?: boolean);
  constructor(options: { readonly inplace?: boolean });
  constructor() {
    super();
    this.inplace = inplaceOption('ReLU6', layerArguments('ReLU6', arguments, ['inplace'], 'new ReLU6()')['inplace']);
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('ReLU6.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return this.inplace ? inPlaceOf(input, 'hardtanh_', relu6, true) : relu6(input);
  }

  protected override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

function lambdArgument(where: string, args: IArguments): number {
  return (layerArguments(where, args, ['lambd'], `new ${where}(1)`)['lambd'] as number | undefined) ?? 0.5;
}

/** Hardshrink: 0 on [−λ, λ], x elsewhere, PyTorch's `nn.Hardshrink(lambd=0.5)`: `new Hardshrink(1)` or `({ lambd: 1 })`. */
export class Hardshrink extends Module {
  readonly lambd: number;

  constructor(lambd?: number);
  constructor(options: { readonly lambd?: number });
  constructor() {
    super();
    this.lambd = lambdArgument('Hardshrink', arguments);
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('Hardshrink.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return hardshrink(input, this.lambd);
  }

  protected override extraRepr(): string {
    return pyNumber(this.lambd);
  }
}

/** Softshrink: x ∓ λ outside [−λ, λ], 0 inside, PyTorch's `nn.Softshrink(lambd=0.5)`: `new Softshrink(1)` or `({ lambd: 1 })`. */
export class Softshrink extends Module {
  readonly lambd: number;

  constructor(lambd?: number);
  constructor(options: { readonly lambd?: number });
  constructor() {
    super();
    this.lambd = lambdArgument('Softshrink', arguments);
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('Softshrink.forward', arguments, 1, 'forward(input); a target goes to the loss');
    return softshrink(input, this.lambd);
  }

  protected override extraRepr(): string {
    return pyNumber(this.lambd);
  }
}
