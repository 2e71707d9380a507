// The second derivative through sigmoid (and so through GLU's gate) where the incoming gradient is infinite: PyTorch
// 1.13 records sigmoid's gradient as SigmoidBackwardBackward0, whose derivative in the output is (h·g)·(1 − 2·y), ±∞
// there; differentiating g·(1 − y)·y as composed ops gave h·g·(1 − y) − h·g·y, ∞ − ∞ = NaN. Values from PyTorch 1.13:
//   g, = grad(f(x).sum(), x, create_graph=True); h, = grad(g.sum(), x)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, F, tensor, type NestedArray, type Tensor } from '../../src/index.js';

/** Each value within 1e-6 of PyTorch's (relative), ±∞ and NaN where PyTorch has them. */
function close(actual: Tensor, expected: NestedArray, what: string): void {
  const a = actual.toArray();
  const e = (Array.isArray(expected) ? (expected as unknown[]).flat(2) : [expected]) as number[];
  assert.equal(a.length, e.length, what);
  e.forEach((want, i) => {
    const got = a[i]!;
    const ok = Number.isNaN(want) ? Number.isNaN(got) : !Number.isFinite(want) ? got === want : Math.abs(got - want) <= 1e-6 * Math.abs(want) + 1e-30;
    assert.ok(ok, `${what}[${i}]: PyTorch ${want}, Kindling ${got}`);
  });
}

function twice(f: (x: Tensor) => Tensor, x: Tensor): [Tensor, Tensor] {
  const [g] = autograd.grad(f(x).sum(), x, { createGraph: true });
  const [h] = autograd.grad(g!.sum(), x);
  return [g!, h!];
}

test('sigmoid\'s gradient under createGraph is PyTorch\'s SigmoidBackwardBackward0, ±∞ where the gradient coming in is', () => {
  const c = tensor([Infinity, -Infinity, Infinity, 2]);
  const [g, h] = twice((x) => c.mul(x.sigmoid()), tensor([1, -1, 0, 3], { requiresGrad: true }));
  assert.equal(g.gradFn?.torchName, 'SigmoidBackwardBackward0');
  close(g, [Infinity, -Infinity, Infinity, 0.09035331010818481], 'g');
  // At x = 0, 1 − 2·σ(0) = 0 and ∞·0 is NaN in PyTorch too.
  close(h, [-Infinity, -Infinity, NaN, -0.08178313821554184], 'h');
});

test('GLU\'s second derivative with an infinite first half is ±∞ as PyTorch\'s, and 0 where its terms cancel', () => {
  const x = tensor([[Infinity, -Infinity, Infinity, -1], [1, -1, -30, -30]], { requiresGrad: true });
  const [g, h] = twice((t) => F.glu(t, 0), x);
  close(g, [[0.7310585975646973, 0.2689414322376251, 9.357623589846195e-14, 9.357623589846195e-14], [Infinity, -Infinity, Infinity, -9.357623589846195e-14]], 'g');
  close(h, [[0.1966119259595871, 0.1966119408607483, 9.357623589846195e-14, 9.357623589846195e-14], [-Infinity, -Infinity, Infinity, 0]], 'h');
});
