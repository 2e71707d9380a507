// PyTorch's samplers where a review found Kindling's differed: arguments by position, unknown options, empty data
// sources, tensors of indices or weights, and the order of weighted draws without replacement. Expected values are
// PyTorch 1.13's (torch.manual_seed as given, torch.set_num_threads(1)), written inline.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BatchSampler, ConcatDataset, RandomSampler, randomSplit, Subset, SubsetRandomSampler, TensorDataset, WeightedRandomSampler } from '../../src/data/index.js';
import { Generator, manualSeed } from '../../src/random.js';
import { arange, tensor, zeros } from '../../src/tensor/creation.js';
import { randperm } from '../../src/tensor/integers.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { throwsWith } from './helpers.js';

test('RandomSampler takes PyTorch\'s positional (replacement, num_samples, generator) and refuses unknown options', () => {
  manualSeed(0);
  assert.deepEqual([...new RandomSampler([0, 1, 2], true, 5)], [0, 2, 2, 0, 0]);
  manualSeed(0);
  assert.deepEqual([...new RandomSampler([0, 1, 2], { replacement: true, numSamples: 5 })], [0, 2, 2, 0, 0]);
  assert.equal(new RandomSampler([0, 1, 2], false, null).length, 3);
  throwsWith(() => new RandomSampler([0, 1, 2], { num_samples: 5 } as never), ['RandomSampler: unknown option "num_samples" (did you mean numSamples?)']);
  throwsWith(() => new RandomSampler([0, 1, 2], { replacment: true } as never), ['unknown option "replacment" (did you mean replacement?)']);
  throwsWith(() => new RandomSampler([0, 1, 2], 'yes' as never), ['RandomSampler: replacement should be a boolean value']);
  // PyTorch 1.13: RandomSampler(range(3), None) and replacement=None raise TypeError "replacement should be a boolean
  // value, but got replacement=None"; None is the default only for num_samples and generator.
  throwsWith(() => new RandomSampler([0, 1, 2], null as never), ['RandomSampler: replacement should be a boolean value, but got replacement=null']);
  throwsWith(() => new RandomSampler([0, 1, 2], { replacement: null } as never), ['RandomSampler: replacement should be a boolean value, but got replacement=null']);
  // PyTorch's sampler.num_samples: RandomSampler(range(3), num_samples=7).num_samples → 7; without it, len(range(3)).
  assert.deepEqual([new RandomSampler([0, 1, 2], { numSamples: 7 }).numSamples, new RandomSampler([0, 1, 2], true).numSamples], [7, 3]);
  manualSeed(0);   // torch.manual_seed(0); list(RandomSampler(range(5), False, None, None)) → [1, 3, 4, 2, 0]
  assert.deepEqual([...new RandomSampler([0, 1, 2, 3, 4], false, null, null)], [1, 3, 4, 2, 0]);
});

test('a RandomSampler of an empty data source refuses to draw, as PyTorch fails, instead of looping or giving NaN', () => {
  const empty = new TensorDataset(zeros(0, 2));
  for (const replacement of [true, false]) {
    const s = new RandomSampler(empty, { replacement, numSamples: 3 });
    throwsWith(() => [...s], ['RandomSampler: cannot draw 3 samples from an empty data source']);
  }
});

test('1-D tensors are taken as indices and weights, as PyTorch takes them', () => {
  const ds = new TensorDataset(arange(5).mul(10));
  assert.equal(new Subset(ds, tensor([3, 4])).get(1)[0]!.item(), 40);
  assert.equal(new Subset(ds, randperm(5)).length, 5);
  manualSeed(0);
  assert.deepEqual([...new SubsetRandomSampler(tensor([3, 4, 7]))], [7, 3, 4]);
  manualSeed(0);
  assert.deepEqual([...new WeightedRandomSampler(tensor([1, 2, 3]), 4)], [2, 2, 1, 2]);
  throwsWith(() => new Subset(ds, tensor([0.5])), ['Subset: index 0.5']);
  throwsWith(() => new Subset(ds, zeros(1, 1)), ['Subset: indices must be a 1-D tensor or an array, got a tensor of shape [1, 1]']);
});

