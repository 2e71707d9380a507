// sort, argsort and topk, as PyTorch's: values ordered along a dimension and their indices, the values
// differentiable through gather (the gradient goes back to the places picked).
import { checkOptions, describeValue, isPlainObject, shownValue } from '../options.js';
import { formatShape, normalizeDim } from '../tensor/shape.js';
import { keepMask } from '../tensor/mask-mark.js';
import { Tensor } from '../tensor/tensor.js';
import { gather } from './gather.js';
import { stdSortOrder, topkOrder } from './topk-order.js';
import { valuesIndices, type ValuesIndices } from './reduce.js';
import { checkExactIndex, checkTensor, MAX_EXACT_INDEX } from './util.js';
import { reshape } from './view.js';

/**
 * The indices `pick` chooses in each slice of `x` along `dim` (it gets the slice's values and returns `k` positions
 * in it), as whole numbers in float32, shaped as `x` with `k` along `dim`. `x` has at least one dimension and `dim` is
 * normalized.
 */
function indicesAlong(op: string, x: Tensor, dim: number, k: number, pick: (slice: Float64Array) => ArrayLike<number>): Tensor {
  const n = x.shape[dim]!;
  const outer = x.shape.slice(0, dim).reduce((p, s) => p * s, 1);
  const inner = x.shape.slice(dim + 1).reduce((p, s) => p * s, 1);
  const v = x.contiguous().values();
  const shape = [...x.shape];
  shape[dim] = k;
  const idx = new Float32Array(outer * k * inner);
  const slice = new Float64Array(n);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      for (let j = 0; j < n; j++) slice[j] = v[o * n * inner + j * inner + i]!;
      const order = pick(slice);
      if (n > MAX_EXACT_INDEX + 1 && op === 'argsort') for (let j = 0; j < k; j++) checkExactIndex(op, order[j]!);
      for (let j = 0; j < k; j++) idx[o * k * inner + j * inner + i] = order[j]!;
    }
  }
  return new Tensor(idx, shape);
}

/**
 * The positions of a slice in order (largest first when `descending`): a NaN counts as larger than any number, as in
 * PyTorch; equal values keep the order of their indices (PyTorch's `stable=True`, its `std::stable_sort`).
 */
function stableOrder(descending: boolean): (slice: Float64Array) => number[] {
  return (v) => {
    const before = (a: number, b: number): number => {
      const va = v[a]!;
      const vb = v[b]!;
      const na = Number.isNaN(va);
      const nb = Number.isNaN(vb);
      if (na !== nb) return na === descending ? -1 : 1;
      if (na || va === vb) return a - b;
      return (descending ? vb > va : va > vb) ? 1 : -1;
    };
    return Array.from({ length: v.length }, (_, j) => j).sort(before);
  };
}

/** PyTorch 1.13's comparisons for its CPU sort (SortingKernel.cpp, KeyValueCompAsc/KeyValueCompDesc): NaN last ascending, first descending. */
const nanLast = (a: number, b: number): boolean => (!Number.isNaN(a) && Number.isNaN(b)) || a < b;
const nanFirst = (a: number, b: number): boolean => (Number.isNaN(a) && !Number.isNaN(b)) || a > b;

/**
 * The positions of a slice in the order PyTorch 1.13's default CPU sort (`stable=False`) leaves them: libstdc++'s
 * `std::sort` of (value, index) pairs comparing values only, which is not stable past 16 values (topk-order.ts).
 */
function defaultOrder(descending: boolean): (slice: Float64Array) => ArrayLike<number> {
  return (slice) => stdSortOrder(slice, descending ? nanFirst : nanLast);
}

/** sort's and argsort's options, PyTorch's keyword arguments: `stable` keeps equal values in the order of their indices. */
export interface SortOptions {
  dim?: number;
  descending?: boolean;
  stable?: boolean;
}

/**
 * The dimension, order and stability of a sort, from either of PyTorch's forms: positional `(dim, descending)`, as
 * `x.sort(0, True)`, or keywords with `stable`, as `x.sort(stable=True, dim=0)` (`x.sort({ stable: true, dim: 0 })`;
 * PyTorch takes `stable` only as a keyword, so nothing follows the options object).
 */
function sortArguments(op: string, dim: unknown, descending: unknown): { dim: number; descending: boolean; stable: boolean } {
  if (isPlainObject(dim)) {
    if (descending !== undefined) throw new TypeError(`${op}: nothing may follow the options object, got ${describeValue(descending)}`);
    const o = checkOptions(op, dim as SortOptions, ['dim', 'descending', 'stable']);
    const stable = o.stable ?? false;
    checkFlag(op, 'stable', stable);
    return { dim: o.dim === undefined ? -1 : o.dim, descending: o.descending === undefined ? false : o.descending, stable };
  }
  return { dim: dim as number, descending: (descending === undefined ? false : descending) as boolean, stable: false };
}

