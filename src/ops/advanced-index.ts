// PyTorch's advanced indexing with index tensors: `x.index([rows, cols])` is PyTorch's `x[rows, cols]` (aten::index,
// IndexBackward0), `null` standing for a whole dimension (`x.index([null, idx])` is `x[:, idx]`), after the basic
// indexing of ops/basic-index.ts (numbers, slices, '...', newaxis; masks turned into index tensors); `indexPut` /
// `indexPut_` are `torch.index_put` / `x.index_put_` (IndexPutBackward0), PyTorch's `x[rows, cols] = v`.
// The index tensors broadcast together; the indexed dimensions are replaced by their broadcast shape, in place when
// they are adjacent, at the front otherwise, as NumPy and PyTorch place them.
import { linearTwice, twice } from '../autograd/twice.js';
import { splitGradient } from './scatter-views.js';
import { record } from '../autograd/record.js';
import { broadcastShapes, contiguousStrides, formatShape, numel } from '../tensor/shape.js';
import { keepMask } from '../tensor/mask-mark.js';
import { basicIndexing, type Indices, type IndexSteps, wrapIndex } from './basic-index.js';

export type { Indices } from './basic-index.js';
import { Tensor } from '../tensor/tensor.js';
import { expanded } from './binary-math.js';
import { checkOptions, leadingOption } from '../options.js';
import { checkTensor, describe } from './util.js';
import { narrow, permute, stepSlice, unsqueeze } from './view.js';

/** Where a strided view of x starts and steps, in x's row-major places (indexPut's walk). */
interface Geometry {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

const geometrySteps: IndexSteps<Geometry> = {
  shape: (g) => g.shape,
  select: (g, d, i) => ({ shape: g.shape.filter((_, k) => k !== d), strides: g.strides.filter((_, k) => k !== d), offset: g.offset + i * g.strides[d]! }),
  slice: (g, d, start, length, step) => ({
    shape: g.shape.map((s, k) => (k === d ? length : s)), strides: g.strides.map((s, k) => (k === d ? s * step : s)), offset: g.offset + start * g.strides[d]!,
  }),
  unsqueeze: (g, d) => ({ shape: [...g.shape.slice(0, d), 1, ...g.shape.slice(d)], strides: [...g.strides.slice(0, d), 0, ...g.strides.slice(d)], offset: g.offset }),
};

const viewSteps: IndexSteps<Tensor> = {
  shape: (t) => t.shape,
  select: (t, d, i) => t.select(d, i),
  slice: (t, d, start, length, step) => (step === 1 ? narrow(t, d, start, length) : stepSlice(t, d, start, length, step)),
  unsqueeze: (t, d) => unsqueeze(t, d),
};

interface Positions {
  /** The shape of the indexing result. */
  readonly shape: readonly number[];
  /** For each element of the result (row-major), the row-major position in x it reads. */
  readonly src: Int32Array;
}

/** Where each element of `view[tensors]` comes from in x, the view of x given by its geometry. */
function positions(op: string, view: Geometry, indices: readonly (Tensor | null)[]): Positions {
  const { shape, strides } = view;
  const adv: number[] = [];
  indices.forEach((t, d) => {
    if (t !== null) adv.push(d);
  });
  let b: readonly number[] = [];
  try {
    b = adv.reduce<readonly number[]>((s, d) => broadcastShapes(s, indices[d]!.shape, op), []);
  } catch {
    throw new RangeError(`${op}: shape mismatch: indexing tensors could not be broadcast together with shapes ${adv.map((d) => formatShape((indices[d] as Tensor).shape)).join(', ')}`);
  }
  const idx = adv.map((d) => {
    const v = expanded(indices[d] as Tensor, b);
    for (let i = 0; i < v.length; i++) v[i] = wrapIndex(op, v[i]!, d, shape[d]!);
    return v;
  });
  const rest = shape.map((_, d) => d).filter((d) => !adv.includes(d));
  const adjacent = adv.length > 0 && adv[adv.length - 1]! - adv[0]! === adv.length - 1;
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
    const pre = view.offset + offsetOf(before, p);
    for (let i = 0; i < nb; i++) {
      let base = pre;
      for (let a = 0; a < adv.length; a++) base += idx[a]![i]! * strides[adv[a]!]!;
      for (let q = 0; q < nAfter; q++) src[k++] = base + offsetOf(after, q);
    }
  }
  return { shape: out, src };
}

/**
 * `x[indices]`, as PyTorch's indexing: `x.index([rows, cols])` is `x[rows, cols]`, one element per pair;
 * `x.index([null, idx])` is `x[:, idx]`, `x.index([x.gt(0)])` `x[x > 0]` (a mask: a comparison's or logical op's
 * result), `x.index([slice(1, null, 2), '...', 0])` `x[1::2, ..., 0]`, `x.index([newaxis])` `x[None]`. Numbers, slices,
 * '...' and newaxis alone give views (SelectBackward0, SliceBackward0, UnsqueezeBackward0; `x.index([])` and
 * `x.index(['...'])` an alias of x, AliasBackward0); index tensors and masks then a copy, whose gradient
 * (IndexBackward0) adds back into the positions read, a position read twice getting both.
 */
export function index(x: Tensor, indices: Indices): Tensor {
  checkTensor(x, 'index');
  const { result, tensors, stepped, given } = basicIndexing('index', x, indices, viewSteps);
  if (!tensors.some((t) => t !== null)) return stepped ? result : permute(x, x.shape.map((_, d) => d), 'AliasBackward0');
  return keepMask(x, advanced(result, tensors, given));
}

/**
 * `view[tensors]`, the index tensors (one per dimension, null for one not indexed) already set aside; `given`, the
 * index tensors and masks as the caller gave them.
 */
function advanced(view: Tensor, tensors: readonly (Tensor | null)[], given: readonly Tensor[]): Tensor {
  const { shape, src } = positions('index', { shape: view.shape, strides: contiguousStrides(view.shape), offset: 0 }, tensors);
  const xv = view.values();
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = xv[src[i]!]!;
  const inputs = [view, ...given];
  // Saved, as PyTorch's IndexBackward0 saves the index tensors and masks given: a backward pass after one of them
  // changed in place is refused, as PyTorch refuses it.
  // Linear in x: the gradient's graph is recorded with its adjoint, the same indexing (autograd/twice.ts).
  return linearTwice(record(new Tensor(out, shape), 'index', inputs, (g) => [scatterAdd(g.values(), src, view.shape), ...given.map(() => null)], given, 'IndexBackward0'),
    (h) => advanced(h, tensors, given));
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
  const { result: view, tensors } = basicIndexing('indexPut', { shape: x.shape, strides: contiguousStrides(x.shape), offset: 0 }, indices, geometrySteps);
  const { shape, src } = positions('indexPut', view, tensors);
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
  const inputs = [x, v, ...(indices as readonly unknown[]).filter((t): t is Tensor => t instanceof Tensor)];
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

