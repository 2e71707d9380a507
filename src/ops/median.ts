// median, nanmedian, kthvalue and mode, as PyTorch 1.13's CPU kernels (aten/src/ATen/native/Sorting.cpp), which
// define which index of tied values each returns:
// - median(dim) and nanmedian(dim) take the element of rank ⌊(n − 1) / 2⌋ (nanmedian: among the values that are not
//   NaN) in the order of (value, index), so the lower median and, of tied values, the one at that rank by index; a
//   slice holding a NaN gives its first NaN (median). Without a dim: the lower median's value (NaN if any is NaN;
//   nanmedian: of the other values), its gradient shared evenly by the elements equal to it (MedianBackward0).
// - kthvalue runs PyTorch's own quickselect (SortingUtils.h: median-of-three pivot, NaN as the largest), whose swaps
//   decide the index of tied values: ported here step for step.
// - mode sorts (value, index) pairs by value with libstdc++'s unstable std::sort and keeps the smallest of the most
//   frequent values with the index of the last of its run in that order (topk-order.ts runs the same sort).
// The gradients of the forms with a dim put g at the index (MedianBackward1, NanmedianBackward1, KthvalueBackward0,
// ModeBackward0); values and indices are float32, the indices whole numbers.
import { record } from '../autograd/record.js';
import { linearTwice } from '../autograd/twice.js';
import { formatShape, normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../options.js';
import { maskOf } from './mask.js';
import { checkKeepdim, reducedShape, valuesIndices, type ValuesIndices } from './reduce.js';
import { layout } from './softmax.js';
import { stdNthElementOrder, stdSortOrder } from './topk-order.js';
import { pick as pickAt } from './gather.js';
import { checkTensor } from './util.js';

/** The index (in `row`) of the element of rank `rank` in the order of (value, index), NaN last when `nanLast`. */
function rankByValueIndex(row: Float32Array, rank: number, nanLast: boolean): number {
  const order = Array.from(row.keys());
  order.sort((i, j) => {
    const a = row[i]!;
    const b = row[j]!;
    if (nanLast && (a !== a || b !== b)) {
      if (a !== a && b !== b) return i - j;
      return a !== a ? 1 : -1;
    }
    return a < b ? -1 : a > b ? 1 : i - j;
  });
  return order[rank]!;
}

/** For each slice along `dim`, its values (a new array) → [value, index]; the result as ValuesIndices with the scatter gradient. */
function alongDim(x: Tensor, dim: number, keepdim: boolean, op: string, torch: string, pick: (row: Float32Array) => [number, number]): ValuesIndices {
  checkTensor(x, op);
  checkKeepdim(keepdim, op);
  if (typeof dim !== 'number') throw new TypeError(`${op}: dim must be a number, got ${describeValue(dim)}`);
  const [outer, n, inner] = layout(x, dim, op);
  const d = x.ndim === 0 ? 0 : normalizeDim(dim, x.ndim, op);
  if (n === 0 && x.numel() === 0 && x.ndim > 0) {
    throw new RangeError(`${op}: Expected reduction dim ${d} to have non-zero size (shape ${formatShape(x.shape)})`);
  }
  const v = x.values();
  const vals = new Float32Array(outer * inner);
  const idx = new Int32Array(outer * inner);
  const row = new Float32Array(n);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      for (let k = 0; k < n; k++) row[k] = v[(o * n + k) * inner + i]!;
      const [value, at] = pick(row);
      vals[o * inner + i] = value;
      idx[o * inner + i] = at;
    }
  }
  const shape = reducedShape(x.shape, x.ndim === 0 ? [] : [d], keepdim);
  const values = new Tensor(vals, shape);
  record(values, op, [x], (g) => {
    const G = g.values();
    const gx = new Float32Array(v.length);
    for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) gx[(o * n + idx[o * inner + i]!) * inner + i] = G[o * inner + i]!;
    return [new Tensor(gx, x.shape)];
  }, [], torch);
  // Linear in g: the gradient's graph picks the gradient's gradient back at each chosen element.
  linearTwice(values, (h) => {
    const from = Int32Array.from({ length: outer * inner }, (_, k) => (Math.floor(k / inner) * n + idx[k]!) * inner + (k % inner));
    return pickAt(h, shape, from, `${op}Backward`, new Tensor(Float32Array.from(from), shape));
  });
  return valuesIndices(values, new Tensor(Float32Array.from(idx), shape));
}

function firstNan(row: Float32Array): number {
  for (let k = 0; k < row.length; k++) if (row[k] !== row[k]) return k;
  return -1;
}

function medianPick(nan: boolean): (row: Float32Array) => [number, number] {
  return (row) => {
    if (!nan) {
      const at = firstNan(row);
      if (at >= 0) return [Number.NaN, at];
      const k = rankByValueIndex(row, Math.floor((row.length - 1) / 2), false);
      return [row[k]!, k];
    }
    let nans = 0;
    for (let k = 0; k < row.length; k++) if (row[k] !== row[k]) nans++;
    // A slice of NaNs only: C++'s (size − nans − 1) / 2 is 0, and PyTorch's comparison holds for no pair of NaNs, so
    // the index is wherever libstdc++'s nth_element leaves position 0.
    if (nans === row.length) return [Number.NaN, stdNthElementOrder(row, 0, () => false)[0]!];
    const k = rankByValueIndex(row, Math.floor((row.length - nans - 1) / 2), true);
    return [row[k]!, k];
  };
}

