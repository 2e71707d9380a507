// PyTorch's basic indexing inside `x.index([...])` and `indexPut`: numbers select, `slice(start, stop, step)` (and
// null, Python's `:`) slice, `'...'` stands for the dimensions not named, `newaxis` adds one of size 1, left to right as
// PyTorch's applySlicing walks them; index tensors and masks are set aside, each at the dimension it indexes, for
// the advanced indexing that follows (a mask, a comparison's result, as the index tensors of its nonzero coordinates).
import { isMask } from '../tensor/mask-mark.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../options.js';
import { sliceRange } from './slice-range.js';
import { describe } from './util.js';

/** Python's `slice(start, stop, step)`: `x.index([slice(1, 7, 3)])` is PyTorch's `x[1:7:3]`; null for a bound left out. */
export class Slice {
  readonly start: number | null;
  readonly stop: number | null;
  readonly step: number | null;
  /** Each bound a whole number or null (a 0-d tensor of one read as its number), as PyTorch's indexing asks. */
  constructor(start: number | null, stop: number | null, step: number | null) {
    this.start = bound('new Slice', 'start', start);
    this.stop = bound('new Slice', 'stop', stop);
    this.step = bound('new Slice', 'step', step);
    Object.freeze(this);
  }

  toString(): string {
    return `slice(${this.start}, ${this.stop}, ${this.step})`;
  }
}

/** A bound of `slice`: a whole number, null/undefined (left out) or a 0-d tensor of a whole number (Python's __index__). */
function bound(call: string, name: string, v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = v instanceof Tensor && v.ndim === 0 ? v.item() : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new TypeError(`${call}: ${name} must be a whole number or null (PyTorch: slice indices must be integers or None), got ${describeValue(v)}`);
  return n;
}

/**
 * Python's builtin `slice`: `slice(stop)`, or `slice(start, stop, step?)`, null or undefined for a bound left out
 * (`slice(null, null, 2)` is `::2`). For `index` and `indexPut`.
 */
export function slice(stop?: number | Tensor | null): Slice;
export function slice(start: number | Tensor | null | undefined, stop: number | Tensor | null | undefined, step?: number | Tensor | null): Slice;
export function slice(...args: unknown[]): Slice {
  if (args.length > 3) throw new TypeError(`slice: expected at most 3 arguments (start, stop, step), got ${args.length}`);
  if (args.length <= 1) return new Slice(null, bound('slice', 'stop', args[0]), null);
  return new Slice(bound('slice', 'start', args[0]), bound('slice', 'stop', args[1]), bound('slice', 'step', args[2]));
}

/** NumPy's `np.newaxis` (Python's None in an index): `x.index([newaxis])` is `x[None]` (null is `:` here). */
export const newaxis = 'newaxis';

/**
 * One entry per indexed dimension, from the first: an index tensor (whole numbers, negative from the end), a mask (the
 * result of a comparison or logical op, PyTorch's bool tensor), a number (one position, the dimension dropped, as a
 * 0-d tensor is too), true or false (Python's True/False, a 0-d mask), null or `slice(...)` (`:` and `start:stop:step`),
 * `'...'` (Ellipsis) or `newaxis` (None).
 */
export type Indices = readonly (Tensor | number | boolean | null | Slice | '...' | typeof newaxis)[];

/** What the walk does to the tensor (views for `index`, geometry for `indexPut`). */
export interface IndexSteps<T> {
  shape(t: T): readonly number[];
  select(t: T, dim: number, i: number): T;
  slice(t: T, dim: number, start: number, length: number, step: number): T;
  unsqueeze(t: T, dim: number): T;
}

/** The result of the basic part and the index tensors left, one entry per dimension of it (null: not indexed). */
export interface Basic<T> {
  readonly result: T;
  readonly tensors: readonly (Tensor | null)[];
  /** Whether any step was taken (else x[...] and x[()] are aliases of x). */
  readonly stepped: boolean;
  /** The index tensors and masks (not 0-d ones) as given: what PyTorch's IndexBackward0 saves. */
  readonly given: readonly Tensor[];
}

/** An index of dimension d (of `size`), negative ones from the end: PyTorch's IndexError outside [−size, size). */
export function wrapIndex(op: string, k: number, d: number, size: number): number {
  if (!Number.isInteger(k)) throw new TypeError(`${op}: indices must be whole numbers (PyTorch: tensors used as indices must be long, byte or bool tensors); index ${d} holds ${k}`);
  if (k < -size || k >= size) throw new RangeError(`${op}: index ${k} is out of bounds for dimension ${d} with size ${size}`);
  return k < 0 ? k + size : k;
}

/** How many of x's dimensions an entry uses: a mask as many as it has, '...' and newaxis none. */
function used(op: string, t: unknown, i: number): number {
  if (t === '...' || t === newaxis || typeof t === 'boolean') return 0;
  if (t === null || t instanceof Slice || typeof t === 'number') return 1;
  if (t instanceof Tensor) return isMask(t) ? t.ndim : 1;
  throw new TypeError(`${op}: index ${i} must be a Tensor (index tensor or mask), a number, true or false, null (:), slice(...), '...' or newaxis, got ${describe(t)}`);
}

