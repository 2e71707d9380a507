// topk, sort and argsort against PyTorch's (fixtures/torch/sort.json, written by make_sort.py): the same values and
// indices, and the same gradient, along every kind of dimension, in both orders, with a NaN among the values; and the
// order of equal values, PyTorch's default (std::sort, unstable past 16 values) and stable=True, with their gradients.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { argsort, msort, sort, tensor, type Tensor } from '../../src/index.js';
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
interface TieRow {
  x: (number | string)[];
  ascending: number[];
  ascendingStable: number[];
  descending: number[];
  descendingStable: number[];
}
interface TieGrad {
  label: string;
  x: EncodedTensor;
  w: EncodedTensor;
  grad: EncodedTensor;
}
const fx = loadFixture<{ cases: TopkCase[]; sorts: SortCase[]; ties: TieRow[]; tieGrads: TieGrad[] }>('sort.json');
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
  assert.deepEqual(tensor([3, 1, 3, 2]).sort(-1, true).indices.tolist(), [0, 2, 3, 1], 'up to 16 values, equal ones keep the order of their indices');
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

test('sort and argsort leave equal values where PyTorch\'s default CPU sort (std::sort, not stable past 16 values) does', () => {
  const order = (t: Tensor): number[] => Array.from(t.toArray());
  for (const [r, i] of fx.ties.map((r, i) => [r, i] as const)) {
    const x = tensor(Float32Array.from(r.x, Number), [r.x.length]);
    const at = `row ${i} (${r.x.length} values)`;
    assert.deepEqual(order(x.sort().indices), r.ascending, `${at}: sort()`);
    assert.deepEqual(order(sort(x, -1, true).indices), r.descending, `${at}: sort(x, -1, true)`);
    assert.deepEqual(order(x.argsort(0)), r.ascending, `${at}: argsort(0)`);
    assert.deepEqual(order(argsort(x, -1, true)), r.descending, `${at}: argsort(x, -1, true)`);
  }
  // torch.sort(torch.zeros(17)).indices
  assert.deepEqual(tensor(new Float32Array(17)).sort().indices.tolist(), [8, 16, 15, 14, 13, 12, 11, 10, 9, 0, 7, 6, 5, 4, 3, 2, 1]);
});

test('sort and argsort with { stable: true } keep equal values in the order of their indices, as PyTorch\'s stable=True', () => {
  const order = (t: Tensor): number[] => Array.from(t.toArray());
  for (const [r, i] of fx.ties.map((r, i) => [r, i] as const)) {
    const x = tensor(Float32Array.from(r.x, Number), [r.x.length]);
    const at = `row ${i} (${r.x.length} values)`;
    assert.deepEqual(order(x.sort({ stable: true }).indices), r.ascendingStable, `${at}: sort({ stable: true })`);
    assert.deepEqual(order(sort(x, { dim: 0, descending: true, stable: true }).indices), r.descendingStable, `${at}: stable, descending`);
    assert.deepEqual(order(argsort(x, { stable: true, descending: false })), r.ascendingStable, `${at}: argsort, stable`);
    assert.deepEqual(order(x.argsort({ descending: true, stable: true })), r.descendingStable, `${at}: argsort, stable, descending`);
  }
});

test('the gradient of sort and msort among equal values goes where PyTorch\'s goes', () => {
  const fns: Record<string, (x: Tensor) => Tensor> = {
    'sort, dim 0, descending': (x) => x.sort(0, true).values,
    'sort, dim 0, stable': (x) => sort(x, { stable: true, dim: 0 }).values,
    msort: (x) => msort(x),
  };
  for (const c of fx.tieGrads) {
    const x = decode(c.x, true);
    fns[c.label]!(x).mul(decode(c.w)).sum().backward();
    assertClose(x.grad!.toArray(), values(c.grad), `${c.label}: gradient`, exact);
  }
});

test('sort and argsort: the options object is PyTorch\'s keyword form, checked', () => {
  assert.throws(() => tensor([1, 2]).sort({ stable: 1 as unknown as boolean }), /sort: stable must be a boolean, got the number 1/);
  assert.throws(() => tensor([1, 2]).argsort({ stabel: true } as never), /argsort: unknown option "stabel" \(did you mean stable\?\)/);
  assert.throws(() => sort(tensor([1, 2]), { stable: true }, true), /sort: nothing may follow the options object, got true/);
  assert.throws(() => tensor([1, 2]).sort({ dim: 1 }), /sort: dimension out of range/);
  assert.deepEqual(tensor([[2, 1], [0, 3]]).sort({ dim: 0, descending: true }).values.tolist(), [[2, 3], [0, 1]]);
});
