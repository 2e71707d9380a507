// PyTorch's Subset and random_split: a dataset seen through a list of its indices, and a dataset cut at random into
// such subsets, drawn as PyTorch 1.13 draws them from the same seed.
import { describeValue, layerArguments, shownValue } from '../options.js';
import { generatorOf, type Generator } from '../random.js';
import { permutation } from '../tensor/integers.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { MnistDataset, type MnistSample } from './dataset.js';
import { DataError } from './errors.js';
import { exampleIndex } from './example-index.js';
import { asMapDataset, wholeLength, type Indexable, type ItemOf, type MapDataset } from './map-dataset.js';
import { numberList } from './number-list.js';
import { TensorDataset } from './tensor-dataset.js';
import { warnOnce } from '../warn.js';

/**
 * The datasets a Subset (and a DataLoader) takes: MNIST, a TensorDataset, any with a length and get(i), or, as
 * PyTorch indexes them, an array or a tensor.
 */
export type BaseDataset = MapDataset | Indexable;

/** What `get(i)` of a dataset gives: an MNIST example, a TensorDataset's rows, or your dataset's examples. */
export type ExampleOf<D> = D extends TensorDataset ? Tensor[] : D extends MnistDataset ? MnistSample : D extends Subset<infer B> ? ExampleOf<B> : ItemOf<D>;

/**
 * The examples `indices` of `dataset`, in that order, as PyTorch's `Subset(dataset, indices)`: `length`, `get(i)`
 * (example `indices[i]` of the dataset) and iteration; a `DataLoader` batches it as it batches the dataset. The
 * indices are an array or a 1-D tensor (`randperm(n)`). A subset of a subset keeps the subset as its `dataset` and
 * its indices as given (positions in that subset), as PyTorch's does.
 *
 * @example
 * const firstThousand = new data.Subset(new data.MnistDataset(train), Array.from({ length: 1000 }, (_, i) => i));
 */
export class Subset<D extends BaseDataset = MnistDataset> implements Iterable<ExampleOf<D>>, MapDataset<ExampleOf<D>> {
  readonly dataset: D;
  /** Indices into `dataset`. */
  readonly indices: Int32Array;
  readonly length: number;

  private readonly source: MapDataset;

  constructor(dataset: D, indices: ArrayLike<number> | Tensor) {
    const source = asMapDataset(dataset);
    if (source === undefined) {
      throw new DataError(`Subset: takes a dataset (an MnistDataset, a TensorDataset, a Subset, one with a length and get(i), an array or a tensor), got ${describeValue(dataset)}`);
    }
    const list = numberList('Subset', 'indices', indices, 'new Subset(dataset, [0, 5, 9])');
    const n = wholeLength('Subset', source.length);
    const own = new Int32Array(list.length);
    for (let k = 0; k < list.length; k++) {
      const i = list[k];
      if (typeof i !== 'number' || !Number.isInteger(i)) {
        throw new DataError(`Subset: index ${shownValue(i)} (item ${k} of the indices) is not a whole number; indices pick examples 0 to ${n - 1} (or negative from the end)`);
      }
      if (i < -n || i >= n) {
        throw new DataError(`Subset: index ${shownValue(i)} (item ${k} of the indices) is out of range for a dataset of ${n} examples (0 to ${n - 1}, or negative from the end)`);
      }
      own[k] = i < 0 ? i + n : i;
    }
    this.dataset = dataset;
    this.source = source;
    this.indices = own;
    this.length = own.length;
  }

  /** Example `i` of the subset (negative counts from the end): example `indices[i]` of the dataset. */
  get(i: number): ExampleOf<D> {
    return this.source.get(this.indices[exampleIndex('Subset', i, this.length)]!) as ExampleOf<D>;
  }

  *[Symbol.iterator](): Iterator<ExampleOf<D>> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }
}

/**
 * Cuts `dataset` into non-overlapping subsets of the given lengths at random, as PyTorch 1.13's `random_split`: the
 * lengths add up to the dataset's length, or are fractions adding up to 1 (each gets floor(fraction × length), and
 * what is left goes one by one to the first subsets). The examples are a `randperm` of the whole dataset from
 * `generator` (default: the global one), cut in order, so the same seed gives PyTorch's subsets. Each is a Subset of
 * `dataset` itself (of a Subset too, its indices positions in it). The lengths may be a 1-D tensor, as PyTorch
 * takes one: its float32 values are summed and scaled in float32, as PyTorch's arithmetic on them is. The generator
 * comes by position or, as PyTorch's keyword (`random_split(ds, lengths, generator=g)`), as `{ generator }`.
 *
 * @example
 * const [train, valid] = data.randomSplit(new data.MnistDataset(split), [50_000, 10_000], new Generator(42));
 * const [a, b] = data.randomSplit(ds, [0.8, 0.2], { generator: new Generator(42) });
 */
