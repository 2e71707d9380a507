import { alphaDropout, dropout1d, dropout2d, dropout3d, featureAlphaDropout } from './functional-dropout.js';
import { checkDropoutP } from '../ops/feature-dropout.js';
import { checkArgumentCount, inplaceOption, layerArguments } from '../options.js';
import { formatPyFloat } from '../tensor/format.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import type { DropoutOptions } from './dropout.js';

type Functional = (x: Tensor, p: number, training: boolean, inplace: boolean) => Tensor;

/**
 * PyTorch's _DropoutNd: p (default 0.5) and inplace, printed as `Name(p=0.5, inplace=False)`; forward calls the
 * functional form with the module's training flag.
 */
abstract class DropoutLayer extends Module {
  readonly p: number;
  readonly inplace: boolean;
  protected abstract readonly fn: Functional;

  constructor(args: ArrayLike<unknown>) {
    super();
    const name = new.target.name;
    const a = layerArguments(name, args, ['p', 'inplace'], `new ${name}(0.5)`);
    this.inplace = inplaceOption(name, a['inplace']);
    this.p = checkDropoutP(name, a['p'] ?? 0.5);
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount(`${this.constructor.name}.forward`, arguments, 1, 'forward(input); a target goes to the loss');
    return this.fn(input, this.p, this.training, this.inplace);
  }

  protected override extraRepr(): string {
    return `p=${formatPyFloat(this.p)}, inplace=${this.inplace ? 'True' : 'False'}`;
  }
}

/** Zeroes whole channels of [N, C, L] or [C, L] inputs while training (F.dropout1d), as PyTorch's nn.Dropout1d. */
export class Dropout1d extends DropoutLayer {
  protected readonly fn: Functional = dropout1d;
  constructor(p?: number, inplace?: boolean);
  constructor(options: DropoutOptions);
  constructor(p: number, options: Omit<DropoutOptions, 'p'>);
  constructor() { super(arguments); }
}

/** Zeroes whole channels of [N, C, H, W] inputs while training (F.dropout2d; a 3-D input is [N, C, L], as PyTorch 1.13's). */
export class Dropout2d extends DropoutLayer {
  protected readonly fn: Functional = dropout2d;
  constructor(p?: number, inplace?: boolean);
  constructor(options: DropoutOptions);
  constructor(p: number, options: Omit<DropoutOptions, 'p'>);
  constructor() { super(arguments); }
}

/** Zeroes whole channels of [N, C, D, H, W] or [C, D, H, W] inputs while training (F.dropout3d), as PyTorch's nn.Dropout3d. */
export class Dropout3d extends DropoutLayer {
  protected readonly fn: Functional = dropout3d;
  constructor(p?: number, inplace?: boolean);
  constructor(options: DropoutOptions);
  constructor(p: number, options: Omit<DropoutOptions, 'p'>);
  constructor() { super(arguments); }
}

/** Alpha dropout for SELU networks while training (F.alphaDropout), as PyTorch's nn.AlphaDropout. */
export class AlphaDropout extends DropoutLayer {
  protected readonly fn: Functional = alphaDropout;
  constructor(p?: number, inplace?: boolean);
  constructor(options: DropoutOptions);
  constructor(p: number, options: Omit<DropoutOptions, 'p'>);
  constructor() { super(arguments); }
}

/** Alpha dropout of whole channels while training (F.featureAlphaDropout), as PyTorch's nn.FeatureAlphaDropout. */
export class FeatureAlphaDropout extends DropoutLayer {
  protected readonly fn: Functional = featureAlphaDropout;
  constructor(p?: number, inplace?: boolean);
  constructor(options: DropoutOptions);
  constructor(p: number, options: Omit<DropoutOptions, 'p'>);
  constructor() { super(arguments); }
}
