import { maskOf } from './mask.js';
import { record } from '../autograd/record.js';
import { linearTwice } from '../autograd/twice.js';
import { extremeDim, sumAllRounded, sumDim } from '../kernels/reduce.js';
import { formatShape, normalizeDim } from '../tensor/shape.js';
import { keepMask } from '../tensor/mask-mark.js';
import { Tensor } from '../tensor/tensor.js';
import { describeValue, isPlainObject } from '../options.js';
import { checkFactoryKwargs } from '../device.js';
import { checkExactIndex, checkTensor, empty, MAX_EXACT_INDEX } from './util.js';

function split(shape: readonly number[], dim: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i]!;
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i]!;
  return [outer, shape[dim] ?? 1, inner];
}

export function reducedShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!dims.includes(i)) out.push(d);
    else if (keepdim) out.push(1);
  });
  return out;
}

/** For each element of a tensor of `shape`, in row-major order, the row-major index of its output after reducing `dims`. */
export function outputIndex(shape: readonly number[], dims: readonly number[]): Int32Array {
  const count = shape.reduce((p, d) => p * d, 1);
  const index = new Int32Array(count);
  const strides = new Array<number>(shape.length).fill(0);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (!dims.includes(d)) {
      strides[d] = s;
      s *= shape[d]!;
    }
  }
  const at = new Array<number>(shape.length).fill(0);
  let o = 0;
  for (let i = 0; i < count; i++) {
    index[i] = o;
    for (let d = shape.length - 1; d >= 0; d--) {
      at[d]! += 1;
      o += strides[d]!;
      if (at[d]! < shape[d]!) break;
      o -= strides[d]! * shape[d]!;
      at[d] = 0;
    }
  }
  return index;
}

/** Sorted non-negative dims; `undefined` and (as in PyTorch 1.13) an empty list mean every dimension. */
export function normalizeDims(x: Tensor, dim: number | readonly number[] | null | undefined, op: string): number[] {
  if (dim !== undefined && dim !== null && typeof dim !== 'number' && !Array.isArray(dim)) {
    throw new TypeError(`${op}: dim must be a number, an array of numbers or null, got ${typeof dim}`);
  }
  // null is PyTorch's dim=None: every dimension, as when dim is left out.
  if (dim === undefined || dim === null || (Array.isArray(dim) && dim.length === 0)) return x.shape.map((_, i) => i);
  const list = typeof dim === 'number' ? [dim] : dim;
  const dims = list.map((d) => normalizeDim(d, x.ndim, op));
  // A dimension listed twice is refused, as in PyTorch (0 and −1 of a 0-d tensor too: they are one dimension).
  if (new Set(dims).size !== dims.length) throw new RangeError(`${op}: dimension listed twice in [${list.join(', ')}]`);
  // A 0-d tensor's dim 0 (or −1) is the tensor itself, not a dimension: with keepdim too, the result stays 0-d.
  if (x.ndim === 0) return [];
  return dims.sort((a, b) => a - b);
}

/** Sum over `dims` (sorted, non-negative) with keepdim semantics, no autograd. */
export function sumDims(x: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  // With nothing to reduce (a 0-d tensor) the result is a copy: it must not share x's storage.
  let cur = dims.length === 0 ? x.toArray() : x.values();
  let shape = x.shape.slice();
  for (let j = dims.length - 1; j >= 0; j--) {
    const d = dims[j]!;
    const [outer, n, inner] = split(shape, d);
    const out = new Float32Array(outer * inner);
    sumDim(cur, outer, n, inner, out);
    cur = out;
    shape[d] = 1;
  }
  shape = keepdim ? shape : reducedShape(x.shape, dims, false);
  return new Tensor(cur, shape);
}

/** Refuses a `keepdim` that is not a boolean (`{ keepdim: false }`, truthy, would otherwise keep the dimension). */
export function checkKeepdim(keepdim: unknown, op: string): void {
  if (typeof keepdim !== 'boolean') {
    throw new TypeError(`${op}: keepdim must be true or false, got ${describeValue(keepdim)} (it is the argument after dim: x.${op}(1, true))`);
  }
}

/** sum's and mean's keyword arguments as an options object: `x.sum({ dim: 1, keepdim: true })`. */
export interface ReduceOptions {
  /** The dimensions reduced (every one when left out or null). */
  dim?: number | readonly number[] | null;
  keepdim?: boolean;
  /** `'float32'` (or null), Kindling's one dtype: PyTorch's `dtype=torch.float32`, which changes nothing. */
  dtype?: string | null;
}

