import { checkOptions, describeValue, shownValue, leadingOption } from '../options.js';
import { Generator, getDefaultGenerator } from '../random.js';
import { transientFloat32 } from '../kernels/transient.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { MnistDataset, NUM_CLASSES, type MnistSample } from './dataset.js';
import { DataError } from './errors.js';
import { Subset } from './subset.js';
import { batchIndices, exampleIndex } from './example-index.js';
import { TensorDataset } from './tensor-dataset.js';
import { permutation } from '../tensor/integers.js';
import { defaultCollate, type Collated } from './collate.js';
import { checkWorkerOptions, flagOption, WORKER_OPTIONS, type LoaderWorkerOptions } from './loader-options.js';
import { asMapDataset, ConcatDataset, IterableDataset, wholeLength, type Indexable, type ItemOf, type MapDataset } from './map-dataset.js';
import { BatchSampler, RandomSampler, samplerLength, SequentialSampler, type BatchSamplerLike, type Sampler } from './samplers.js';

export interface DataLoaderOptions extends LoaderWorkerOptions {
  /** Examples per batch (default 1, the chapter's one-image-per-step training). */
  readonly batchSize?: number;
  /** Visit the examples in a new seeded random order each epoch (default false: file order). */
  readonly shuffle?: boolean;
  /** Leave out the last batch when it is smaller than `batchSize` (default false). */
  readonly dropLast?: boolean;
  /** The generator that draws the shuffles; defaults to the global one (`manualSeed` seeds it), as in PyTorch. */
  readonly generator?: Generator;
  /**
   * The order of the examples instead of `shuffle` (a `RandomSampler`, `WeightedRandomSampler`, … or any iterable of
   * indices, a 1-D tensor too, as PyTorch iterates any; `loader.length` then needs its `length`).
   */
  readonly sampler?: Sampler | Tensor;
  /**
   * Whole batches of indices instead of `batchSize`, `shuffle`, `sampler` and `dropLast` (a `BatchSampler`, or any
   * iterable of batches, each an array, typed array, 1-D tensor or other iterable of indices, as PyTorch iterates them).
   */
  readonly batchSampler?: BatchSamplerLike;
  /** Makes a batch of the examples `get(i)` gave (default `defaultCollate`; for MNIST and TensorDataset their own batches). */
  readonly collateFn?: (examples: never[]) => unknown;
}

const LOADER_OPTIONS = ['batchSize', 'shuffle', 'dropLast', 'generator', 'sampler', 'batchSampler', 'collateFn', ...WORKER_OPTIONS] as const;

/** Advice for PyTorch's options that Kindling spells differently. */
const LOADER_HINTS = {
  seed: 'a shuffle is seeded through its generator, e.g. { shuffle: true, generator: new Generator(42) }, or by manualSeed(42)',
};

/**
 * One batch: `B` examples stacked. It also unpacks as `[x, y]`, as PyTorch's batches do:
 * `for (const [x, y] of loader) …`.
 */
export interface Batch extends Iterable<Tensor> {
  /** Shape [B, 784]: pixels / 255. */
  readonly x: Tensor;
  /** Shape [B, 10]: one-hot targets. */
  readonly y: Tensor;
  /**
   * Shape [B]: the labels, as class indices (float32, Kindling's one dtype), so PyTorch's idioms work on them:
   * `out.argmax(1).eq(labels).sum()`, `F.crossEntropyLoss(out, labels)`.
   */
  readonly labels: Tensor;
  /** The B dataset indices the batch was made from (file positions). */
  readonly indices: Int32Array;
}

/**
 * Batches a dataset, like PyTorch's `DataLoader`: `for (const { x, y, labels } of loader) …` (or `[x, y]`). Each iteration is
 * one epoch; with `shuffle`, every epoch draws a fresh permutation (Fisher–Yates with `generator.randint`), so a
 * run is repeatable from its seed. With batch size 1 and no shuffle the order is the file's.
 *
 * Every batch gets new arrays: a tensor the consumer received never changes afterwards, even if it keeps it
 * (for a plot, an autograd graph, a worker). Reusing buffers would save little and would make that unsafe; small
 * batches are carved from shared blocks instead (see kernels/transient.ts), which makes them cheap to make.
 *
 * The batch size can also come second, as in PyTorch: `new DataLoader(dataset, 32, { shuffle: true })`. Besides
 * datasets, an array or a tensor is batched as PyTorch batches them (example i its item or row i, made into batches
 * by `defaultCollate`). As PyTorch's, `sampler`, `batchSampler`, `batchSize` (null with a batchSampler), `dropLast`
 * and `generator` say what the loader was given or made; the worker options (`numWorkers`, `pinMemory`, …) are
 * checked as PyTorch checks them and change nothing.
 *
 * @example
 * const gen = new Generator(1);
 * const loader = new DataLoader(new MnistDataset(train), { batchSize: 32, shuffle: true, generator: gen });
 * for (const { x, y } of loader) {
 *   // x: [32, 784], y: [32, 10]
 * }
 */
