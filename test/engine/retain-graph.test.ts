// A backward pass releases the values its graph saved: a second pass through it is an error unless the first one
// had retainGraph, as in PyTorch. Separate forward passes still add up in the leaves' .grad.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, manualSeed, nn, tensor, type Tensor } from '../../src/index.js';

const leafOf = (v: number[]): Tensor => tensor(v, { requiresGrad: true });
const secondTime = /backward: trying to backward through the graph a second time: the graph \(at (\w+), and before it\) was released by the first backward\(\), with the values it saved\. Pass \{ retainGraph: true \}/;

test('a second backward through the same graph is an error, and adds nothing', () => {
  const x = leafOf([1, 2, 3]);
  const loss = x.mul(x).sum();
  loss.backward();
  assert.deepEqual(x.grad?.tolist(), [2, 4, 6]);
  assert.throws(() => loss.backward(), (e: unknown) => {
    assert.ok(e instanceof Error);
    assert.equal(secondTime.exec(e.message)?.[1], 'sum');
    assert.match(e.message, /run the forward pass again/);
    return true;
  });
  assert.deepEqual(x.grad?.tolist(), [2, 4, 6], 'the failed call added nothing');
  // The saved values are gone: the node keeps its name only.
  assert.equal(loss.gradFn?.name, 'sum');
  assert.deepEqual(loss.gradFn?.inputs, []);
  assert.equal(loss.isLeaf, false);
  // A new forward pass is a new graph: its gradient adds up in .grad, as in PyTorch.
  x.mul(x).sum().backward();
  assert.deepEqual(x.grad?.tolist(), [4, 8, 12]);
});

test('retainGraph keeps the graph for another walk; the walk without it releases it', () => {
  const x = leafOf([1, 2, 3]);
  const y = x.mul(x);
  const loss = y.sum();
  loss.backward({ retainGraph: true });
  assert.equal(y.gradFn?.inputs.length, 2, 'retained: the node still holds its inputs');
  loss.backward({ retainGraph: false });
  assert.deepEqual(x.grad?.tolist(), [4, 8, 12]);
  assert.deepEqual(y.gradFn?.inputs, []);
  assert.throws(() => loss.backward({ retainGraph: true }), secondTime);
  assert.deepEqual(x.grad?.tolist(), [4, 8, 12]);
  // With an explicit gradient, the options come second.
  const z = leafOf([1, -1]);
  const w = z.mul(3);
  w.backward(tensor([1, 2]), { retainGraph: true });
  w.backward(tensor([1, 2]));
  assert.deepEqual(z.grad?.tolist(), [6, 12]);
  assert.throws(() => w.backward(tensor([1, 2])), secondTime);
  // A leaf has no graph to release.
  const s = tensor(5, { requiresGrad: true });
  s.backward();
  s.backward();
  assert.equal(s.grad?.item(), 2);
});

test('two losses sharing part of a graph: the second backward needs the first to retain it; failing adds nothing', () => {
  const x = leafOf([1, 2]);
  const h = x.mul(x);
  h.sum().backward();
  // A new graph built on h goes through h's released node: refused before any gradient is added, even the part
  // (x·3) that does not go through h.
  const c = h.add(x.mul(3)).sum();
  assert.throws(() => c.backward(), (e: unknown) => secondTime.exec((e as Error).message)?.[1] === 'mul');
  assert.deepEqual(x.grad?.tolist(), [2, 4]);

  const x2 = leafOf([1, 2]);
  const h2 = x2.mul(x2);
  h2.sum().backward({ retainGraph: true });
  h2.mul(2).sum().backward();
  assert.deepEqual(x2.grad?.tolist(), [2 + 4, 4 + 8]);
});

test('a training step through modules: the loss can be walked once; forward again for the next step', () => {
  manualSeed(4);
  const model = new nn.Sequential(new nn.Linear(3, 2), new nn.Sigmoid());
  const x = tensor([[1, 0, -1]]);
  const loss = model.forward(x).sum();
  loss.backward();
  const once = model.parameters().map((p) => [...p.grad!.toArray()]);
  assert.throws(() => loss.backward(), secondTime);
  assert.deepEqual(model.parameters().map((p) => [...p.grad!.toArray()]), once);
  model.forward(x).sum().backward();
  const twice = model.parameters().map((p) => [...p.grad!.toArray()]);
  twice.forEach((g, i) => g.forEach((v, j) => assert.ok(Math.abs(v - 2 * once[i]![j]!) <= 1e-6 * Math.max(1, Math.abs(v)))));
});

