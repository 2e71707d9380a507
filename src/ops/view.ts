import { GraphNode, record } from '../autograd/record.js';
import { watchPieceView } from '../autograd/next-functions.js';
import { linearTwice } from '../autograd/twice.js';
import { subStorage } from '../kernels/storage.js';
import { scatterAddStrided } from '../kernels/ref/strided.js';
import { contiguousStrides, formatShape, normalizeDim, numel } from '../tensor/shape.js';
import { describeValue } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { keepMask } from '../tensor/mask-mark.js';
import { checkTensor } from './util.js';

/**
 * A tensor over `data` (x's storage, or the part of it from some offset on) that shares x's version counter, marked
 * as a view, counted in the counter's `views` (see VersionCounter; in-place changes autograd follows need it).
 */
function viewOf(x: Tensor, data: Float32Array, shape: readonly number[], strides?: readonly number[]): Tensor {
  const out = new Tensor(data, shape, strides === undefined ? { version: x.versionCounter } : { strides, version: x.versionCounter });
  out.viewBase = x.viewBase ?? x;
  // A view of a custom function's view output is refused in-place changes too, as output 0 of its own node.
  if (x.functionView !== null) out.functionView = { output: 0, multi: x.functionView.multi };
  // A view of a piece split, chunk or unbind returned is refused as the piece is (autograd/next-functions.ts).
  if (x.seenGraphEdits === -1) watchPieceView(x, out);
  x.versionCounter.views++;
  return keepMask(x, out);
}

/**
 * For an op whose result is a view of a tensor it made itself and drops (matmul's batched product reshaped): nobody
 * else holds that storage, so the result is not marked as a view, and in-place ops on it are followed as on any result.
 */
export function ownResult(t: Tensor): Tensor {
  t.viewBase = null;
  t.versionCounter.views = 0;
  return t;
}

/** Resolves one −1 in a requested shape. */
function inferShape(shape: readonly number[], total: number, op: string, from: readonly number[]): number[] {
  const out = shape.slice();
  const neg = out.indexOf(-1);
  if (out.filter((d) => d === -1).length > 1) throw new RangeError(`${op}: only one dimension can be inferred (-1) in ${formatShape(shape)}`);
  for (const d of out) {
    if (typeof d !== 'number') throw new TypeError(`${op}: sizes must be numbers, got ${describeValue(d)} in [${shape.map((v) => (typeof v === 'number' ? String(v) : JSON.stringify(v))).join(', ')}]`);
    if (d !== -1 && (!Number.isInteger(d) || d < 0)) throw new RangeError(`${op}: invalid size ${d} in shape ${formatShape(shape)}`);
  }
  if (neg >= 0) {
    const rest = out.reduce((p, d, i) => (i === neg ? p : p * d), 1);
    if (rest === 0 || total % rest !== 0) throw new RangeError(`${op}: shape ${formatShape(shape)} is invalid for input of size ${total} (shape ${formatShape(from)})`);
    out[neg] = total / rest;
  }
  if (numel(out) !== total) throw new RangeError(`${op}: shape ${formatShape(shape)} is invalid for input of size ${total} (shape ${formatShape(from)})`);
  return out;
}

/**
 * Same values in a new shape; shares storage when the tensor is contiguous, copies otherwise. Its node is named for
 * PyTorch as `torchName` (the op calling it: ViewBackward0, UnsqueezeBackward0, …) or, without one, as PyTorch's
 * `reshape` names it: ReshapeAliasBackward0 where the new shape can be a view of x's layout, else
 * UnsafeViewBackward0 (PyTorch copies then).
 */
