// PyTorch's map-style Dataset — anything with a length and `get(i)` (PyTorch's `__len__` and `__getitem__`) — as a
// base class to extend, and ConcatDataset, several datasets end to end.
import { describeValue, shownValue } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { DataError } from './errors.js';
import { exampleIndex } from './example-index.js';

/** What a DataLoader, Subset or ConcatDataset takes: a length and example `i` (PyTorch's `__len__` and `__getitem__`). */
export interface MapDataset<T = unknown> {
  readonly length: number;
  get(index: number): T;
}

/**
 * What PyTorch indexes as a dataset besides these: anything with `__len__` and `__getitem__`, which in JavaScript
 * means an array (example i is its item i) or a tensor (example i is its row i, `t[i]`).
 */
export type Indexable = readonly unknown[] | Tensor;

/** The type of a dataset's examples. */
export type ItemOf<D> = D extends Tensor ? Tensor : D extends readonly (infer E)[] ? E : D extends MapDataset<infer T> ? T : D extends IterableDataset<infer U> ? U : never;

/**
 * A dataset of your own, as PyTorch's `torch.utils.data.Dataset`: give it `length` and `get(i)` (PyTorch's `__len__`
 * and `__getitem__`); iteration and `concat` come with it, and a DataLoader batches it with `defaultCollate` (or
 * your `collateFn`).
 *
 * @example
 * class Squares extends data.Dataset<[Tensor, number]> {
 *   get length() { return 100; }
 *   get(i: number): [Tensor, number] { return [tensor([i]), i * i]; }
 * }
 * for (const [x, y] of new data.DataLoader(new Squares(), 10, { shuffle: true })) …   // x: [10, 1], y: [10]
 */
export abstract class Dataset<T> implements MapDataset<T>, Iterable<T> {
  abstract readonly length: number;
  abstract get(index: number): T;

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }

  /** This dataset followed by `other`, as PyTorch's `dataset + other`. */
  concat<U>(other: MapDataset<U>): ConcatDataset<T | U> {
    return new ConcatDataset<T | U>([this, other]);
  }
}

/**
 * A dataset's `length` checked as Python's `len()` checks `__len__`: a whole number, 0 or more (PyTorch: TypeError
 * for 2.5, ValueError "__len__() should return >= 0" for -1), else a DataError naming `what` and the length.
 */
export function wholeLength(what: string, length: number): number {
  if (!Number.isInteger(length) || length < 0) {
    throw new DataError(`${what}: the dataset's length must be a whole number of examples, 0 or more (PyTorch: __len__() should return an integer >= 0), got ${shownValue(length)}`);
  }
  return length;
}

/** True for anything a DataLoader can index: a numeric length and a `get` method. */
export function isMapDataset(v: unknown): v is MapDataset {
  return v !== null && typeof v === 'object' && typeof (v as MapDataset).length === 'number' && typeof (v as MapDataset).get === 'function';
}

/**
 * `v` as a map-style dataset: itself when it has a length and `get(i)`; an array or a tensor (of at least one
 * dimension) seen as one, as PyTorch indexes them (`ds[i]`, `len(ds)`); undefined for anything else.
 */
export function asMapDataset(v: unknown): MapDataset | undefined {
  if (isMapDataset(v)) return v;
  if (Array.isArray(v)) return new ArrayDataset(v);
  if (v instanceof Tensor && v.ndim > 0) return new TensorRows(v);
  return undefined;
}

/** An array as a dataset: example i is item i (negative from the end). */
class ArrayDataset implements MapDataset {
  constructor(private readonly items: readonly unknown[]) {}
  get length(): number { return this.items.length; }
  get(i: number): unknown { return this.items[exampleIndex('dataset', i, this.items.length)]; }
}

/** A tensor as a dataset: example i is row i, a view (PyTorch's `t[i]`, in its graph if `t` is). */
class TensorRows implements MapDataset<Tensor> {
  constructor(private readonly t: Tensor) {}
  get length(): number { return this.t.shape[0]!; }
  get(i: number): Tensor { return this.t.select(0, exampleIndex('dataset', i, this.t.shape[0]!)); }
}

