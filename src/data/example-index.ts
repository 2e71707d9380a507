import { describeValue, shownValue } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { DataError } from './errors.js';

/**
 * Example `i` of a dataset of `length`, negative counting from the end as in Python (`get(-1)` is the last), or a
 * DataError naming `what` and the range.
 */
export function exampleIndex(what: string, i: number, length: number): number {
  // PyTorch: "list indices must be integers or slices, not float" (not an index out of range).
  if (!Number.isInteger(i)) {
    throw new DataError(`${what}: index ${shownValue(i)} is not a whole number; examples are 0 to ${length - 1} (or negative from the end)`);
  }
  if (i < -length || i >= length) {
    throw new DataError(`${what}: index ${shownValue(i)} is out of range for ${length} examples (0 to ${length - 1}, or negative from the end)`);
  }
  return i < 0 ? i + length : i;
}

/**
 * The indices of batch `position` (counting from 0) that a loader's batch sampler gave, as a plain array: PyTorch
 * iterates whatever it gets, so an array, a typed array (Kindling's own `Subset.indices`, `batch.indices`,
 * `loader.order()` are Int32Arrays), a 1-D tensor, a Set or a generator all do. A plain array is made so that the
 * examples fetched through it are not turned into int32 by a typed array's `map`. A one-element tensor among them (a
 * tensor sampler's items are 0-d tensors) is its number, as PyTorch indexes with `tensor(9)`. Anything else — a
 * number (PyTorch: 'int' object is not iterable), a string, a 0-d or 2-D tensor — is refused naming the batch.
 */
export function batchIndices(batch: unknown, position: number): unknown[] {
  const refuse = (what: string, torch = ''): DataError =>
    new DataError(`DataLoader: batch ${position} (counting from 0) from the batchSampler is ${what}, not an iterable of indices (an array, a typed array, a 1-D tensor, a Set, …)${torch}`);
  if (batch instanceof Tensor) {
    if (batch.ndim !== 1) throw refuse(`a tensor of shape ${formatShape(batch.shape)}`);
    return Array.from(batch.values());
  }
  if (batch === null || typeof batch !== 'object' || typeof (batch as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw refuse(describeValue(batch), typeof batch === 'number' ? '; PyTorch: \'int\' object is not iterable' : '');
  }
  return Array.from(batch as Iterable<unknown>, (i) => (i instanceof Tensor && i.numel() === 1 ? i.item() : i));
}