export function reshape(x: Tensor, shape: readonly number[], op = 'reshape', torchName?: string): Tensor {
  checkTensor(x, op);
  const target = inferShape(shape, x.numel(), op, x.shape);
  const contiguous = x.isContiguous();
  const out = contiguous
    ? viewOf(x, subStorage(x.data, 0, x.numel()), target)
    : keepMask(x, new Tensor(x.toArray(), target));
  const name = torchName ?? (contiguous || (x.requiresGrad && viewStrides(x.shape, x.strides, target) !== null) ? 'ReshapeAliasBackward0' : 'UnsafeViewBackward0');
  return linearTwice(record(out, 'reshape', [x], (g) => [g.reshape(x.shape)], undefined, name), (h) => reshape(h, target, op, torchName));
}

/**
 * Strides that lay `newShape` over the storage of a tensor of `shape` and `strides` in the same element order, or
 * null when there are none (PyTorch's `computeStride`): each run of dimensions that are contiguous with one another
 * in the old layout may be split or merged, nothing more.
 */
export function viewStrides(shape: readonly number[], strides: readonly number[], newShape: readonly number[]): number[] | null {
  if (shape.length === 0) return newShape.map(() => 1);
  if (numel(shape) === 0) return contiguousStrides(newShape);
  const out = new Array<number>(newShape.length).fill(0);
  let viewD = newShape.length - 1;
  let chunkBaseStride = strides[strides.length - 1]!;
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    tensorNumel *= shape[d]!;
    // The end of a chunk: the first dimension, or one whose outer neighbour is not laid out right after it.
    if (d === 0 || (shape[d - 1] !== 1 && strides[d - 1] !== tensorNumel * chunkBaseStride)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        out[viewD] = viewNumel * chunkBaseStride;
        viewNumel *= newShape[viewD]!;
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBaseStride = strides[d - 1]!;
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? out : null;
}

/**
 * Like reshape, but never copies, as PyTorch's view: a contiguous tensor takes any shape of its size; another one
 * (a transpose, a narrow) a shape that only splits or merges dimensions laid out one after the other.
 */
export function view(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor(x, 'view');
  if (x.isContiguous()) return reshape(x, shape, 'view', 'ViewBackward0');
  const target = inferShape(shape, x.numel(), 'view', x.shape);
  const strides = viewStrides(x.shape, x.strides, target);
  if (strides === null) {
    throw new RangeError(
      `view: shape ${formatShape(target)} is not compatible with the layout of this tensor (shape ${formatShape(x.shape)}, ` +
        `strides ${formatShape(x.strides)}: at least one dimension spans across two contiguous runs, e.g. after a transpose); use reshape() instead`,
    );
  }
  const out = viewOf(x, x.data, target, strides);
  return linearTwice(record(out, 'view', [x], (g) => [g.reshape(x.shape)]), (h) => reshape(h, target, 'view', 'ViewBackward0'));
}

/** Reorders dimensions as a view over the same storage; `torchName` as record's (`transpose` and `t` name theirs). */
export function permute(x: Tensor, dims: readonly number[], torchName?: string): Tensor {
  checkTensor(x, 'permute');
  if (dims.length !== x.ndim) throw new RangeError(`permute: got ${dims.length} dimensions for a tensor of shape ${formatShape(x.shape)}`);
  const d = dims.map((v) => normalizeDim(v, x.ndim, 'permute'));
  if (new Set(d).size !== d.length) throw new RangeError(`permute: repeated dimension in [${dims.join(', ')}]`);
  const out = viewOf(x, x.data, d.map((i) => x.shape[i]!), d.map((i) => x.strides[i]!));
  const inverse = new Array<number>(d.length);
  d.forEach((v, i) => (inverse[v] = i));
  return linearTwice(record(out, 'permute', [x], (g) => [permute(g, inverse)], undefined, torchName), (h) => permute(h, d, torchName));
}

export function transpose(x: Tensor, dim0: number, dim1: number, torchName = 'TransposeBackward0'): Tensor {
  checkTensor(x, 'transpose');
  const a = normalizeDim(dim0, x.ndim, 'transpose');
  const b = normalizeDim(dim1, x.ndim, 'transpose');
  // As PyTorch: a 0-d tensor takes the dimensions of a 1-d one (0 or −1), and its transpose is itself, as a view.
  if (x.ndim === 0) return permute(x, [], torchName);
  const dims = x.shape.map((_, i) => i);
  dims[a] = b;
  dims[b] = a;
  return permute(x, dims, torchName);
}

/**
 * Dimensions `startDim` … `endDim` merged into one, as PyTorch's `flatten` (a 0-d tensor becomes shape [1]; with one
 * dimension to merge, x itself is returned, as PyTorch returns it).
 */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  checkTensor(x, 'flatten');
  if (x.ndim === 0) {
    // As PyTorch: a 0-d tensor takes the dimensions of a 1-d one (0 or −1).
    normalizeDim(startDim, 1, 'flatten');
    normalizeDim(endDim, 1, 'flatten');
    return reshape(x, [1]);
  }
  const s = normalizeDim(startDim, x.ndim, 'flatten');
  const e = normalizeDim(endDim, x.ndim, 'flatten');
  if (s > e) throw new RangeError(`flatten: start_dim ${startDim} comes after end_dim ${endDim} (shape ${formatShape(x.shape)})`);
  // Nothing to merge (a 1-D tensor, or flatten(1, 1)): the tensor itself, as PyTorch returns it (no node).
  if (s === e) return x;
  return reshape(x, [...x.shape.slice(0, s), numel(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)]);
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  checkTensor(x, 'unsqueeze');
  const d = normalizeDim(dim, x.ndim + 1, 'unsqueeze');
  const shape = x.shape.slice();
  shape.splice(d, 0, 1);
  if (x.isContiguous()) return reshape(x, shape, 'reshape', 'UnsqueezeBackward0');
  // The new dimension's stride is never used to step (its size is 1); PyTorch's choice, so that strides compare.
  const strides = x.strides.slice();
  strides.splice(d, 0, d < x.ndim ? x.shape[d]! * x.strides[d]! : 1);
  return sizeOneView(x, shape, strides, 'unsqueeze');
}

