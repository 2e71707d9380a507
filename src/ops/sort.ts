// sort, argsort and topk, as PyTorch's: values ordered along a dimension and their indices, the values
// differentiable through gather (the gradient goes back to the places picked).
import { describeValue, shownValue } from '../options.js';
import { formatShape, normalizeDim } from '../tensor/shape.js';
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
 * PyTorch; equal values keep the order of their indices.
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
 * `torch.sort`: `const [sorted, indices] = x.sort()`, `x.sort(0, true)`. A NaN counts as larger than any number;
 * equal values keep the order of their indices (PyTorch's `stable=True`; its default leaves their order unspecified).
 */
export function sort(x: Tensor, dim = -1, descending = false): ValuesIndices {
  const { flat, d } = along(x, dim, 'sort');
  checkFlag('sort', 'descending', descending);
  return picked(x, flat, d, indicesAlong('sort', flat, d, flat.shape[d]!, stableOrder(descending)), 'SortBackward0');
}

/**
 * `sort(x, dim)` (ascending) with equal values in the order PyTorch 1.13's default CPU sort (`stable=False`) leaves
 * them: libstdc++'s `std::sort` on (value, index) pairs, NaN last, which is not stable past 16 values (topk-order.ts).
 * For ops PyTorch composes of its default sort, whose gradients go to the tied element it picked (quantile).
 */
export function sortAsDefault(x: Tensor, dim = -1): ValuesIndices {
  const { flat, d } = along(x, dim, 'sort');
  const nanLast = (a: number, b: number): boolean => (!Number.isNaN(a) && Number.isNaN(b)) || a < b;
  return picked(x, flat, d, indicesAlong('sort', flat, d, flat.shape[d]!, (slice) => stdSortOrder(slice, nanLast)), 'SortBackward0');
}

/** The indices that sort `x` along `dim`, as `torch.argsort`: `sort(x, dim, descending).indices`. */
export function argsort(x: Tensor, dim = -1, descending = false): Tensor {
  const { flat, d } = along(x, dim, 'argsort');
  checkFlag('argsort', 'descending', descending);
  const indices = indicesAlong('argsort', flat, d, flat.shape[d]!, stableOrder(descending));
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
  return picked(x, flat, d, indicesAlong('topk', flat, d, k, (slice) => topkOrder(slice, k, largest, sorted)), 'TopkBackward0');
}

