// nn.utils.parametersToVector and vectorToParameters (PyTorch's parameters_to_vector, vector_to_parameters).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, tensor } from '../../src/index.js';

test('parametersToVector joins the parameters flattened, in order, in the graph', () => {
  const a = tensor([[1, 2], [3, 4]], undefined, { requiresGrad: true });
  const b = tensor([5, 6, 7], undefined, { requiresGrad: true });
  const v = nn.utils.parametersToVector([a, b]);
  assert.deepEqual(v.shape, [7]);
  assert.deepEqual(Array.from(v.toArray()), [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(Array.from(nn.utils.parametersToVector([b, a]).toArray()), [5, 6, 7, 1, 2, 3, 4]);
  v.mul(tensor([1, 2, 3, 4, 5, 6, 7])).sum().backward();
  assert.deepEqual(Array.from(a.grad!.toArray()), [1, 2, 3, 4]);
  assert.deepEqual(Array.from(b.grad!.toArray()), [5, 6, 7]);
  const lin = new nn.Linear(3, 2);
  assert.equal(nn.utils.parametersToVector(lin.parameters()).numel(), 8);
});

test('vectorToParameters writes the values in place, outside the graph, and checks the length', () => {
  const lin = new nn.Linear(3, 2);
  const [w, bias] = lin.parameters();
  const vec = tensor([1, 2, 3, 4, 5, 6, 7, 8], undefined, { requiresGrad: true });
  const version = w!.version;
  nn.utils.vectorToParameters(vec.mul(2), lin.parameters());
  assert.deepEqual(Array.from(w!.toArray()), [2, 4, 6, 8, 10, 12]);
  assert.deepEqual(Array.from(bias!.toArray()), [14, 16]);
  assert.ok(w!.isLeaf && bias!.isLeaf && w!.requiresGrad);
  assert.equal(w!.gradFn, null);
  assert.ok(w!.version > version);
  // The round trip gives the same vector.
  assert.deepEqual(Array.from(nn.utils.parametersToVector(lin.parameters()).toArray()), [2, 4, 6, 8, 10, 12, 14, 16]);
  // Nothing flows back to vec through the parameters.
  lin.forward(tensor([[1, 1, 1]])).sum().backward();
  assert.equal(vec.grad, null);
  assert.throws(() => nn.utils.vectorToParameters(tensor([1, 2, 3]), lin.parameters()), /vec has 3 values, the parameters hold 8/);
  assert.throws(() => nn.utils.vectorToParameters([1, 2] as never, lin.parameters()), /expected a Tensor/);
  assert.deepEqual(Array.from(w!.toArray()), [2, 4, 6, 8, 10, 12]);
});

test('vectorToParameters takes the first values of a longer vec, as PyTorch 1.13', () => {
  // PyTorch: vector_to_parameters(torch.arange(10.), nn.Linear(2, 1).parameters()) -> weight [[0., 1.]], bias [2.]
  const lin = new nn.Linear(2, 1);
  nn.utils.vectorToParameters(tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), lin.parameters());
  assert.deepEqual(Array.from(lin.weight.toArray()), [0, 1]);
  assert.deepEqual(Array.from(lin.bias!.toArray()), [2]);
  // A shorter one is refused (PyTorch: RuntimeError shape '[1]' is invalid for input of size 0).
  assert.throws(() => nn.utils.vectorToParameters(tensor([0, 1]), lin.parameters()), /vec has 2 values, the parameters hold 3/);
});
