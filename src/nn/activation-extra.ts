import { celu, celuAlpha, hardsigmoid, hardswish, logsigmoid, mish, selu, threshold } from '../ops/activations-extra.js';
import { softmin, softsign, tanhshrink } from '../ops/activations-composite.js';
import { celuInPlace, seluInPlace } from '../ops/activations-inplace.js';
import { inPlaceOf } from '../ops/inplace.js';
import { checkArgumentCount, inplaceOption, layerArguments } from '../options.js';
import { formatPyFloat } from '../tensor/format.js';
import type { Tensor } from '../tensor/tensor.js';
import { pyNumber } from './activation-clip.js';
import { softmaxDim } from './activation.js';
import { thresholdArguments } from './functional-activations.js';
import { Module } from './module.js';
import type { SoftmaxOptions } from './activation.js';

function checkForward(where: string, args: IArguments): void {
  if (args.length > 1) checkArgumentCount(`${where}.forward`, args, 1, 'forward(input); a target goes to the loss');
}

function inplaceArgument(where: string, args: IArguments): boolean {
  return inplaceOption(where, layerArguments(where, args, ['inplace'], `new ${where}()`)['inplace']);
}

/** SELU, λ·x for x > 0 and λ·α·(e^x − 1) elsewhere (PyTorch's α and λ), PyTorch's `nn.SELU(inplace=False)`. */
export class SELU extends Module {
  readonly inplace: boolean;

  constructor(inplace?: boolean);
  constructor(options: { readonly inplace?: boolean });
  constructor() {
    super();
    this.inplace = inplaceArgument('SELU', arguments);
  }

  forward(input: Tensor): Tensor {
    checkForward('SELU', arguments);
    return this.inplace ? seluInPlace(input) : selu(input);
  }

  protected override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/**
 * CELU, x for x > 0 and α·(e^(x/α) − 1) elsewhere, PyTorch's `nn.CELU(alpha=1.0, inplace=False)`: `new CELU(0.5)`,
 * `new CELU(0.5, true)` or `new CELU({ alpha: 0.5, inplace: true })`. α = 0 is refused when used, as PyTorch's.
 */
export class CELU extends Module {
  readonly alpha: number;
  readonly inplace: boolean;
  private readonly given: boolean;

  constructor(alpha?: number, inplace?: boolean);
  constructor(options: { readonly alpha?: number; readonly inplace?: boolean });
  constructor(alpha: number, options: { readonly inplace?: boolean });
  constructor() {
    super();
    const args = layerArguments('CELU', arguments, ['alpha', 'inplace'], 'new CELU(0.5)');
    this.given = args['alpha'] !== undefined;
    this.alpha = (args['alpha'] as number | undefined) ?? 1;
    if (typeof this.alpha !== 'number' || !Number.isFinite(this.alpha)) throw new TypeError(`CELU: alpha must be a finite number, got ${String(this.alpha)}`);
    this.inplace = inplaceOption('CELU', args['inplace']);
  }

  forward(input: Tensor): Tensor {
    checkForward('CELU', arguments);
    const a = celuAlpha('CELU', this.alpha);
    return this.inplace ? celuInPlace(input, a) : celu(input, a);
  }

