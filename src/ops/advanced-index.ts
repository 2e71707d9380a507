// PyTorch's advanced indexing with index tensors: `x.index([rows, cols])` is PyTorch's `x[rows, cols]` (aten::index,
// IndexBackward0), `null` standing for a whole dimension (`x.index([null, idx])` is `x[:, idx]`); `indexPut` /
// `indexPut_` are `torch.index_put` / `x.index_put_` (IndexPutBackward0), PyTorch's `x[rows, cols] = v`.
// The index tensors broadcast together; the indexed dimensions are replaced by their broadcast shape, in place when
// they are adjacent, at the front otherwise, as NumPy and PyTorch place them.
import { linearTwice, twice } from '../autograd/twice.js';
import { splitGradient } from './scatter-views.js';
import { record } from '../autograd/record.js';
import { broadcastShapes, formatShape, numel } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { expanded } from './binary-math.js';
import { checkOptions, leadingOption } from '../options.js';
import { checkTensor, describe } from './util.js';
import { narrow, permute } from './view.js';

/**
 * One entry per indexed dimension, from the first: an index tensor (whole numbers, negative from the end), a number
 * (one position, the dimension dropped, as a 0-d tensor is too) or null for all of it. Numbers and 0-d tensors alone
 * select, as PyTorch's x[1] and x[tensor(1)] do (a view for `index`).
 */
export type Indices = readonly (Tensor | number | null)[];

interface Positions {
  /** The shape of the indexing result. */
  readonly shape: readonly number[];
  /** For each element of the result (row-major), the row-major position in x it reads. */
  readonly src: Int32Array;
}

/** Where each element of `x[indices]` comes from in x. */
function positions(op: string, shape: readonly number[], indices: Indices): Positions {
  if (!Array.isArray(indices)) throw new TypeError(`${op}: the indices must be an array of index tensors (or null for a whole dimension, a number for one position), as PyTorch's x[i, j] is x.index([i, j]); got ${describe(indices)}`);
  if (indices.length > shape.length) throw new RangeError(`${op}: too many indices for tensor of dimension ${shape.length} (${indices.length} given)`);
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, s) => a * s, 1));
  // A number, or a 0-d tensor (as PyTorch's x[t] takes one), picks one position of its dimension, which goes away.
  let fixed = 0;
  const fixedDims: number[] = [];
  const adv: number[] = [];
  indices.forEach((t, d) => {
    if (t === null) return;
    const one = typeof t === 'number' ? t : t instanceof Tensor && t.ndim === 0 ? t.item() : undefined;
    if (one !== undefined) {
      fixed += wrap(op, one, d, shape[d]!) * strides[d]!;
      fixedDims.push(d);
    } else if (t instanceof Tensor) adv.push(d);
    else throw new TypeError(`${op}: index ${d} must be a Tensor of whole numbers, a number or null (a whole dimension), got ${describe(t)}`);
  });
  let b: readonly number[] = [];
  try {
    b = adv.reduce<readonly number[]>((s, d) => broadcastShapes(s, indices[d]!.shape, op), []);
  } catch {
    throw new RangeError(`${op}: shape mismatch: indexing tensors could not be broadcast together with shapes ${adv.map((d) => formatShape((indices[d] as Tensor).shape)).join(', ')}`);
  }
  const idx = adv.map((d) => {
    const v = expanded(indices[d] as Tensor, b);
    for (let i = 0; i < v.length; i++) v[i] = wrap(op, v[i]!, d, shape[d]!);
    return v;
  });
  const kept = shape.map((_, d) => d).filter((d) => !fixedDims.includes(d));
  const rest = kept.filter((d) => !adv.includes(d));
  // Adjacent among the dimensions left once the numbers have picked theirs, as PyTorch's x[i, 1, k] selects first.
  const adjacent = kept.indexOf(adv[adv.length - 1]!) - kept.indexOf(adv[0]!) === adv.length - 1;
  // Rest dimensions before the indexed block (only when the indexed dimensions are adjacent), then the block, then the others.
  const before = adjacent ? rest.filter((d) => d < adv[0]!) : [];
  const after = rest.filter((d) => !before.includes(d));
  const out = [...before.map((d) => shape[d]!), ...b, ...after.map((d) => shape[d]!)];
  const nb = numel(b);
  const nBefore = before.reduce((a, d) => a * shape[d]!, 1);
  const nAfter = after.reduce((a, d) => a * shape[d]!, 1);
  const src = new Int32Array(numel(out));
  const offsetOf = (dims: readonly number[], flat: number): number => {
    let off = 0;
    for (let j = dims.length - 1; j >= 0; j--) {
      const d = dims[j]!;
      off += (flat % shape[d]!) * strides[d]!;
      flat = Math.floor(flat / shape[d]!);
    }
    return off;
  };
  let k = 0;
  for (let p = 0; p < nBefore; p++) {
    const pre = fixed + offsetOf(before, p);
    for (let i = 0; i < nb; i++) {
      let base = pre;
      for (let a = 0; a < adv.length; a++) base += idx[a]![i]! * strides[adv[a]!]!;
      for (let q = 0; q < nAfter; q++) src[k++] = base + offsetOf(after, q);
    }
  }
  return { shape: out, src };
}

