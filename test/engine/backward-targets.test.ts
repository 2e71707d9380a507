// A walk toward chosen tensors (autograd.grad, backward's `inputs`) as PyTorch 1.13's engine runs it: the nodes it
// does not need are neither run nor released, so a later backward through them works.
// Expected values are PyTorch 1.13's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, tensor } from '../../src/index.js';

test('autograd.grad toward one branch leaves the other branch walkable', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const w = tensor([3, 4], { requiresGrad: true });
  const a = x.exp();
  const b = w.exp();
  const [gw] = autograd.grad(a.sum().add(b.sum()), [w]);
  assert.deepEqual(gw!.tolist(), b.detach().tolist());
  a.sum().backward();
  assert.deepEqual(x.grad!.tolist(), a.detach().tolist(), 'x.grad is e^x (PyTorch: [2.7183, 7.3891])');
  // The branch the walk ran was released, as PyTorch's.
  assert.throws(() => b.sum().backward(), /backward through the graph a second time: the graph \(at exp/);
});

test('backward({ inputs }) toward one branch leaves the other branch walkable', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const w = tensor([3, 4], { requiresGrad: true });
  const a = x.exp();
  const b = w.exp();
  a.sum().add(b.sum()).backward({ inputs: [w] });
  assert.equal(x.grad, null);
  a.sum().backward();
  assert.deepEqual(x.grad!.tolist(), a.detach().tolist(), 'x.grad is e^x (PyTorch: [2.7183, 7.3891])');
  assert.deepEqual(w.grad!.tolist(), b.detach().tolist());
});
