// What a review against PyTorch 1.13 found (session 30): squeeze and unsqueeze copied a non-contiguous tensor where
// PyTorch gives a view, `.grad` took any value, and a few calls PyTorch accepts were refused or gave other values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arange, tensor, zeros, type Tensor } from '../../src/index.js';
import { loose, throwsWith } from './throws.js';

test('unsqueeze and squeeze of a non-contiguous tensor are views: writes show through both ways, with PyTorch\'s strides', () => {
  const x = zeros(3, 4);
  x.select(1, 2).unsqueeze(1).fill_(1);
  assert.deepEqual(x.tolist(), [[0, 0, 1, 0], [0, 0, 1, 0], [0, 0, 1, 0]]);
  const z = arange(6).reshape(2, 3).T;
  const u = z.unsqueeze(0);
  z.mul_(10);
  assert.deepEqual(u.tolist(), [[[0, 30], [10, 40], [20, 50]]]);
  const w = zeros(3, 1, 4).transpose(0, 2);
  w.squeeze(1).add_(5);
  assert.equal(w.sum().item(), 60);
  w.squeeze().sub_(1);
  assert.equal(w.sum().item(), 48);
  // squeeze of a dimension that is not of size 1 is the tensor itself, as a view.
  const v = zeros(3, 4).T;
  v.squeeze(0).add_(2);
  assert.equal(v.sum().item(), 24);
  // torch.zeros(2, 3).T.unsqueeze(2).stride() == (1, 3, 1); .unsqueeze(0).stride() == (3, 1, 3).
  assert.deepEqual(zeros(2, 3).T.unsqueeze(2).strides, [1, 3, 1]);
  assert.deepEqual(zeros(2, 3).T.unsqueeze(0).strides, [3, 1, 3]);
  assert.equal(u.version, z.version, 'a view shares its version counter');
});

test('the gradient through squeeze and unsqueeze of a transposed tensor reaches the right elements', () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]], undefined, { requiresGrad: true });
  const t = a.T.unsqueeze(1);
  assert.deepEqual(t.shape, [3, 1, 2]);
  t.mul(tensor([[[1, 10]], [[100, 1000]], [[1e4, 1e5]]])).squeeze(1).sum().backward();
  assert.deepEqual(a.grad!.tolist(), [[1, 100, 1e4], [10, 1000, 1e5]]);
});

test('.grad takes a Tensor of the tensor\'s shape or null, as PyTorch checks', () => {
  const x = tensor([1, 2], undefined, { requiresGrad: true });
  throwsWith(() => { x.grad = tensor([1, 2, 3]); }, RangeError, 'grad: the assigned gradient has shape [3], but the tensor has shape [2]');
  throwsWith(() => { x.grad = tensor([[1, 2]]); }, RangeError, 'has shape [1, 2]');
  throwsWith(() => { x.grad = loose<Tensor>([1, 2]); }, TypeError, 'must be a Tensor or null, got an array');
  throwsWith(() => { x.grad = loose<Tensor>(undefined); }, TypeError, 'got undefined');
  assert.equal(x.grad, null, 'a refused value leaves the gradient as it was');
  x.grad = tensor([0.5, 0.5]);
  x.mul(x).sum().backward();
  assert.deepEqual(x.grad!.tolist(), [2.5, 4.5]);
  x.grad = null;
  assert.equal(x.grad, null);
});

test('requiresGrad_() on a tensor of the graph is a no-op, as in PyTorch; turning it off there is still refused', () => {
  const x = tensor([1, 2], undefined, { requiresGrad: true });
  const y = x.mul(2);
  assert.equal(y.requiresGrad_(), y);
  assert.equal(y.requiresGrad, true);
  throwsWith(() => y.requiresGrad_(false), Error, 'only leaf tensors can change requiresGrad');
});

test('fill_ takes a 0-d tensor as its value (and refuses others); clamp with a NaN bound gives NaN, as PyTorch', () => {
  const t = zeros(2, 2);
  t.fill_(tensor(2.5));
  assert.deepEqual(t.tolist(), [[2.5, 2.5], [2.5, 2.5]]);
  throwsWith(() => t.fill_(tensor([2])), RangeError, 'fill_: a tensor value must have 0 dimensions', 'got shape [1]');
  const x = tensor([0, 2, 5], undefined, { requiresGrad: true });
  const y = x.clamp(Number.NaN, 1);
  assert.ok(y.toArray().every((v) => Number.isNaN(v)), `clamp(NaN, 1) gave ${y.tolist()}`);
  y.sum().backward();
  assert.deepEqual(x.grad!.tolist(), [0, 0, 0]);
  assert.ok(x.clamp(0, Number.NaN).toArray().every((v) => Number.isNaN(v)));
  assert.deepEqual(Array.from(tensor([Number.NaN, 1, 3]).clamp(0, 2).toArray(), String), ['NaN', '1', '2']);
});
