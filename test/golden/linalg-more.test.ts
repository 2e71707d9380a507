// linalg.invEx, solveEx, vecdot, diagonal, tensorinv and tensorsolve against PyTorch 1.13 (fixtures/torch/
// linalg-more.json, from make_linalg_more.py): values, node names and gradients; info for singular matrices; and
// PyTorch's refusals with its messages; the zero pivot a singular matrix is reported by (PyTorch factors Aᵀ for a
// contiguous A, A itself for a view) and solveEx's info shape (A's own batch).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eye, linalg, ones, stack, tensor, type Tensor } from '../../src/index.js';
import { assertClose, assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

interface Case { inputs: EncodedTensor[]; out: EncodedTensor; node: string; upstream: EncodedTensor; grads: EncodedTensor[] }
const fx = loadFixture<{
  cases: Record<string, Case>;
  singular: { invInfo: number; solveInfo: number[]; solveFirst: EncodedTensor };
  refusals: Record<string, { type: string; message: string }>;
  pivots: { a: number[][]; invMessage: string; invExInfo: number; viewInvExInfo: number; viewInvMessage: string; solveExInfo: number; leftFalseInfo: number }[];
  infoShapes: { a: number[]; b: number[]; info: number[]; shape: number[] }[];
  sliced: { solveEx: number; leftFalse: number; invEx: number; contiguousLeftFalse: number };
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

test('a singular matrix is reported by the zero pivot of the LU PyTorch computes: Aᵀ\'s for a contiguous A, A\'s for a view', () => {
  for (const c of fx.pivots) {
    const a = tensor(c.a);
    const view = tensor(c.a).t().contiguous().t();
    assert.equal(view.isContiguous(), false);
    const n = c.a.length;
    const label = JSON.stringify(c.a);
    assert.throws(() => linalg.inv(a), (e: Error) => e.message === c.invMessage, label);
    assert.throws(() => linalg.inv(view), (e: Error) => e.message === c.viewInvMessage, `${label} as a view`);
    assert.equal(linalg.invEx(a).info.item(), c.invExInfo, label);
    assert.equal(linalg.invEx(view).info.item(), c.viewInvExInfo, `${label} as a view`);
    assert.equal(linalg.solveEx(a, ones(n, 1)).info.item(), c.solveExInfo, label);
    assert.equal(linalg.solveEx(a, ones(1, n), { left: false }).info.item(), c.leftFalseInfo, `${label}, left: false`);
  }
  // At least one case where the two factorisations disagree, or the test would not tell them apart.
  assert.ok(fx.pivots.some((c) => c.invExInfo !== c.viewInvExInfo));
});

test('solveEx\'s info has A\'s own batch shape, not the one broadcast with B\'s, as PyTorch 1.13\'s', () => {
  const first = tensor(fx.pivots[0]!.a);
  for (const c of fx.infoShapes) {
    const { info } = linalg.solveEx(first.expand(c.a).contiguous(), ones(c.b));
    assert.deepEqual([info.shape, Array.from(info.toArray())], [c.shape, c.info], `A ${JSON.stringify(c.a)}, B ${JSON.stringify(c.b)}`);
  }
});

test('solving through Aᵀ\'s factorisation gives A\'s solution: X·A = B and A·X = B, against the product', () => {
  const a = tensor([[4, -2, 1, 3], [3, 6, -4, 2], [2, 1, 8, -5], [1, 7, 2, 9]]);
  const b = tensor([[1, 2], [3, 4], [5, 6], [7, 8]]);
  for (const [m, label] of [[a, 'contiguous'], [a.t().contiguous().t(), 'a view']] as const) {
    assertClose(m.matmul(linalg.solve(m, b)).toArray(), b.toArray(), `A·X = B, A ${label}`, { rtol: 1e-5, atol: 1e-5 });
    assertClose(linalg.solve(m, b.t(), { left: false }).matmul(m).toArray(), b.t().contiguous().toArray(), `X·A = B, A ${label}`, { rtol: 1e-5, atol: 1e-5 });
    assertClose(m.matmul(linalg.inv(m)).toArray(), eye(4).toArray(), `A·A⁻¹, A ${label}`, { rtol: 1e-5, atol: 1e-5 });
  }
});

test('a view neither contiguous nor a plain transpose is factored as it is, on either side, as PyTorch\'s', () => {
  const sliced = tensor([[0, 1, 0, 9], [0, 0, 1, 9], [0, 0, 0, 9]]).narrow(1, 0, 3);
  assert.equal(sliced.isContiguous(), false);
  assert.deepEqual({
    solveEx: linalg.solveEx(sliced, ones(3, 1)).info.item(),
    leftFalse: linalg.solveEx(sliced, ones(1, 3), { left: false }).info.item(),
    invEx: linalg.invEx(sliced).info.item(),
    contiguousLeftFalse: linalg.solveEx(sliced.contiguous(), ones(1, 3), { left: false }).info.item(),
  }, fx.sliced);
});