/**
 * The dim and keepdim of `op`, given either way PyTorch takes them: positional `(dim, keepdim)`, or as keywords
 * (`x.sum(dim=1, keepdim=True)`) in an options object, as var, std and sort take one. PyTorch's `dtype` keyword is
 * taken for float32 (Kindling's one dtype) and refused for any other.
 */
function reduceArguments(op: string, dim: unknown, keepdim: unknown): { dim: number | readonly number[] | undefined; keepdim: boolean } {
  if (!isPlainObject(dim)) {
    const k = keepdim ?? false;
    checkKeepdim(k, op);
    // dim=None by position (x.sum(None, True)) reduces every dimension, as in the options below.
    return { dim: (dim === null ? [] : dim) as number | readonly number[] | undefined, keepdim: k as boolean };
  }
  if (keepdim !== undefined) throw new TypeError(`${op}: nothing may follow the options object, got ${describeValue(keepdim)}`);
  for (const k of Object.keys(dim)) {
    // PyTorch's dtype keyword: float32, Kindling's one dtype, changes nothing; any other is refused, naming it.
    if (k === 'dtype') checkFactoryKwargs(op, { dtype: dim[k] });
    else if (k !== 'dim' && k !== 'keepdim') throw new TypeError(`${op}: unknown option "${k}"; the options are dim, keepdim, dtype`);
  }
  if (!Object.hasOwn(dim, 'dim') && Object.hasOwn(dim, 'keepdim')) {
    // PyTorch 1.13 has no overload of keepdim alone: x.sum(keepdim=True) is a TypeError; dim=None with it is fine.
    throw new TypeError(`${op}: keepdim needs a dim (PyTorch's ${op}(keepdim=...) matches no overload): give { dim, keepdim }, dim: null for every dimension`);
  }
  const k = dim.keepdim ?? false;
  checkKeepdim(k, op);
  // dim=None reduces every dimension as a dim list does (PyTorch 1.13 names the node SumBackward1, MeanBackward1).
  return { dim: (dim.dim === null ? [] : dim.dim) as number | readonly number[] | undefined, keepdim: k as boolean };
}

/**
 * Sum of all elements, or over `dim` (a number or a list), keeping reduced dimensions as size 1 when `keepdim`.
 * PyTorch names the node SumBackward0, or SumBackward1 with a `dim`; `torchName` overrides it (record.ts), for a sum
 * that ends an op PyTorch computes otherwise.
 */
export function sum(x: Tensor, dimOrOptions?: number | readonly number[] | null | ReduceOptions, keepdimGiven?: boolean, torchName?: string): Tensor {
  checkTensor(x, 'sum');
  const { dim, keepdim } = reduceArguments('sum', dimOrOptions, keepdimGiven);
  const dims = normalizeDims(x, dim, 'sum');
  const out = dims.length === x.ndim && !keepdim
    ? new Tensor(new Float32Array([sumAllRounded(x.values(), 1)]), [])
    : sumDims(x, dims, keepdim);
  return linearTwice(record(out, 'sum', [x], (g) => [g.reshape(reducedShape(x.shape, dims, true)).expand(...x.shape).contiguous()], undefined,
    torchName ?? (dim === undefined ? 'SumBackward0' : 'SumBackward1')), (h) => sum(h, dim, keepdim, torchName));
}

/** Mean of all elements, or over `dim`; MeanBackward0, or MeanBackward1 with a `dim`, unless `torchName` says (as `sum`). */
export function mean(x: Tensor, dimOrOptions?: number | readonly number[] | null | ReduceOptions, keepdimGiven?: boolean, torchName?: string): Tensor {
  checkTensor(x, 'mean');
  const { dim, keepdim } = reduceArguments('mean', dimOrOptions, keepdimGiven);
  const dims = normalizeDims(x, dim, 'mean');
  let count = 1;
  for (const d of dims) count *= x.shape[d]!;
  const s = dims.length === x.ndim && !keepdim
    ? new Tensor(new Float32Array([sumAllRounded(x.values(), count)]), [])
    : scaled(sumDims(x, dims, keepdim), 1 / count);
  // Each element of the gradient is g·(1/count) for its g: scaled before it is spread over x's shape, the same values.
  // PyTorch 1.13's mean over given dimensions saves its input (the mean of everything does not).
  return linearTwice(record(s, 'mean', [x], (g) => [scaledCopy(g, 1 / count).reshape(reducedShape(x.shape, dims, true)).expand(...x.shape).contiguous()], dim === undefined ? [] : [x],
    torchName ?? (dim === undefined ? 'MeanBackward0' : 'MeanBackward1')), (h) => mean(h, dim, keepdim, torchName));
}

