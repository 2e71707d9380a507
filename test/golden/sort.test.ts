// topk, sort and argsort against PyTorch's (fixtures/torch/sort.json, written by make_sort.py): the same values and
// indices, and the same gradient, along every kind of dimension, in both orders, with a NaN among the values.
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
interface SortCase {
  label: string;
  x: EncodedTensor;
  dim: number;
  descending: boolean;
  values: EncodedTensor;
  indices: EncodedTensor;
  argsort: EncodedTensor;
  w: EncodedTensor;
  grad: EncodedTensor;
}
const fx = loadFixture<{ cases: TopkCase[]; sorts: SortCase[] }>('sort.json');
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

test('sort and argsort give torch.sort\'s and torch.argsort\'s values, indices and gradient', () => {
  for (const c of fx.sorts) {
    const x = decode(c.x, true);
    const [vals, indices] = x.sort(c.dim, c.descending);
    assertClose(vals!.toArray(), values(c.values), `${c.label}: values`, exact);
    assert.deepEqual(Array.from(indices!.toArray()), values(c.indices), `${c.label}: indices`);
    assert.deepEqual(Array.from(x.argsort(c.dim, c.descending).toArray()), values(c.argsort), `${c.label}: argsort`);
    vals!.mul(decode(c.w)).sum().backward();
    assertClose(x.grad!.toArray(), values(c.grad), `${c.label}: gradient`, exact);
  }
  assert.deepEqual(tensor([3, 1, 3, 2]).sort(-1, true).indices.tolist(), [0, 2, 3, 1], 'equal values keep the order of their indices');
  assert.deepEqual(tensor(4).argsort().shape, []);
  assert.throws(() => tensor([1]).sort(0, 1 as unknown as boolean), /sort: descending must be a boolean/);
});

test('topk: equal values as PyTorch picks them (not in the order of their indices); a 0-d tensor; k and dim are checked', () => {
  const { values: v, indices } = tensor([2, 5, 5, 1, 5]).topk(2);
  assert.deepEqual(v.tolist(), [5, 5]);
  assert.deepEqual(indices.tolist(), [2, 4], 'torch.topk(torch.tensor([2., 5, 5, 1, 5]), 2).indices');
  assert.deepEqual(tensor([[3, 1], [2, 4]]).topk(1, 1, false, false).indices.tolist(), [[1], [0]]);
  const scalar = tensor(7).topk(1);
  assert.deepEqual([scalar.values.shape, scalar.values.item(), scalar.indices.item()], [[], 7, 0]);
  assert.throws(() => tensor([1, 2]).topk(3), /topk: k must be a whole number from 0 to 2 \(the size of dimension 0 of shape \[2\]\), got 3/);
  assert.throws(() => tensor([1, 2]).topk(1.5), /k must be a whole number/);
  assert.throws(() => tensor([1, 2]).topk(1, 1), /topk: dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)/);
  assert.throws(() => tensor([1, 2]).topk(1, -1, 'yes' as unknown as boolean), /topk: largest must be a boolean, got the string "yes"/);
});
