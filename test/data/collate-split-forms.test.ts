// defaultCollate's mixes of numbers, booleans and one-element tensors, decided by the first example as PyTorch 1.13's
// default_collate decides, and randomSplit's lengths as a 1-D tensor. Expected values are PyTorch 1.13's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultCollate } from '../../src/data/index.js';
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
