// PyTorch's samplers: the order in which a DataLoader visits a dataset's examples, drawn as PyTorch 1.13 draws it
// from the same seed. Each is an iterable of example indices with a length (BatchSampler: of arrays of indices); an
// iteration is one epoch, drawn lazily as PyTorch's generators draw it.
import { describeValue, layerArguments, shownValue } from '../options.js';
import { Generator, generatorOf, getDefaultGenerator } from '../random.js';
import { searchCdf } from '../ops/multinomial.js';
import { topkOrder } from '../ops/topk-order.js';
import { permutation } from '../tensor/integers.js';
import { Tensor } from '../tensor/tensor.js';
import { DataError } from './errors.js';
import { numberList } from './number-list.js';

/** Anything that counts its examples (a dataset, or a sampler given as a data source). */
export interface Sized { readonly length: number }

/**
 * An order of example indices for a DataLoader (its `sampler` option): iterable, usually with a length (PyTorch
 * iterates any iterable; `loader.length` then needs the sampler's).
 */
export interface Sampler extends Iterable<number> { readonly length?: number }

/**
 * Batches of example indices for a DataLoader (its `batchSampler` option); a length as for a sampler. As PyTorch
 * iterates each batch, a batch is any iterable of indices: an array, a typed array, a 1-D tensor, a Set, ….
 */
export interface BatchSamplerLike extends Iterable<Iterable<number | Tensor> | Tensor> { readonly length?: number }

/** A sampler's (or batch sampler's) length: a tensor's first dimension (PyTorch's `len(t)`), else its `length` if it has one. */
export function samplerLength(s: { readonly length?: unknown } | Tensor): number | undefined {
  if (s instanceof Tensor) return s.ndim > 0 ? s.shape[0]! : undefined;
  return typeof s.length === 'number' ? s.length : undefined;
}

/** 0, 1, …, n − 1, as PyTorch's `SequentialSampler(data_source)`. */
export class SequentialSampler implements Sampler {
  readonly dataSource: Sized | Tensor;

  constructor(dataSource: Sized) {
    this.dataSource = sized('SequentialSampler', dataSource);
  }

  get length(): number { return sizeOf(this.dataSource); }

  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.length; i++) yield i;
  }
}

export interface RandomSamplerOptions {
  /** Draw with replacement (default false: a permutation). */
  readonly replacement?: boolean;
  /** How many indices an epoch gives (default: the data source's length). */
  readonly numSamples?: number;
  /** The generator to draw from; without one, each epoch seeds a fresh generator from the global one, as PyTorch. */
  readonly generator?: Generator;
}

const RANDOM_SAMPLER_ARGS = ['replacement', 'numSamples', 'generator'];

/**
 * A random order of the examples, as PyTorch's `RandomSampler(data_source, replacement, num_samples, generator)`:
 * without replacement a `randperm` per whole pass (and one more, cut short, for the rest of `numSamples`); with
 * replacement `randint` draws in blocks of 32. The same seed gives PyTorch's indices. The arguments come by name
 * (`{ replacement: true, numSamples: 5 }`) or, as PyTorch's, by position (`(ds, true, 5)`); unknown names are refused.
 */
export class RandomSampler implements Sampler {
  readonly dataSource: Sized | Tensor;
  readonly replacement: boolean;
  readonly generator: Generator | undefined;
  private readonly samples: number | undefined;