test('arrays and tensors are datasets for ConcatDataset, as PyTorch\'s len() and [] take them', () => {
  const both = new ConcatDataset<number>([[1, 2], [3]]);
  assert.deepEqual([both.length, both.get(2)], [3, 3]);
  const mixed = new ConcatDataset<unknown>([arange(4).reshape(2, 2), [7]]);
  assert.deepEqual([mixed.length, (mixed.get(1) as Tensor).tolist(), mixed.get(2)], [3, [2, 3], 7]);
});

test('WeightedRandomSampler without replacement gives torch.multinomial\'s order, zero weights too', () => {
  manualSeed(0);
  assert.deepEqual([...new WeightedRandomSampler([1, 0, 0, 0, 0, 0, 0, 0, 0, 0], 4, false)], [0, 7, 6, 5]);
  manualSeed(5);
  assert.deepEqual([...new WeightedRandomSampler([1, 2, 0, 3, 0, 0], 5, false)], [3, 1, 0, 5, 2]);
});

test('randomSplit and the samplers take PyTorch\'s keyword arguments as options, as RandomSampler does', () => {
  // PyTorch 1.13: random_split(range(6), [4, 2], generator=torch.Generator().manual_seed(42)) → [0, 3, 2, 4], [1, 5]
  const parts = randomSplit([0, 1, 2, 3, 4, 5], [4, 2], { generator: new Generator(42) });
  assert.deepEqual(parts.map((p) => Array.from(p.indices)), [[0, 3, 2, 4], [1, 5]]);
  assert.deepEqual(randomSplit([0, 1, 2, 3, 4, 5], [4, 2], new Generator(42)).map((p) => Array.from(p.indices)), [[0, 3, 2, 4], [1, 5]]);
  // SubsetRandomSampler([5, 6, 7, 8], generator=torch.Generator().manual_seed(1)) → [6, 8, 7, 5]
  assert.deepEqual([...new SubsetRandomSampler([5, 6, 7, 8], { generator: new Generator(1) })], [6, 8, 7, 5]);
  // WeightedRandomSampler([1, 2, 3, 4], num_samples=3, replacement=False, generator=…manual_seed(1)) → [3, 0, 2]
  assert.deepEqual([...new WeightedRandomSampler([1, 2, 3, 4], 3, { replacement: false, generator: new Generator(1) })], [3, 0, 2]);
  assert.deepEqual([...new WeightedRandomSampler([1, 2, 3, 4], { numSamples: 3, replacement: false, generator: new Generator(1) })], [3, 0, 2]);
  manualSeed(0);   // torch.manual_seed(0); WeightedRandomSampler([1, 2, 3], num_samples=4) → [2, 2, 1, 2]
  assert.deepEqual([...new WeightedRandomSampler([1, 2, 3], { numSamples: 4 })], [2, 2, 1, 2]);
  // BatchSampler(range(5), batch_size=2, drop_last=True) → [[0, 1], [2, 3]]
  assert.deepEqual([...new BatchSampler([0, 1, 2, 3, 4], { batchSize: 2, dropLast: true })], [[0, 1], [2, 3]]);
  assert.deepEqual([...new BatchSampler([0, 1, 2, 3, 4], 2, { dropLast: true })], [[0, 1], [2, 3]]);
  throwsWith(() => randomSplit([1, 2], [1, 1], { seed: 1 } as never), ['randomSplit: unknown option "seed"']);
  throwsWith(() => new WeightedRandomSampler([1, 2], 2, { num_samples: 2 } as never), ['WeightedRandomSampler: unknown option "num_samples" (did you mean numSamples?)']);
  throwsWith(() => new WeightedRandomSampler([1, 2], 2, null as never), ['WeightedRandomSampler: replacement should be a boolean value, but got replacement=null']);
});

test('an index that is not a whole number is named as such, not as out of range', () => {
  const ds = new TensorDataset(arange(10));
  throwsWith(() => ds.get(1.5), ['TensorDataset: index 1.5 is not a whole number; examples are 0 to 9 (or negative from the end)']);
  throwsWith(() => ds.get('1' as never), ['TensorDataset: index the string "1" is not a whole number']);
  throwsWith(() => new ConcatDataset<number>([[1, 2], [3]]).get(NaN), ['ConcatDataset: index NaN is not a whole number; examples are 0 to 2']);
  throwsWith(() => ds.get(10), ['TensorDataset: index 10 is out of range for 10 examples (0 to 9, or negative from the end)']);
});
