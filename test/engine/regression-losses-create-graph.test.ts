// smoothL1Loss and huberLoss differentiated with createGraph give the gradient the plain backward gives, as PyTorch
// 1.13's smooth_l1_loss_backward / huber_loss_backward do either way: the graph of the gradient used to be the
// derivative of |x − y| written with ops, which gave 0 where PyTorch breaks a tie at beta 0 with −1, 0 for a NaN
// difference (PyTorch: NaN) and NaN for an infinite one (PyTorch: ±delta). Expected values are PyTorch 1.13's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, F, tensor } from '../../src/index.js';

const values = (t: { toArray(): ArrayLike<number> } | null | undefined): number[] => Array.from(t!.toArray());

test('smoothL1Loss with beta 0: the tie x = y takes −1 for the input and the target alike, with createGraph too', () => {
  const x = tensor([0, 1, -1], { requiresGrad: true });
  const y = tensor([0, 1, -1], { requiresGrad: true });
  const loss = F.smoothL1Loss(x, y, { beta: 0 });
  const plain = autograd.grad([loss], [x, y], undefined, { retainGraph: true });
  const graphed = autograd.grad([loss], [x, y], undefined, { createGraph: true });
  // PyTorch 1.13, with and without create_graph: [-1/3, -1/3, -1/3] for both.
  const third = Math.fround(-1 / 3);
  for (const g of [...plain, ...graphed]) assert.deepEqual(values(g), [third, third, third]);
});

test('smoothL1Loss with createGraph: a NaN difference has a NaN gradient; the second derivative is 1/beta inside', () => {
  const x = tensor([NaN, 0.5, 3], { requiresGrad: true });
  const [g] = autograd.grad([F.smoothL1Loss(x, tensor([0, 0, 0]), { reduction: 'sum' })], [x], undefined, { createGraph: true });
  // PyTorch 1.13: [nan, 0.5, 1], and the gradient of its sum [0, 1, 0].
  assert.deepEqual(values(g), [NaN, 0.5, 1]);
  assert.deepEqual(values(autograd.grad([g!.sum()], [x])[0]), [0, 1, 0]);
});

test('huberLoss with createGraph: an infinite difference has the gradient ±delta, not NaN', () => {
  const x = tensor([Infinity, -Infinity, 0.2], { requiresGrad: true });
  const [g] = autograd.grad([F.huberLoss(x, tensor([1, 1, 0]), { reduction: 'sum', delta: 0.5 })], [x], undefined, { createGraph: true });
  // PyTorch 1.13: [0.5, -0.5, 0.2], and the gradient of its sum [0, 0, 1].
  assert.deepEqual(values(g), [0.5, -0.5, Math.fround(0.2)]);
  assert.deepEqual(values(autograd.grad([g!.sum()], [x])[0]), [0, 0, 1]);
});