/** Removes size-1 dimensions (all of them, or only `dim` when it has size 1). */
export function squeeze(x: Tensor, dim?: number): Tensor {
  checkTensor(x, 'squeeze');
  const d = dim === undefined ? -1 : normalizeDim(dim, x.ndim, 'squeeze');
  const keep = x.shape.map((s, i) => s !== 1 || (d >= 0 && i !== d));
  const shape = x.shape.filter((_, i) => keep[i]);
  // PyTorch's squeeze() and squeeze(dim) are SqueezeBackward0 and SqueezeBackward1.
  const torchName = dim === undefined ? 'SqueezeBackward0' : 'SqueezeBackward1';
  if (x.isContiguous()) return reshape(x, shape, 'reshape', torchName);
  return sizeOneView(x, shape, x.strides.filter((_, i) => keep[i]), 'squeeze', torchName);
}

/**
 * A view of x with dimensions of size 1 added or removed (unsqueeze, squeeze): the same elements at the same
 * places of the storage, whatever x's strides, so writes through either show in the other, as in PyTorch.
 */
function sizeOneView(x: Tensor, shape: number[], strides: number[], op: string, torchName?: string): Tensor {
  const out = viewOf(x, x.data, shape, strides);
  return linearTwice(record(out, op, [x], (g) => [g.reshape(x.shape)], undefined, torchName), (h) => reshape(h, shape, op, torchName));
}

