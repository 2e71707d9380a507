// scatter_, scatterAdd_, indexAdd_, indexFill_ and indexCopy_, as PyTorch 1.13's: the out-of-place op written into
// the tensor. Autograd follows the change as for any in-place op (ops/inplace.ts: the tensor gets the op's node,
// ScatterBackward0, IndexAddBackward0, …, as PyTorch names them; a leaf that requires grad is refused; the version
// counter is bumped, so a backward pass that saved the tensor refuses). None of these backward passes reads the
// tensor's old values, only the output gradient.
import { inPlaceOf } from './inplace.js';
import { indexAdd, indexCopy, indexFill, type IndexAddOptions } from './index-put.js';
import { scatter, scatterAdd, type ScatterOptions } from './scatter.js';
import type { Tensor } from '../tensor/tensor.js';

export function scatter_(t: Tensor, dim: number, index: Tensor, src: Tensor | number | boolean, options?: ScatterOptions): Tensor {
  return inPlaceOf(t, 'scatter_', (x) => scatter(x, dim, index, src, options), false, undefined, src);
}

export function scatterAdd_(t: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  return inPlaceOf(t, 'scatterAdd_', (x) => scatterAdd(x, dim, index, src), false, undefined, src);
}

export function indexAdd_(t: Tensor, dim: number, index: Tensor, source: Tensor, options?: IndexAddOptions): Tensor {
  return inPlaceOf(t, 'indexAdd_', (x) => indexAdd(x, dim, index, source, options), false, undefined, source);
}

export function indexFill_(t: Tensor, dim: number, index: Tensor, value: number | Tensor): Tensor {
  return inPlaceOf(t, 'indexFill_', (x) => indexFill(x, dim, index, value), false, undefined, value);
}

export function indexCopy_(t: Tensor, dim: number, index: Tensor, source: Tensor): Tensor {
  return inPlaceOf(t, 'indexCopy_', (x) => indexCopy(x, dim, index, source), false, undefined, source);
}
