// defaultCollate's mixes of numbers, booleans and one-element tensors, decided by the first example as PyTorch 1.13's
// default_collate decides, and randomSplit's lengths as a 1-D tensor. Expected values are PyTorch 1.13's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultCollate, randomSplit } from '../../src/data/index.js';
import { manualSeed } from '../../src/random.js';
import { tensor } from '../../src/tensor/creation.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { throwsWith } from './helpers.js';

type Mixed = number | boolean | Tensor;

test('defaultCollate: after a first number or boolean, numbers, booleans and one-element tensors mix, as torch.tensor(batch) takes them', () => {
  // PyTorch 1.13: default_collate([True, 2]) → tensor([1, 2]); [1, tensor(2.)] → tensor([1., 2.]); [True, 1.5] → [1.0, 1.5];
  // [1, tensor([2.])] → [1., 2.]; [2, tensor(True)] → [2, 1].
  assert.deepEqual(defaultCollate<Mixed>([true, 2]).tolist(), [1, 2]);
  assert.deepEqual(defaultCollate<Mixed>([1, tensor(2)]).tolist(), [1, 2]);
  assert.deepEqual(defaultCollate<Mixed>([true, 1.5]).tolist(), [1, 1.5]);
  assert.deepEqual(defaultCollate<Mixed>([1.5, true]).tolist(), [1.5, 1]);
  assert.deepEqual(defaultCollate<Mixed>([1, tensor([2])]).tolist(), [1, 2]);
  assert.deepEqual(defaultCollate<[Mixed, Mixed]>([[0, 1], [tensor(5), 1]]).map((t) => t.tolist()), [[0, 5], [1, 1]]);
  // PyTorch 1.13 refuses these too: only one element tensors can be converted to Python scalars; new(): invalid data
  // type 'str'; could not infer dtype of NoneType; expected Tensor as element 1 (a tensor first stacks tensors only).
  throwsWith(() => defaultCollate<unknown>([1, tensor([2, 3])]), ['defaultCollate: the examples: example 0 has a number, example 1 a tensor of shape [2]']);
  throwsWith(() => defaultCollate<unknown>([1, 'a']), ['defaultCollate: the examples: example 0 has a number, example 1 the string "a"']);
  throwsWith(() => defaultCollate<unknown>([true, null]), ['defaultCollate: the examples: example 0 has a boolean, example 1 null']);
  throwsWith(() => defaultCollate<unknown>([tensor(2), 1]), ['defaultCollate: the examples: example 0 has a tensor, example 1 the number 1']);
});

test('randomSplit takes its lengths as a 1-D tensor, counts or fractions, as PyTorch 1.13 does', () => {
  const range = (n: number): number[] => [...Array(n).keys()];
  const split = (n: number, lengths: Parameters<typeof randomSplit>[1]): number[][] => {
    manualSeed(0);
    return randomSplit(range(n), lengths).map((s) => Array.from(s.indices));
  };
  // PyTorch 1.13, torch.manual_seed(0): random_split([0, 1, 2], torch.tensor([1, 2])) → [[2], [0, 1]].
  assert.deepEqual(split(3, tensor([1, 2])), [[2], [0, 1]]);
  // Float32 fractions: 0.8f + 0.2f is 1 in float32 (as PyTorch sums them), though not in float64.
  // PyTorch 1.13: random_split(range(10), torch.tensor([0.8, 0.2])) → [[4, 1, 7, 5, 3, 9, 0, 8], [6, 2]].
  assert.deepEqual(split(10, tensor([0.8, 0.2])), [[4, 1, 7, 5, 3, 9, 0, 8], [6, 2]]);
  // PyTorch 1.13: random_split(range(7), torch.tensor([0.3, 0.3, 0.4])) → [[4, 0, 5], [3, 2], [6, 1]].
  assert.deepEqual(split(7, tensor([0.3, 0.3, 0.4])), [[4, 0, 5], [3, 2], [6, 1]]);
  throwsWith(() => split(3, tensor([[1, 2]])), ['randomSplit: lengths must be an array or a 1-D tensor of counts or fractions, got a tensor of shape [1, 2]']);
  throwsWith(() => split(3, tensor(3)), ['randomSplit: lengths must be an array or a 1-D tensor', 'shape []']);
  throwsWith(() => split(3, tensor([1, 1])), ['randomSplit: the lengths [1,1] add up to 2, but the dataset has 3 examples']);
});