/** `x` with at least one dimension (a 0-d tensor has one element along its one implicit dimension, as in PyTorch), and `dim` normalized. */
function along(x: Tensor, dim: unknown, op: string): { flat: Tensor; d: number } {
  checkTensor(x, op);
  if (typeof dim !== 'number') throw new TypeError(`${op}: dim must be a number, got ${describeValue(dim)}`);
  const flat = x.ndim === 0 ? x.reshape([1]) : x;
  return { flat, d: normalizeDim(dim, flat.ndim, op) };
}

function checkFlag(op: string, name: string, v: unknown): void {
  if (typeof v !== 'boolean') throw new TypeError(`${op}: ${name} must be a boolean, got ${describeValue(v)}`);
}

/**
 * The values and indices of `flat` (a view of `x`) at `indices`, shaped as `x` when it is 0-d. The values' node is
 * named `torchName` for PyTorch (SortBackward0, TopkBackward0).
 */
function picked(x: Tensor, flat: Tensor, d: number, indices: Tensor, torchName: string): ValuesIndices {
  const values = gather(flat, d, indices, torchName);
  return x.ndim === 0 ? valuesIndices(reshape(values, [], 'reshape', torchName), indices.reshape([])) : valuesIndices(values, indices);
}

/**
 * The values along `dim` (the last by default) in ascending order, or descending, and where each came from, as
 * `torch.sort`: `const [sorted, indices] = x.sort()`, `x.sort(0, true)`, `x.sort({ dim: 0, stable: true })`. A NaN
 * counts as larger than any number. Equal values come in the order PyTorch 1.13's CPU sort leaves them, so a
 * gradient among them goes where PyTorch's goes: by default that of its unstable `std::sort` (the order of their
 * indices up to 16 values, not past), with `stable: true` the order of their indices.
 */
export function sort(x: Tensor, dim: number | SortOptions = -1, descending?: boolean): ValuesIndices {
  const a = sortArguments('sort', dim, descending);
  const { flat, d } = along(x, a.dim, 'sort');
  checkFlag('sort', 'descending', a.descending);
  const order = a.stable ? stableOrder(a.descending) : defaultOrder(a.descending);
  const r = picked(x, flat, d, indicesAlong('sort', flat, d, flat.shape[d]!, order), 'SortBackward0');
  keepMask(x, r.values);
  return r;
}

/**
 * The indices that sort `x` along `dim`, as `torch.argsort`: `sort(x, dim, descending).indices`, equal values in the
 * same order (`argsort({ stable: true })` for the order of their indices).
 */
export function argsort(x: Tensor, dim: number | SortOptions = -1, descending?: boolean): Tensor {
  const a = sortArguments('argsort', dim, descending);
  const { flat, d } = along(x, a.dim, 'argsort');
  checkFlag('argsort', 'descending', a.descending);
  const order = a.stable ? stableOrder(a.descending) : defaultOrder(a.descending);
  const indices = indicesAlong('argsort', flat, d, flat.shape[d]!, order);
  return x.ndim === 0 ? indices.reshape([]) : indices;
}

/**
 * The `k` largest values along `dim` (the last by default), largest first, and their indices (whole numbers as
 * float32), as `torch.topk`: `const [values, indices] = x.topk(3)`; `largest = false` gives the smallest, smallest
 * first. A NaN counts as larger than any number, as in PyTorch. Equal values, and the order with `sorted = false`,
 * come as PyTorch's CPU kernel leaves them (libstdc++'s selection and sorting, which are not stable: topk-order.ts).
 */
export function topk(x: Tensor, k: number, dim = -1, largest = true, sorted = true): ValuesIndices {
  const { flat, d } = along(x, dim, 'topk');
  checkFlag('topk', 'largest', largest);
  checkFlag('topk', 'sorted', sorted);
  const n = flat.shape[d]!;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k > n) {
    throw new RangeError(`topk: k must be a whole number from 0 to ${n} (the size of dimension ${d} of shape ${formatShape(x.shape)}), got ${shownValue(k)}`);
  }
  // A 0-d tensor gives itself and index 0 for k = 0 as for k = 1, as PyTorch's (which copies it whole).
  const kept = x.ndim === 0 ? 1 : k;
  return picked(x, flat, d, indicesAlong('topk', flat, d, kept, (slice) => topkOrder(slice, kept, largest, sorted)), 'TopkBackward0');
}