/** A new contiguous tensor of t's values times f, each rounded to float32 (t is left as it is). */
function scaledCopy(t: Tensor, f: number): Tensor {
  const d = t.toArray();
  for (let i = 0; i < d.length; i++) d[i] = d[i]! * f;
  return new Tensor(d, t.shape);
}

function scaled(t: Tensor, f: number): Tensor {
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = d[i]! * f;
  return t;
}

/** Largest element; the gradient is shared evenly among tied maxima (as PyTorch). */
export function maxAll(x: Tensor): Tensor {
  return extremeAll(x, 'max');
}

/** Smallest element; the gradient is shared evenly among tied minima (as PyTorch). */
export function minAll(x: Tensor): Tensor {
  return extremeAll(x, 'min');
}

type ExtremeOp = 'max' | 'argmax' | 'min' | 'argmin';

/** Whether `a` beats `b` for `op`: larger for max, smaller for min. */
const beats = (op: ExtremeOp): ((a: number, b: number) => boolean) => (op === 'max' || op === 'argmax' ? (a, b) => a > b : (a, b) => a < b);

function extremeAll(x: Tensor, op: 'max' | 'min'): Tensor {
  checkTensor(x, op);
  const v = x.values();
  // PyTorch 1.13's message (a max or min of nothing has no value).
  if (v.length === 0) throw new RangeError(`${op}: Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument (shape ${formatShape(x.shape)})`);
  const better = beats(op);
  let m = v[0]!;
  for (let i = 1; i < v.length; i++) if (better(v[i]!, m) || Number.isNaN(v[i]!)) m = v[i]!;
  const out = new Tensor(new Float32Array([m]), []);
  // Linear in g: the gradient's graph is recorded with its adjoint, the mean of the gradient's gradient over the ties.
  const nanExtreme = m !== m;
  const tied = maskOf(v, x.shape, (t) => t === m || (nanExtreme && t !== t));
  return linearTwice(record(out, op, [x], (g) => {
    const gx = empty(x.shape);
    // Shared evenly by the elements equal to the extreme — by the NaNs when it is NaN, as in PyTorch.
    const nan = m !== m;
    const hit = (t: number): boolean => t === m || (nan && t !== t);
    let ties = 0;
    for (let i = 0; i < v.length; i++) if (hit(v[i]!)) ties++;
    const share = g.data[0]! / ties;
    const GX = gx.data;
    for (let i = 0; i < v.length; i++) if (hit(v[i]!)) GX[i] = share;
    return [gx];
    // PyTorch's max() and min() of everything are MaxBackward1 and MinBackward1 (along a dim, 0).
  }, [x, out], op === 'max' ? 'MaxBackward1' : 'MinBackward1'), (h) => h.mul(tied).sum().div(tied.sum()));
}

/**
 * What `max(dim)` and `min(dim)` return, as PyTorch's `torch.return_types.max` (and `.min`): the named fields, and,
 * like the named tuple, the pair in order — `const [values, indices] = x.max(1)` (PyTorch's
 * `_, pred = torch.max(out, 1)`) or `x.max(1)[1]`.
 */
export interface ValuesIndices extends Iterable<Tensor> {
  values: Tensor;
  indices: Tensor;
  readonly 0: Tensor;
  readonly 1: Tensor;
}

export function valuesIndices(values: Tensor, indices: Tensor): ValuesIndices {
  const out = { values, indices };
  // Not enumerable: the object still compares (deepEqual) and prints as { values, indices }.
  Object.defineProperties(out, {
    [Symbol.iterator]: { value: pair, configurable: true, writable: true },
    0: { get: first, configurable: true },
    1: { get: second, configurable: true },
  });
  return out as ValuesIndices;
}

function* pair(this: ValuesIndices): Generator<Tensor, void, undefined> {
  yield this.values;
  yield this.indices;
}

function first(this: ValuesIndices): Tensor {
  return this.values;
}

function second(this: ValuesIndices): Tensor {
  return this.indices;
}

/** Max over one dimension: values (differentiable) and indices (float tensor of integer positions). */
export function maxDim(x: Tensor, dim: number, keepdim = false): ValuesIndices {
  return masked(x, extremeAlong(x, dim, keepdim, 'max'));
}

