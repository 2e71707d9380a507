// A walk toward chosen tensors (autograd.grad, backward's `inputs`) as PyTorch 1.13's engine runs it: the nodes it
// does not need are neither run nor released, so a later backward through them works; and a tensor of backward's
// `inputs` computed by an op starts retaining its gradient (PyTorch's run_backward calls retain_grad() on it).
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

test('a tensor computed by an op given in backward\'s inputs retains its gradient from then on', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const y = x.mul(3);
  const z = y.mul(y).sum();
  autograd.grad(z, [y], { retainGraph: true });
  assert.equal(y.retainsGrad, false, 'autograd.grad does not (PyTorch: retains_grad False)');
  z.backward({ inputs: [y], retainGraph: true });
  assert.equal(y.retainsGrad, true);
  assert.deepEqual(y.grad!.tolist(), [6, 12]);
  assert.equal(x.grad, null);
  // A plain backward adds into y.grad too, as PyTorch's (y.grad [12, 24], x.grad [18, 36]).
  z.backward();
  assert.deepEqual(y.grad!.tolist(), [12, 24]);
  assert.deepEqual(x.grad!.tolist(), [18, 36]);
});

test('the retained gradient of a tensor of backward\'s inputs comes after its hooks, as PyTorch 1.13\'s', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const y = x.mul(3);
  const z = y.mul(y).sum();
  y.registerHook((g) => g.mul(10));
  z.backward({ inputs: [y], retainGraph: true });
  assert.deepEqual(y.grad!.tolist(), [60, 120]);
  // A hook registered later joins the first one's block, before retainGrad's place.
  y.registerHook((g) => g.mul(2));
  z.backward({ inputs: [y], retainGraph: true });
  assert.deepEqual(y.grad!.tolist(), [180, 360]);
  z.backward({ retainGraph: true });
  assert.deepEqual(y.grad!.tolist(), [300, 600]);
  assert.deepEqual(x.grad!.tolist(), [360, 720]);
  // autograd.backward's inputs do the same; a leaf among them does not start retaining.
  const a = tensor([1, 2], { requiresGrad: true });
  const b = a.exp();
  autograd.backward([b.sum()], { inputs: [b] });
  assert.equal(b.retainsGrad, true);
  assert.deepEqual(b.grad!.tolist(), [1, 1]);
  assert.equal(a.grad, null);
  const w = tensor([1, 2], { requiresGrad: true });
  w.mul(w).sum().backward({ inputs: [w] });
  assert.equal(w.retainsGrad, false);
  assert.deepEqual(w.grad!.tolist(), [2, 4]);
});
