// matmul with operands of rank > 3 (torch.matmul's rules): finite-difference gradients against a float64 reference
// (test/engine/ref.ts), views as operands, gradients summed over broadcast batch dimensions, and the errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matmul, tensor, zeros } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import * as R from './ref.js';
import { throwsWith } from './throws.js';

const rng = new Rng(47);
const r = (t: { toArray(): ArrayLike<number>; shape: readonly number[] }): R.Ref => R.ref(t.toArray(), t.shape);

test('gradcheck matmul with operands of rank 1 to 5, batch dimensions broadcast', () => {
  const cases: Array<[number[], number[]]> = [
    [[2, 1, 3, 4], [5, 4, 6]],
    [[7, 1, 2, 3], [3]],
    [[3], [2, 4, 3, 5]],
    [[2, 3, 2, 4], [2, 3, 4, 2]],
    [[2, 3, 2, 4], [4, 3]],
    [[2, 3], [2, 2, 3, 4]],
    [[1, 3, 2, 4], [2, 1, 4, 3]],
    [[2, 1, 3, 1, 4], [2, 1, 4, 2]],
    [[1, 1, 3, 4], [4, 2]],
    [[4], [1, 2, 1, 4, 3]],
    [[2, 2, 1, 3, 4], [4]],
    [[3, 2, 4], [2, 1, 4, 3]],
    [[1, 2, 3], [3, 1, 3, 2]],
  ];
  for (const [sa, sb] of cases) {
    const a = leaf(rng, sa);
    const b = leaf(rng, sb);
    gradcheck(`matmul ${JSON.stringify(sa)} @ ${JSON.stringify(sb)}`, { leaves: [a, b], forward: () => matmul(a, b), reference: ([x, y]) => R.matmul(x!, y!) });
  }
});

test('gradcheck 4-D matmul where only one operand requires grad, and with the same tensor on both sides', () => {
  const a = leaf(rng, [2, 1, 3, 4]);
  const b = leaf(rng, [3, 4, 3]).detach();
  const br = r(b);
  gradcheck('a @ constant', { leaves: [a], forward: () => matmul(a, b), reference: ([x]) => R.matmul(x!, br) });
  const c = leaf(rng, [2, 3, 4, 5]);
  const ar = r(a.detach());
  gradcheck('constant @ c', { leaves: [c], forward: () => matmul(a.detach(), c), reference: ([y]) => R.matmul(ar, y!) });
  const s = leaf(rng, [2, 1, 3, 3]);
  gradcheck('s @ s', { leaves: [s], forward: () => s.matmul(s), reference: ([x]) => R.matmul(x!, x!) });
});

test('gradcheck 4-D matmul of views: permuted, transposed and expanded operands', () => {
  const p = leaf(rng, [3, 2, 4, 2]);
  gradcheck('p.permute(1, 0, 3, 2) @ q', {
    leaves: [p],
    forward: () => p.permute(1, 0, 3, 2).matmul(p.permute(1, 0, 2, 3)),
    reference: ([x]) => R.matmul(R.permute(x!, [1, 0, 3, 2]), R.permute(x!, [1, 0, 2, 3])),
  });
  const v = leaf(rng, [3, 4]);
  const w = leaf(rng, [2, 1, 4, 5]);
  gradcheck('v.expand(2, 2, 3, 4) @ w', {
    leaves: [v, w],
    forward: () => v.expand(2, 2, 3, 4).matmul(w.transpose(0, 1)),
    reference: ([x, y]) => R.matmul(R.expand(x!, [2, 2, 3, 4]), R.permute(y!, [1, 0, 2, 3])),
  });
});

test('a 2-D weight under a 4-D input: its gradient is summed over the batch and accumulates across backward calls', () => {
  const x = leaf(rng, [2, 3, 4, 5]);
  const W = leaf(rng, [5, 6]);
  const G = tensor(Array.from({ length: 2 * 3 * 4 * 6 }, () => rng.uniform(-1, 1)), [2, 3, 4, 6]);
  const y = x.matmul(W);
  y.backward(G);
  x.matmul(W).backward(G);
  const xr = r(x.detach());
  const dW = R.matmul(R.reshape(R.permute(xr, [3, 0, 1, 2]), [5, 24]), R.reshape(r(G), [24, 6]));
  const got = W.grad!.toArray();
  assert.deepEqual([...W.grad!.shape], [5, 6]);
  dW.data.forEach((v, i) => assert.ok(Math.abs(got[i]! - 2 * v) <= 1e-5 * Math.max(1, Math.abs(v)), `dW[${i}]: ${got[i]} vs ${2 * v}`));
  // The values are those of the same product over x flattened to 2-D.
  assert.deepEqual(y.toArray(), x.reshape(24, 5).matmul(W).toArray());
});

test('4-D matmul with an empty batch gives an empty result and zero gradients', () => {
  const a = zeros([0, 1, 2, 3], { requiresGrad: true });
  const b = tensor(Array.from({ length: 24 }, (_, i) => i), [2, 3, 4], { requiresGrad: true });
  const y = matmul(a, b);
  assert.deepEqual(y.shape, [0, 2, 2, 4]);
  y.sum().backward();
  assert.deepEqual(a.grad!.shape, [0, 1, 2, 3]);
  assert.deepEqual(Array.from(b.grad!.toArray()), new Array<number>(24).fill(0));
});

test('matmul errors beyond 3-D name both shapes and what was expected', () => {
  throwsWith(() => matmul(zeros([2, 3, 4, 5]), zeros([2, 3, 4, 5])), RangeError,
    'matmul: shapes [2, 3, 4, 5] and [2, 3, 4, 5] cannot be multiplied (5 vs 4)');
  throwsWith(() => matmul(zeros([2, 1, 3, 4]), zeros([3])), RangeError, 'matmul: shapes [2, 1, 3, 4] and [3] cannot be multiplied (4 vs 3)');
  throwsWith(() => matmul(zeros([4]), zeros([2, 3, 5, 2])), RangeError, 'matmul: shapes [4] and [2, 3, 5, 2] cannot be multiplied (4 vs 5)');
  throwsWith(() => matmul(zeros([2, 3, 4, 5]), zeros([4, 5, 6])), RangeError,
    'matmul: batch dimensions of shapes [2, 3, 4, 5] and [4, 5, 6] do not broadcast (batch shapes [2, 3] and [4], dimension 1: 3 vs 4; each must be equal or 1)');
  throwsWith(() => zeros([3, 1, 2, 3, 4]).matmul(zeros([2, 3, 4, 1])), RangeError, 'matmul', '[3, 1, 2, 3, 4]', '[2, 3, 4, 1]', '[3, 1, 2] and [2, 3]');
  throwsWith(() => matmul(zeros([2, 2, 2, 2]), zeros([])), RangeError, 'matmul: both arguments need at least 1 dimension', '[2, 2, 2, 2]', '[]');
});