  constructor(dataSource: Sized | Tensor, options?: RandomSamplerOptions);
  constructor(dataSource: Sized | Tensor, replacement?: boolean, numSamples?: number | null, generator?: Generator | null);
  constructor(dataSource: Sized | Tensor, ...rest: unknown[]) {
    this.dataSource = sized('RandomSampler', dataSource);
    const args = layerArguments('RandomSampler', rest, RANDOM_SAMPLER_ARGS, 'new RandomSampler(ds, { replacement, numSamples, generator }) or (ds, replacement, numSamples, generator)');
    // PyTorch refuses replacement=None (its default is False); null numSamples and generator are its None, the default.
    const replacement = args['replacement'] === undefined ? false : args['replacement'];
    const numSamples = args['numSamples'] ?? undefined;
    const generator = args['generator'] ?? undefined;
    if (typeof replacement !== 'boolean') throw new DataError(`RandomSampler: replacement should be a boolean value, but got replacement=${shownValue(replacement)}`);
    if (numSamples !== undefined && (typeof numSamples !== 'number' || !Number.isInteger(numSamples) || numSamples <= 0)) {
      throw new DataError(`RandomSampler: num_samples should be a positive integer value, but got num_samples=${shownValue(numSamples)}`);
    }
    this.replacement = replacement;
    this.samples = numSamples as number | undefined;
    this.generator = optionalGenerator('RandomSampler', generator);
    if (this.length <= 0) throw new DataError(`RandomSampler: num_samples should be a positive integer value, but got num_samples=${this.length}`);
  }

  /** `numSamples`, or the data source's length. */
  get length(): number { return this.samples ?? sizeOf(this.dataSource); }

  /** Indices an epoch gives: the `numSamples` given, else the data source's length, as PyTorch's `sampler.num_samples`. */
  get numSamples(): number { return this.length; }

  *[Symbol.iterator](): Iterator<number> {
    const n = sizeOf(this.dataSource);
    let gen = this.generator;
    if (gen === undefined) {
      // torch.empty((), dtype=torch.int64).random_() from the global generator: two outputs, the second the low
      // 32 bits that seed the fresh generator.
      const global = getDefaultGenerator();
      global.nextUint32();
      gen = new Generator(global.nextUint32());
    }
    const count = this.length;
    // PyTorch fails here too, after drawing the seed: randint(high=0) ("random_ expects 'from' to be less than 'to'")
    // or num_samples // 0 (ZeroDivisionError).
    if (n === 0) throw new DataError(`RandomSampler: cannot draw ${count} samples from an empty data source`);
    if (this.replacement) {
      for (let b = 0; b < Math.floor(count / 32); b++) yield* randint(gen, n, 32);
      yield* randint(gen, n, count % 32);
      return;
    }
    for (let b = 0; b < Math.floor(count / n); b++) yield* permutation(gen, new Int32Array(n));
    yield* permutation(gen, new Int32Array(n)).subarray(0, count % n);
  }
}

/**
 * `indices` in a random order each epoch, as PyTorch's `SubsetRandomSampler(indices, generator)` (a randperm of their
 * positions); the generator by position or, as PyTorch's keyword, `{ generator }`.
 */
export class SubsetRandomSampler implements Sampler {
  readonly indices: readonly number[];
  readonly generator: Generator | undefined;

  constructor(indices: ArrayLike<number> | Tensor, generator?: Generator | null | { readonly generator?: Generator | null });
  constructor(indices: ArrayLike<number> | Tensor, ...rest: unknown[]) {
    this.indices = wholeNumbers('SubsetRandomSampler', 'indices', indices);
    const args = layerArguments('SubsetRandomSampler', rest, ['generator'], 'new SubsetRandomSampler(indices, generator) or (indices, { generator })');
    this.generator = optionalGenerator('SubsetRandomSampler', args['generator']);
  }

  get length(): number { return this.indices.length; }

  *[Symbol.iterator](): Iterator<number> {
    const order = permutation(this.generator ?? getDefaultGenerator(), new Int32Array(this.indices.length));
    for (const i of order) yield this.indices[i]!;
  }
}

export interface WeightedRandomSamplerOptions {
  readonly numSamples?: number;
  /** Draw with replacement (default true). */
  readonly replacement?: boolean;
  readonly generator?: Generator | null;
}

/**
 * `numSamples` indices drawn with probabilities proportional to `weights`, as PyTorch's
 * `WeightedRandomSampler(weights, num_samples, replacement=True, generator)`: `torch.multinomial` over the weights
 * as float64 (PyTorch's `torch.as_tensor(weights, dtype=torch.double)`), the same draws from the same seed. The
 * arguments after the weights come by position or, as PyTorch's keywords, in options (`(w, 10, { replacement: false })`,
 * `(w, { numSamples: 10 })`).
 */