/**
 * What a DataLoader over `D` gives: a `Batch` for MNIST (and for a `ConcatDataset` of MNIST datasets, as PyTorch's
 * loader over a ConcatDataset gives its parts' batches), an array of the tensors' rows for a `TensorDataset`, and for
 * a `Subset` what its dataset's loader gives.
 */
export type BatchOf<D> = D extends Subset<infer B> ? BatchOf<B> : D extends TensorDataset ? Tensor[] : D extends MnistDataset ? Batch : D extends ConcatDataset<MnistSample> ? Batch : Collated<ItemOf<D>>;

export class DataLoader<D extends MapDataset | IterableDataset<unknown> | Indexable = MnistDataset> implements Iterable<BatchOf<D>> {
  readonly dataset: D;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly #size: number;
  readonly #batchSizeShown: number | null;
  readonly #generator: Generator | undefined;
  readonly #sampler: Sampler | Tensor | undefined;
  readonly #batchSampler: BatchSamplerLike | undefined;
  /** Whether a sampler or batch sampler was given (else the loader draws as its own would, faster). */
  readonly #custom: boolean;
  readonly #collateFn: ((examples: never[]) => unknown) | undefined;
  /** The dataset as `length` and `get(i)` (an array's or a tensor's adapter); undefined for an IterableDataset. */
  readonly #source: MapDataset | undefined;

