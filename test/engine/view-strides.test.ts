// view on non-contiguous tensors, as PyTorch's: any shape that only splits or merges dimensions laid out one after
// the other is a view (same storage, PyTorch's strides); others are refused. Expected shapes, strides and values
// are PyTorch 1.13's for the same calls.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arange, tensor, type Tensor } from '../../src/index.js';
import { viewStrides } from '../../src/ops/view.js';

function layout(t: Tensor): [number[], number[], number[]] {
  return [[...t.shape], [...t.strides], Array.from(t.toArray())];
}

test('view of a transpose, a permute, an expand and a select gives PyTorch\'s shapes, strides and values', () => {
  assert.deepEqual(layout(arange(6).reshape(2, 3).T.view(3, 1, 2)), [[3, 1, 2], [1, 6, 3], [0, 3, 1, 4, 2, 5]]);
  assert.deepEqual(layout(arange(24).reshape(2, 3, 4).permute(1, 0, 2).view(3, 2, 2, 2)),
    [[3, 2, 2, 2], [4, 12, 2, 1], [0, 1, 2, 3, 12, 13, 14, 15, 4, 5, 6, 7, 16, 17, 18, 19, 8, 9, 10, 11, 20, 21, 22, 23]]);
  assert.deepEqual(layout(arange(3).reshape(3, 1).expand(3, 4).view(3, 2, 2)), [[3, 2, 2], [1, 0, 0], [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]]);
  assert.deepEqual(layout(arange(24).reshape(2, 3, 4).select(2, 1).view(6)), [[6], [4], [1, 5, 9, 13, 17, 21]]);
  assert.deepEqual(layout(arange(24).reshape(2, 3, 4).select(2, 1).view(2, 3, 1)), [[2, 3, 1], [12, 4, 4], [1, 5, 9, 13, 17, 21]]);
});

test('view refuses a shape that would merge dimensions that are not laid out one after the other', () => {
  for (const make of [() => arange(6).reshape(2, 3).T.view(6), () => arange(12).reshape(4, 3).narrow(1, 0, 2).view(8), () => arange(24).reshape(2, 3, 4).permute(1, 0, 2).view(6, 4)]) {
    assert.throws(make, /view: shape \[\d+(, \d+)*\] is not compatible with the layout of this tensor .*use reshape\(\) instead/);
  }
  assert.equal(viewStrides([2, 3], [1, 2], [6]), null);
  assert.deepEqual(viewStrides([2, 3], [1, 2], [2, 3, 1]), [1, 2, 2]);
});

test('a view shares its storage, and gradients flow back through it', () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
  const v = a.T.view(3, 1, 2);
  v.mul(tensor([1, 10])).sum().backward();
  assert.deepEqual(Array.from(a.grad!.toArray()), [1, 1, 1, 10, 10, 10]);
  const b = arange(6).reshape(2, 3);
  const w = b.T.view(3, 1, 2);
  assert.equal(w.data, b.data);
  b.data[1] = 42;
  assert.deepEqual(Array.from(w.toArray()), [0, 3, 42, 4, 2, 5]);
});

test('t() is PyTorch\'s: the transpose of a 2-D tensor as a view, 0-D and 1-D tensors as they are, more dimensions refused', () => {
  const m = arange(6).reshape(2, 3);
  const mt = m.t();
  assert.deepEqual(layout(mt), [[3, 2], [1, 3], [0, 3, 1, 4, 2, 5]]);
  assert.equal(mt.data, m.data, 'a view of the same storage');
  const v = arange(4);
  assert.deepEqual(layout(v.t()), [[4], [1], [0, 1, 2, 3]]);
  assert.notEqual(v.t(), v, 'a new tensor, as PyTorch\'s t() returns an alias');
  assert.deepEqual(layout(tensor(7).t()), [[], [], [7]]);
  assert.throws(() => arange(8).reshape(2, 2, 2).t(), /t: expects a tensor of at most 2 dimensions, got shape \[2, 2, 2\]/);
  // The gradient goes back through the view.
  const x = arange(6).reshape(2, 3).requiresGrad_();
  x.t().mul(tensor([[1, 2], [3, 4], [5, 6]])).sum().backward();
  assert.deepEqual(Array.from(x.grad!.toArray()), [1, 3, 5, 2, 4, 6]);
});
