// A checkpointed segment's backward runs a backward pass of its own (PyTorch 1.13's reentrant form): a walk toward
// chosen tensors (autograd.grad, backward's inputs) is refused as PyTorch refuses it, and a walk with createGraph is
// refused rather than return a gradient without a graph (a gradient penalty through it would silently add nothing).
// Both refusals come before any gradient is added, and a walk that does not pass through the segment is allowed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, manualSeed, nn, randn, utils, type Tensor } from '../../src/index.js';

const { checkpoint } = utils.checkpoint;

function critic(): nn.Sequential {
  manualSeed(0);
  return new nn.Sequential(new nn.Linear(4, 16), new nn.Tanh(), new nn.Linear(16, 1));
}

function setup(): { m: nn.Sequential; x: Tensor; out: Tensor } {
  const m = critic();
  const x = randn(8, 4).requiresGrad_();
  return { m, x, out: checkpoint((a: Tensor) => m.forward(a), x) };
}

const noGrads = (m: nn.Module): boolean => m.parameters().every((p) => p.grad === null);

test('checkpoint: autograd.grad and backward\'s inputs through a segment are refused before adding anything', () => {
  const { m, x, out } = setup();
  assert.throws(() => autograd.grad(out.sum(), x), /CheckpointFunctionBackward: checkpointing is not compatible with autograd\.grad\(\)/);
  assert.throws(() => out.sum().backward(undefined, { inputs: [x] }), /not compatible with autograd\.grad\(\) or with backward\(\)'s inputs option/);
  assert.ok(noGrads(m));
  assert.equal(x.grad, null);
  // The graph is intact: a plain backward afterwards gives the gradients of the pass without checkpointing.
  out.sum().backward();
  const plain = critic();
  const x2 = x.detach().requiresGrad_();
  plain.forward(x2).sum().backward();
  assert.deepEqual(x.grad!.tolist(), x2.grad!.tolist());
  assert.deepEqual(m.parameters().map((p) => p.grad!.tolist()), plain.parameters().map((p) => p.grad!.tolist()));
});

test('checkpoint: createGraph through a segment is refused, where it would give a gradient without a graph', () => {
  const { m, x, out } = setup();
  assert.throws(() => autograd.grad(out.sum(), x, { createGraph: true }), /createGraph: the gradient of CheckpointFunctionBackward \(output shape \[8, 1\]\) cannot be differentiated again/);
  assert.throws(() => out.sum().backward(undefined, { createGraph: true }), /checkpointed segment's backward runs a backward pass of its own/);
  assert.ok(noGrads(m));
  assert.equal(x.grad, null);
});

test('checkpoint: a two-output segment is refused the same way', () => {
  manualSeed(1);
  const a = randn(3).requiresGrad_();
  const [p, q] = checkpoint((u: Tensor) => [u.mul(2), u.exp()] as const, a);
  assert.throws(() => autograd.grad(p!.sum().add(q!.sum()), a), /checkpointing is not compatible/);
  assert.throws(() => p!.sum().add(q!.sum()).backward(undefined, { createGraph: true }), /cannot be differentiated again/);
  assert.equal(a.grad, null);
});

test('checkpoint: autograd.grad toward a tensor the walk reaches without passing through the segment is allowed', () => {
  const { out } = setup();
  const w = randn(1).requiresGrad_();
  const [g] = autograd.grad(out.mul(w).sum(), w);
  assert.ok(Math.abs(g!.item() - out.sum().item()) < 1e-5);
});