test('backward options are checked, with messages that say what to write', () => {
  const loss = (): Tensor => leafOf([1, 2]).sum();
  const call = (...args: unknown[]): void => (loss().backward as (...a: unknown[]) => void)(...args);
  assert.throws(() => call({ retain_graph: true }), /backward: unknown option "retain_graph" \(did you mean retainGraph\?\); the options are retainGraph/);
  assert.throws(() => call({ createGraph: 'yes' }), /backward: createGraph must be true or false, got the string "yes"/);
  assert.throws(() => call({ retainGraph: 'yes' }), /backward: retainGraph must be true or false, got the string "yes"/);
  assert.throws(() => call(undefined, 'yes'), /backward: retainGraph must be true or false, got the string "yes"/);
  assert.throws(() => call(null, true, false, null, 1), /backward: takes at most 4 arguments \(backward\(gradient, retainGraph, createGraph, inputs\).*got the number 1 as argument 5/);
  assert.throws(() => call(null, true, { retainGraph: false }), /backward: retainGraph given twice: true by position and false in the options/);
  assert.throws(() => call({ retainGraph: true }, tensor(1)), /backward: the options come last, after the gradient, as in backward\(gradient, \{ retainGraph: true \}\); got a Tensor of shape \[\] after the options/);
  assert.throws(() => call([1]), /backward: gradient must be a Tensor of shape \[\], got an array/);
  assert.throws(() => call({ inputs: 'x' }), /backward: inputs must be a Tensor or an array of Tensors, got the string "x"/);
  assert.throws(() => call({ inputs: [tensor([1])] }), /backward: inputs\[0\] \(shape \[1\]\) does not require grad/);
  const l = loss();
  l.backward(undefined, { retainGraph: true });
  l.backward({});
  assert.throws(() => l.backward(), secondTime);
});

test('the flags may come by position, in PyTorch 1.13\'s order (loss.backward(None, True), autograd.grad(y, x, None, True, True))', () => {
  // Each value below is PyTorch 1.13's for the same call.
  const x = leafOf([1, 2]);
  const y = x.pow(2).sum();
  y.backward(null, true); // retainGraph
  y.backward();
  assert.deepEqual(x.grad?.tolist(), [4, 8]);
  const x2 = leafOf([1, 2]);
  x2.pow(3).sum().backward(null, null, true); // createGraph (retainGraph None: its default)
  assert.deepEqual(x2.grad?.tolist(), [3, 12]);
  assert.equal(x2.grad?.requiresGrad, true);
  const [a, w] = [leafOf([1, 2]), leafOf([3, 4])];
  a.mul(w).sum().backward(null, null, false, [a]); // inputs
  assert.deepEqual(a.grad?.tolist(), [3, 4]);
  assert.equal(w.grad, null);
  const x3 = leafOf([1, 2]);
  const y3 = x3.mul(2);
  y3.backward(tensor([1, 3]), true, { createGraph: false });
  y3.backward(tensor([1, 3]));
  assert.deepEqual(x3.grad?.tolist(), [4, 12]);

  // autograd.grad(outputs, inputs, gradOutputs, retainGraph, createGraph, onlyInputs, allowUnused)
  const x4 = leafOf([1, 2]);
  const y4 = x4.pow(3).sum();
  const [g] = autograd.grad(y4, x4, null, true, true);
  assert.deepEqual(g!.tolist(), [3, 12]);
  assert.equal(g!.requiresGrad, true);
  assert.deepEqual(autograd.grad(y4, x4)[0]!.tolist(), [3, 12]);
  const unused = autograd.grad(x4.pow(2).sum(), [x4, leafOf([3])], null, null, false, true, true);
  assert.deepEqual(unused.map((t) => t?.tolist() ?? null), [[2, 4], null]);
  assert.throws(() => (autograd.grad as (...a: unknown[]) => unknown)(x4.sum(), x4, null, true, false, true, false, 9), /grad: takes at most 7 arguments .*got the number 9 as argument 8/);
  // PyTorch 1.13's eighth is is_grads_batched: False (its default) is taken, True refused as Kindling has it not.
  assert.deepEqual([...(autograd.grad as (...a: unknown[]) => Tensor[])(x4.sum(), x4, null, null, false, true, false, false)[0]!.toArray()], [1, 1]);
  assert.throws(() => (autograd.grad as (...a: unknown[]) => unknown)(x4.sum(), x4, null, null, false, true, false, true), /grad: isGradsBatched \(argument 8\) is not supported: call grad once per gradient/);

  // autograd.backward(tensors, gradTensors, retainGraph, createGraph, gradVariables, inputs)
  const x5 = leafOf([1, 2]);
  const y5 = x5.pow(2).sum();
  autograd.backward([y5], null, true);
  autograd.backward(y5);
  assert.deepEqual(x5.grad?.tolist(), [4, 8]);
  const [b, v] = [leafOf([1, 2]), leafOf([3, 4])];
  autograd.backward(b.mul(v).sum(), null, null, false, null, [b]);
  assert.deepEqual(b.grad?.tolist(), [3, 4]);
  assert.equal(v.grad, null);
  assert.throws(() => (autograd.backward as (...a: unknown[]) => unknown)(b.sum(), null, null, false, tensor(1)), /backward: gradVariables is PyTorch's deprecated name for gradTensors/);
});
