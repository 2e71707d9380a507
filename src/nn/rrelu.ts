// RReLU, the randomized leaky ReLU (ops/rrelu.ts), as PyTorch's layer `nn.RReLU(lower=1/8, upper=1/3, inplace=False)`
// and its functional form `F.rrelu(input, lower=1/8, upper=1/3, training=False, inplace=False)`: by position or as one
// object (`F.rrelu(x, { lower: 0.1, upper: 0.3, training: true, generator })`). The layer draws slopes while it is
// training and uses the bounds' mean after `eval()`; the function, as PyTorch's, only when told `training: true`.
import { inPlaceOf } from '../ops/inplace.js';
import { RRELU_LOWER, RRELU_UPPER, rrelu as rreluOp, rreluBounds } from '../ops/rrelu.js';
import { checkTensor } from '../ops/util.js';
import { checkArgumentCount, describeValue, inplaceOption, layerArguments } from '../options.js';
import { generatorOf, type Generator } from '../random.js';
import type { Tensor } from '../tensor/tensor.js';
import { pyNumber } from './activation-clip.js';
import { Module } from './module.js';

/** The options of `F.rrelu`, PyTorch's keywords, and the generator to draw the slopes from. */
export interface RReLUFunctionOptions {
  lower?: number;
  upper?: number;
  training?: boolean;
  inplace?: boolean;
  generator?: Generator;
}

/** RReLU in place (PyTorch's `rrelu_`, its node RreluWithNoiseBackward1) or not. */
function apply(input: Tensor, lower: number, upper: number, training: boolean, inplace: boolean, generator?: Generator): Tensor {
  if (!inplace) return rreluOp(input, lower, upper, training, generator);
  return inPlaceOf(input, 'rrelu_', (x) => rreluOp(x, lower, upper, training, generator), true, 'RreluWithNoiseBackward1');
}

/** RReLU, as PyTorch's `F.rrelu`: `F.rrelu(x)` (evaluation: the mean slope), `F.rrelu(x, 0.1, 0.3, true)`, or the options. */
export function rrelu(
  input: Tensor, ...rest: [lower?: number | RReLUFunctionOptions, upper?: number, training?: boolean, inplace?: boolean]
): Tensor {
  checkTensor(input, 'rrelu');
  const args = layerArguments('rrelu', rest, ['lower', 'upper', 'training', 'inplace', 'generator'], 'F.rrelu(x, 0.1, 0.3, true)');
  const [lower, upper] = rreluBounds('rrelu', args['lower'] ?? RRELU_LOWER, args['upper'] ?? RRELU_UPPER);
  const training = args['training'] ?? false;
  if (typeof training !== 'boolean') throw new TypeError(`rrelu: training must be true or false, got ${describeValue(training)}`);
  const generator = args['generator'] === undefined ? undefined : generatorOf('rrelu', args['generator']);
  return apply(input, lower, upper, training, inplaceOption('rrelu', args['inplace']), generator);
}

/**
 * RReLU as a layer, PyTorch's `nn.RReLU(lower=1/8, upper=1/3, inplace=False)`: `new RReLU()`, `new RReLU(0.1, 0.3)`,
 * `new RReLU(0.1, 0.3, true)` or `new RReLU({ lower: 0.1, upper: 0.3, inplace: true })`. Training, each element ≤ 0
 * takes a slope drawn uniformly from [lower, upper) (the global generator, as PyTorch's); in evaluation, their mean.
 * Bounds with lower > upper are refused when used, as PyTorch's.
 */
export class RReLU extends Module {
  readonly lower: number;
  readonly upper: number;
  readonly inplace: boolean;

  constructor(lower?: number, upper?: number, inplace?: boolean);
  constructor(options: { readonly lower?: number; readonly upper?: number; readonly inplace?: boolean });
  constructor() {
    super();
    const args = layerArguments('RReLU', arguments, ['lower', 'upper', 'inplace'], 'new RReLU(0.1, 0.3)');
    this.lower = (args['lower'] as number | undefined) ?? RRELU_LOWER;
    this.upper = (args['upper'] as number | undefined) ?? RRELU_UPPER;
    for (const [name, v] of [['lower', this.lower], ['upper', this.upper]] as const) {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`RReLU: ${name} must be a finite number, got ${describeValue(v)}`);
    }
    this.inplace = inplaceOption('RReLU', args['inplace']);
  }

  forward(input: Tensor): Tensor {
    if (arguments.length > 1) checkArgumentCount('RReLU.forward', arguments, 1, 'forward(input); a target goes to the loss');
    checkTensor(input, 'RReLU');
    rreluBounds('RReLU', this.lower, this.upper);
    return apply(input, this.lower, this.upper, this.training, this.inplace);
  }

  protected override extraRepr(): string {
    return `lower=${pyNumber(this.lower)}, upper=${pyNumber(this.upper)}${this.inplace ? ', inplace=True' : ''}`;
  }
}
