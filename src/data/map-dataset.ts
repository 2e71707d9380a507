// PyTorch's map-style Dataset — anything with a length and `get(i)` (PyTorch's `__len__` and `__getitem__`) — as a
// base class to extend, and ConcatDataset, several datasets end to end.
import { describeValue } from '../options.js';
import { DataError } from './errors.js';
import { exampleIndex } from './example-index.js';

/** What a DataLoader, Subset or ConcatDataset takes: a length and example `i` (PyTorch's `__len__` and `__getitem__`). */
export interface MapDataset<T = unknown> {
  readonly length: number;
  get(index: number): T;
}

/** The type of a dataset's examples. */
export type ItemOf<D> = D extends MapDataset<infer T> ? T : D extends IterableDataset<infer U> ? U : never;

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

/** True for anything a DataLoader can index: a numeric length and a `get` method. */
export function isMapDataset(v: unknown): v is MapDataset {
  return v !== null && typeof v === 'object' && typeof (v as MapDataset).length === 'number' && typeof (v as MapDataset).get === 'function';
}

/**
 * Datasets end to end, as PyTorch's `ConcatDataset(datasets)`: example i of the first, then of the second, …
 * (`cumulativeSizes` gives where each ends; negative indices count from the end).
 */
export class ConcatDataset<T> extends Dataset<T> {
  readonly datasets: readonly MapDataset<T>[];
  readonly cumulativeSizes: readonly number[];

  constructor(datasets: Iterable<MapDataset<T>>) {
    super();
    if (datasets === null || typeof datasets !== 'object' || typeof (datasets as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new DataError(`ConcatDataset: takes an array of datasets, got ${describeValue(datasets)}`);
    }
    const list = [...datasets];
    if (list.length === 0) throw new DataError('ConcatDataset: datasets should not be an empty iterable');
    list.forEach((d, i) => {
      if (!isMapDataset(d)) throw new DataError(`ConcatDataset: dataset ${i} has no length and get(i) (a map-style dataset), got ${describeValue(d)}`);
    });
    let total = 0;
    this.cumulativeSizes = list.map((d) => (total += d.length));
    this.datasets = list;
  }

  get length(): number {
    return this.cumulativeSizes[this.cumulativeSizes.length - 1]!;
  }

  get(index: number): T {
    const i = exampleIndex('ConcatDataset', index, this.length);
    // The first dataset whose end lies past i (PyTorch's bisect_right).
    let d = 0;
    while (this.cumulativeSizes[d]! <= i) d++;
    return this.datasets[d]!.get(d === 0 ? i : i - this.cumulativeSizes[d - 1]!);
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
