// The activations of `F` that take PyTorch's `inplace` argument: `F.relu(x, true)` (PyTorch's
// `F.relu(x, inplace=True)`), `F.leakyRelu(x, 0.2, true)`, `F.elu(x, 1, true)`, `F.silu(x, true)`, each also with
// its arguments as one object (`F.leakyRelu(x, { negativeSlope: 0.2, inplace: true })`), and `F.dropout`'s
// `{ inplace: true }` or, in PyTorch's order, `F.dropout(x, 0.5, true, true)`. With `inplace` the input is changed
// and returned (autograd follows, see ops/inplace.ts); arguments beyond those are refused, as Python refuses them.
import { dropout as dropoutOp, type DropoutOptions } from '../ops/dropout.js';
import { elu as eluOp, eluAlpha, silu as siluOp } from '../ops/activations-more.js';
import { eluInPlace, leakyReluInPlace } from '../ops/activations-inplace.js';
import { checkDropoutP, dropoutLeavesInput } from '../ops/feature-dropout.js';
import { inPlaceOf } from '../ops/inplace.js';
import { leakyRelu as leakyReluOp, relu as reluOp } from '../ops/unary.js';
import { checkTensor } from '../ops/util.js';
import { boundArguments, describeValue, inplaceOption, isPlainObject, layerArguments } from '../options.js';
import { Generator as GeneratorClass, type Generator } from '../random.js';
import type { Tensor } from '../tensor/tensor.js';

/** max(0, x), as PyTorch's `F.relu(input, inplace=False)`: `F.relu(x)`, `F.relu(x, true)` or `F.relu(x, { inplace: true })`. */
export function relu(input: Tensor, ...rest: [inplace?: boolean | { inplace?: boolean }]): Tensor {
  checkTensor(input, 'relu');
  const args = layerArguments('relu', rest, ['inplace'], 'F.relu(x, true)');
  return inplaceOption('relu', args['inplace']) ? inPlaceOf(input, 'relu_', reluOp, false) : reluOp(input);
}

/**
 * LeakyReLU, as PyTorch's `F.leaky_relu(input, negative_slope=0.01, inplace=False)`: `F.leakyRelu(x, 0.2)`,
 * `F.leakyRelu(x, 0.2, true)` or `F.leakyRelu(x, { negativeSlope: 0.2, inplace: true })`.
 */
export function leakyRelu(input: Tensor, ...rest: [negativeSlope?: number | { negativeSlope?: number; inplace?: boolean }, inplace?: boolean]): Tensor {
  checkTensor(input, 'leakyRelu');
  const args = layerArguments('leakyRelu', rest, ['negativeSlope', 'inplace'], 'F.leakyRelu(x, 0.2, true)');
  const slope = (args['negativeSlope'] ?? 0.01) as number;
  if (!inplaceOption('leakyRelu', args['inplace'])) return leakyReluOp(input, slope);
  return leakyReluInPlace(input, slope);
}

/** ELU, as PyTorch's `F.elu(input, alpha=1.0, inplace=False)`: `F.elu(x, 0.5, true)` or `F.elu(x, { alpha: 0.5, inplace: true })`. */
export function elu(input: Tensor, ...rest: [alpha?: number | { alpha?: number; inplace?: boolean }, inplace?: boolean]): Tensor {
  checkTensor(input, 'elu');
  const args = layerArguments('elu', rest, ['alpha', 'inplace'], 'F.elu(x, 0.5, true)');
  const a = args['alpha'] as number | undefined;
  if (!inplaceOption('elu', args['inplace'])) return eluOp(input, a);
  return eluInPlace(input, eluAlpha('elu', a));
}

/** SiLU, x·σ(x), as PyTorch's `F.silu(input, inplace=False)`: `F.silu(x, true)` or `F.silu(x, { inplace: true })`. */
export function silu(input: Tensor, ...rest: [inplace?: boolean | { inplace?: boolean }]): Tensor {
  checkTensor(input, 'silu');
  const args = layerArguments('silu', rest, ['inplace'], 'F.silu(x, true)');
  return inplaceOption('silu', args['inplace']) ? inPlaceOf(input, 'silu_', siluOp, true) : siluOp(input);
}

/** `F.dropout`'s options, with PyTorch's `inplace`. */
export interface FunctionalDropoutOptions extends DropoutOptions {
  inplace?: boolean;
}

/**
 * Dropout (see ops/dropout.ts), as PyTorch's `F.dropout(input, p=0.5, training=True, inplace=False)`: by position in
 * PyTorch's order (`F.dropout(x, 0.5, true, true)`; a Generator in the fourth place draws the mask from it), as one
 * object (`F.dropout(x, { p: 0.5, training: true, inplace: true, generator })`), or some by position and the rest in
 * an object after them (`F.dropout(x, 0.5, { inplace: true })`), as Python binds keywords after positional
 * arguments; more arguments are refused.
 */
export function dropout(x: Tensor, ...rest: [p?: number | FunctionalDropoutOptions, training?: boolean | FunctionalDropoutOptions, inplace?: boolean | Generator | FunctionalDropoutOptions, options?: FunctionalDropoutOptions]): Tensor {
  checkTensor(x, 'dropout');
  const args: unknown[] = rest;
  let generator: unknown;
  if (args[2] instanceof GeneratorClass) {
    generator = args[2];
    args[2] = undefined;
    if (args[3] !== undefined) throw new TypeError(`dropout: a Generator in the fourth place ends the arguments (F.dropout(x, 0.5, true, generator)); got ${describeValue(args[3])} after it`);
  }
  const at = args.findIndex(isPlainObject);
  if (at >= 0 && args.slice(at + 1).some((a) => a !== undefined)) {
    throw new TypeError('dropout: after the options object nothing may follow; put training, inplace and generator in it: F.dropout(x, { p, training, inplace })');
  }
  const o = boundArguments('dropout', args, 0, ['p', 'training', 'inplace'], ['generator'], 'F.dropout(x, 0.5, true, false)');
  // null is not the default here (PyTorch refuses None for p and training), as the positional form refused it.
  if (o['p'] === null) throw new RangeError('dropout probability has to be between 0 and 1, but got null');
  if (o['training'] === null) throw new TypeError('dropout: training must be true or false, got null');
  const options: DropoutOptions = {};
  if (o['p'] !== undefined) options.p = o['p'] as number;
  if (o['training'] !== undefined) options.training = o['training'] as boolean;
  if ((o['generator'] ?? generator) !== undefined) options.generator = (o['generator'] ?? generator) as Generator;
  if (!inplaceOption('dropout', o['inplace'])) return dropoutOp(x, options);
  const training = options.training ?? true;
  if (typeof training === 'boolean' && dropoutLeavesInput(x, checkDropoutP('dropout', options.p ?? 0.5), training)) return x;
  return inPlaceOf(x, 'dropout_', (s) => dropoutOp(s, options), false);
}
