// linalg.invEx, solveEx, vecdot, diagonal, tensorinv and tensorsolve against PyTorch 1.13 (fixtures/torch/
// linalg-more.json, from make_linalg_more.py): values, node names and gradients; info for singular matrices; and
// PyTorch's refusals with its messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eye, linalg, ones, stack, tensor, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

interface Case { inputs: EncodedTensor[]; out: EncodedTensor; node: string; upstream: EncodedTensor; grads: EncodedTensor[] }
const fx = loadFixture<{
  cases: Record<string, Case>;
  singular: { invInfo: number; solveInfo: number[]; solveFirst: EncodedTensor };
  refusals: Record<string, { type: string; message: string }>;
}>('linalg-more.json');

const eye3 = eye(3).mul(2);
const CALLS: Record<string, (...t: Tensor[]) => Tensor> = {
  'invEx': (a) => linalg.invEx(a.add(eye3)).inverse,
  'solveEx': (a, b) => linalg.solveEx(a.add(eye3), b).result,
  'solveEx left false': (a, b) => linalg.solveEx(a.add(eye3), b, { left: false }).result,
  'vecdot': (x, y) => linalg.vecdot(x, y),
  'vecdot dim 0': (x, y) => linalg.vecdot(x, y, { dim: 0 }),
  'diagonal': (a) => linalg.diagonal(a),
  'diagonal offset': (a) => linalg.diagonal(a, { offset: 1, dim1: 0, dim2: 2 }),
  'tensorinv': (a) => linalg.tensorinv(a.add(eye(6).reshape([6, 2, 3]).mul(2)), { ind: 1 }),
  'tensorinv ind 2': (a) => linalg.tensorinv(a.add(eye(6).reshape([2, 3, 6]).mul(2))),
  'tensorsolve': (a, b) => linalg.tensorsolve(a.add(eye(6).reshape([2, 3, 6]).mul(2)), b),
  'tensorsolve dims': (a, b) => linalg.tensorsolve(a.add(eye(6).reshape([6, 2, 3]).mul(2)), b, { dims: [0] }),
};

for (const [name, c] of Object.entries(fx.cases)) {
  test(`linalg: ${name}: PyTorch's values, node ${c.node} and gradients`, () => {
    const leaves = c.inputs.map((e) => decode(e, true));
    const out = CALLS[name]!(...leaves);
    assertTensorClose(out, c.out, 'values', { rtol: 2e-5, atol: 2e-5 });
    assert.equal(out.gradFn?.torchName, c.node);
    out.backward(decode(c.upstream));
    leaves.forEach((l, i) => assertTensorClose(l.grad, c.grads[i]!, `gradient ${i}`, { rtol: 1e-4, atol: 1e-4 }));
  });
}

test('invEx and solveEx report a singular matrix in info instead of refusing it, as PyTorch\'s', () => {
  const singular = tensor([[1, 2], [2, 4]]);
  assert.equal(linalg.invEx(singular).info.item(), fx.singular.invInfo);
  const { result, info } = linalg.solveEx(stack([eye(2), singular]), ones(2, 2, 1));
  assert.deepEqual(Array.from(info.toArray()), fx.singular.solveInfo);
  assertTensorClose(result.select(0, 0), fx.singular.solveFirst, 'the invertible matrix\'s solution', { rtol: 0, atol: 0 });
  assert.equal(linalg.invEx(eye(3)).info.item(), 0);
});

test('refusals, with PyTorch\'s messages', () => {
  const r = fx.refusals;
  const singular = tensor([[1, 2], [2, 4]]);
  const is = (key: string) => (e: Error): boolean => e.message === r[key]!.message;
  assert.throws(() => linalg.invEx(singular, { checkErrors: true }), is('inv_ex'));
  assert.throws(() => linalg.solveEx(singular, ones(2), { checkErrors: true }), is('solve_ex'));
  assert.throws(() => linalg.tensorinv(ones(2, 3), { ind: 1 }), is('tensorinv shape'));
  assert.throws(() => linalg.tensorinv(ones(2, 3), { ind: 0 }), is('tensorinv ind'));
  assert.throws(() => linalg.tensorsolve(ones(2, 3, 6), ones(3, 3)), is('tensorsolve shape'));
  assert.deepEqual(Array.from(linalg.matmul(tensor([[1, 2]]), tensor([[3], [4]])).toArray()), [11]);
});