/** An index of dimension d (of `size`), negative ones from the end: PyTorch's IndexError outside [−size, size). */
function wrap(op: string, k: number, d: number, size: number): number {
  if (!Number.isInteger(k)) throw new TypeError(`${op}: indices must be whole numbers (PyTorch: tensors used as indices must be long, byte or bool tensors); index ${d} holds ${k}`);
  if (k < -size || k >= size) throw new RangeError(`${op}: index ${k} is out of bounds for dimension ${d} with size ${size}`);
  return k < 0 ? k + size : k;
}

/**
 * `x[indices]` with index tensors, as PyTorch's advanced indexing: `x.index([rows, cols])` is `x[rows, cols]`, one
 * element per pair; `x.index([null, idx])` is `x[:, idx]`. Index tensors broadcast together (`x.index([rows.unsqueeze(1),
 * cols])` picks a grid); `x.index([])` is `x[()]`, an alias of x, and `x.index([null, null])` `x[:, :]` (views); masks are not indices here (a Kindling
 * mask is float 1/0): use `maskedSelect` or `nonzero`.
 * The gradient (IndexBackward0) adds back into the positions read, a position read twice getting both.
 */
export function index(x: Tensor, indices: Indices): Tensor {
  checkTensor(x, 'index');
  // No index at all, as PyTorch's x[()]: an alias of x, a view of the whole tensor (AliasBackward0); nulls alone, as
  // x[:, :], a view too, whose last slice is PyTorch's last node (SliceBackward0).
  if (Array.isArray(indices) && indices.length === 0) return permute(x, x.shape.map((_, d) => d), 'AliasBackward0');
  if (Array.isArray(indices) && indices.length <= x.ndim && indices.every((t) => t === null)) return narrow(x, indices.length - 1, 0, x.shape[indices.length - 1]!);
  // Numbers and 0-d tensors alone (with nulls), as PyTorch's x[1] and x[tensor(1)]: each selects, a view (SelectBackward0).
  if (Array.isArray(indices) && indices.length <= x.ndim && indices.some((t) => t !== null) && indices.every((t) => t === null || typeof t === 'number' || (t instanceof Tensor && t.ndim === 0))) {
    let y = x;
    for (let d = indices.length - 1; d >= 0; d--) {
      const t = indices[d]!;
      if (t !== null) y = y.select(d, wrap('index', typeof t === 'number' ? t : t.item(), d, x.shape[d]!));
    }
    // PyTorch slices for each `:` too, left to right, so x[1, :] ends in a slice (SliceBackward0), x[:, 1] in a select.
    if (indices[indices.length - 1] === null) {
      const last = indices.filter((t) => t === null).length - 1;
      y = narrow(y, last, 0, y.shape[last]!);
    }
    return y;
  }
  const { shape, src } = positions('index', x.shape, indices);
  const xv = x.values();
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = xv[src[i]!]!;
  const inputs = [x, ...indices.filter((t): t is Tensor => t instanceof Tensor)];
  // Saved, as PyTorch's IndexBackward0 saves the index tensors (a 0-d one picked its position as a number did): a
  // backward pass after one of them changed in place is refused, as PyTorch refuses it.
  const saved = inputs.slice(1).filter((t) => t.ndim > 0);
  // Linear in x: the gradient's graph is recorded with its adjoint, the same indexing (autograd/twice.ts).
  return linearTwice(record(new Tensor(out, shape), 'index', inputs, (g) => [scatterAdd(g.values(), src, x.shape), ...inputs.slice(1).map(() => null)], saved, 'IndexBackward0'),
    (h) => index(h, indices));
}

