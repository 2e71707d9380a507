// Zeros meeting ∞ or NaN: the product kernels skip zero entries (exact for finite operands); matmul puts back the
// NaN that IEEE arithmetic, and PyTorch, give where a skipped zero meets an ∞ or a NaN.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matmul, tensor } from '../../src/index.js';

test('matmul: 0·NaN and 0·∞ give NaN, as in PyTorch; ∞ times a non-zero stays ∞; rows without a zero there are untouched', () => {
  assert.equal(String(matmul(tensor([[0, 1]]), tensor([[Number.NaN], [1]])).tolist()), 'NaN');
  assert.equal(String(matmul(tensor([[0]]), tensor([[Infinity]])).tolist()), 'NaN');
  assert.deepEqual(matmul(tensor([[2, 1], [0, 1], [3, 0]]), tensor([[Infinity, 1], [1, 2]])).tolist(), [[Infinity, 4], [Number.NaN, 2], [Infinity, 3]]);
  // Vector forms and a batch.
  assert.ok(Number.isNaN(matmul(tensor([0, 2]), tensor([-Infinity, 1])).item()));
  const batched = matmul(tensor([[[1, 0]], [[0, 1]]]), tensor([[5], [Number.NaN]])).tolist() as number[][][];
  assert.ok(Number.isNaN(batched[0]![0]![0]!));
  assert.ok(Number.isNaN(batched[1]![0]![0]!));
  assert.deepEqual(matmul(tensor([[1, 0]]), tensor([[5], [7]])).tolist(), [[5]]);
});

test('matmul backward: a NaN output gradient meeting a zero input gives NaN in the weight gradient', () => {
  const a = tensor([[0, 1]]);
  const b = tensor([[2], [3]], undefined, { requiresGrad: true });
  matmul(a, b).mul(tensor([[Number.NaN]])).sum().backward();
  const g = b.grad!.tolist() as number[][];
  assert.ok(Number.isNaN(g[0]![0]!), `got ${g[0]![0]}`);
  assert.ok(Number.isNaN(g[1]![0]!));
});
