// The LU family against PyTorch 1.13 (fixtures/torch/lu.json, from make_lu.py): linalg.luFactor, luFactorEx,
// linalg.lu, linalg.luSolve (left and right, plain and adjoint, batches broadcast), luUnpack and the deprecated
// torch.lu / torch.luSolve on square, wide, tall and batched matrices — values, pivots, node names and gradients —
// and PyTorch's refusals. Kindling factorises in float64 and rounds once, PyTorch's LAPACK in float32: values agree
// to float32 rounding times the matrices' condition numbers; pivots exactly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from '../../src/index.js';
import { linalg, tensor, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface Piv { shape: number[]; data: number[] }
const fx = loadFixture<{
  factor: { A: EncodedTensor; LU: EncodedTensor; pivots: number[]; node: string; upstream: EncodedTensor; grad: EncodedTensor }[];
  lu: { A: EncodedTensor; P: EncodedTensor; L: EncodedTensor; U: EncodedTensor; node: string; upL: EncodedTensor; upU: EncodedTensor; grad: EncodedTensor; A2: EncodedTensor; gradUOnly: EncodedTensor }[];
  solve: { left: boolean; adjoint: boolean; LU: EncodedTensor; pivots: Piv; B: EncodedTensor; X: EncodedTensor; node: string; upstream: EncodedTensor; gradLU: EncodedTensor; gradB: EncodedTensor }[];
  unpack: { LU: EncodedTensor; pivots: Piv; P: EncodedTensor; L: EncodedTensor; U: EncodedTensor; node: string; upL: EncodedTensor; upU: EncodedTensor; grad: EncodedTensor }[];
  ex: { LU: EncodedTensor; pivots: Piv; info: number; zerosLU: EncodedTensor; zerosPivots: Piv; zerosInfo: number; batchInfo: number[] };
  legacy: { A: EncodedTensor; LU: EncodedTensor; pivots: Piv; info: number; B: EncodedTensor; X: EncodedTensor };
  refusals: Record<string, { type: string; message: string }>;
}>('lu.json');

const TOL = { rtol: 2e-5, atol: 2e-5 };
const piv = (p: Piv): Tensor => tensor(p.data, p.shape);
const ints = (t: Tensor): number[] => Array.from(t.toArray());

for (const c of fx.factor) {
  test(`linalg.luFactor of ${JSON.stringify(c.A.shape)}: PyTorch's LU, pivots and gradient (${c.node})`, () => {
    const a = decode(c.A, true);
    const [LU, pivots] = linalg.luFactor(a);
    assertTensorClose(LU, c.LU, 'LU', TOL);
    assert.deepEqual(ints(pivots), c.pivots);
    assert.equal(LU.gradFn?.torchName, c.node);
    LU.backward(decode(c.upstream));
    assertTensorClose(a.grad, c.grad, 'gradient', { rtol: 1e-4, atol: 1e-4 });
  });
}

for (const c of fx.lu) {
  test(`linalg.lu of ${JSON.stringify(c.A.shape)}: PyTorch's P, L, U and gradient (${c.node}), from L and U together and from U alone`, () => {
    const a = decode(c.A, true);
    const { P, L, U } = linalg.lu(a);
    assertTensorClose(P, c.P, 'P', { rtol: 0, atol: 0 });
    assertTensorClose(L, c.L, 'L', TOL);
    assertTensorClose(U, c.U, 'U', TOL);
    assert.equal(L.gradFn?.torchName, c.node);
    assert.equal(P.requiresGrad, false);
    L.mul(decode(c.upL)).sum().add(U.mul(decode(c.upU)).sum()).backward();
    assertTensorClose(a.grad, c.grad, 'gradient', { rtol: 1e-4, atol: 1e-4 });
    const a2 = decode(c.A2, true);
    linalg.lu(a2).U.backward(decode(c.upU));
    assertTensorClose(a2.grad, c.gradUOnly, 'gradient from U alone', { rtol: 1e-4, atol: 1e-4 });
  });
}

for (const c of fx.solve) {
  test(`linalg.luSolve (left ${c.left}, adjoint ${c.adjoint}) of ${JSON.stringify(c.LU.shape)} and ${JSON.stringify(c.B.shape)}: PyTorch's X and gradients to LU and B`, () => {
    const LU = decode(c.LU, true);
    const b = decode(c.B, true);
    const x = linalg.luSolve(LU, piv(c.pivots), b, { left: c.left, adjoint: c.adjoint });
    assertTensorClose(x, c.X, 'X', TOL);
    assert.equal(x.gradFn?.torchName, c.node);
    x.backward(decode(c.upstream));
    assertTensorClose(LU.grad, c.gradLU, 'gradient of LU', { rtol: 1e-4, atol: 1e-4 });
    assertTensorClose(b.grad, c.gradB, 'gradient of B', { rtol: 1e-4, atol: 1e-4 });
  });
}

for (const c of fx.unpack) {
  test(`luUnpack of ${JSON.stringify(c.LU.shape)}: PyTorch's P, L, U and LU's gradient (${c.node})`, () => {
    const LU = decode(c.LU, true);
    const [P, L, U] = torch.luUnpack(LU, piv(c.pivots));
    assertTensorClose(P, c.P, 'P', { rtol: 0, atol: 0 });
    assertTensorClose(L, c.L, 'L', { rtol: 0, atol: 0 });
    assertTensorClose(U, c.U, 'U', { rtol: 0, atol: 0 });
    assert.equal(U.gradFn?.torchName, c.node);
    L.mul(decode(c.upL)).sum().add(U.mul(decode(c.upU)).sum()).backward();
    assertTensorClose(LU.grad, c.grad, 'gradient', { rtol: 1e-6, atol: 1e-6 });
  });
}

test('luFactorEx reports what luFactor refuses: a zero on U\'s diagonal, LAPACK\'s info and pivots, as PyTorch\'s', () => {
  const [LU, pivots, info] = linalg.luFactorEx(tensor([[1, 2], [2, 4]]));
  assert.deepEqual(Array.from(LU.toArray()), values(fx.ex.LU));
  assert.deepEqual(ints(pivots), fx.ex.pivots.data);
  assert.equal(info.item(), fx.ex.info);
  const z = linalg.luFactorEx(torch.zeros(2, 2));
  assert.deepEqual(Array.from(z.LU.toArray()), values(fx.ex.zerosLU));
  assert.deepEqual(ints(z.pivots), fx.ex.zerosPivots.data);
  assert.equal(z.info.item(), fx.ex.zerosInfo);
  assert.deepEqual(ints(linalg.luFactorEx(torch.stack([torch.eye(2), tensor([[1, 2], [2, 4]])])).info), fx.ex.batchInfo);
});

test('the deprecated torch.lu (with getInfos) and torch.luSolve(B, LU, pivots), and their Tensor methods', () => {
  const a = decode(fx.legacy.A);
  const r = torch.lu(a, { getInfos: true });
  assert.equal(r.length, 3);
  assertTensorClose(r[0], fx.legacy.LU, 'LU', TOL);
  assert.deepEqual(ints(r[1]), fx.legacy.pivots.data);
  assert.equal(r[2]!.item(), fx.legacy.info);
  assert.equal(a.lu().length, 2);
  const b = decode(fx.legacy.B);
  assertTensorClose(torch.luSolve(b, r[0], r[1]), fx.legacy.X, 'X', TOL);
  assertTensorClose(b.luSolve(r[0], r[1]), fx.legacy.X, 'X (method)', TOL);
  // A singular matrix is factorised by torch.lu, as PyTorch's (only luFactor refuses it).
  assert.deepEqual(ints(torch.lu(tensor([[1, 2], [2, 4]]))[1]), fx.ex.pivots.data);
});

test('P·L·U gives A back, for square, wide, tall and batched matrices', () => {
  for (const shape of [[5, 5], [3, 6], [6, 3], [2, 4, 4]]) {
    const a = torch.randn(shape);
    const { P, L, U } = linalg.lu(a);
    assertTensorClose(P.matmul(L).matmul(U), { shape, data: Array.from(a.toArray()) }, `P·L·U of ${JSON.stringify(shape)}`, { rtol: 1e-5, atol: 1e-5 });
  }
});

test('refusals, with PyTorch\'s messages', () => {
  const r = fx.refusals;
  const singular = tensor([[1, 2], [2, 4]]);
  assert.throws(() => linalg.luFactor(singular), (e: Error) => e.message === r['singular']!.message);
  assert.throws(() => linalg.luFactor(torch.stack([torch.eye(2), singular])), (e: Error) => e.message === r['singular batch']!.message);
  assert.throws(() => linalg.luFactorEx(singular, { checkErrors: true }), (e: Error) => e.message === r['check errors']!.message);
  const a = decode(fx.legacy.A);
  assert.throws(() => linalg.luFactor(a, { pivot: false }), (e: Error) => e.message === r['no pivot']!.message);
  assert.throws(() => linalg.luFactor(tensor([1, 2, 3])), (e: Error) => e.message === r['1-d']!.message);
  const [LU, pivots] = linalg.luFactor(a);
  assert.throws(() => linalg.luSolve(LU, pivots, torch.zeros(2, 2)), (e: Error) => e.message === r['solve shapes']!.message);
  const [wLU, wPiv] = linalg.luFactor(torch.randn(2, 4));
  assert.throws(() => linalg.luSolve(wLU, wPiv, torch.zeros(2, 1)), (e: Error) => e.message === r['solve wide']!.message);
  assert.throws(() => linalg.luFactor(a, { pivots: true } as never), /unknown option/);
});