/**
 * Datasets end to end, as PyTorch's `ConcatDataset(datasets)`: example i of the first, then of the second, …
 * (`cumulativeSizes` gives where each ends; negative indices count from the end).
 */
export class ConcatDataset<T> extends Dataset<T> {
  /** The datasets as given (arrays and tensors too). */
  readonly datasets: readonly (MapDataset<T> | Indexable)[];
  readonly cumulativeSizes: readonly number[];
  private readonly mapped: readonly MapDataset<T>[];

  constructor(datasets: Iterable<MapDataset<T> | Indexable>) {
    super();
    if (datasets === null || typeof datasets !== 'object' || typeof (datasets as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new DataError(`ConcatDataset: takes an array of datasets, got ${describeValue(datasets)}`);
    }
    const list = [...datasets];
    if (list.length === 0) throw new DataError('ConcatDataset: datasets should not be an empty iterable');
    const mapped = list.map((d, i) => {
      const m = asMapDataset(d);
      if (m === undefined) throw new DataError(`ConcatDataset: dataset ${i} has no length and get(i) (a map-style dataset, an array or a tensor), got ${describeValue(d)}`);
      wholeLength(`ConcatDataset: dataset ${i}`, m.length);
      return m as MapDataset<T>;
    });
    let total = 0;
    this.cumulativeSizes = mapped.map((d) => (total += d.length));
    this.datasets = list;
    this.mapped = mapped;
  }

  get length(): number {
    return this.cumulativeSizes[this.cumulativeSizes.length - 1]!;
  }

  get(index: number): T {
    const [d, i] = this.locate(exampleIndex('ConcatDataset', index, this.length));
    return this.mapped[d]!.get(i);
  }

  /** Example `i` (0 ≤ i < length) as [which dataset, its index there]: the first dataset whose end lies past i (PyTorch's bisect_right). */
  locate(i: number): [number, number] {
    let d = 0;
    while (this.cumulativeSizes[d]! <= i) d++;
    return [d, d === 0 ? i : i - this.cumulativeSizes[d - 1]!];
  }
}

/**
 * A dataset read as a stream, as PyTorch's `IterableDataset`: give it `[Symbol.iterator]` (PyTorch's `__iter__`),
 * and a `length` if it knows one. A DataLoader batches its examples in the order they come (no shuffle, no sampler,
 * as PyTorch refuses them for such a dataset).
 *
 * @example
 * class Counter extends data.IterableDataset<number> { *[Symbol.iterator]() { for (let i = 0; i < 5; i++) yield i; } }
 */
export abstract class IterableDataset<T> implements Iterable<T> {
  abstract [Symbol.iterator](): Iterator<T>;
}

/** Iterable datasets one after the other, as PyTorch's `ChainDataset(datasets)`. */
export class ChainDataset<T> extends IterableDataset<T> {
  readonly datasets: readonly Iterable<T>[];

  constructor(datasets: Iterable<Iterable<T>>) {
    super();
    if (datasets === null || typeof datasets !== 'object' || typeof (datasets as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new DataError(`ChainDataset: takes an array of iterable datasets, got ${describeValue(datasets)}`);
    }
    this.datasets = [...datasets];
    this.datasets.forEach((d, i) => {
      if (!(d instanceof IterableDataset)) throw new DataError(`ChainDataset: dataset ${i} is not an IterableDataset (ChainDataset only supports IterableDataset, as PyTorch's), got ${describeValue(d)}`);
    });
  }

  *[Symbol.iterator](): Iterator<T> {
    for (const d of this.datasets) yield* d;
  }

  /** The sum of the datasets' lengths, when each has one. */
  get length(): number {
    return this.datasets.reduce((n, d, i) => {
      const l = (d as { length?: unknown }).length;
      if (typeof l !== 'number') throw new DataError(`ChainDataset: dataset ${i} has no length`);
      return n + l;
    }, 0);
  }
}
