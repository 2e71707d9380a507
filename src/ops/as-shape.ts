// broadcastTo and ravel, as PyTorch 1.13's, on expand and view (the `…As` methods are in tensor.ts).
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';
import { clone } from './unary.js';
import { expand, view } from './view.js';

/** `x` expanded to `shape` by broadcasting, as `torch.broadcast_to` (`expand`): a view (ExpandBackward0). */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor(x, 'broadcastTo');
  return expand(x, shape);
}

/** `x` flattened to 1-D, as `torch.ravel`: a view of `x` (or of its contiguous copy), ViewBackward0. */
export function ravel(x: Tensor): Tensor {
  checkTensor(x, 'ravel');
  return view(x.isContiguous() ? x : clone(x), [-1]);
}
