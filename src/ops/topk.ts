// topk, as PyTorch's: the k largest (or smallest) values along a dimension and their indices, the values
// differentiable through gather (the gradient goes back to the places picked).
import { describeValue } from '../options.js';
import { formatShape, normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { gather } from './gather.js';
import { valuesIndices, type ValuesIndices } from './reduce.js';
import { checkTensor } from './util.js';

/**
 * The `k` largest values along `dim` (the last by default), largest first, and their indices (whole numbers as
 * float32), as `torch.topk`: `const [values, indices] = x.topk(3)`; `largest = false` gives the smallest, smallest
 * first. A NaN counts as larger than any number, as in PyTorch; equal values come in the order of their indices.
 * `sorted = false` is accepted and gives them sorted all the same (PyTorch leaves that order unspecified).
 */
export function topk(x: Tensor, k: number, dim = -1, largest = true, sorted = true): ValuesIndices {
  checkTensor(x, 'topk');
  if (typeof dim !== 'number') throw new TypeError(`topk: dim must be a number, got ${describeValue(dim)} (topk(k, dim, largest, sorted), as in PyTorch)`);
  if (typeof largest !== 'boolean' || typeof sorted !== 'boolean') {
    throw new TypeError(`topk: largest and sorted must be booleans, got ${describeValue(largest)} and ${describeValue(sorted)}`);
  }
  // A 0-d tensor has one element along its one implicit dimension, as PyTorch treats it.
  const flat = x.ndim === 0 ? x.reshape([1]) : x;
  const d = normalizeDim(dim, flat.ndim, 'topk');
  const n = flat.shape[d]!;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k > n) {
    throw new RangeError(`topk: k must be a whole number from 0 to ${n} (the size of dimension ${d} of shape ${formatShape(x.shape)}), got ${typeof k === 'number' ? k : describeValue(k)}`);
  }
  const outer = flat.shape.slice(0, d).reduce((p, s) => p * s, 1);
  const inner = flat.shape.slice(d + 1).reduce((p, s) => p * s, 1);
  const v = flat.contiguous().values();
  // Larger first (smaller first when !largest), a NaN counting as the largest, ties by index.
  const before = (a: number, b: number): number => {
    const va = v[a]!;
    const vb = v[b]!;
    const na = Number.isNaN(va);
    const nb = Number.isNaN(vb);
    if (na !== nb) return na === largest ? -1 : 1;
    if (na || va === vb) return a - b;
    return (largest ? vb > va : va > vb) ? 1 : -1;
  };
  const shape = [...flat.shape];
  shape[d] = k;
  const idx = new Float32Array(outer * k * inner);
  const row = new Array<number>(n);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      for (let j = 0; j < n; j++) row[j] = o * n * inner + j * inner + i;
      row.sort(before);
      for (let j = 0; j < k; j++) idx[o * k * inner + j * inner + i] = (row[j]! - o * n * inner - i) / inner;
    }
  }
  const indices = new Tensor(idx, shape);
  const values = gather(flat, d, indices);
  return x.ndim === 0 ? valuesIndices(values.reshape([]), indices.reshape([])) : valuesIndices(values, indices);
}