  protected override extraRepr(): string {
    return `alpha=${(this.given ? pyNumber : formatPyFloat)(this.alpha)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

/** Hardswish, x·min(max(x + 3, 0), 6)/6, PyTorch's `nn.Hardswish(inplace=False)` (whose repr never shows inplace). */
export class Hardswish extends Module {
  readonly inplace: boolean;

  constructor(inplace?: boolean);
  constructor(options: { readonly inplace?: boolean });
  constructor() {
    super();
    this.inplace = inplaceArgument('Hardswish', arguments);
  }

  forward(input: Tensor): Tensor {
    checkForward('Hardswish', arguments);
    return this.inplace ? inPlaceOf(input, 'hardswish_', hardswish, true) : hardswish(input);
  }
}

/** Hardsigmoid, min(max(x + 3, 0), 6)/6, PyTorch's `nn.Hardsigmoid(inplace=False)` (whose repr never shows inplace). */
export class Hardsigmoid extends Module {
  readonly inplace: boolean;

  constructor(inplace?: boolean);
  constructor(options: { readonly inplace?: boolean });
  constructor() {
    super();
    this.inplace = inplaceArgument('Hardsigmoid', arguments);
  }

  forward(input: Tensor): Tensor {
    checkForward('Hardsigmoid', arguments);
    return this.inplace ? inPlaceOf(input, 'hardsigmoid_', hardsigmoid, true) : hardsigmoid(input);
  }
}

/** Mish, x·tanh(softplus(x)), PyTorch's `nn.Mish(inplace=False)`. */
export class Mish extends Module {
  readonly inplace: boolean;

  constructor(inplace?: boolean);
  constructor(options: { readonly inplace?: boolean });
  constructor() {
    super();
    this.inplace = inplaceArgument('Mish', arguments);
  }

  forward(input: Tensor): Tensor {
    checkForward('Mish', arguments);
    return this.inplace ? inPlaceOf(input, 'mish_', mish, true) : mish(input);
  }

  protected override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** LogSigmoid, log(σ(x)) in a stable form, PyTorch's `nn.LogSigmoid()`. */
export class LogSigmoid extends Module {
  constructor() {
    super();
    checkArgumentCount('LogSigmoid', arguments, 0, 'new LogSigmoid()');
  }

  forward(input: Tensor): Tensor {
    checkForward('LogSigmoid', arguments);
    return logsigmoid(input);
  }
}

/** Softsign, x / (1 + |x|), PyTorch's `nn.Softsign()`. */
export class Softsign extends Module {
  constructor() {
    super();
    checkArgumentCount('Softsign', arguments, 0, 'new Softsign()');
  }

  forward(input: Tensor): Tensor {
    checkForward('Softsign', arguments);
    return softsign(input);
  }
}

/** Tanhshrink, x − tanh(x), PyTorch's `nn.Tanhshrink()`. */
export class Tanhshrink extends Module {
  constructor() {
    super();
    checkArgumentCount('Tanhshrink', arguments, 0, 'new Tanhshrink()');
  }

  forward(input: Tensor): Tensor {
    checkForward('Tanhshrink', arguments);
    return tanhshrink(input);
  }
}

/**
 * Softmin, softmax(−x) along `dim`, PyTorch's `nn.Softmin(dim=None)`: `new Softmin(1)` or `new Softmin({ dim: 1 })`;
 * without a dim, PyTorch's implicit choice for the input's rank (with a warning).
 */
export class Softmin extends Module {
  readonly dim: number | null;

  constructor(dim?: number | null);
  constructor(options: SoftmaxOptions);
  constructor(dimOrOptions?: number | null | SoftmaxOptions) {
    super();
    checkArgumentCount('Softmin', arguments, 1, 'new Softmin(1)');
    this.dim = softmaxDim('Softmin', dimOrOptions);
  }

  forward(input: Tensor): Tensor {
    checkForward('Softmin', arguments);
    return softmin(input, this.dim);
  }

  protected override extraRepr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}

/**
 * Threshold, x where x > threshold and `value` elsewhere, PyTorch's `nn.Threshold(threshold, value, inplace=False)`:
 * `new Threshold(0.1, 20)`, `new Threshold(0.1, 20, true)` or `new Threshold({ threshold: 0.1, value: 20 })`.
 */
export class Threshold extends Module {
  readonly threshold: number;
  readonly value: number;
  readonly inplace: boolean;

  constructor(threshold: number, value: number, inplace?: boolean);
  constructor(options: { readonly threshold: number; readonly value: number; readonly inplace?: boolean });
  constructor(threshold: number, value: number, options: { readonly inplace?: boolean });
  constructor() {
    super();
    const args = layerArguments('Threshold', arguments, ['threshold', 'value', 'inplace'], 'new Threshold(0.1, 20)');
    [this.threshold, this.value] = thresholdArguments('Threshold', args);
    for (const [name, v] of [['threshold', this.threshold], ['value', this.value]] as const) {
      if (typeof v !== 'number') throw new TypeError(`Threshold: ${name} must be a number, got ${String(v)}`);
    }
    this.inplace = inplaceOption('Threshold', args['inplace']);
  }

  forward(input: Tensor): Tensor {
    checkForward('Threshold', arguments);
    const fn = (x: Tensor): Tensor => threshold(x, this.threshold, this.value);
    return this.inplace ? inPlaceOf(input, 'threshold_', fn, true, 'ThresholdBackward1') : fn(input);
  }

  protected override extraRepr(): string {
    return `threshold=${pyNumber(this.threshold)}, value=${pyNumber(this.value)}${this.inplace ? ', inplace=True' : ''}`;
  }
}