/** Min over one dimension: values (differentiable) and indices (float tensor of integer positions). */
export function minDim(x: Tensor, dim: number, keepdim = false): ValuesIndices {
  return masked(x, extremeAlong(x, dim, keepdim, 'min'));
}

/** `r` with its values marked as a mask when x is one (PyTorch's max of a bool tensor is bool). */
function masked(x: Tensor, r: ValuesIndices): ValuesIndices {
  keepMask(x, r.values);
  return r;
}

/** `maxDim` or `minDim`, its errors naming `op` (the function the user called). */
function extremeAlong(x: Tensor, dim: number, keepdim: boolean, op: ExtremeOp): ValuesIndices {
  checkTensor(x, op);
  checkKeepdim(keepdim, op);
  const min = op === 'min' || op === 'argmin';
  if (typeof dim !== 'number') {
    const all = op.startsWith('arg') ? ' (or null, for the index in the flattened tensor)' : ` (or none, for the ${min ? 'smallest' : 'largest'} element)`;
    throw new TypeError(`${op}: dim must be a number${all}, got ${describeValue(dim)}`);
  }
  const d = normalizeDim(dim, x.ndim, op);
  const [outer, n, inner] = split(x.shape, d);
  if (n === 0) throw new RangeError(`${op}: Expected reduction dim ${d} to have non-zero size (shape ${formatShape(x.shape)})`);
  const vals = new Float32Array(outer * inner);
  const idx = new Int32Array(outer * inner);
  // The min is the max of −x: negation is exact in float32 and keeps NaN a NaN, so the min takes the first of tied
  // minima and stops at a NaN exactly as the max does for maxima (one rule for both).
  extremeDim(x.values(), outer, n, inner, min, vals, idx);
  // argmax and argmin give only the index, so one past 2^24 is refused; max(dim) and min(dim) give theirs rounded, as
  // the README says (their values and gradients are exact: the backward keeps the indices as integers).
  if (n > MAX_EXACT_INDEX + 1 && (op === 'argmax' || op === 'argmin')) for (const i of idx) checkExactIndex(op, i);
  const shape = reducedShape(x.shape, x.ndim === 0 ? [] : [d], keepdim);
  const values = new Tensor(vals, shape);
  const indices = new Tensor(Float32Array.from(idx), shape);
  // Linear in g: the gradient's graph picks the gradient's gradient back at the indices (its adjoint, gather).
  const picked = new Tensor(Float32Array.from(idx), reducedShape(x.shape, x.ndim === 0 ? [] : [d], true));
  linearTwice(record(values, min ? 'min' : 'max', [x], (g) => {
    const gx = empty(x.shape);
    const GX = gx.data;
    const G = g.data;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const j = o * inner + i;
        GX[o * n * inner + idx[j]! * inner + i] = G[j]!;
      }
    }
    return [gx];
  }), (h) => (x.ndim === 0 ? h.clone() : h.gather(d, picked).reshape(shape)));
  return valuesIndices(values, indices);
}

/** Index of the largest element (over all elements, flattened, or along `dim`), as a float tensor. */
export function argmax(x: Tensor, dim?: number | null, keepdim = false): Tensor {
  return argExtreme(x, dim, keepdim, 'argmax');
}

/** Index of the smallest element (over all elements, flattened, or along `dim`), as a float tensor. */
export function argmin(x: Tensor, dim?: number | null, keepdim = false): Tensor {
  return argExtreme(x, dim, keepdim, 'argmin');
}

/** The first index of the extreme (a NaN, if any, as PyTorch's CPU kernels). */
function argExtreme(x: Tensor, dim: number | null | undefined, keepdim: boolean, op: 'argmax' | 'argmin'): Tensor {
  checkTensor(x, op);
  checkKeepdim(keepdim, op);
  // null is PyTorch's dim=None, the flattened tensor, as when dim is left out (keepdim then keeps every dim as 1).
  if (dim === undefined || dim === null) {
    const v = x.values();
    if (v.length === 0) throw new RangeError(`${op}: Expected reduction dim to be specified for input.numel() == 0 (shape ${formatShape(x.shape)})`);
    const better = beats(op);
    let best = 0;
    for (let i = 1; i < v.length; i++) if (better(v[i]!, v[best]!) || (Number.isNaN(v[i]!) && !Number.isNaN(v[best]!))) best = i;
    checkExactIndex(op, best);
    return new Tensor(new Float32Array([best]), keepdim ? x.shape.map(() => 1) : []);
  }
  return extremeAlong(x, dim, keepdim, op).indices;
}