  constructor(dataset: D, options?: DataLoaderOptions);
  constructor(dataset: D, batchSize: number, options?: Omit<DataLoaderOptions, 'batchSize'>);
  constructor(dataset: D, sizeOrOptions?: number | DataLoaderOptions, more?: Omit<DataLoaderOptions, 'batchSize'>) {
    const noBatching = (): DataError =>
      new DataError('DataLoader: batchSize null (PyTorch\'s batch_size=None, which turns batching off) is not supported: take single examples with dataset.get(i), or give a batch size (default 1)');
    // DataLoader(ds, None) in PyTorch, by position.
    if (sizeOrOptions === null) throw noBatching();
    const given = leadingOption<DataLoaderOptions>('DataLoader', 'batchSize', sizeOrOptions, more, 'new DataLoader(dataset, 32, { shuffle: true })');
    const options = checkOptions('DataLoader', given, LOADER_OPTIONS, LOADER_HINTS);
    checkWorkerOptions(options);
    if (options.batchSize === null) throw noBatching();
    const batchSize = options.batchSize ?? 1;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new DataError(`DataLoader: batchSize must be a positive integer, got ${shownValue(batchSize)}`);
    }
    // PyTorch's BatchSampler refuses a drop_last that is not a bool; shuffle is refused likewise rather than taken
    // for its truth (PyTorch's bool(shuffle)), which would shuffle for 'no'.
    const shuffle = flagOption('shuffle', options.shuffle, false);
    // PyTorch takes shuffle=None for False, but its BatchSampler refuses drop_last=None (a batchSampler given leaves
    // drop_last unused, None too).
    if (options.dropLast === null && (options.batchSampler ?? undefined) === undefined) {
      throw new DataError('DataLoader: drop_last should be a boolean value, but got drop_last=null (PyTorch refuses None too; leave dropLast out for false)');
    }
    const dropLast = flagOption('drop_last', options.dropLast, false);
    const iterable = dataset instanceof IterableDataset;
    if (iterable) {
      for (const [given, name] of [[options.shuffle, 'shuffle'], [options.sampler, 'sampler'], [options.batchSampler, 'batch_sampler']] as const) {
        if (given !== undefined && given !== null && given !== false) throw new DataError(`DataLoader with IterableDataset: expected unspecified ${name} option, but got ${name}=${describeValue(given)}`);
      }
    }
    const source = iterable ? undefined : asMapDataset(dataset);
    if (!iterable && source === undefined) {
      throw new DataError(
        `DataLoader: batches a dataset — an MnistDataset, a TensorDataset, a Subset, one of your own with a length and get(i) (extend data.Dataset), an array or a tensor — got ${describeValue(dataset)}`,
      );
    }
    if (source !== undefined) wholeLength('DataLoader', source.length);
    const sampler = options.sampler ?? undefined;
    const batchSampler = options.batchSampler ?? undefined;
    const collateFn = options.collateFn ?? undefined;
    if (sampler !== undefined && !isIterable(sampler)) throw new DataError(`DataLoader: sampler must be an iterable of indices (a RandomSampler, an array, …), got ${describeValue(sampler)}`);
    if (sampler instanceof Tensor && sampler.ndim !== 1) throw new DataError(`DataLoader: sampler must be an iterable of indices; a tensor of them is 1-D, got one of shape ${formatShape(sampler.shape)}`);
    if (batchSampler instanceof Tensor && batchSampler.ndim !== 2) throw new DataError(`DataLoader: batchSampler must be an iterable of index arrays; a tensor of them is 2-D (a batch a row), got one of shape ${formatShape(batchSampler.shape)}`);
    if (batchSampler !== undefined && !isIterable(batchSampler)) throw new DataError(`DataLoader: batchSampler must be an iterable of index arrays (a BatchSampler, …), got ${describeValue(batchSampler)}`);
    if (collateFn !== undefined && typeof collateFn !== 'function') throw new DataError(`DataLoader: collateFn must be a function of the examples, got ${describeValue(collateFn)}`);
    if (sampler !== undefined && shuffle) throw new DataError('DataLoader: sampler option is mutually exclusive with shuffle');
    if (batchSampler !== undefined && (batchSize !== 1 || shuffle || sampler !== undefined || dropLast)) {
      throw new DataError('DataLoader: batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last');
    }
    if (shuffle && source!.length === 0) {
      throw new DataError('DataLoader: shuffle needs a dataset of at least one example, got an empty one (PyTorch\'s RandomSampler refuses it too: num_samples should be a positive integer value, but got num_samples=0)');
    }
    const generator: unknown = options.generator ?? undefined;
    if (generator !== undefined && !(generator instanceof Generator)) {
      throw new DataError(`DataLoader: generator must be a Generator (new Generator(seed)) or null, got ${describeValue(generator)}`);
    }
    this.dataset = dataset;
    this.#source = source;
    this.#size = batchSize;
    this.#batchSizeShown = batchSampler === undefined ? batchSize : null;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.#generator = generator;
    this.#collateFn = collateFn;
    this.#custom = sampler !== undefined || batchSampler !== undefined;
    // PyTorch's defaults, made now as PyTorch makes them (they draw nothing until iterated); an IterableDataset has
    // none (PyTorch's is an endless placeholder).
    this.#sampler = sampler ?? (source === undefined ? undefined : shuffle ? new RandomSampler(source, generator === undefined ? {} : { generator }) : new SequentialSampler(source));
    this.#batchSampler = batchSampler ?? (this.#sampler === undefined ? undefined : new BatchSampler(this.#sampler, batchSize, dropLast));
  }

  /** Examples per batch; null with a `batchSampler`, as PyTorch's `batch_size` is None then. */
  get batchSize(): number | null {
    return this.#batchSizeShown;
  }

  /** The order of the examples: the sampler given, or the RandomSampler (`shuffle`) or SequentialSampler made, as PyTorch's `loader.sampler`. */
  get sampler(): Sampler | Tensor | undefined { return this.#sampler; }

  /** The batches of indices: the batchSampler given, or a BatchSampler over `sampler`, as PyTorch's `loader.batch_sampler`. */
  get batchSampler(): BatchSamplerLike | undefined { return this.#batchSampler; }

  /** The generator given (undefined: the global one), as PyTorch's `loader.generator`. */
  get generator(): Generator | undefined { return this.#generator; }

  /** Number of batches in one epoch: the batch sampler's length (which needs its sampler's), or an IterableDataset's batches. */
  get length(): number {
    const batches = this.#batchSampler;
    if (batches !== undefined) {
      const inner = batches instanceof BatchSampler ? batches.sampler : batches;
      if (samplerLength(inner) === undefined) throw new DataError(`DataLoader: its ${inner === batches ? 'batchSampler' : 'sampler'} has no length (PyTorch: object has no len()), so neither has the loader; give it a length, or count the batches as they come`);
      return samplerLength(batches)!;
    }
    const known = (this.dataset as { length?: unknown }).length;
    if (typeof known !== 'number') throw new DataError('DataLoader: this IterableDataset has no length (PyTorch: object of type ... has no len()); give it a length, or count the batches as they come');
    wholeLength('DataLoader', known);
    return this.dropLast ? Math.floor(known / this.#size) : Math.ceil(known / this.#size);
  }

  /**
   * The order of one epoch, 0 … n−1 or a permutation, drawn now as PyTorch 1.13's DataLoader draws it, so that the
   * same seed gives PyTorch's order and leaves the generators where PyTorch's are:
   * - every epoch, shuffled or not, its iterator draws a 64-bit base seed (for worker processes) from the loader's
   *   generator, or the default one: two 32-bit outputs;
   * - a shuffle is `randperm` (for i < n − 1, swap i with i + random() mod (n − i)) from the loader's generator, or,
   *   without one, from a fresh generator seeded with a 64-bit value drawn from the default one (mt19937 takes its low
   *   32 bits, the second output);
   * - once the epoch's last batch has been taken, PyTorch's sampler draws one more permutation (for the remainder of
   *   `num_samples`, none here) before it ends: `[Symbol.iterator]` draws it then from the loader's generator.
   */
  order(): Int32Array {
    this.drawBaseSeed();
    return this.drawOrder();
  }

  /** The iterator's 64-bit base seed: two outputs of the loader's generator, or the default one. */
  private drawBaseSeed(): void {
    const gen = this.#generator ?? getDefaultGenerator();
    gen.nextUint32();
    gen.nextUint32();
  }

  /** The epoch's order without the base seed (see `order`): what the sampler draws when the first batch is asked for. */
  private drawOrder(): Int32Array {
    const n = this.mapped().length;
    const gen = this.#generator ?? getDefaultGenerator();
    if (!this.shuffle) return Int32Array.from({ length: n }, (_, i) => i);
    let perm = gen;
    if (this.#generator === undefined) {
      gen.nextUint32();
      perm = new Generator(gen.nextUint32());
    }
    return permutation(perm, new Int32Array(n));
  }

  /**
   * One epoch, as PyTorch's `iter(loader)`: making the iterator draws what PyTorch's does when it is made (the
   * batch sampler's iterator is asked for, then the base seed drawn, then an IterableDataset's iterator asked for);
   * the rest (a shuffle's seed and permutation, the samplers' draws) is drawn as the batches are asked for, at
   * PyTorch's moments. So two loaders' iterators made before either is read draw as PyTorch's do (`zip(A, B)`).
   */
  [Symbol.iterator](): Iterator<BatchOf<D>> {
    if (this.dataset instanceof IterableDataset) {
      this.drawBaseSeed();
      return this.streamed(this.dataset[Symbol.iterator]());
    }
    if (!this.#custom && this.#collateFn === undefined && rootOf(this.mapped()) !== undefined) {
      this.drawBaseSeed();
      return this.ownEpoch();
    }
    const batches = this.#batchSampler![Symbol.iterator]();
    this.drawBaseSeed();
    return this.sampled(batches);
  }

  /** An epoch of MNIST or a TensorDataset (or nested Subsets of one) without samplers: their own batches, drawn as PyTorch's. */
  private *ownEpoch(): IterableIterator<BatchOf<D>> {
    const drawn = this.drawOrder();
    const batches = this.length;
    // A Subset's positions are turned into its root dataset's indices, and that dataset batched.
    const root = rootOf(this.mapped())!;
    const order = root === this.mapped() ? drawn : Int32Array.from(drawn, (i) => rootIndex(this.mapped(), i));
    const ds = root;
    // PyTorch's BatchSampler asks its sampler for the next index before it yields a short last batch, so the sampler's
    // last draws come before that batch's loop body; after a full one (or with dropLast) they come once the loop asks
    // for the next batch.
    const tailFirst = !this.dropLast && order.length % this.#size !== 0;
    if (ds instanceof TensorDataset) {
      for (let b = 0; b < batches; b++) {
        const start = b * this.#size;
        const rows = ds.rows(order.subarray(start, Math.min(start + this.#size, order.length)));
        if (tailFirst && b === batches - 1) this.drawSamplerTail();
        yield rows as BatchOf<D>;
      }
      if (!tailFirst) this.drawSamplerTail();
      return;
    }
    for (let b = 0; b < batches; b++) {
      const start = b * this.#size;
      // A view: the epoch's order is never written after it is drawn.
      const batch = mnistBatch(ds, order.subarray(start, Math.min(start + this.#size, order.length)));
      if (tailFirst && b === batches - 1) this.drawSamplerTail();
      yield batch as BatchOf<D>;
    }
    if (!tailFirst) this.drawSamplerTail();
  }

  /**
   * An epoch through the samplers, as PyTorch's loader iterates: the batches of indices the batch sampler gives
   * (PyTorch's BatchSampler over the sampler, or `shuffle`'s RandomSampler, or the examples in order), each made
   * into a batch by `collateFn`, the built-in datasets' own batches, or `defaultCollate`.
   */
  private *sampled(batches: Iterator<unknown>): IterableIterator<BatchOf<D>> {
    let position = 0;
    for (const batch of { [Symbol.iterator]: () => batches }) yield this.batchOf(batchIndices(batch, position++), position - 1);
  }

  /** An iterable dataset's examples in batches as they come (the last one shorter unless dropLast). */
  private *streamed(examples: Iterator<unknown>): IterableIterator<BatchOf<D>> {
    const collate = (items: unknown[]): BatchOf<D> => (this.#collateFn !== undefined ? this.#collateFn(items as never[]) : defaultCollate(items)) as BatchOf<D>;
    let items: unknown[] = [];
    for (const item of { [Symbol.iterator]: () => examples }) {
      items.push(item);
      if (items.length === this.#size) {
        yield collate(items);
        items = [];
      }
    }
    if (items.length > 0 && !this.dropLast) yield collate(items);
  }

  /**
   * The batch of examples `indices` (positions in the dataset, negative from the end), batch `position` of the epoch.
   * An empty batch reaches a collateFn, as in PyTorch; without one it is refused, as PyTorch's default_collate fails
   * on it (IndexError: list index out of range), where the built-in datasets' own batches would be silently empty.
   */
  private batchOf(indices: readonly unknown[], position: number): BatchOf<D> {
    const ds = this.mapped();
    const examples = (): never[] => indices.map((i) => ds.get(i as number)) as never[];
    if (this.#collateFn !== undefined) return this.#collateFn(examples()) as BatchOf<D>;
    if (indices.length === 0) {
      throw new DataError(`DataLoader: batch ${position} (counting from 0) from the batchSampler is empty; PyTorch's default_collate fails on an empty batch (IndexError: list index out of range): give every batch at least one index, or a collateFn that takes an empty one`);
    }
    const base = rootOf(ds);
    if (base === undefined) {
      if (!allMnist(ds)) return defaultCollate(examples()) as BatchOf<D>;
      // A ConcatDataset of MNIST datasets: each example from its own, in a Batch as theirs.
      const from = indices.map((i) => mnistSource(ds, exampleIndex('DataLoader', i as number, ds.length)));
      return mnistBatch(from.map(([d]) => d), Int32Array.from(from, ([, i]) => i)) as BatchOf<D>;
    }
    const rows = Int32Array.from(indices, (i) => rootIndex(ds, exampleIndex('DataLoader', i as number, ds.length)));
    return (base instanceof TensorDataset ? base.rows(rows) : mnistBatch(base, rows)) as BatchOf<D>;
  }

  /**
   * RandomSampler's `randperm(n)[:num_samples % n]` after its last index: n − 1 draws (see `order`). Only the
   * loader's own generator is left changed by it (without one, the draws come from the epoch's fresh generator).
   */
  private drawSamplerTail(): void {
    if (this.shuffle && this.#generator !== undefined) for (let i = 0; i < this.mapped().length - 1; i++) this.#generator.nextUint32();
  }

  /** The dataset as a map-style one (`length`, `get`): every dataset but an IterableDataset. */
  private mapped(): MapDataset {
    if (this.#source === undefined) throw new DataError('DataLoader: an IterableDataset has no indices (this is a bug in Kindling: its batches come as it streams)');
    return this.#source;
  }
}


/**
 * The MNIST or TensorDataset at the bottom of `ds` (itself, or the dataset of nested Subsets), whose own batches the
 * loader makes without collating examples; undefined for any other dataset.
 */
function rootOf(ds: MapDataset): MnistDataset | TensorDataset | undefined {
  let d: unknown = ds;
  while (d instanceof Subset && ownGet(d, Subset)) d = d.dataset;
  return (d instanceof MnistDataset && ownGet(d, MnistDataset)) || (d instanceof TensorDataset && ownGet(d, TensorDataset)) ? d : undefined;
}

/**
 * Whether `d` reads its examples with `cls`'s own `get`: a subclass's `get` of its own (a ConcatDataset that flips
 * labels, say) must be called for each example, its results collated, as PyTorch's loader calls `__getitem__`.
 */
function ownGet(d: { get: unknown }, cls: { prototype: { get: unknown } }): boolean {
  return d.get === cls.prototype.get;
}

/** Example `i` (0 ≤ i < length) of `ds` as an index of its root dataset, through the Subsets' indices. */
function rootIndex(ds: MapDataset, i: number): number {
  let d: unknown = ds;
  while (d instanceof Subset) {
    i = d.indices[i]!;
    d = d.dataset;
  }
  return i;
}

/**
 * Whether every example of `ds` comes from an MnistDataset, all of one image size, through ConcatDatasets (and
 * Subsets): then its loader gives MNIST's batches, as PyTorch's gives a ConcatDataset its parts' batches.
 */
function allMnist(ds: unknown): boolean {
  const sizes = new Set<number>();
  const visit = (given: unknown): boolean => {
    let d = given;
    while (d instanceof Subset && ownGet(d, Subset)) d = d.dataset;
    if (d instanceof MnistDataset && ownGet(d, MnistDataset)) return sizes.add(d.imageSize).size === 1;
    return d instanceof ConcatDataset && ownGet(d, ConcatDataset) && d.datasets.every(visit);
  };
  return visit(ds);
}

/** Example `i` (0 ≤ i < length) of `ds` as [the MnistDataset it comes from, its index there], through Subsets and ConcatDatasets (see `allMnist`). */
function mnistSource(ds: unknown, i: number): [MnistDataset, number] {
  let d = ds;
  for (;;) {
    if (d instanceof Subset) {
      i = d.indices[i]!;
      d = d.dataset;
    } else if (d instanceof ConcatDataset) {
      const [k, at] = d.locate(i);
      i = at;
      d = d.datasets[k];
    } else {
      return [d as MnistDataset, i];
    }
  }
}

function isIterable(v: unknown): boolean {
  return v !== null && typeof v === 'object' && typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function';
}

/**
 * The MNIST examples `indices` (dataset indices) as one batch: x [B, 784], one-hot y, labels. `from` is their
 * dataset, or each one's (a ConcatDataset's parts, all of one image size).
 */
function mnistBatch(from: MnistDataset | readonly MnistDataset[], indices: Int32Array): Batch {
  const many = Array.isArray(from);
  const size = many ? from[0]!.imageSize : (from as MnistDataset).imageSize;
  const count = indices.length;
  const x = transientFloat32(count * size);
  const y = new Float32Array(count * NUM_CLASSES);
  const labels = new Float32Array(count);
  for (let k = 0; k < count; k++) {
    const i = indices[k]!;
    const ds = many ? from[k]! : (from as MnistDataset);
    ds.fillImageOverZeros(i, x, k * size); // x is fresh: all +0
    ds.fillTarget(i, y, k * NUM_CLASSES);
    labels[k] = ds.label(i);
  }
  return new TensorBatch(new Tensor(x, [count, size]), new Tensor(y, [count, NUM_CLASSES]), new Tensor(labels, [count]), indices);
}

/** A batch whose iterator gives `x` then `y` (a class: an object literal with its own generator would allocate one per batch). */
class TensorBatch implements Batch {
  constructor(
    readonly x: Tensor,
    readonly y: Tensor,
    readonly labels: Tensor,
    readonly indices: Int32Array,
  ) {}

  *[Symbol.iterator](): Iterator<Tensor> {
    yield this.x;
    yield this.y;
  }
}