export class WeightedRandomSampler implements Sampler {
  readonly weights: Float64Array;
  readonly numSamples: number;
  readonly replacement: boolean;
  readonly generator: Generator | undefined;

  constructor(weights: ArrayLike<number> | Tensor, options: WeightedRandomSamplerOptions);
  constructor(weights: ArrayLike<number> | Tensor, numSamples: number, replacement?: boolean | WeightedRandomSamplerOptions, generator?: Generator | null | WeightedRandomSamplerOptions);
  constructor(weights: ArrayLike<number> | Tensor, ...rest: unknown[]) {
    const args = layerArguments('WeightedRandomSampler', rest, ['numSamples', 'replacement', 'generator'], 'new WeightedRandomSampler(weights, numSamples, replacement, generator) or (weights, { numSamples, replacement, generator })');
    const numSamples = args['numSamples'] as number;
    const replacement = args['replacement'] === undefined ? true : args['replacement'];
    if (!Number.isInteger(numSamples) || numSamples <= 0 || typeof numSamples === 'boolean') {
      throw new DataError(`WeightedRandomSampler: num_samples should be a positive integer value, but got num_samples=${shownValue(numSamples)}`);
    }
    if (typeof replacement !== 'boolean') throw new DataError(`WeightedRandomSampler: replacement should be a boolean value, but got replacement=${shownValue(replacement)}`);
    const given = numberList('WeightedRandomSampler', 'weights', weights, 'new WeightedRandomSampler([1, 3, 2], 10)');
    const w = Float64Array.from(given, Number);
    if (w.length === 0) throw new DataError('WeightedRandomSampler: weights must hold at least one number');
    for (let i = 0; i < w.length; i++) {
      if (!(w[i]! >= 0) || !Number.isFinite(w[i]!)) throw new DataError(`WeightedRandomSampler: invalid multinomial distribution: weight ${i} is ${shownValue(given[i])} (weights must be finite and at least 0)`);
    }
    if (!w.some((v) => v > 0)) throw new DataError('WeightedRandomSampler: invalid multinomial distribution (sum of probabilities <= 0)');
    if (!replacement && numSamples > w.length) throw new DataError(`WeightedRandomSampler: cannot sample n_sample > prob_dist.size(-1) samples without replacement (${numSamples} of ${w.length})`);
    this.weights = w;
    this.numSamples = numSamples;
    this.replacement = replacement;
    this.generator = optionalGenerator('WeightedRandomSampler', args['generator']);
  }

  get length(): number { return this.numSamples; }

  *[Symbol.iterator](): Iterator<number> {
    const gen = this.generator ?? getDefaultGenerator();
    yield* this.replacement ? withReplacement(this.weights, this.numSamples, gen) : withoutReplacement(this.weights, this.numSamples, gen);
  }
}

/**
 * A sampler's indices in batches of `batchSize` (the last one shorter unless `dropLast`), as PyTorch's
 * `BatchSampler(sampler, batch_size, drop_last)`: a DataLoader's `batchSampler` option. The batch size and
 * `dropLast` come by position or, as PyTorch's keywords, in options (`(s, { batchSize: 4, dropLast: true })`). The
 * sampler may be a 1-D tensor of indices, as PyTorch iterates one: its batches then hold its 0-d tensors, as
 * PyTorch's do.
 */
export class BatchSampler implements BatchSamplerLike {
  readonly sampler: (Iterable<number> & Partial<Sized>) | Tensor;
  readonly batchSize: number;
  readonly dropLast: boolean;

