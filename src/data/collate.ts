// PyTorch's default_collate: a batch (a list of examples) made into tensors by the examples' structure — tensors
// stacked, numbers into a tensor, arrays (tuples) and objects (dicts) element by element, strings left as a list.
import { describeValue } from '../options.js';
import { stack } from '../ops/join.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { DataError } from './errors.js';

/** What `defaultCollate` makes of examples of type T: each tensor gains a batch dimension, each number becomes one. */
export type Collated<T> =
  T extends Tensor ? Tensor :
  T extends number | boolean ? Tensor :
  T extends string ? string[] :
  T extends readonly unknown[] ? { [K in keyof T]: Collated<T[K]> } :
  T extends object ? { [K in keyof T]: Collated<T[K]> } :
  never;

/**
 * Examples stacked into a batch, as PyTorch's `default_collate`, which goes by the first example's type: tensors of
 * one shape stacked along a new first dimension; numbers (and booleans, as 1/0, and after a first number or boolean
 * one-element tensors too) into a tensor of shape [B] (float32: PyTorch makes float64 or int64 ones); arrays of one length element by element (`[x, y]` examples give `[X, Y]`); plain objects key by key (the
 * first example's keys); strings kept as an array.
 *
 * @throws DataError for tensors of different shapes, arrays of different lengths, objects without a key the first
 *   has, and anything else (null, a function, a class instance that is not a tensor), naming the path into the example.
 * @example defaultCollate([[tensor([1, 2]), 0], [tensor([3, 4]), 1]]) // [tensor [2, 2], tensor([0, 1])]
 */
export function defaultCollate<T>(batch: readonly T[]): Collated<T> {
  if (!Array.isArray(batch) || batch.length === 0) throw new DataError(`defaultCollate: takes a non-empty array of examples, got ${describeValue(batch)}`);
  return collate(batch, 'the examples') as Collated<T>;
}

function collate(items: readonly unknown[], path: string): unknown {
  const first = items[0];
  if (first instanceof Tensor) {
    items.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new DataError(`defaultCollate: ${path}: example 0 has a tensor, example ${i} ${describeValue(t)}`);
      if (t.shape.length !== first.shape.length || t.shape.some((d, k) => d !== first.shape[k])) {
        throw new DataError(`defaultCollate: ${path}: stack expects each tensor to be equal size, but got ${formatShape(first.shape)} at entry 0 and ${formatShape(t.shape)} at entry ${i}`);
      }
    });
    // As PyTorch's torch.stack: in the examples' graph when they are in one.
    return stack(items as Tensor[], 0);
  }
  if (typeof first === 'number' || typeof first === 'boolean') {
    // PyTorch decides by the first example alone: a number (a bool is an int) makes torch.tensor(batch), which takes
    // numbers, booleans and one-element tensors mixed ([true, 2] → [1, 2], [1, tensor(2)] → [1, 2]).
    const values = items.map((v, i) => {
      if (typeof v === 'number' || typeof v === 'boolean') return Number(v);
      if (v instanceof Tensor && v.numel() === 1) return v.item();
      const what = v instanceof Tensor ? `a tensor of shape ${formatShape(v.shape)} (only one-element tensors become numbers)` : describeValue(v);
      throw new DataError(`defaultCollate: ${path}: example 0 has a ${typeof first}, example ${i} ${what}`);
    });
    return new Tensor(Float32Array.from(values), [values.length]);
  }
  if (typeof first === 'string') {
    items.forEach((v, i) => {
      if (typeof v !== 'string') throw new DataError(`defaultCollate: ${path}: example 0 has a string, example ${i} ${describeValue(v)}`);
    });
    return [...items];
  }
  if (Array.isArray(first)) {
    items.forEach((v, i) => {
      if (!Array.isArray(v) || v.length !== first.length) {
        throw new DataError(`defaultCollate: ${path}: each element in list of batch should be of equal size (example 0 has ${first.length} elements, example ${i} ${Array.isArray(v) ? v.length : describeValue(v)})`);
      }
    });
    return first.map((_, k) => collate(items.map((v) => (v as unknown[])[k]), `${path}[${k}]`));
  }
  if (first !== null && typeof first === 'object' && Object.getPrototypeOf(first) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) {
      out[key] = collate(items.map((v, i) => {
        if (v === null || typeof v !== 'object' || !(key in v)) throw new DataError(`defaultCollate: ${path}: example ${i} has no '${key}', which example 0 has`);
        return (v as Record<string, unknown>)[key];
      }), `${path}.${key}`);
    }
    return out;
  }
  throw new DataError(`defaultCollate: ${path}: batch must contain tensors, numbers, booleans, strings, arrays or plain objects; found ${describeValue(first)}`);
}
