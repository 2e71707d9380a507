// A backward started inside another backward's walk (a custom GradFn whose backward calls backward(), as PyTorch's
// checkpointing and custom autograd functions may) keeps the outer walk's pending gradients: each tensor's running
// gradient lives in a field of the tensor during a walk, and the inner walk must not take or clear the outer one's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Tensor, tensor, type GradFn } from '../../src/index.js';

/** An identity op on `x` whose backward first runs `inner`, then passes the gradient through. */
function identityCalling(x: Tensor, inner: () => void): Tensor {
  const out = new Tensor(new Float32Array(x.toArray()), [...x.shape]);
  out.requiresGrad = true;
  const fn: GradFn = {
    name: 'IdentityCalling',
    inputs: [x],
    backward(g: Tensor) {
      inner();
      return [g];
    },
  };
  out.gradFn = fn;
  return out;
}

test('a backward run inside another backward adds its gradients to the outer one\'s, which it leaves pending', () => {
  const a = tensor([1, -2], { requiresGrad: true });
  const x = a.mul(2);
  const w = x.mul(5);
  // The inner pass goes through x, which the outer walk has a pending gradient for (from w) when it runs.
  const c = identityCalling(x, () => x.backward(tensor([3, 4]), { retainGraph: true }));
  c.add(w).sum().backward();
  // Outer: dL/da = 2·(1 + 5) = 12 per element; inner: 2·[3, 4].
  assert.deepEqual([...a.grad!.toArray()], [12 + 6, 12 + 8]);
});

test('an inner backward on a separate graph sharing a leaf, and one that throws, leave the outer walk intact', () => {
  const a = tensor([2], { requiresGrad: true });
  const b = tensor([5], { requiresGrad: true });
  const other = a.mul(b); // d/da = b = 5
  const y = identityCalling(a.mul(3), () => other.backward());
  y.mul(a).sum().backward(); // y·a = 3a²: d/da = 6a = 12
  assert.deepEqual([...a.grad!.toArray()], [12 + 5]);
  assert.deepEqual([...b.grad!.toArray()], [2]);

  const p = tensor([1], { requiresGrad: true });
  const q = p.mul(4);
  const z = identityCalling(q, () => {
    try {
      q.sum().backward(tensor([1, 2]) as never); // a gradient of the wrong shape: refused
    } catch {
      // the outer walk goes on
    }
  });
  z.add(q).sum().backward();
  assert.deepEqual([...p.grad!.toArray()], [8]);
});