  constructor(sampler: (Iterable<number> & Partial<Sized>) | Tensor, options: { readonly batchSize: number; readonly dropLast: boolean });
  constructor(sampler: (Iterable<number> & Partial<Sized>) | Tensor, batchSize: number, dropLast: boolean | { readonly dropLast: boolean });
  constructor(sampler: (Iterable<number> & Partial<Sized>) | Tensor, ...rest: unknown[]) {
    const args = layerArguments('BatchSampler', rest, ['batchSize', 'dropLast'], 'new BatchSampler(sampler, batchSize, dropLast) or (sampler, { batchSize, dropLast })');
    const batchSize = args['batchSize'] as number;
    const dropLast = args['dropLast'] as boolean;
    if (sampler === null || typeof sampler !== 'object' || typeof (sampler as Iterable<number>)[Symbol.iterator] !== 'function') {
      throw new DataError(`BatchSampler: sampler must be an iterable of indices (a sampler or an array), got ${describeValue(sampler)}`);
    }
    if (typeof batchSize === 'boolean' || !Number.isInteger(batchSize) || batchSize <= 0) {
      throw new DataError(`BatchSampler: batch_size should be a positive integer value, but got batch_size=${shownValue(batchSize)}`);
    }
    if (typeof dropLast !== 'boolean') throw new DataError(`BatchSampler: drop_last should be a boolean value, but got drop_last=${shownValue(dropLast)}`);
    this.sampler = sampler;
    this.batchSize = batchSize;
    this.dropLast = dropLast;
  }

  get length(): number {
    const n = samplerLength(this.sampler);
    if (n === undefined) throw new DataError('BatchSampler: its sampler has no length');
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<number[]> {
    // As PyTorch's: the sampler is asked for the next index before a short last batch is given.
    let batch: number[] = [];
    for (const i of this.sampler as Iterable<number>) {
      batch.push(i);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }
}

/** A sampler's `generator` argument: undefined when left out or null (PyTorch's None), else a Generator. */
function optionalGenerator(what: string, g: unknown): Generator | undefined {
  return g === undefined || g === null ? undefined : generatorOf(what, g);
}

function sized(what: string, source: unknown): Sized | Tensor {
  if (source instanceof Tensor && source.ndim > 0) return source;
  if (source === null || typeof source !== 'object' || typeof (source as Sized).length !== 'number') {
    throw new DataError(`${what}: the data source must have a length (a dataset, an array or a tensor), got ${describeValue(source)}`);
  }
  return source as Sized;
}

/** A data source's length: a tensor's first dimension (PyTorch's `len(t)`), anything else's `length`. */
function sizeOf(source: Sized | Tensor): number {
  return source instanceof Tensor ? source.shape[0]! : source.length;
}

function wholeNumbers(what: string, name: string, given: unknown): number[] {
  const v = numberList(what, name, given, `new ${what}([0, 5, 9])`);
  return Array.from(v, (i, k) => {
    if (typeof i !== 'number' || !Number.isInteger(i)) throw new DataError(`${what}: ${name}[${k}] is ${shownValue(i)}, not a whole number`);
    return i;
  });
}

/** `torch.randint(high=n, size=(count,), generator)`: each the next 32-bit output mod n. */
function randint(gen: Generator, n: number, count: number): number[] {
  return Array.from({ length: count }, () => gen.nextUint32() % n);
}

/** torch.multinomial with replacement on float64 weights: normalised cumulative sums, searched for float64 uniforms. */
function withReplacement(w: Float64Array, k: number, gen: Generator): number[] {
  const n = w.length;
  const cum = new Float64Array(n);
  let sum = 0;
  for (let j = 0; j < n; j++) cum[j] = sum += w[j]!;
  for (let j = 0; j < n; j++) cum[j] = cum[j]! / sum;
  cum[n - 1] = 1;
  return Array.from({ length: k }, () => searchCdf(cum, gen.uniform64()));
}

/**
 * torch.multinomial without replacement on float64 weights: the k largest w / q, q ~ Exp(1) (the Gumbel-max trick),
 * in the order PyTorch's topk gives them (`multinomial`'s own), ties among them too: the zero weights drawn when k
 * exceeds the positive ones come as PyTorch's do ([0, 7, 6, 5] for weights [1, 0, …, 0], not [0, 1, 2, 3]).
 */
function withoutReplacement(w: Float64Array, k: number, gen: Generator): number[] {
  const ratio = Float64Array.from(w, (v) => v / -Math.log(1.0 - gen.uniform64()));
  return Array.from(topkOrder(ratio, k, true, true));
}
