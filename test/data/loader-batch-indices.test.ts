// What a loader's batch sampler (and sampler) may give, as PyTorch 1.13 iterates whatever it gets: typed arrays,
// 1-D tensors, Sets; an empty batch or a number refused by name, as PyTorch fails on them; a dataset's length checked
// as Python's len() checks it. The expected values are PyTorch 1.13's (repros of the data review).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataLoader, loadEmbeddedMnist, MnistDataset, Subset, TensorDataset } from '../../src/data/index.js';
import { arange, tensor } from '../../src/tensor/creation.js';
import { throwsWith } from './helpers.js';

const rows = (loader: Iterable<unknown>): unknown => [...loader].map((b) => (Array.isArray(b) ? b[0] : b).tolist());

test('a batch sampler of Int32Arrays fetches the examples through a plain array: 0.5 stays 0.5, not int32 0', () => {
  const ds = [0.5, 1.5, 2.5, 3.5];
  // PyTorch 1.13, batches as int32 numpy arrays: [tensor([0.5, 1.5]), tensor([2.5, 3.5])]; with collate_fn=lambda b: b, [[0.5, 1.5], [2.5, 3.5]].
  assert.deepEqual(rows(new DataLoader(ds, { batchSampler: [Int32Array.of(0, 1), Int32Array.of(2, 3)] })), [[0.5, 1.5], [2.5, 3.5]]);
  const raw = [...new DataLoader(ds, { batchSampler: [Int32Array.of(0, 1), Int32Array.of(2, 3)], collateFn: (b) => b })];
  assert.deepEqual(raw, [[0.5, 1.5], [2.5, 3.5]]);
  assert.ok(Array.isArray(raw[0]), 'the collateFn gets an array of the examples');
  // Kindling's own Int32Arrays as batches: a Subset's indices, a loader's order.
  const sub = new Subset(ds, [3, 1]);
  assert.deepEqual(rows(new DataLoader(ds, { batchSampler: [sub.indices] })), [[3.5, 1.5]]);
});

test('1-D tensors, Sets and generators are batches, and a 1-D tensor a sampler, as PyTorch iterates them', () => {
  const td = new TensorDataset(arange(10));
  // PyTorch 1.13: [[0.0, 1.0, 2.0], [3.0, 4.0]].
  assert.deepEqual(rows(new DataLoader(td, { batchSampler: [tensor([0, 1, 2]), tensor([3, 4])] })), [[0, 1, 2], [3, 4]]);
  assert.deepEqual(rows(new DataLoader([...Array(10).keys()], { batchSampler: [tensor([0, 1, 2])] })), [[0, 1, 2]]);
  assert.deepEqual(rows(new DataLoader(td, { batchSampler: [new Set([7, 2]), [5, 6].values()] })), [[7, 2], [5, 6]]);
  // PyTorch 1.13, sampler=torch.tensor([9, 8, 7, 6, 5]), batch_size=4: [[9, 8, 7, 6], [5]], over a TensorDataset and a list.
  for (const ds of [td, [...Array(10).keys()]]) {
    const loader = new DataLoader(ds, { batchSize: 4, sampler: tensor([9, 8, 7, 6, 5]) });
    assert.deepEqual(rows(loader), [[9, 8, 7, 6], [5]]);
    assert.equal(loader.length, 2, 'len(loader) takes the tensor\'s len()');
  }
  const mnist = new MnistDataset(loadEmbeddedMnist('test'), { limit: 10 });
  assert.deepEqual([...new DataLoader(mnist, { batchSize: 2, sampler: tensor([3, 1, 0]) })].map((b) => Array.from(b.indices)), [[3, 1], [0]]);
  throwsWith(() => new DataLoader(td, { sampler: tensor([[1, 2]]) }), ['DataLoader: sampler must be an iterable of indices', 'shape [1, 2]']);
  // A 2-D tensor is batches, a row each, as PyTorch iterates it.
  assert.deepEqual(rows(new DataLoader(td, { batchSampler: tensor([[1, 2], [3, 4]]) as never })), [[1, 2], [3, 4]]);
  throwsWith(() => new DataLoader(td, { batchSampler: tensor([1, 2]) as never }), ['DataLoader: batchSampler must be an iterable of index arrays', 'shape [2]']);
});

test('an empty batch or a number from a batch sampler is refused by name, as PyTorch fails on them (not a silent empty batch)', () => {
  const td = new TensorDataset(arange(10));
  const mnist = new MnistDataset(loadEmbeddedMnist('test'), { limit: 10 });
  for (const ds of [td, mnist, new Subset(td, [0, 1, 2]), [0, 1, 2]]) {
    // PyTorch 1.13: IndexError: list index out of range (default_collate of []).
    throwsWith(() => [...new DataLoader(ds as never, { batchSampler: [[0, 1], []] })], ['DataLoader: batch 1 (counting from 0) from the batchSampler is empty', 'IndexError']);
    // PyTorch 1.13: TypeError: 'int' object is not iterable.
    throwsWith(() => [...new DataLoader(ds as never, { batchSampler: [[0, 1], 5] as never })], ['DataLoader: batch 1 (counting from 0) from the batchSampler is the number 5, not an iterable of indices', '\'int\' object is not iterable']);
  }
  // A collateFn gets the empty batch, as PyTorch's collate_fn does.
  assert.deepEqual([...new DataLoader([0, 1], { batchSampler: [[]], collateFn: (b) => b })], [[]]);
  throwsWith(() => [...new DataLoader(td, { batchSampler: ['ab'] as never })], ['batch 0 (counting from 0) from the batchSampler is the string "ab", not an iterable of indices']);
  throwsWith(() => [...new DataLoader(td, { batchSampler: [tensor(3)] })], ['batch 0 (counting from 0) from the batchSampler is a tensor of shape []']);
  throwsWith(() => [...new DataLoader(td, { batchSampler: [{ 0: 1 }] as never })], ['batch 0 (counting from 0) from the batchSampler is an object, not an iterable of indices']);
});

test('a dataset\'s length that is not a whole number >= 0 is refused, as Python\'s len() refuses it', () => {
  // PyTorch 1.13: TypeError 'float' object cannot be interpreted as an integer; ValueError __len__() should return >= 0.
  for (const length of [2.5, -1, Number.NaN]) {
    throwsWith(() => new DataLoader({ length, get: (i: number) => i }, 2), [`DataLoader: the dataset's length must be a whole number of examples, 0 or more`, `got ${length}`]);
    throwsWith(() => new Subset({ length, get: (i: number) => i }, []), ['Subset: the dataset\'s length must be a whole number', `got ${length}`]);
  }
  assert.deepEqual([...new DataLoader({ length: 0, get: (i: number) => i }, 2)], []);
});
