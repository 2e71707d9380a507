// Functional forms whose op takes its arguments as PyTorch's signature lists them, wrapped so that `F` binds them as
// Python does: one object of keywords may stand for the named ones (`F.oneHot(labels, { numClasses: 10 })`,
// `F.glu(x, { dim: 0 })`), and an argument beyond the signature is refused with the usage, where it used to be
// ignored in silence (PyTorch raises TypeError: `F.sigmoid(x, 1)`, `F.softsign(x, 2)`, `F.gelu(x, 'none', 1)`).
import { gelu as geluOp, softplus as softplusOp, type GeluOptions, type SoftplusOptions } from '../ops/activations-more.js';
import { logsigmoid as logsigmoidOp } from '../ops/activations-extra.js';
import { softsign as softsignOp, tanhshrink as tanhshrinkOp } from '../ops/activations-composite.js';
import { glu as gluOp } from '../ops/glu.js';
import { normalize as normalizeOp, type NormalizeOptions } from '../ops/normalize.js';
import { oneHot as oneHotOp } from '../ops/one-hot.js';
import { prelu as preluOp } from '../ops/prelu.js';
import { sigmoid as sigmoidOp, tanh as tanhOp } from '../ops/unary.js';
import { checkArgumentCount, layerArguments } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Refuses arguments past the input, except the two an array method adds when the function is its callback
 * (`xs.map(F.sigmoid)` calls it with the element, its index and the array, as Python's `map(F.sigmoid, xs)` works).
 */
function checkOneArgument(where: string, args: IArguments, usage: string): void {
  const callback = args.length === 3 && typeof args[1] === 'number' && Array.isArray(args[2]) && args[2][args[1]] === args[0];
  if (!callback) checkArgumentCount(where, args, 1, usage);
}

/** σ(x), PyTorch's `F.sigmoid(input)`. */
export function sigmoid(input: Tensor): Tensor {
  if (arguments.length > 1) checkOneArgument('sigmoid', arguments, 'F.sigmoid(x)');
  return sigmoidOp(input);
}

/** tanh(x), PyTorch's `F.tanh(input)`. */
export function tanh(input: Tensor): Tensor {
  if (arguments.length > 1) checkOneArgument('tanh', arguments, 'F.tanh(x)');
  return tanhOp(input);
}

/** LogSigmoid, PyTorch's `F.logsigmoid(input)`. */
export function logsigmoid(input: Tensor): Tensor {
  if (arguments.length > 1) checkOneArgument('logsigmoid', arguments, 'F.logsigmoid(x)');
  return logsigmoidOp(input);
}

/** Softsign, x / (1 + |x|), PyTorch's `F.softsign(input)`. */
export function softsign(input: Tensor): Tensor {
  if (arguments.length > 1) checkOneArgument('softsign', arguments, 'F.softsign(x)');
  return softsignOp(input);
}

/** Tanhshrink, x − tanh(x), PyTorch's `F.tanhshrink(input)`. */
export function tanhshrink(input: Tensor): Tensor {
  if (arguments.length > 1) checkOneArgument('tanhshrink', arguments, 'F.tanhshrink(x)');
  return tanhshrinkOp(input);
}

/** GELU, PyTorch's `F.gelu(input, approximate='none')`: `F.gelu(x)`, `F.gelu(x, { approximate: 'tanh' })` or `F.gelu(x, 'tanh')`. */
export function gelu(input: Tensor, options?: GeluOptions | GeluOptions['approximate']): Tensor {
  if (arguments.length > 2) checkArgumentCount('gelu', arguments, 2, "F.gelu(x, { approximate: 'tanh' })");
  return geluOp(input, options);
}

/** Softplus, PyTorch's `F.softplus(input, beta=1, threshold=20)`: `F.softplus(x, 2, 10)` or `F.softplus(x, { beta: 2, threshold: 10 })`. */
export function softplus(input: Tensor, beta?: number | SoftplusOptions, threshold?: number | Omit<SoftplusOptions, 'beta'>): Tensor {
  if (arguments.length > 3) checkArgumentCount('softplus', arguments, 3, 'F.softplus(x, 2, 10)');
  return softplusOp(input, beta as number, threshold as number);
}

/** PReLU, PyTorch's `F.prelu(input, weight)`. */
export function prelu(input: Tensor, weight: Tensor): Tensor {
  if (arguments.length > 2) checkArgumentCount('prelu', arguments, 2, 'F.prelu(x, weight)');
  return preluOp(input, weight);
}

/** GLU, a·σ(b) of the halves along `dim`, PyTorch's `F.glu(input, dim=-1)`: `F.glu(x, 0)` or `F.glu(x, { dim: 0 })`. */
export function glu(input: Tensor, ...rest: [dim?: number | { dim?: number }]): Tensor {
  const args = layerArguments('glu', rest, ['dim'], 'F.glu(x, -1)');
  return gluOp(input, args['dim'] as number | undefined);
}

/**
 * Labels to one-hot rows, PyTorch's `F.one_hot(tensor, num_classes=-1)`: `F.oneHot(labels, 10)` or
 * `F.oneHot(labels, { numClasses: 10 })` (ops/one-hot.ts).
 */
export function oneHot(labels: Tensor, ...rest: [numClasses?: number | { numClasses?: number }]): Tensor {
  const args = layerArguments('oneHot', rest, ['numClasses'], 'F.oneHot(labels, 10)');
  return oneHotOp(labels, args['numClasses'] as number | undefined);
}

/**
 * x / max(‖x‖_p, eps) along `dim`, PyTorch's `F.normalize(input, p=2.0, dim=1, eps=1e-12, out=None)`: by position,
 * or as one object (ops/normalize.ts); an `out` tensor, which Kindling has not, is refused.
 */
export function normalize(input: Tensor, p?: number | NormalizeOptions, dim?: number, eps?: number): Tensor {
  if (arguments.length > 4) checkArgumentCount('normalize', arguments, 4, 'F.normalize(x, 2, 1, 1e-12)');
  return normalizeOp(input, p, dim, eps);
}