export function randomSplit<D extends BaseDataset>(dataset: D, lengths: readonly number[] | Tensor, generator?: Generator | null | { readonly generator?: Generator | null }): Subset<D>[];
export function randomSplit<D extends BaseDataset>(dataset: D, lengths: readonly number[] | Tensor, ...rest: unknown[]): Subset<D>[] {
  const args = layerArguments('randomSplit', rest, ['generator'], 'randomSplit(dataset, lengths, generator) or (dataset, lengths, { generator })');
  const generator = args['generator'];
  const source = asMapDataset(dataset);
  if (source === undefined) {
    throw new DataError(`randomSplit: takes a dataset (an MnistDataset, a TensorDataset, a Subset, one with a length and get(i), an array or a tensor), got ${describeValue(dataset)}`);
  }
  const f32 = lengths instanceof Tensor;
  if (f32 && lengths.ndim !== 1) throw new DataError(`randomSplit: lengths must be an array or a 1-D tensor of counts or fractions, got a tensor of shape ${formatShape(lengths.shape)}`);
  if (!f32 && !Array.isArray(lengths)) {
    throw new DataError(`randomSplit: lengths must be an array of counts or fractions, as in randomSplit(ds, [800, 200]) or [0.8, 0.2], got ${describeValue(lengths)}`);
  }
  const list: readonly number[] = f32 ? Array.from(lengths.values()) : lengths;
  list.forEach((l, i) => {
    if (typeof l !== 'number' || !Number.isFinite(l)) throw new DataError(`randomSplit: length at index ${i} is ${shownValue(l)}, not a count or a fraction`);
  });
  const n = wholeLength('randomSplit', source.length);
  const sizes = splitSizes(list, n, f32 ? Math.fround : (x) => x);
  const order = permutation(generatorOf('randomSplit', generator), new Int32Array(n));
  let offset = 0;
  return sizes.map((size) => {
    const part = new Subset<D>(dataset, order.subarray(offset, offset + size));
    offset += size;
    return part;
  });
}

/**
 * The subsets' sizes: counts that add up to `n`, or fractions that add up to 1 (PyTorch's rounding). As PyTorch's
 * `math.isclose(sum, 1) and sum <= 1`, fractions whose float sum lands just above 1 ([0.34, 0.56, 0.1]) are refused.
 * `round` rounds each sum and product as PyTorch's arithmetic does: float32 for a tensor's lengths.
 */
function splitSizes(lengths: readonly number[], n: number, round: (x: number) => number): number[] {
  const total = lengths.reduce((a, b) => round(a + b), 0);
  if (total <= 1 && 1 - total <= 1e-9) {
    lengths.forEach((f, i) => {
      if (f < 0 || f > 1) throw new DataError(`randomSplit: Fraction at index ${i} is not between 0 and 1 (it is ${f}; fractions add up to 1, counts to the dataset's length)`);
    });
    const sizes = lengths.map((f) => Math.floor(round(n * f)));
    const left = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < left; i++) sizes[i % sizes.length]!++;
    sizes.forEach((size, i) => {
      if (size === 0) warnOnce(`randomSplit: Length of split at index ${i} is 0. This might result in an empty dataset.`);
    });
    return sizes;
  }
  lengths.forEach((l, i) => {
    if (l < 0) throw new DataError(`randomSplit: length at index ${i} is ${l}: a split cannot have fewer than 0 examples`);
  });
  if (lengths.length === 0 && n > 0) {
    throw new DataError(`randomSplit: no lengths given: the lengths must add up to the dataset's length (${n}) or be fractions adding up to 1, as in randomSplit(ds, [0.8, 0.2])`);
  }
  if (!lengths.every((l) => Number.isInteger(l))) {
    throw new DataError(`randomSplit: the lengths ${JSON.stringify(lengths)} are neither whole counts nor fractions adding up to 1`);
  }
  if (total !== n) {
    throw new DataError(`randomSplit: the lengths ${JSON.stringify(lengths)} add up to ${total}, but the dataset has ${n} examples; give counts that add up to ${n}, or fractions that add up to 1`);
  }
  return [...lengths];
}
