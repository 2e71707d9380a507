// takeAlongDim, as PyTorch 1.13's take_along_dim: without a dimension, the flattened input's values at the flattened
// indices; with one, `gather` after broadcasting the input and the indices against each other in every other
// dimension (GatherBackward0, as PyTorch's).
import { broadcastShapes, formatShape, normalizeDim } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { keepMask } from '../tensor/mask-mark.js';
import { gatherAs } from './gather.js';
import { checkTensor } from './util.js';
import { expand, reshape } from './view.js';

/** x's values at `indices` along `dim` (flattened without one); of a mask, a mask, as PyTorch's of a bool tensor. */
export function takeAlongDim(x: Tensor, indices: Tensor, dim?: number | null): Tensor {
  checkTensor(x, 'takeAlongDim');
  return keepMask(x, take(x, indices, dim));
}

function take(x: Tensor, indices: Tensor, dim?: number | null): Tensor {
  checkTensor(indices, 'takeAlongDim', 'indices');
  if (dim === undefined || dim === null) return gatherAs('takeAlongDim', reshape(x, [x.numel()]), 0, reshape(indices, [indices.numel()]));
  if (x.ndim !== indices.ndim) {
    throw new RangeError(`torch.take_along_dim(): input and indices should have the same number of dimensions, but got ${x.ndim} dimensions for input, and ${indices.ndim} dimensions for indices`);
  }
  const d = normalizeDim(dim, x.ndim, 'takeAlongDim');
  // PyTorch wraps the dimension (0 and −1 are 0 for a 0-d input), then finds no dimension to take along.
  if (x.ndim === 0) throw new RangeError(`takeAlongDim: Dimension specified as ${d} but tensor has no dimensions`);
  const xShape = x.shape.slice();
  xShape[d] = indices.shape[d]!;
  const shape = broadcastShapes(xShape, indices.shape, `takeAlongDim (input ${formatShape(x.shape)}, indices ${formatShape(indices.shape)})`);
  const indexShape = shape.slice();
  const inputShape = shape.slice();
  inputShape[d] = x.shape[d]!;
  const xb = x.shape.every((s, i) => s === inputShape[i]) ? x : expand(x, inputShape);
  const ib = indices.shape.every((s, i) => s === indexShape[i]) ? indices : expand(indices, indexShape);
  return gatherAs('takeAlongDim', xb, d, ib);
}
