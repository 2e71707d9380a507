// PyTorch's TensorDataset: tensors of equal length along dimension 0, example i being row i of each.
import { describeValue } from '../options.js';
import { stack } from '../ops/join.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { DataError } from './errors.js';
import { exampleIndex } from './example-index.js';

/**
 * Tensors that share their first dimension, as PyTorch's `TensorDataset(x, y)`: `length`, `get(i)` (PyTorch's
 * `dataset[i]`, an array of each tensor's row i) and iteration; a `DataLoader` over it gives each batch as an array of
 * the tensors' rows stacked (`for (const [x, y] of loader)`), in PyTorch's order for the same seed.
 *
 * @example
 * const ds = new data.TensorDataset(randn(100, 3), randint(2, [100]));
 * for (const [x, y] of new data.DataLoader(ds, 10, { shuffle: true })) …   // x: [10, 3], y: [10]
 */
export class TensorDataset implements Iterable<Tensor[]> {
  readonly tensors: readonly Tensor[];
  readonly length: number;

  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new DataError('TensorDataset: give at least one tensor, as in new TensorDataset(x, y)');
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new DataError(`TensorDataset: argument ${i + 1} is ${describeValue(t)}, not a Tensor${Array.isArray(t) ? ' (pass the tensors one by one: new TensorDataset(...tensors))' : ''}`);
      if (t.ndim === 0) throw new DataError(`TensorDataset: tensor ${i + 1} is 0-d; each tensor needs a first dimension counting the examples`);
    });
    const length = tensors[0]!.shape[0]!;
    tensors.forEach((t, i) => {
      if (t.shape[0] !== length) {
        throw new DataError(`TensorDataset: size mismatch between tensors: tensor 1 has ${length} examples (shape ${formatShape(tensors[0]!.shape)}), tensor ${i + 1} has ${t.shape[0]} (shape ${formatShape(t.shape)})`);
      }
    });
    // Row-major, so a batch is a copy of rows; a contiguous tensor is shared, not copied, so later writes to it show,
    // as in PyTorch. A tensor of a graph stays in it (PyTorch keeps the tensors as given): its rows and batches too.
    this.tensors = tensors.map((t) => t.contiguous());
    this.length = length;
  }

  /** Example `i` (negative counts from the end, as in Python): row i of each tensor. */
  get(i: number): Tensor[] {
    const k = exampleIndex('TensorDataset', i, this.length);
    return this.tensors.map((t) => t.select(0, k));
  }

  *[Symbol.iterator](): Iterator<Tensor[]> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }

  /**
   * The rows `indices` of each tensor, stacked in that order: a DataLoader's batch. Of a tensor that requires grad,
   * `stack` of its rows, in its graph, as PyTorch's default_collate gives it (grad_fn StackBackward0).
   */
  rows(indices: ArrayLike<number>): Tensor[] {
    return this.tensors.map((t) => {
      if (t.requiresGrad) return stack(Array.from(indices, (i) => t.select(0, i)), 0);
      const size = t.shape.slice(1).reduce((p, d) => p * d, 1);
      const from = t.values();
      const out = new Float32Array(indices.length * size);
      for (let k = 0; k < indices.length; k++) out.set(from.subarray(indices[k]! * size, (indices[k]! + 1) * size), k * size);
      return new Tensor(out, [indices.length, ...t.shape.slice(1)]);
    });
  }
}