/** Options of `indexPut`: `accumulate` adds the values (a position given twice gets both) instead of writing them. */
export interface IndexPutOptions { accumulate?: boolean }

/**
 * `accumulate` given by position, as PyTorch's `x.index_put_(indices, values, True)` takes it, or in the options;
 * any other key is refused rather than ignored (`{ accumlate: true }` would otherwise quietly write).
 */
function accumulateOf(options: IndexPutOptions | boolean | undefined): boolean {
  const named = leadingOption<IndexPutOptions>('indexPut', 'accumulate', options, undefined, 'x.indexPut_(indices, values, true) or x.indexPut_(indices, values, { accumulate: true })');
  const { accumulate = false } = checkOptions('indexPut', named, ['accumulate']);
  if (typeof accumulate !== 'boolean') throw new TypeError(`indexPut: accumulate must be true or false, got ${describe(accumulate)}`);
  return accumulate;
}

/**
 * A copy of x with `values` (broadcast to the shape of `x[indices]`) written at `x[indices]`, as `torch.index_put(x,
 * indices, values, accumulate)`; with `{ accumulate: true }` added there. Without accumulate, a position given twice
 * gets the last of its values. IndexPutBackward0: x's gradient without the positions written (all of it with
 * accumulate), values' the gradient at those positions, summed over what was broadcast.
 */
export function indexPut(x: Tensor, indices: Indices, values: Tensor | number, options?: IndexPutOptions | boolean): Tensor {
  checkTensor(x, 'indexPut');
  const accumulate = accumulateOf(options);
  const { shape, src } = positions('indexPut', x.shape, indices);
  if (!(values instanceof Tensor) && typeof values !== 'number') throw new TypeError(`indexPut: values must be a Tensor or a number, got ${describe(values)}`);
  const v = values instanceof Tensor ? values : new Tensor(Float32Array.of(values), []);
  let vv: Float32Array;
  try {
    broadcastShapes(v.shape, shape, 'indexPut');
    if (v.ndim > shape.length || v.shape.some((s, i) => s !== 1 && s !== shape[shape.length - v.ndim + i])) throw new Error('no');
    vv = expanded(v, shape);
  } catch {
    throw new RangeError(`indexPut: shape mismatch: value tensor of shape ${formatShape(v.shape)} cannot be broadcast to indexing result of shape ${formatShape(shape)}`);
  }
  const out = x.values().slice();
  for (let i = 0; i < src.length; i++) out[src[i]!] = accumulate ? Math.fround(out[src[i]!]! + vv[i]!) : vv[i]!;
  const inputs = [x, v, ...indices.filter((t): t is Tensor => t instanceof Tensor)];
  // The index tensors (0-d ones too) saved, as PyTorch's IndexPutBackward0 saves them: a backward pass after one of
  // them changed in place is refused, as there.
  const saved = inputs.slice(2);
  const node = record(new Tensor(out, x.shape), 'indexPut', inputs, (g) => {
    const gv = g.values();
    let gx: Tensor = g;
    if (!accumulate) {
      const kept = gv.slice();
      for (let i = 0; i < src.length; i++) kept[src[i]!] = 0;
      gx = new Tensor(kept, x.shape);
    }
    const picked = new Float32Array(src.length);
    for (let i = 0; i < src.length; i++) picked[i] = gv[src[i]!]!;
    const gvals = new Tensor(picked, shape).sumToSize(v.shape);
    return [gx, gvals, ...inputs.slice(2).map(() => null)];
  }, saved, 'IndexPutBackward0');
  // Linear: the same split of the gradient with ops (createGraph).
  return twice(node, (g) => {
    const [kept, picked] = splitGradient(g, x.shape, shape, src, 'indexPut');
    return [accumulate ? g : kept, picked.sumToSize(v.shape), ...inputs.slice(2).map(() => null)];
  });
}

/** g (row-major, one value per position read) added into zeros of `shape` at `src`, in order (PyTorch's accumulate). */
function scatterAdd(g: Float32Array, src: Int32Array, shape: readonly number[]): Tensor {
  const out = new Float32Array(numel(shape));
  for (let i = 0; i < src.length; i++) out[src[i]!] = Math.fround(out[src[i]!]! + g[i]!);
  return new Tensor(out, shape);
}

