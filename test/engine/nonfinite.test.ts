// Zeros meeting ∞ or NaN: the product kernels skip zero entries (exact for finite operands); matmul puts back the
// NaN that IEEE arithmetic, and PyTorch, give where a skipped zero meets an ∞ or a NaN.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, manualSeed, matmul, nn, ones, tensor, zeros } from '../../src/index.js';

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

test('F.linear with a weight made by hand: 0·NaN and 0·∞ give NaN, as in PyTorch, forward and in both gradients', () => {
  // Forward, with and without a bias, one input feature and several (PyTorch: nan where a zero meets the NaN).
  assert.ok(Number.isNaN(F.linear(zeros([1, 1]), tensor([[Number.NaN]])).item()));
  assert.deepEqual(F.linear(tensor([[0, 1], [2, 1]]), tensor([[Infinity, 1], [1, 2]]), tensor([10, 20])).tolist(), [[Number.NaN, 22], [Infinity, 24]]);
  // The bias is added after the product, as gemm adds it: the same values as before for finite weights.
  assert.deepEqual(F.linear(tensor([[0.5, 0], [1, 3]]), tensor([[2, 4], [1, -1]]), tensor([0.25, -1])).tolist(), [[1.25, -0.5], [14.25, -3]]);
  // The weight gradient Gᵀ·x: a zero of G meeting an ∞ of x.
  const w = ones([2, 2]).requiresGrad_();
  F.linear(tensor([[Infinity, 1], [1, 1]]), w).backward(zeros([2, 2]));
  const gw = w.grad!.tolist() as number[][];
  assert.ok(Number.isNaN(gw[0]![0]!) && Number.isNaN(gw[1]![0]!), `got ${JSON.stringify(gw)}`);
  assert.deepEqual([gw[0]![1], gw[1]![1]], [0, 0]);
  // The input gradient G·W: a zero of G meeting a NaN of W.
  const x = tensor([[1, 2]]).requiresGrad_();
  F.linear(x, tensor([[Number.NaN, 1], [1, 1]])).backward(tensor([[0, 1]]));
  const gx = x.grad!.tolist() as number[][];
  assert.ok(Number.isNaN(gx[0]![0]!), `got ${JSON.stringify(gx)}`);
  assert.equal(gx[0]![1], 1);
});

test('nn.RNN with an infinite recurrent weight and the default zero h0 gives NaN at the first step, as PyTorch', () => {
  manualSeed(0);
  const rnn = new nn.RNN(1, 1);
  rnn.loadStateDict({ weight_ih_l0: tensor([[1]]), weight_hh_l0: tensor([[Infinity]]), bias_ih_l0: tensor([0]), bias_hh_l0: tensor([0]) });
  const [out] = rnn.forward(tensor([[[0.5]]]));
  // PyTorch 1.13: tanh(0.5·1 + 0·∞) = nan.
  assert.ok(Number.isNaN((out.tolist() as number[][][])[0]![0]![0]!));
});