/** PyTorch's start:stop:step over a dimension of `size`: Python's clamped bounds, the first place and the count. */
function sliceBounds(op: string, s: Slice, size: number): [number, number, number] {
  const step = s.step ?? 1;
  if (step === 0) throw new RangeError(`${op}: slice step cannot be zero`);
  if (step < 0) throw new RangeError(`${op}: step must be greater than zero (PyTorch has no negative steps; use flip)`);
  return [...sliceRange(s.start, s.stop, step, size), step];
}

/** The walk of PyTorch's applySlicing over `indices`, left to right. */
export function basicIndexing<T>(op: string, x: T, indices: Indices, steps: IndexSteps<T>): Basic<T> {
  if (!Array.isArray(indices)) throw new TypeError(`${op}: the indices must be an array (index tensors, masks, numbers, null for :, slice(...), '...', newaxis), as PyTorch's x[i, j] is x.index([i, j]); got ${describe(indices)}`);
  const ndim = steps.shape(x).length;
  const specified = indices.reduce<number>((n, t, i) => n + used(op, t, i), 0);
  if (specified > ndim) throw new RangeError(`${op}: too many indices for tensor of dimension ${ndim} (${specified} given)`);
  let result = x;
  let dim = 0;
  let stepped = false;
  const tensors: (Tensor | null)[] = [];
  const masks: [Tensor, number][] = [];
  const given: Tensor[] = [];
  // An index tensor past the last dimension: the index count PyTorch reports once the walk is over.
  let past = 0;
  const record = (t: Tensor): void => {
    while (tensors.length < dim) tensors.push(null);
    tensors[dim++] = t;
  };
  for (const [i, t] of indices.entries()) {
    const shape = steps.shape(result);
    if (t === '...') {
      // As PyTorch 1.13's: each '...' of several skips all the dimensions not indexed, so a later entry may fall past the last.
      dim += ndim - specified;
      continue;
    }
    const n = used(op, t, i);
    const last = n === 0 ? shape.length : shape.length - n;
    if (dim > last) {
      // PyTorch 1.13's words per kind: a number's select, an index tensor's count, a dimension's range for the rest.
      const why = `index ${i} falls past the last dimension, each '...' standing for the ${ndim - specified} dimensions not indexed, as PyTorch 1.13's`;
      if (typeof t === 'number' || (t instanceof Tensor && !isMask(t) && t.ndim === 0)) {
        throw new RangeError(`${op}: index ${typeof t === 'number' ? t : t.item()} is out of bounds for dimension ${i} with size 0 (${why})`);
      }
      if (t instanceof Tensor && t.ndim > 0) {
        dim += isMask(t) ? t.ndim : 1;
        past = dim;
        continue;
      }
      throw new RangeError(`${op}: Dimension out of range (expected to be in range of [${-last - 1}, ${last}], but got ${dim}): ${why}`);
    }
    // PyTorch skips a slice that is x's whole dimension as written (0:size:1, not `:`): x[0:3] of 3 rows is an alias.
    if (t instanceof Slice && (t.start ?? 0) === 0 && t.stop === shape[dim] && (t.step ?? 1) === 1) {
      dim++;
      continue;
    }
    stepped = true;
    if (t === newaxis) result = steps.unsqueeze(result, dim++);
    else if (t === null || t instanceof Slice) {
      const [start, length, step] = sliceBounds(op, t ?? new Slice(null, null, null), shape[dim]!);
      result = steps.slice(result, dim++, start, length, step);
    } else if (typeof t === 'boolean' || (isMask(t) && t.ndim === 0)) {
      // PyTorch's x[True] / x[False] (true / false, or a 0-d mask): a new dimension of size 1, indexed by [0] or by nothing.
      const keep = typeof t === 'boolean' ? t : t.item() !== 0;
      result = steps.unsqueeze(result, dim);
      record(new Tensor(keep ? Float32Array.of(0) : new Float32Array(0), [keep ? 1 : 0]));
    } else if (typeof t === 'number' || (!isMask(t) && t.ndim === 0)) {
      result = steps.select(result, dim, wrapIndex(op, typeof t === 'number' ? t : t.item(), dim, shape[dim]!));
    } else if (!isMask(t)) {
      given.push(t);
      record(t);
    } else {
      // Its dimensions, which later steps leave alone, checked once the walk is over, as PyTorch checks the sliced result.
      masks.push([t, dim]);
      given.push(t);
      dim += t.ndim;
    }
  }
  const shape = steps.shape(result);
  if (past > 0) throw new RangeError(`${op}: too many indices for tensor of dimension ${shape.length} (got ${past}): an index tensor falls past the last dimension, each '...' standing for the ${ndim - specified} dimensions not indexed, as PyTorch 1.13's`);
  for (const [m, at] of masks) {
    for (let j = 0; j < m.ndim; j++) {
      if (m.shape[j] !== shape[at + j]) throw new RangeError(`${op}: The shape of the mask ${formatShape(m.shape)} at index ${j} does not match the shape of the indexed tensor ${formatShape(shape)} at index ${at + j}`);
    }
    dim = at;
    // Its nonzero coordinates, one index tensor per dimension, as PyTorch's expandTensors.
    for (const coords of m.nonzero({ asTuple: true }) as Tensor[]) record(coords);
  }
  return { result, tensors, stepped, given };
}
