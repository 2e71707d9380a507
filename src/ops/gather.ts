// gather and indexSelect, as PyTorch's: values picked along one dimension by index tensors (whole numbers held as
// float32, as Kindling's labels are), with gradients that add back into the places picked (a place picked twice
// gets both).
import { linearTwice } from '../autograd/twice.js';
import { record } from '../autograd/record.js';
import { contiguousStrides, formatShape, normalizeDim } from '../tensor/shape.js';
import { keepMask } from '../tensor/mask-mark.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';

/** The index's values as integers, each checked to lie in [0, size) (negative ones are refused, as PyTorch's gather does). */
function indexValues(index: Tensor, size: number, op: string, dim: number): Int32Array {
  const v = index.values();
  const out = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const k = v[i]!;
    if (!Number.isInteger(k) || k < 0 || k >= size) {
      throw new RangeError(`${op}: index ${k} (element ${i} of the index) is out of range for dimension ${dim} of size ${size}${Number.isInteger(k) ? '' : ' (indices are whole numbers)'}`);
    }
    out[i] = k;
  }
  return out;
}

/**
 * For every element of `shape` in row-major order, the offset of the element it reads in a contiguous tensor of
 * strides `strides`, its coordinate along `dim` replaced by `along(i, coordinate)`.
 */
export function offsets(shape: readonly number[], strides: readonly number[], dim: number, along: (i: number, at: number) => number): Int32Array {
  const count = shape.reduce((p, d) => p * d, 1);
  const out = new Int32Array(count);
  const at = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < count; i++) {
    let o = 0;
    for (let d = 0; d < shape.length; d++) o += (d === dim ? along(i, at[d]!) : at[d]!) * strides[d]!;
    out[i] = o;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++at[d]! < shape[d]!) break;
      at[d] = 0;
    }
  }
  return out;
}

/** Picks `x`'s values at `offsets` into a tensor of `shape`; its gradient adds back into those places. */
export function pick(x: Tensor, shape: readonly number[], from: Int32Array, op: string, index: Tensor, torchName?: string): Tensor {
  const xv = x.values();
  const out = new Float32Array(from.length);
  for (let i = 0; i < from.length; i++) out[i] = xv[from[i]!]!;
  // Linear: the gradient's graph picks the same places of its gradient (offsets into x's row-major values).
  return linearTwice(record(new Tensor(out, shape), op, [x], (g) => {
    const gv = g.values();
    const gx = new Float32Array(xv.length);
    for (let i = 0; i < from.length; i++) gx[from[i]!]! += gv[i]!;
    return [new Tensor(gx, x.shape)];
  }, [index], torchName), (h) => pick(h, shape, from, op, index, torchName));
}

/**
 * The adjoint of `pick`: a tensor of `shape` holding 0 but for v's values added at the row-major offsets `to`
 * (v's i-th value at to[i]). Linear, so its gradient's graph picks, and every order of derivative follows.
 */
export function spread(v: Tensor, shape: readonly number[], to: Int32Array, op: string): Tensor {
  const vv = v.values();
  const out = new Float32Array(shape.reduce((p, d) => p * d, 1));
  for (let i = 0; i < to.length; i++) out[to[i]!]! += vv[i]!;
  const back = (g: Tensor): Tensor => pick(g, v.shape, to, op, new Tensor(Float32Array.from(to), [to.length]));
  return linearTwice(record(new Tensor(out, shape), op, [v], (g) => [back(g)]), (h) => spread(h, shape, to, op));
}

/** `out[…, j, …] = x[…, index[…, j, …], …]` along `dim`, as `torch.gather`: the output has the index's shape. */
export function gather(x: Tensor, dim: number, index: Tensor, torchName?: string): Tensor {
  return keepMask(x, gatherAs('gather', x, dim, index, torchName));
}

/**
 * gather, its refusals naming `op` (takeAlongDim's are gather's, as PyTorch's take_along_dim gathers). As PyTorch's
 * checks: a 0-d tensor counts as one of shape [1] (a 0-d input takes a one-element 1-D index, a 1-D input a 0-d one),
 * and an empty index is not checked beyond the dimension (the result is empty, of its shape).
 */
export function gatherAs(op: string, x: Tensor, dim: number, index: Tensor, torchName?: string): Tensor {
  checkTensor(x, op);
  checkTensor(index, op, 'index');
  const d = normalizeDim(dim, x.ndim, op);
  if (index.numel() === 0) return pick(x, index.shape, new Int32Array(0), 'gather', index, torchName);
  const xshape = x.ndim === 0 ? [1] : x.shape;
  const ishape = index.ndim === 0 ? [1] : index.shape;
  if (ishape.length !== xshape.length) throw new RangeError(`${op}: the index must have as many dimensions as the input (${x.ndim}, shape ${formatShape(x.shape)}), got shape ${formatShape(index.shape)}`);
  ishape.forEach((n, k) => {
    if (k !== d && n > xshape[k]!) throw new RangeError(`${op}: the index's shape ${formatShape(index.shape)} is larger than the input's ${formatShape(x.shape)} in dimension ${k}, which is not the one gathered along (${d})`);
  });
  const picked = indexValues(index, xshape[d]!, op, d);
  const from = offsets(ishape, contiguousStrides(xshape), d, (i) => picked[i]!);
  return pick(x, index.shape, from, 'gather', index, torchName);
}

/** The slices of `x` along `dim` at the 1-D `index`'s positions, in its order, as `torch.index_select`. */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  checkTensor(x, 'indexSelect');
  checkTensor(index, 'indexSelect', 'index');
  if (index.ndim > 1) throw new RangeError(`indexSelect: the index must be 1-D (or 0-d), got shape ${formatShape(index.shape)}`);
  if (x.ndim === 0) {
    // PyTorch 1.13 gives a 0-d input back 0-d whatever the index's length: its one value, picked (the index all 0s).
    // For an empty index it returns an uninitialized value, and its backward fails for an index of two or more
    // elements; Kindling refuses the empty index and gives the 0-d result the gradient of the value itself.
    normalizeDim(dim, 1, 'indexSelect');
    indexValues(index, 1, 'indexSelect', 0);
    if (index.numel() === 0) throw new RangeError('indexSelect: a 0-d input needs an index of at least one element (its result is 0-d, the input\'s one value)');
    return keepMask(x, pick(x, [], new Int32Array(1), 'indexSelect', index));
  }
  const d = normalizeDim(dim, x.ndim, 'indexSelect');
  const picked = indexValues(index, x.shape[d]!, 'indexSelect', d);
  const shape = x.shape.map((n, k) => (k === d ? picked.length : n));
  return keepMask(x, pick(x, shape, offsets(shape, contiguousStrides(x.shape), d, (_, at) => picked[at]!), 'indexSelect', index));
}