/** The lower median of everything (as PyTorch's `median()`): NaN if any value is (nanmedian: of the others). */
function medianAll(x: Tensor, op: 'median' | 'nanmedian'): Tensor {
  checkTensor(x, op);
  const v = x.values();
  let m = Number.NaN;
  if (v.length > 0) {
    const [value] = medianPick(op === 'nanmedian')(v.slice());
    m = value;
  } else if (op === 'median') {
    m = Number.NaN;
  }
  const out = new Tensor(new Float32Array([m]), []);
  const node = record(out, op, [x], (g) => {
    // PyTorch's evenly_distribute_backward: g / count on the elements equal to the result (the NaNs when it is NaN).
    const nanResult = m !== m;
    let count = 0;
    for (let i = 0; i < v.length; i++) if (nanResult ? v[i] !== v[i] : v[i] === m) count++;
    const gx = new Float32Array(v.length);
    const share = Math.fround(g.data[0]! / count);
    for (let i = 0; i < v.length; i++) if (nanResult ? v[i] !== v[i] : v[i] === m) gx[i] = share;
    return [new Tensor(gx, x.shape)];
  }, [x, out], op === 'median' ? 'MedianBackward0' : 'NanmedianBackward0');
  // Linear in g: the gradient's graph is the mean of the gradient's gradient over the same elements.
  return linearTwice(node, (h) => {
    const nanResult = m !== m;
    const at = maskOf(v, x.shape, (e) => (nanResult ? e !== e : e === m));
    return h.mul(at).sum().div(at.sum());
  });
}

/** The lower median of everything, or `{ values, indices }` along `dim`, as PyTorch's `median` (NaN propagates). */
export function median(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  if (dim === undefined) return medianAll(x, 'median');
  return alongDim(x, dim, keepdim, 'median', 'MedianBackward1', medianPick(false));
}

/** As `median`, over the values that are not NaN (NaN only for a slice of NaNs), as PyTorch's `nanmedian`. */
export function nanmedian(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  if (dim === undefined) return medianAll(x, 'nanmedian');
  return alongDim(x, dim, keepdim, 'nanmedian', 'NanmedianBackward1', medianPick(true));
}

const gtOrNan = (a: number, b: number): boolean => (a !== a && b === b) || a > b;

/** PyTorch's quick_select_template over `vals` (with `ids` swapped alongside), leaving the k-th smallest at k. */
function quickSelect(vals: Float32Array, ids: Int32Array, k: number): void {
  const swap = (i: number, j: number): void => {
    const v = vals[i]!;
    vals[i] = vals[j]!;
    vals[j] = v;
    const t = ids[i]!;
    ids[i] = ids[j]!;
    ids[j] = t;
  };
  let L = 0;
  let R = vals.length - 1;
  for (;;) {
    if (R <= L) return;
    if (R === L + 1) {
      if (gtOrNan(vals[L]!, vals[R]!)) swap(L, R);
      return;
    }
    const P = L + Math.floor((R - L) / 2);
    swap(P, L + 1);
    if (gtOrNan(vals[L + 1]!, vals[R]!)) swap(L + 1, R);
    if (gtOrNan(vals[L]!, vals[R]!)) swap(L, R);
    if (gtOrNan(vals[L + 1]!, vals[L]!)) swap(L + 1, L);
    let i = L + 1;
    let j = R;
    const piv = vals[L]!;
    for (;;) {
      do i++; while (gtOrNan(piv, vals[i]!));
      do j--; while (gtOrNan(vals[j]!, piv));
      if (j < i) break;
      swap(i, j);
    }
    swap(L, j);
    if (j <= k) L = i;
    if (j >= k) R = j - 1;
  }
}

/** The k-th smallest value (k from 1) along `dim` (the last by default) and its index, as PyTorch's `kthvalue`. */
export function kthvalue(x: Tensor, k: number, dim = -1, keepdim = false): ValuesIndices {
  checkTensor(x, 'kthvalue');
  const d = x.ndim === 0 ? 0 : normalizeDim(dim, x.ndim, 'kthvalue');
  const n = x.ndim === 0 ? 1 : x.shape[d]!;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > n) {
    throw new RangeError(`kthvalue: selected number k out of range for dimension ${d} (k = ${describeValue(k)}; it must be an integer from 1 to the dimension's size ${n})`);
  }
  return alongDim(x, dim, keepdim, 'kthvalue', 'KthvalueBackward0', (row) => {
    const vals = row.slice();
    const ids = Int32Array.from(vals.keys());
    quickSelect(vals, ids, k - 1);
    return [vals[k - 1]!, ids[k - 1]!];
  });
}

/** The most frequent value along `dim` (the last by default; the smallest of equally frequent ones) and an index of it, as PyTorch's `mode`. */
export function mode(x: Tensor, dim = -1, keepdim = false): ValuesIndices {
  return alongDim(x, dim, keepdim, 'mode', 'ModeBackward0', (row) => {
    const order = stdSortOrder(row, (a, b) => a < b);
    let best = 0;
    let bestAt = 0;
    let maxFreq = 0;
    let freq = 0;
    for (let i = 0; i < order.length; i++) {
      freq++;
      const cur = row[order[i]!]!;
      if (i === order.length - 1 || cur !== row[order[i + 1]!]) {
        if (freq > maxFreq) {
          best = cur;
          bestAt = order[i]!;
          maxFreq = freq;
        }
        freq = 0;
      }
    }
    return [best, bestAt];
  });
}
