// PyTorch's samplers: the order in which a DataLoader visits a dataset's examples, drawn as PyTorch 1.13 draws it
// from the same seed. Each is an iterable of example indices with a length (BatchSampler: of arrays of indices); an
// iteration is one epoch, drawn lazily as PyTorch's generators draw it.
import { describeValue, shownValue } from '../options.js';
import { Generator, generatorOf, getDefaultGenerator } from '../random.js';
import { searchCdf } from '../ops/multinomial.js';
import { permutation } from '../tensor/integers.js';
import { DataError } from './errors.js';

/** Anything that counts its examples (a dataset, or a sampler given as a data source). */
export interface Sized { readonly length: number }

/** An order of example indices for a DataLoader (its `sampler` option): iterable, with a length. */
export interface Sampler extends Iterable<number> { readonly length: number }

/** Batches of example indices for a DataLoader (its `batchSampler` option). */
export interface BatchSamplerLike extends Iterable<number[]> { readonly length: number }

/** 0, 1, …, n − 1, as PyTorch's `SequentialSampler(data_source)`. */
export class SequentialSampler implements Sampler {
  readonly dataSource: Sized;

  constructor(dataSource: Sized) {
    this.dataSource = sized('SequentialSampler', dataSource);
  }

  get length(): number { return this.dataSource.length; }

  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.dataSource.length; i++) yield i;
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

/**
 * A random order of the examples, as PyTorch's `RandomSampler(data_source, replacement, num_samples, generator)`:
 * without replacement a `randperm` per whole pass (and one more, cut short, for the rest of `numSamples`); with
 * replacement `randint` draws in blocks of 32. The same seed gives PyTorch's indices.
 */
export class RandomSampler implements Sampler {
  readonly dataSource: Sized;
  readonly replacement: boolean;
  readonly generator: Generator | undefined;
  private readonly samples: number | undefined;

  constructor(dataSource: Sized, options: RandomSamplerOptions = {}) {
    this.dataSource = sized('RandomSampler', dataSource);
    const { replacement = false, numSamples, generator } = options;
    if (typeof replacement !== 'boolean') throw new DataError(`RandomSampler: replacement should be a boolean value, but got replacement=${shownValue(replacement)}`);
    if (numSamples !== undefined && (!Number.isInteger(numSamples) || numSamples <= 0)) {
      throw new DataError(`RandomSampler: num_samples should be a positive integer value, but got num_samples=${shownValue(numSamples)}`);
    }
    this.replacement = replacement;
    this.samples = numSamples;
    this.generator = generator === undefined ? undefined : generatorOf('RandomSampler', generator);
    if (this.length <= 0) throw new DataError(`RandomSampler: num_samples should be a positive integer value, but got num_samples=${this.length}`);
  }

  /** `numSamples`, or the data source's length. */
  get length(): number { return this.samples ?? this.dataSource.length; }

  *[Symbol.iterator](): Iterator<number> {
    const n = this.dataSource.length;
    let gen = this.generator;
    if (gen === undefined) {
      // torch.empty((), dtype=torch.int64).random_() from the global generator: two outputs, the second the low
      // 32 bits that seed the fresh generator.
      const global = getDefaultGenerator();
      global.nextUint32();
      gen = new Generator(global.nextUint32());
    }
    const count = this.length;
    if (this.replacement) {
      for (let b = 0; b < Math.floor(count / 32); b++) yield* randint(gen, n, 32);
      yield* randint(gen, n, count % 32);
      return;
    }
    for (let b = 0; b < Math.floor(count / n); b++) yield* permutation(gen, new Int32Array(n));
    yield* permutation(gen, new Int32Array(n)).subarray(0, count % n);
  }
}

/** `indices` in a random order each epoch, as PyTorch's `SubsetRandomSampler(indices, generator)` (a randperm of their positions). */
export class SubsetRandomSampler implements Sampler {
  readonly indices: readonly number[];
  readonly generator: Generator | undefined;

  constructor(indices: ArrayLike<number>, generator?: Generator) {
    this.indices = wholeNumbers('SubsetRandomSampler', 'indices', indices);
    this.generator = generator === undefined ? undefined : generatorOf('SubsetRandomSampler', generator);
  }

  get length(): number { return this.indices.length; }

  *[Symbol.iterator](): Iterator<number> {
    const order = permutation(this.generator ?? getDefaultGenerator(), new Int32Array(this.indices.length));
    for (const i of order) yield this.indices[i]!;
  }
}

