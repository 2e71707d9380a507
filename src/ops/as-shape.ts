// broadcastTo and ravel, as PyTorch 1.13's, on expand and view (the `…As` methods are in tensor.ts).
import { describeValue } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';
import { clone } from './unary.js';
import { expand, view } from './view.js';

/** `x` expanded to `shape` by broadcasting, as `torch.broadcast_to` (`expand`): a view (ExpandBackward0). */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor(x, 'broadcastTo');
  // PyTorch's size is a tuple of ints: a lone number is refused, as there.
  if (!Array.isArray(shape)) throw new TypeError(`broadcastTo: shape must be an array of sizes, as in broadcastTo(x, [2, 3]); got ${describeValue(shape)}`);
  return expand(x, shape);
}

/** `x` flattened to 1-D, as `torch.ravel`: a view of `x` (or of its contiguous copy), ViewBackward0. */
export function ravel(x: Tensor): Tensor {
  checkTensor(x, 'ravel');
  return view(x.isContiguous() ? x : clone(x), [-1]);
}
