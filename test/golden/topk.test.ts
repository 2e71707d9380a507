// topk against torch.topk (fixtures/torch/topk.json, written by make_topk.py): the same values and indices, and the
// same gradient, along every kind of dimension, largest or smallest, with a NaN among the values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tensor } from '../../src/index.js';
import { assertClose, decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface TopkCase {
  label: string;
  x: EncodedTensor;
  k: number;
  dim: number;
  largest: boolean;
  values: EncodedTensor;
  indices: EncodedTensor;
  w: EncodedTensor;
  grad: EncodedTensor;
}
const fx = loadFixture<{ cases: TopkCase[] }>('topk.json');
const exact = { rtol: 0, atol: 0 };

test('topk gives torch.topk\'s values, indices and gradient', () => {
  for (const c of fx.cases) {
    const x = decode(c.x, true);
    const [vals, indices] = x.topk(c.k, c.dim, c.largest);
    assert.deepEqual(vals!.shape, c.values.shape, `${c.label}: shape`);
    assertClose(vals!.toArray(), values(c.values), `${c.label}: values`, exact);
    assert.deepEqual(Array.from(indices!.toArray()), values(c.indices), `${c.label}: indices`);
    vals!.mul(decode(c.w)).sum().backward();
    assertClose(x.grad!.toArray(), values(c.grad), `${c.label}: gradient`, exact);
  }
});

test('topk: equal values come in the order of their indices; a 0-d tensor; k and dim are checked', () => {
  const { values: v, indices } = tensor([2, 5, 5, 1, 5]).topk(2);
  assert.deepEqual(v.tolist(), [5, 5]);
  assert.deepEqual(indices.tolist(), [1, 2]);
  assert.deepEqual(tensor([[3, 1], [2, 4]]).topk(1, 1, false, false).indices.tolist(), [[1], [0]]);
  const scalar = tensor(7).topk(1);
  assert.deepEqual([scalar.values.shape, scalar.values.item(), scalar.indices.item()], [[], 7, 0]);
  assert.throws(() => tensor([1, 2]).topk(3), /topk: k must be a whole number from 0 to 2 \(the size of dimension 0 of shape \[2\]\), got 3/);
  assert.throws(() => tensor([1, 2]).topk(1.5), /k must be a whole number/);
  assert.throws(() => tensor([1, 2]).topk(1, 1), /topk: dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)/);
  assert.throws(() => tensor([1, 2]).topk(1, -1, 'yes' as unknown as boolean), /topk: largest and sorted must be booleans/);
});
