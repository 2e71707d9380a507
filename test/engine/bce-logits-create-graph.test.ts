// bceWithLogitsLoss with posWeight differentiated with createGraph at infinite logits: the target's gradient
// log σ(−x) − posWeight·log σ(x) written with ops went through ∞ − ∞ (NaN) at x = ±∞, where PyTorch 1.13's
// log_sigmoid gives ∓∞, and the NaN spread into the second derivative. Expected values are PyTorch 1.13's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, F, tensor } from '../../src/index.js';

test('bceWithLogitsLoss with posWeight: the target gradient with createGraph at ±∞ logits is ∓∞, and its derivative finite', () => {
  const x = tensor([Infinity, -Infinity, 0.5], { requiresGrad: true });
  const y = tensor([1, 0, 0.3], { requiresGrad: true });
  const loss = F.binaryCrossEntropyWithLogits(x, y, { posWeight: tensor([2]), reduction: 'sum' });
  const [gx, gy] = autograd.grad([loss], [x, y], undefined, { createGraph: true });
  // PyTorch 1.13: gx [0, 0, 0.20919710397720337], gy [-inf, inf, -0.02592301368713379].
  const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-6 * Math.abs(b);
  const gxs = Array.from(gx!.toArray());
  assert.deepEqual(gxs.slice(0, 2), [0, 0]);
  assert.ok(close(gxs[2]!, 0.20919710397720337), `gx[2] ${gxs[2]}`);
  const gys = Array.from(gy!.toArray());
  assert.deepEqual(gys.slice(0, 2), [-Infinity, Infinity]);
  assert.ok(close(gys[2]!, -0.02592301368713379), `gy[2] ${gys[2]}`);
  // PyTorch 1.13: the gradient of the sum of gy in x, −σ(x) − posWeight·σ(−x): [-1, -2, -1.3775405883789062].
  const [ggx] = autograd.grad([gy!.sum()], [x]);
  const g = Array.from(ggx!.toArray());
  assert.deepEqual(g.slice(0, 2), [-1, -2]);
  assert.ok(close(g[2]!, -1.3775405883789062), `ggx[2] ${g[2]}`);
});
