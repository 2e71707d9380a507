// PyTorch's `F.gumbel_softmax(logits, tau=1, hard=False, eps=1e-10, dim=-1)`: a softmax of the logits plus Gumbel(0, 1)
// noise (−log of exponential draws, from the generator as PyTorch draws them), divided by tau; with `hard`, the
// one-hot of its argmax in the forward pass and the soft sample's gradient in the backward (straight-through).
import { checkTensor } from '../ops/util.js';
import { describeValue, layerArguments } from '../options.js';
import { zerosLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';

/** The options of `gumbelSoftmax`, PyTorch's keywords (`eps` is unused, as in PyTorch). */
export interface GumbelSoftmaxOptions {
  tau?: number;
  hard?: boolean;
  eps?: number;
  dim?: number;
}

/** `F.gumbelSoftmax(logits)`, `F.gumbelSoftmax(logits, 0.5, true)` or `F.gumbelSoftmax(logits, { tau, hard, dim })`. */
export function gumbelSoftmax(logits: Tensor, ...rest: [tau?: number | GumbelSoftmaxOptions, hard?: boolean, eps?: number, dim?: number]): Tensor {
  checkTensor(logits, 'gumbelSoftmax');
  const a = layerArguments('gumbelSoftmax', rest, ['tau', 'hard', 'eps', 'dim'], 'F.gumbelSoftmax(logits, 1, true)');
  const tau = a['tau'] ?? 1;
  const hard = a['hard'] ?? false;
  const dim = a['dim'] ?? -1;
  if (typeof tau !== 'number') throw new TypeError(`gumbelSoftmax: tau must be a number, got ${describeValue(tau)}`);
  if (typeof hard !== 'boolean') throw new TypeError(`gumbelSoftmax: hard must be true or false, got ${describeValue(hard)}`);
  if (!Number.isInteger(dim)) throw new TypeError(`gumbelSoftmax: dim must be an integer, got ${describeValue(dim)}`);
  const gumbels = zerosLike(logits).exponential_().log().neg();
  const soft = logits.add(gumbels).div(tau).softmax(dim as number);
  if (!hard) return soft;
  const index = soft.max(dim as number, true).indices;
  const oneHot = zerosLike(logits).scatter_(dim as number, index, 1);
  return oneHot.sub(soft.detach()).add(soft);
}
