import { checkOptions, describeValue, shownValue, leadingOption } from '../options.js';
import { Generator, getDefaultGenerator } from '../random.js';
import { transientFloat32 } from '../kernels/transient.js';
import { Tensor } from '../tensor/tensor.js';
import { MnistDataset, NUM_CLASSES } from './dataset.js';
import { DataError } from './errors.js';
import { Subset } from './subset.js';
import { exampleIndex } from './example-index.js';
import { TensorDataset } from './tensor-dataset.js';
import { permutation } from '../tensor/integers.js';
import { defaultCollate, type Collated } from './collate.js';
import { IterableDataset, isMapDataset, type ItemOf, type MapDataset } from './map-dataset.js';
import { BatchSampler, RandomSampler, SequentialSampler, type BatchSamplerLike, type Sampler } from './samplers.js';

export interface DataLoaderOptions {
  /** Examples per batch (default 1, the chapter's one-image-per-step training). */
  readonly batchSize?: number;
  /** Visit the examples in a new seeded random order each epoch (default false: file order). */
  readonly shuffle?: boolean;
  /** Leave out the last batch when it is smaller than `batchSize` (default false). */
  readonly dropLast?: boolean;
  /** The generator that draws the shuffles; defaults to the global one (`manualSeed` seeds it), as in PyTorch. */
  readonly generator?: Generator;
  /** The order of the examples instead of `shuffle` (a `RandomSampler`, `WeightedRandomSampler`, … or your own iterable of indices with a length). */
  readonly sampler?: Sampler;
  /** Whole batches of indices instead of `batchSize`, `shuffle`, `sampler` and `dropLast` (a `BatchSampler`, or your own). */
  readonly batchSampler?: BatchSamplerLike;
  /** Makes a batch of the examples `get(i)` gave (default `defaultCollate`; for MNIST and TensorDataset their own batches). */
  readonly collateFn?: (examples: never[]) => unknown;
}

const LOADER_OPTIONS = ['batchSize', 'shuffle', 'dropLast', 'generator', 'sampler', 'batchSampler', 'collateFn'] as const;

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
 * The batch size can also come second, as in PyTorch: `new DataLoader(dataset, 32, { shuffle: true })`.
 *
 * @example
 * const gen = new Generator(1);
 * const loader = new DataLoader(new MnistDataset(train), { batchSize: 32, shuffle: true, generator: gen });
 * for (const { x, y } of loader) {
 *   // x: [32, 784], y: [32, 10]
 * }
 */
/**
 * What a DataLoader over `D` gives: a `Batch` for MNIST, an array of the tensors' rows for a `TensorDataset`, and for
 * a `Subset` what its dataset's loader gives.
 */
export type BatchOf<D> = D extends Subset<infer B> ? BatchOf<B> : D extends TensorDataset ? Tensor[] : D extends MnistDataset ? Batch : Collated<ItemOf<D>>;

export class DataLoader<D extends MapDataset | IterableDataset<unknown> = MnistDataset> implements Iterable<BatchOf<D>> {
  readonly dataset: D;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private readonly generator: Generator | undefined;
  private readonly sampler: Sampler | undefined;
  private readonly batchSampler: BatchSamplerLike | undefined;
  private readonly collateFn: ((examples: never[]) => unknown) | undefined;

