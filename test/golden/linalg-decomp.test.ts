// linalg's decompositions against PyTorch 1.13 (fixtures/torch/linalg-decomp.json, from make_linalg_decomp.py):
// cholesky, choleskyEx, the deprecated cholesky, solveTriangular, eigh, eigvalsh, svd, svdvals, matrixNorm 'nuc'/±2,
// matrixRank, cond, qr (LAPACK's signs), pinv, lstsq and matrixExp — values, grad_fn names and the inputs' gradients of the fixture's losses (eigen- and singular
// vectors squared, as their signs are arbitrary: compared squared too), and PyTorch's refusals. Kindling computes in
// float64 and rounds once, PyTorch's float32 LAPACK rounds at every step: values within 2e-5 relative to the
// largest, gradients within 1e-4 (these matrices are well-conditioned).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cholesky, linalg, tensor, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface Case { fn: string; inputs: EncodedTensor[]; outs: EncodedTensor[]; upstreams: EncodedTensor[]; gradFns: string[]; grads: EncodedTensor[] }
const fx = loadFixture<{
  cases: Case[];
  full: Record<'a' | 'U' | 'S' | 'Vh', EncodedTensor>;
  choleskyEx: { a: EncodedTensor; info: number[] };
  rank: { a: EncodedTensor; rank: number }[];
  refusals: Record<string, { message: string }>;
}>('linalg-decomp.json');

const CALLS: Record<string, (xs: Tensor[]) => Tensor[]> = {
  cholesky: ([a]) => [linalg.cholesky(a!)],
  cholesky_upper: ([a]) => [linalg.cholesky(a!, { upper: true })],
  cholesky_batched: ([a]) => [linalg.cholesky(a!)],
  cholesky_deprecated: ([a]) => [cholesky(a!)],
  solve_triangular_lower: ([a, b]) => [linalg.solveTriangular(a!, b!, { upper: false })],
  solve_triangular_upper_right: ([a, b]) => [linalg.solveTriangular(a!, b!, { upper: true, left: false })],
  solve_triangular_unit_batched: ([a, b]) => [linalg.solveTriangular(a!, b!, { upper: false, unitriangular: true })],
  eigh: ([a]) => [...linalg.eigh(a!)],
  eigh_U: ([a]) => [...linalg.eigh(a!, { UPLO: 'U' })],
  eigh_batched: ([a]) => [...linalg.eigh(a!)],
  eigvalsh: ([a]) => [linalg.eigvalsh(a!)],
  svd_tall: ([a]) => [...linalg.svd(a!, { fullMatrices: false })],
  svd_wide: ([a]) => [...linalg.svd(a!, { fullMatrices: false })],
  svd_square_batched: ([a]) => [...linalg.svd(a!)],
  svdvals: ([a]) => [linalg.svdvals(a!)],
  matrix_norm_nuc: ([a]) => [linalg.matrixNorm(a!, 'nuc')],
  'matrix_norm_2': ([a]) => [linalg.matrixNorm(a!, 2)],
  'matrix_norm_-2': ([a]) => [linalg.matrixNorm(a!, -2)],
  cond: ([a]) => [linalg.cond(a!)],
  qr_tall: ([a]) => [...linalg.qr(a!)],
  qr_wide: ([a]) => [...linalg.qr(a!)],
  qr_complete_batched: ([a]) => [...linalg.qr(a!, 'complete')],
  pinv_tall: ([a]) => [linalg.pinv(a!)],
  pinv_wide: ([a]) => [linalg.pinv(a!)],
  lstsq: ([a, b]) => [linalg.lstsq(a!, b!).solution],
  matrix_exp: ([a]) => [linalg.matrixExp(a!)],
  matrix_exp_batched: ([a]) => [linalg.matrixExp(a!)],
};

/** The outputs the fixture's loss weighs: eigen- and singular vectors squared (their signs are arbitrary). */
function weighed(fn: string, outs: Tensor[]): Tensor[] {
  if (fn.startsWith('eigh')) return [outs[0]!, outs[1]!.mul(outs[1]!)];
  if (fn.startsWith('svd_')) return [outs[0]!.mul(outs[0]!), outs[1]!, outs[2]!.mul(outs[2]!)];
  return outs;
}

const scaled = (e: EncodedTensor, rel: number): { rtol: number; atol: number } => ({
  rtol: rel, atol: rel * Math.max(1e-6, ...values(e).map((v) => Math.abs(Number(v)))),
});

