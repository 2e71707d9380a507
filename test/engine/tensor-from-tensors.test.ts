// tensor([...]) takes one-element tensors among the numbers, as torch.tensor([loss1, loss2]) does: their values,
// detached; a larger tensor is refused with its position and shape, pointing to stack and cat.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stack, tensor } from '../../src/index.js';
import { throwsWith } from './throws.js';

test('one-element tensors in an array are taken as their values, detached, nested or flat with a shape', () => {
  const a = tensor(1.5, { requiresGrad: true });
  const loss = a.mul(a);
  const t = tensor([loss, tensor([2]), 3]);
  assert.deepEqual(t.shape, [3]);
  assert.deepEqual(t.tolist(), [2.25, 2, 3]);
  assert.equal(t.requiresGrad, false);
  assert.equal(t.gradFn, null);
  assert.deepEqual(tensor([[tensor(1), 2], [3, tensor([[4]])]]).tolist(), [[1, 2], [3, 4]]);
  assert.deepEqual(tensor([tensor(1), 2, 3, tensor(4)], [2, 2]).tolist(), [[1, 2], [3, 4]]);
  // A copy of the value: changing the tensor later leaves the new one as it was.
  const b = tensor(7);
  const c = tensor([b]);
  b.data[0] = 8;
  assert.deepEqual(c.tolist(), [7]);
  assert.deepEqual(stack([tensor([1, 2]), tensor([3, 4])]).tolist(), [[1, 2], [3, 4]], 'the way the message points to');
});

test('a tensor of more than one element, or anything else that is not a number, is refused where it is', () => {
  throwsWith(() => tensor([tensor([1, 2]), tensor([3, 4])]), TypeError, 'tensor: [0] is a tensor of shape [2]; only one-element tensors can be taken as numbers (as in PyTorch). To join tensors, use stack([...]) or cat([...])');
  throwsWith(() => tensor([[1, 2], [3, tensor([4, 5])]]), TypeError, 'tensor: [1][1] is a tensor of shape [2]');
  throwsWith(() => tensor([1, tensor([]), 3], [3]), TypeError, 'tensor: [1] is a tensor of shape [0]');
  throwsWith(() => tensor([1, {} as never]), TypeError, 'tensor: expected a number at [1], got an object');
  throwsWith(() => tensor([1, 'a' as never], [2]), TypeError, 'tensor: expected a number at [1], got the string "a"');
});