  constructor(dataset: D, options?: DataLoaderOptions);
  constructor(dataset: D, batchSize: number, options?: Omit<DataLoaderOptions, 'batchSize'>);
  constructor(dataset: D, sizeOrOptions?: number | DataLoaderOptions, more?: Omit<DataLoaderOptions, 'batchSize'>) {
    const noBatching = (): DataError =>
      new DataError('DataLoader: batchSize null (PyTorch\'s batch_size=None, which turns batching off) is not supported: take single examples with dataset.get(i), or give a batch size (default 1)');
    // DataLoader(ds, None) in PyTorch, by position.
    if (sizeOrOptions === null) throw noBatching();
    const given = leadingOption<DataLoaderOptions>('DataLoader', 'batchSize', sizeOrOptions, more, 'new DataLoader(dataset, 32, { shuffle: true })');
    const options = checkOptions('DataLoader', given, LOADER_OPTIONS, LOADER_HINTS);
    if (options.batchSize === null) throw noBatching();
    const batchSize = options.batchSize ?? 1;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new DataError(`DataLoader: batchSize must be a positive integer, got ${shownValue(batchSize)}`);
    }
    if (dataset instanceof IterableDataset) {
      for (const [given, name] of [[options.shuffle, 'shuffle'], [options.sampler, 'sampler'], [options.batchSampler, 'batch_sampler']] as const) {
        if (given !== undefined && given !== false) throw new DataError(`DataLoader with IterableDataset: expected unspecified ${name} option, but got ${name}=${describeValue(given)}`);
      }
    } else if (!isMapDataset(dataset)) {
      throw new DataError(
        `DataLoader: batches a dataset — an MnistDataset, a TensorDataset, a Subset, or one of your own with a length and get(i) (extend data.Dataset) — got ${describeValue(dataset)}`,
      );
    }
    const { sampler, batchSampler, collateFn } = options;
    if (sampler !== undefined && !isIndexSource(sampler)) throw new DataError(`DataLoader: sampler must be an iterable of indices with a length (a RandomSampler, …), got ${describeValue(sampler)}`);
    if (batchSampler !== undefined && !isIndexSource(batchSampler)) throw new DataError(`DataLoader: batchSampler must be an iterable of index arrays with a length (a BatchSampler, …), got ${describeValue(batchSampler)}`);
    if (collateFn !== undefined && typeof collateFn !== 'function') throw new DataError(`DataLoader: collateFn must be a function of the examples, got ${describeValue(collateFn)}`);
    if (sampler !== undefined && options.shuffle === true) throw new DataError('DataLoader: sampler option is mutually exclusive with shuffle');
    if (batchSampler !== undefined && (batchSize !== 1 || options.shuffle === true || sampler !== undefined || options.dropLast === true)) {
      throw new DataError('DataLoader: batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last');
    }
    this.sampler = sampler;
    this.batchSampler = batchSampler;
    this.collateFn = collateFn;
    if (options.shuffle === true && (dataset as MapDataset).length === 0) {
      throw new DataError('DataLoader: shuffle needs a dataset of at least one example, got an empty one (PyTorch\'s RandomSampler refuses it too: num_samples should be a positive integer value, but got num_samples=0)');
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    const generator: unknown = options.generator ?? undefined;
    if (generator !== undefined && !(generator instanceof Generator)) {
      throw new DataError(`DataLoader: generator must be a Generator (new Generator(seed)) or null, got ${describeValue(generator)}`);
    }
    this.generator = generator;
  }

  /** Number of batches in one epoch. */
  get length(): number {
    if (this.batchSampler !== undefined) return this.batchSampler.length;
    const known = (this.dataset as { length?: unknown }).length;
    if (this.dataset instanceof IterableDataset && typeof known !== 'number') throw new DataError('DataLoader: this IterableDataset has no length (PyTorch: object of type ... has no len()); give it a length, or count the batches as they come');
    const n = this.sampler?.length ?? (known as number);
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
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
    const n = this.mapped().length;
    const gen = this.generator ?? getDefaultGenerator();
    gen.nextUint32();
    gen.nextUint32();
    if (!this.shuffle) return Int32Array.from({ length: n }, (_, i) => i);
    let perm = gen;
    if (this.generator === undefined) {
      gen.nextUint32();
      perm = new Generator(gen.nextUint32());
    }
    return permutation(perm, new Int32Array(n));
  }

  /** One epoch. The permutation is drawn when iteration starts, not when the loader is made. */
  *[Symbol.iterator](): Iterator<BatchOf<D>> {
    if (this.sampler !== undefined || this.batchSampler !== undefined || this.collateFn !== undefined || !builtIn(this.dataset as MapDataset)) {
      yield* this.sampled();
      return;
    }
    const drawn = this.order();
    const batches = this.length;
    // A Subset's positions are turned into its dataset's indices, and its dataset batched.
    const subset = this.dataset instanceof Subset ? this.dataset : undefined;
    const ds = subset?.dataset ?? (this.dataset as MnistDataset | TensorDataset);
    const order = subset === undefined ? drawn : Int32Array.from(drawn, (i) => subset.indices[i]!);
    // PyTorch's BatchSampler asks its sampler for the next index before it yields a short last batch, so the sampler's
    // last draws come before that batch's loop body; after a full one (or with dropLast) they come once the loop asks
    // for the next batch.
    const tailFirst = !this.dropLast && order.length % this.batchSize !== 0;
    if (ds instanceof TensorDataset) {
      for (let b = 0; b < batches; b++) {
        const start = b * this.batchSize;
        const rows = ds.rows(order.subarray(start, Math.min(start + this.batchSize, order.length)));
        if (tailFirst && b === batches - 1) this.drawSamplerTail();
        yield rows as BatchOf<D>;
      }
      if (!tailFirst) this.drawSamplerTail();
      return;
    }
    for (let b = 0; b < batches; b++) {
      const start = b * this.batchSize;
      // A view: the epoch's order is never written after it is drawn.
      const batch = mnistBatch(ds, order.subarray(start, Math.min(start + this.batchSize, order.length)));
      if (tailFirst && b === batches - 1) this.drawSamplerTail();
      yield batch as BatchOf<D>;
    }
    if (!tailFirst) this.drawSamplerTail();
  }

