// x.where(condition, other): PyTorch's Tensor.where, the method form of where(condition, x, other).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tensor, where } from '../../src/index.js';

test('x.where(cond, y) keeps x where cond is non-zero and takes y elsewhere, with where()\'s broadcasting and gradients', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
  const y = tensor([10, 20, 30], { requiresGrad: true });
  const cond = tensor([true, false, true]);
  const out = x.where(cond, y);
  assert.deepEqual(out.shape, [2, 3]);
  assert.deepEqual(out.tolist(), [[1, 20, 3], [4, 20, 6]]);
  assert.deepEqual(out.tolist(), where(cond, x, y).tolist());
  out.mul(tensor([[1, 2, 3], [4, 5, 6]])).sum().backward();
  // d/dx is the upstream where cond holds; d/dy sums the upstream over the broadcast rows where it does not.
  assert.deepEqual(x.grad!.tolist(), [[1, 0, 3], [4, 0, 6]]);
  assert.deepEqual(y.grad!.tolist(), [0, 7, 0]);
  // A number as the other operand; a float condition cast to bool (NaN counts as true, as any non-zero).
  assert.deepEqual(tensor([1, 2, 3]).where(tensor([0, NaN, 2]).bool(), -1).tolist(), [-1, 2, 3]);
  assert.throws(() => tensor([1, 2]).where(tensor([true, false, true]), 0), { name: 'RangeError', message: /where/ });
  assert.throws(() => tensor([1, 2]).where([1, 0] as never, 0), { name: 'TypeError', message: /where/ });
  // A float condition is refused, as PyTorch 1.13 refuses torch.where(x, x, y) for a float x.
  assert.throws(() => tensor([1, 2]).where(tensor([1, 0]), 0), { name: 'TypeError', message: /^where: where expected condition to be a boolean tensor, but got a tensor with dtype Float/ });
  assert.throws(() => where(tensor([1, 0]).gt(0).float(), 1, 0), /where expected condition to be a boolean tensor/);
});