/** Broadcasts size-1 dimensions to `shape` as a view (stride 0); −1 keeps a dimension. */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor(x, 'expand');
  if (shape.length < x.ndim) throw new RangeError(`expand: cannot expand shape ${formatShape(x.shape)} to ${formatShape(shape)}`);
  for (const size of shape) {
    if (typeof size !== 'number') throw new TypeError(`expand: sizes must be numbers, got ${describeValue(size)} in [${shape.map((v) => (typeof v === 'number' ? String(v) : JSON.stringify(v))).join(', ')}]`);
    if (!Number.isInteger(size) || size < -1) {
      throw new RangeError(`expand: invalid size ${size} in ${formatShape(shape)}: sizes must be non-negative integers, or -1 to keep a dimension (shape ${formatShape(x.shape)})`);
    }
  }
  const lead = shape.length - x.ndim;
  const target: number[] = [];
  const strides: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    const own = i >= lead ? x.shape[i - lead]! : 1;
    if (shape[i] === -1 && i < lead) {
      throw new RangeError(`expand: -1 keeps an existing dimension, but dimension ${i} of ${formatShape(shape)} is a new one for shape ${formatShape(x.shape)}; give its size`);
    }
    const want = shape[i] === -1 ? own : shape[i]!;
    if (own !== want && own !== 1) throw new RangeError(`expand: cannot expand shape ${formatShape(x.shape)} to ${formatShape(shape)} (dimension ${i}: ${own} vs ${want})`);
    target.push(want);
    strides.push(own === want && i >= lead ? x.strides[i - lead]! : 0);
  }
  // A new leading dimension of size 1 never steps; PyTorch's inferExpandGeometry gives it the size times the stride
  // of the dimension after it (a 0-d tensor's all 0), so that stride() compares: [3] to [1, 3] is (3, 1), not (0, 1).
  if (x.ndim > 0) for (let i = lead - 1; i >= 0; i--) if (target[i] === 1) strides[i] = target[i + 1]! * strides[i + 1]!;
  const out = viewOf(x, x.data, target, strides);
  return linearTwice(record(out, 'expand', [x], (g) => {
    const dims: number[] = [];
    for (let i = 0; i < target.length; i++) if (i < lead || (x.shape[i - lead] === 1 && target[i] !== 1)) dims.push(i);
    return [dims.length ? g.sum(dims, true).reshape(x.shape) : g.reshape(x.shape)];
  }), (h) => expand(h, target));
}

/**
 * PyTorch's `as_strided` over a contiguous `x` that covers its storage: the view of `shape` and `strides` starting
 * `offset` elements in (AsStridedBackward0). What an in-place change through a view gives the view (ops/rebase-view.ts).
 */
export function stridedView(x: Tensor, shape: readonly number[], strides: readonly number[], offset: number): Tensor {
  return offsetView(x, 'asStrided', shape, strides, offset, offset, strides, 'AsStridedBackward0');
}

/**
 * A view of `x` over the same storage starting `offset` elements in, with the given shape and strides; its gradient
 * goes back into the matching places of a zero gradient of `x`'s shape.
 */
export function offsetView(
  x: Tensor, op: string, shape: readonly number[], strides: readonly number[], offset: number, gradOffset: number, gradStrides: readonly number[],
  torchName: string | undefined, slice = false,
): Tensor {
  const data = x.data;
  const out = viewOf(x, offset === 0 ? data : subStorage(data, offset, data.length), shape, strides);
  // The adjoint of the gradient's scatter is the same view of a contiguous tensor of x's shape.
  const made = linearTwice(record(out, op, [x], (g) => {
    const gx = new Float32Array(x.numel());
    scatterAddStrided(g.values(), gx.subarray(gradOffset), shape, gradStrides);
    return [new Tensor(gx, x.shape)];
  }, undefined, torchName), (h) => offsetView(h, op, shape, gradStrides, gradOffset, gradOffset, gradStrides, torchName, slice));
  // A slice (its places in x's gradient do not overlap): a walk adds its gradient there in place (autograd/slice-grad.ts).
  if (slice && made.gradFn instanceof GraphNode) made.gradFn.sliceOf = { offset: gradOffset, shape, strides: gradStrides };
  return made;
}

/**
 * The slice at `index` along `dim`, without that dimension: PyTorch's `select` (`x[i]` is `x.select(0, i)`,
 * `x[:, j]` is `x.select(1, j)`). A view: it shares `x`'s storage, as in PyTorch. Negative indices count from the end.
 */
