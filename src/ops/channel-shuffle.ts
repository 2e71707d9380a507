// Channel shuffle, as PyTorch 1.13's F.channel_shuffle: [N, C, *] viewed as [N, g, C/g, *], the two group
// dimensions swapped, and flattened back. PyTorch 1.13 has no backward for it (its node raises); Kindling's is the
// composition's (view, transpose, reshape), so gradients flow.
import { KindlingError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';

/** The channels of x ([N, C, *], C divisible by `groups`) interleaved across the groups, as `F.channel_shuffle`. */
export function channelShuffle(x: Tensor, groups: number): Tensor {
  checkTensor(x, 'channelShuffle');
  if (!Number.isInteger(groups) || groups <= 0) throw new KindlingError(`Number of groups to divide channels in must be positive. Value of groups:${groups}`);
  if (x.ndim <= 2) throw new KindlingError(`channel_shuffle expects input with > 2 dims, but got input with sizes [${x.shape.join(', ')}]`);
  const [n, c] = x.shape as [number, number];
  if (c % groups !== 0) throw new KindlingError(`Number of channels must be divisible by groups. Got ${c} channels and ${groups} groups.`);
  const rest = x.shape.slice(2);
  return x.reshape([n, groups, c / groups, ...rest]).transpose(1, 2).reshape(x.shape);
}