  /**
   * An epoch through the samplers, as PyTorch's loader iterates: the iterator's base seed drawn first, then the
   * batches of indices the batch sampler gives (PyTorch's BatchSampler over the sampler, or `shuffle`'s
   * RandomSampler, or the examples in order), each made into a batch by `collateFn`, the built-in datasets' own
   * batches, or `defaultCollate`.
   */
  private *sampled(): IterableIterator<BatchOf<D>> {
    const gen = this.generator ?? getDefaultGenerator();
    gen.nextUint32();
    gen.nextUint32();
    if (this.dataset instanceof IterableDataset) {
      yield* this.streamed(this.dataset);
      return;
    }
    const order = this.sampler ?? (this.shuffle ? new RandomSampler(this.dataset, this.generator === undefined ? {} : { generator: this.generator }) : new SequentialSampler(this.dataset));
    const batches = this.batchSampler ?? new BatchSampler(order, this.batchSize, this.dropLast);
    for (const indices of batches) yield this.batchOf(indices);
  }

  /** An iterable dataset's examples in batches as they come (the last one shorter unless dropLast). */
  private *streamed(ds: IterableDataset<unknown>): IterableIterator<BatchOf<D>> {
    const collate = (items: unknown[]): BatchOf<D> => (this.collateFn !== undefined ? this.collateFn(items as never[]) : defaultCollate(items)) as BatchOf<D>;
    let items: unknown[] = [];
    for (const item of ds) {
      items.push(item);
      if (items.length === this.batchSize) {
        yield collate(items);
        items = [];
      }
    }
    if (items.length > 0 && !this.dropLast) yield collate(items);
  }

  /** The batch of examples `indices` (positions in the dataset, negative from the end). */
  private batchOf(indices: readonly number[]): BatchOf<D> {
    const ds = this.mapped();
    if (this.collateFn !== undefined) return this.collateFn(indices.map((i) => ds.get(i)) as never[]) as BatchOf<D>;
    if (!builtIn(ds)) return defaultCollate(indices.map((i) => ds.get(i))) as BatchOf<D>;
    const subset = ds instanceof Subset ? ds : undefined;
    const base = (subset?.dataset ?? ds) as MnistDataset | TensorDataset;
    const rows = Int32Array.from(indices, (i) => {
      const k = exampleIndex('DataLoader', i, ds.length);
      return subset === undefined ? k : subset.indices[k]!;
    });
    return (base instanceof TensorDataset ? base.rows(rows) : mnistBatch(base, rows)) as BatchOf<D>;
  }

  /**
   * RandomSampler's `randperm(n)[:num_samples % n]` after its last index: n − 1 draws (see `order`). Only the
   * loader's own generator is left changed by it (without one, the draws come from the epoch's fresh generator).
   */
  private drawSamplerTail(): void {
    if (this.shuffle && this.generator !== undefined) for (let i = 0; i < this.mapped().length - 1; i++) this.generator.nextUint32();
  }

  /** The dataset as a map-style one (`length`, `get`): every dataset but an IterableDataset. */
  private mapped(): MapDataset {
    if (this.dataset instanceof IterableDataset) throw new DataError('DataLoader: an IterableDataset has no indices (this is a bug in Kindling: its batches come as it streams)');
    return this.dataset;
  }
}


/** MNIST's or a TensorDataset's own batches (or a Subset of one), which the loader makes without collating examples. */
function builtIn(ds: MapDataset): ds is MnistDataset | TensorDataset | Subset<MnistDataset> | Subset<TensorDataset> {
  return ds instanceof MnistDataset || ds instanceof TensorDataset || (ds instanceof Subset && (ds.dataset instanceof MnistDataset || ds.dataset instanceof TensorDataset));
}

function isIndexSource(v: unknown): boolean {
  return v !== null && typeof v === 'object' && typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function' && typeof (v as { length?: unknown }).length === 'number';
}

/** The MNIST examples `indices` (dataset indices) as one batch: x [B, 784], one-hot y, labels. */
function mnistBatch(ds: MnistDataset, indices: Int32Array): Batch {
  const size = ds.imageSize;
  const count = indices.length;
  const x = transientFloat32(count * size);
  const y = new Float32Array(count * NUM_CLASSES);
  const labels = new Float32Array(count);
  for (let k = 0; k < count; k++) {
    const i = indices[k]!;
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