for (const c of fx.cases) {
  test(`linalg ${c.fn}: values (vectors squared), grad_fn and gradients as PyTorch's`, () => {
    const xs = c.inputs.map((e) => decode(e, true));
    const outs = CALLS[c.fn]!(xs);
    const w = weighed(c.fn, outs);
    const wantW = weighed(c.fn, c.outs.map((e) => decode(e)));
    w.forEach((o, i) => assertTensorClose(o, { shape: [...wantW[i]!.shape], data: Array.from(wantW[i]!.toArray()) }, `out ${i}`, scaled(c.outs[i]!, 2e-5)));
    outs.forEach((o, i) => assert.equal(o.gradFn?.torchName, c.gradFns[i], `grad_fn ${i}`));
    let total: Tensor | null = null;
    w.forEach((o, i) => {
      const term = o.mul(decode(c.upstreams[i]!)).sum();
      total = total === null ? term : total.add(term);
    });
    (total as unknown as Tensor).backward();
    xs.forEach((x, i) => assertTensorClose(x.grad, c.grads[i]!, `grad of input ${i}`, scaled(c.grads[i]!, 1e-4)));
  });
}

test('svd with full matrices: U and Vh orthogonal, A = U·diag(S)·Vh, S as PyTorch\'s', () => {
  const a = decode(fx.full.a);
  const { U, S, Vh } = linalg.svd(a);
  assert.deepEqual([[...U.shape], [...S.shape], [...Vh.shape]], [[4, 4], [2], [2, 2]]);
  assertTensorClose(S, fx.full.S, 'S', { rtol: 2e-6, atol: 1e-6 });
  assertTensorClose(U.t().matmul(U), { shape: [4, 4], data: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] }, 'UᵀU', { rtol: 0, atol: 1e-6 });
  const back = U.narrow(1, 0, 2).mul(S).matmul(Vh);
  assertTensorClose(back, fx.full.a, 'U·diag(S)·Vh', { rtol: 0, atol: 2e-6 });
});

test('svd of matrices of lower rank: U and Vh stay orthogonal (zero singular values, and ones the rotations leave as noise)', () => {
  // Rows 0 and 2 proportional (the last singular value exactly 0 in float64); the same squared (the rotations leave a
  // column of norm 1.6e-154, whose square underflows: rounding noise, parallel to the first); ranks 1 of 3 × 2 and of
  // 2 × 3; the zero matrix; a single non-zero entry.
  const cases = [
    [[1, 2, 0.5], [0.3, -1, 2], [2, 4, 1]], [[1, 4, 0.25], [0.09, 1, 4], [4, 16, 1]], [[1, 2], [2, 4], [3, 6]], [[1, 2, 3], [2, 4, 6]],
    [[0, 0], [0, 0]], [[0, 0, 0], [0, 0, 0], [0, 0, 1]],
  ];
  for (const m of cases) {
    const a = tensor(m);
    const [rows, cols] = a.shape as [number, number];
    const k = Math.min(rows, cols);
    const { U, S, Vh } = linalg.svd(a);
    const identity = (n: number) => ({ shape: [n, n], data: Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0)) });
    assertTensorClose(U.t().matmul(U), identity(rows), `UᵀU of ${JSON.stringify(m)}`, { rtol: 0, atol: 1e-6 });
    assertTensorClose(Vh.matmul(Vh.t()), identity(cols), `Vh·Vhᵀ of ${JSON.stringify(m)}`, { rtol: 0, atol: 1e-6 });
    assertTensorClose(U.narrow(1, 0, k).mul(S).matmul(Vh.narrow(0, 0, k)), { shape: [rows, cols], data: m.flat() }, `U·diag(S)·Vh of ${JSON.stringify(m)}`, { rtol: 1e-6, atol: 1e-6 });
    assert.equal(S.toArray()[k - 1], 0, `the last singular value of ${JSON.stringify(m)}`);
  }
});

test('choleskyEx reports PyTorch\'s info, and matrixRank its ranks', () => {
  assert.deepEqual(Array.from(linalg.choleskyEx(decode(fx.choleskyEx.a)).info.toArray()), fx.choleskyEx.info);
  for (const r of fx.rank) assert.equal(linalg.matrixRank(decode(r.a)).item(), r.rank);
});

test("PyTorch's refusals, with its messages", () => {
  const r = fx.refusals;
  const same = (fn: () => unknown, key: string): void => assert.throws(fn, (e: Error) => e.message === r[key]!.message, key);
  same(() => linalg.cholesky(tensor([[1, 2], [2, 1]])), 'cholesky_pd');
  same(() => linalg.cholesky(tensor([[[1, 0], [0, 1]], [[1, 2], [2, 1]]])), 'cholesky_batch');
  same(() => linalg.cholesky(tensor([[1, 1, 1], [1, 1, 1]])), 'cholesky_square');
  same(() => linalg.solveTriangular(tensor([[1, 0], [0, 1]]), tensor([1, 1]), { upper: false }), 'solve_triangular_b');
  same(() => linalg.eigh(tensor([[1, 1, 1], [1, 1, 1]])), 'eigh_square');
  same(() => linalg.qr(tensor([[1, 1], [1, 1]]), 'x' as 'r'), 'qr_mode');
  same(() => linalg.qr(tensor([[1, 1], [1, 1]], { requiresGrad: true }), 'r').R.sum().backward(), 'qr_r_backward');
});
