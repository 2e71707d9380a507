// The class-margin losses' output shapes against PyTorch 1.13: an unbatched multilabelMarginLoss with reduction
// 'none' is one 0-d loss, as PyTorch's kernel resizes its output to {} whenever the target has at most one dimension;
// Kindling gave [1], and a gradient graph built through it (createGraph) then failed on the gradient's shape.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, F, tensor } from '../../src/index.js';

test("multilabelMarginLoss of one sample [C] with reduction 'none' is 0-d, as PyTorch's", () => {
  const x = tensor([0.1, 0.5, -0.3, 0.9], { requiresGrad: true });
  const y = tensor([3, 0, -1, 1]);
  const loss = F.multilabelMarginLoss(x, y, { reduction: 'none' });
  assert.deepEqual(loss.shape, []);
  // PyTorch 1.13: 0.6499999761581421 (the float32 of 0.65), shape [].
  assert.equal(loss.item(), Math.fround(0.65));
  // A batch of one keeps its batch dimension, as in PyTorch: [1].
  assert.deepEqual(F.multilabelMarginLoss(x.detach().unsqueeze(0), y.unsqueeze(0), { reduction: 'none' }).shape, [1]);
  // PyTorch 1.13's torch.autograd.grad(loss, x, tensor(2.), create_graph=True): [-1, 1, 0.5, -0.5].
  const [g] = autograd.grad([loss], [x], [tensor(2)], { createGraph: true });
  assert.deepEqual(Array.from(g!.toArray()), [-1, 1, 0.5, -0.5]);
});