export function select(x: Tensor, dim: number, index: number | Tensor, torchName?: string): Tensor {
  checkTensor(x, 'select');
  if (x.ndim === 0) throw new RangeError('select: a 0-d tensor has no dimension to select from (PyTorch refuses it too); use item() for its value');
  const d = normalizeDim(dim, x.ndim, 'select');
  const n = x.shape[d]!;
  // A 0-d tensor of a whole number is its value, as PyTorch's select takes one through __index__ (as narrow's start).
  if (index instanceof Tensor && index.ndim === 0) index = index.item();
  if (typeof index !== 'number' || !Number.isInteger(index)) throw new TypeError(`select: the index must be an integer, got ${describeValue(index)}`);
  if (index < -n || index >= n) {
    throw new RangeError(`select: index ${index} is out of range for dimension ${d} of size ${n} (shape ${formatShape(x.shape)})`);
  }
  const i = index < 0 ? index + n : index;
  const drop = <T>(a: readonly T[]): T[] => a.filter((_, k) => k !== d);
  const cs = contiguousStrides(x.shape);
  return offsetView(x, 'select', drop(x.shape), drop(x.strides), i * x.strides[d]!, i * cs[d]!, drop(cs), torchName, true);
}

/**
 * `length` elements along `dim` from `start`: PyTorch's `narrow` (`x[a:b]` is `x.narrow(0, a, b - a)`). A view,
 * as in PyTorch. A negative `start` counts from the end; it may be a 0-d tensor holding a whole number, as PyTorch's.
 */
export function narrow(x: Tensor, dim: number, start: number | Tensor, length: number, torchName = 'SliceBackward0'): Tensor {
  checkTensor(x, 'narrow');
  if (start instanceof Tensor) {
    if (start.ndim !== 0 || !Number.isInteger(start.item())) {
      throw new TypeError(`narrow: start must be an 0-dim integral Tensor (a whole number), got ${start.ndim === 0 ? `tensor(${start.item()})` : `shape ${formatShape(start.shape)}`}`);
    }
    start = start.item();
  }
  if (x.ndim === 0) throw new RangeError('narrow: a 0-d tensor has no dimension to narrow (PyTorch refuses it too: "narrow() cannot be applied to a 0-dim tensor"); reshape(1) it first');
  const d = normalizeDim(dim, x.ndim, 'narrow');
  const n = x.shape[d]!;
  // A negative start counts from the end, as PyTorch's maybe_wrap_dim: of a size-0 dimension, −1 is 0 (an empty narrow).
  const from = Number.isInteger(start) && start < 0 ? start + Math.max(n, 1) : start;
  if (!Number.isInteger(start) || !Number.isInteger(length) || from < 0 || length < 0 || from + length > n) {
    throw new RangeError(`narrow: start ${start} and length ${length} do not fit dimension ${d} of size ${n} (shape ${formatShape(x.shape)})`);
  }
  const shape = x.shape.slice();
  shape[d] = length;
  const cs = contiguousStrides(x.shape);
  return offsetView(x, 'narrow', shape, x.strides, from * x.strides[d]!, from * cs[d]!, cs, torchName, true);
}

/**
 * Every `step`-th element along dim `d`, `length` of them from `start` (bounds already resolved): PyTorch's
 * `x[start:stop:step]`, a view (SliceBackward0), as `narrow` is for a step of 1.
 */
export function stepSlice(x: Tensor, d: number, start: number, length: number, step: number): Tensor {
  const shape = x.shape.slice();
  shape[d] = length;
  const strides = x.strides.slice();
  strides[d] = x.strides[d]! * step;
  const cs = contiguousStrides(x.shape);
  const gradStrides = cs.slice();
  gradStrides[d] = cs[d]! * step;
  return offsetView(x, 'slice', shape, strides, start * x.strides[d]!, start * cs[d]!, gradStrides, 'SliceBackward0', true);
}