/**
 * `numSamples` indices drawn with probabilities proportional to `weights`, as PyTorch's
 * `WeightedRandomSampler(weights, num_samples, replacement=True, generator)`: `torch.multinomial` over the weights
 * as float64 (PyTorch's `torch.as_tensor(weights, dtype=torch.double)`), the same draws from the same seed.
 */
export class WeightedRandomSampler implements Sampler {
  readonly weights: Float64Array;
  readonly numSamples: number;
  readonly replacement: boolean;
  readonly generator: Generator | undefined;

  constructor(weights: ArrayLike<number>, numSamples: number, replacement = true, generator?: Generator) {
    if (!Number.isInteger(numSamples) || numSamples <= 0 || typeof numSamples === 'boolean') {
      throw new DataError(`WeightedRandomSampler: num_samples should be a positive integer value, but got num_samples=${shownValue(numSamples)}`);
    }
    if (typeof replacement !== 'boolean') throw new DataError(`WeightedRandomSampler: replacement should be a boolean value, but got replacement=${shownValue(replacement)}`);
    if (weights === null || typeof weights !== 'object' || typeof weights.length !== 'number') {
      throw new DataError(`WeightedRandomSampler: weights must be an array of numbers, got ${describeValue(weights)}`);
    }
    const w = Float64Array.from(weights);
    if (w.length === 0) throw new DataError('WeightedRandomSampler: weights must hold at least one number');
    for (let i = 0; i < w.length; i++) {
      if (!(w[i]! >= 0) || !Number.isFinite(w[i]!)) throw new DataError(`WeightedRandomSampler: invalid multinomial distribution: weight ${i} is ${weights[i]} (weights must be finite and at least 0)`);
    }
    if (!w.some((v) => v > 0)) throw new DataError('WeightedRandomSampler: invalid multinomial distribution (sum of probabilities <= 0)');
    if (!replacement && numSamples > w.length) throw new DataError(`WeightedRandomSampler: cannot sample n_sample > prob_dist.size(-1) samples without replacement (${numSamples} of ${w.length})`);
    this.weights = w;
    this.numSamples = numSamples;
    this.replacement = replacement;
    this.generator = generator === undefined ? undefined : generatorOf('WeightedRandomSampler', generator);
  }

  get length(): number { return this.numSamples; }

  *[Symbol.iterator](): Iterator<number> {
    const gen = this.generator ?? getDefaultGenerator();
    yield* this.replacement ? withReplacement(this.weights, this.numSamples, gen) : withoutReplacement(this.weights, this.numSamples, gen);
  }
}

/**
 * A sampler's indices in batches of `batchSize` (the last one shorter unless `dropLast`), as PyTorch's
 * `BatchSampler(sampler, batch_size, drop_last)`: a DataLoader's `batchSampler` option.
 */
export class BatchSampler implements BatchSamplerLike {
  readonly sampler: Iterable<number> & Partial<Sized>;
  readonly batchSize: number;
  readonly dropLast: boolean;

  constructor(sampler: Iterable<number> & Partial<Sized>, batchSize: number, dropLast: boolean) {
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
    const n = this.sampler.length;
    if (typeof n !== 'number') throw new DataError('BatchSampler: its sampler has no length');
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<number[]> {
    // As PyTorch's: the sampler is asked for the next index before a short last batch is given.
    let batch: number[] = [];
    for (const i of this.sampler) {
      batch.push(i);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }
}

function sized(what: string, source: unknown): Sized {
  if (source === null || typeof source !== 'object' || typeof (source as Sized).length !== 'number') {
    throw new DataError(`${what}: the data source must have a length (a dataset, or an array), got ${describeValue(source)}`);
  }
  return source as Sized;
}

function wholeNumbers(what: string, name: string, v: ArrayLike<number>): number[] {
  if (v === null || typeof v !== 'object' || typeof v.length !== 'number') throw new DataError(`${what}: ${name} must be an array of whole numbers, got ${describeValue(v)}`);
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

/** torch.multinomial without replacement on float64 weights: the k largest w / q, q ~ Exp(1) (the Gumbel-max trick). */
function withoutReplacement(w: Float64Array, k: number, gen: Generator): number[] {
  const ratio = Array.from(w, (v) => v / -Math.log(1.0 - gen.uniform64()));
  const order = ratio.map((_, i) => i);
  // topk's order: the largest first, ties by the lower index.
  order.sort((a, b) => (ratio[b]! - ratio[a]!) || a - b);
  return order.slice(0, k);
}
