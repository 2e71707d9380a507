// linalg at its edges against PyTorch 1.13 (fixtures/torch/linalg-edges.json, from make_linalg_edges.py): empty
// matrices, NaN and infinities through the LU and matrixExp, cholesky's upper triangle, torch.svd's S without U and
// V, lstsq's drivers, rcond and residuals, tensor tolerances, pinv hermitian, cond of singular matrices, eigh's
// lower-case UPLO, vander of a 0-d tensor, householderProduct with no reflection, and PyTorch's refusals; and the
// named tuples, which destructure as arrays and have PyTorch's field names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cholesky, eye, linalg, ones, svd, tensor, zeros, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor, type Tolerance } from './golden-helpers.js';

interface Plain { inputs: EncodedTensor[]; outs: EncodedTensor[] }
interface Graded extends Plain { upstreams: EncodedTensor[]; nodes: (string | null)[]; grads: (EncodedTensor | null)[] }
interface LuCase { a: EncodedTensor; det: EncodedTensor; slogdet: EncodedTensor[]; luFactorEx: EncodedTensor[]; invEx: EncodedTensor; solveEx: EncodedTensor[] }
interface LstsqCase extends Partial<Plain> { driver: string; rcond: number | string | null; refusal?: string }
const fx = loadFixture<{
  empties: Record<string, Plain>;
  lu: Record<string, LuCase>;
  solveRhs: Record<string, { a: EncodedTensor; b: EncodedTensor; x: EncodedTensor }>;
  matrixExp: Record<string, { a: EncodedTensor; exp: EncodedTensor; grad?: EncodedTensor }>;
  grads: Record<string, Graded>;
  lstsq: Record<string, LstsqCase>;
  tolerances: Record<string, Plain>;
  cond: Record<string, { a: EncodedTensor; p: number | string; out: EncodedTensor }>;
  misc: Record<string, Plain> & { 'householder no tau': { out: EncodedTensor; node: string; gradA: boolean; gradTau: boolean } };
  refusals: Record<string, { message: string }>;
  emptyNorms: Record<string, EncodedTensor>;
}>('linalg-edges.json');

const EXACT: Tolerance = { rtol: 0, atol: 0 };
const CLOSE: Tolerance = { rtol: 2e-5, atol: 2e-6 };
const num = (v: number | string): number => Number(v);

function compareOuts(outs: readonly Tensor[], expected: readonly EncodedTensor[], label: string, tol: Tolerance): void {
  assert.equal(outs.length, expected.length, `${label}: ${outs.length} outputs, expected ${expected.length}`);
  outs.forEach((o, i) => assertTensorClose(o, expected[i]!, `${label}: output ${i}`, tol));
}

const EMPTIES: Record<string, (...t: Tensor[]) => Tensor[]> = {
  'inv 0x0': (a) => [linalg.inv(a!)],
  'inv 3x0x0': (a) => [linalg.inv(a!)],
  'invEx 3x0x0': (a) => [...linalg.invEx(a!)],
  'solveEx 0x0 0x2': (a, b) => [...linalg.solveEx(a!, b!)],
  'solveEx 2x0x0 2x0': (a, b) => [...linalg.solveEx(a!, b!)],
  'matrixPower 2x0x0 -2': (a) => [linalg.matrixPower(a!, -2)],
  'choleskyEx 0x0': (a) => [...linalg.choleskyEx(a!)],
  'choleskyEx upper 3x0x0': (a) => [...linalg.choleskyEx(a!, { upper: true })],
  'svd 0x3': (a) => [...linalg.svd(a!)],
  'svd 3x0': (a) => [...linalg.svd(a!)],
  'svd 2x0x3': (a) => [...linalg.svd(a!)],
  'svd reduced 0x3': (a) => [...linalg.svd(a!, { fullMatrices: false })],
  'torch.svd 0x3 some false': (a) => [...svd(a!, false)],
  'torch.svd 3x0 some false': (a) => [...svd(a!, false)],
  'svdvals 2x0x3': (a) => [linalg.svdvals(a!)],
  'qr 3x0 complete': (a) => [...linalg.qr(a!, 'complete')],
  'qr 2x3x0 complete': (a) => [...linalg.qr(a!, 'complete')],
  'torch.qr 3x0 some false': (a) => [...a!.qr(false)],
  'matrixRank 0x0': (a) => [linalg.matrixRank(a!)],
  'matrixRank 0x3': (a) => [linalg.matrixRank(a!)],
  'matrixRank 2x0x0': (a) => [linalg.matrixRank(a!)],
  'cond 0x0': (a) => [linalg.cond(a!)],
  'cond 2x0x0 1': (a) => [linalg.cond(a!, 1)],
  'cond 0x0 fro': (a) => [linalg.cond(a!, 'fro')],
  'cond 0x0 nuc': (a) => [linalg.cond(a!, 'nuc')],
  'cond 0x3 inf': (a) => [linalg.cond(a!, Infinity)],
  'lstsq 0x3 0x2': (a, b) => [...linalg.lstsq(a!, b!)],
  'lstsq 3x0 3x2': (a, b) => [...linalg.lstsq(a!, b!)],
  'lstsq 3x0 3x2 gelsd': (a, b) => [...linalg.lstsq(a!, b!, { driver: 'gelsd' })],
  'lstsq 3x0 3x2 gels': (a, b) => [...linalg.lstsq(a!, b!, { driver: 'gels' })],
  'solveTriangular I3 3x0': (a, b) => [linalg.solveTriangular(a!, b!, { upper: true })],
  'pinv 0x3': (a) => [linalg.pinv(a!)],
  'pinv 2x0x0': (a) => [linalg.pinv(a!)],
};

test('empty matrices give PyTorch\'s empty results (and identities where a basis is completed), not a raw error', () => {
  assert.deepEqual(Object.keys(EMPTIES).sort(), Object.keys(fx.empties).sort());
  for (const [name, c] of Object.entries(fx.empties)) compareOuts(EMPTIES[name]!(...c.inputs.map((e) => decode(e))), c.outs, name, EXACT);
});

test('a NaN or an infinity reaches det, slogdet, the LU, invEx and solveEx as PyTorch\'s LAPACK spreads it', () => {
  for (const [name, c] of Object.entries(fx.lu)) {
    const a = decode(c.a);
    assertTensorClose(linalg.det(a), c.det, `${name}: det`, CLOSE);
    compareOuts([...linalg.slogdet(a)], c.slogdet, `${name}: slogdet`, CLOSE);
    compareOuts([...linalg.luFactorEx(a)], c.luFactorEx, `${name}: luFactorEx`, CLOSE);
    assertTensorClose(linalg.invEx(a).inverse, c.invEx, `${name}: invEx`, CLOSE);
    compareOuts([...linalg.solveEx(a, ones(a.shape[0]!, 1))], c.solveEx, `${name}: solveEx`, CLOSE);
  }
  for (const [name, c] of Object.entries(fx.solveRhs)) assertTensorClose(linalg.solve(decode(c.a), decode(c.b)), c.x, `solve, ${name}`, CLOSE);
});

test('matrixExp of an infinity is NaN as PyTorch\'s (it ran forever), per matrix of a batch; 1 × 1 is exp', () => {
  for (const [name, c] of Object.entries(fx.matrixExp)) {
    const a = decode(c.a, c.grad !== undefined);
    const out = linalg.matrixExp(a);
    assertTensorClose(out, c.exp, `matrixExp, ${name}`, CLOSE);
    if (c.grad !== undefined) {
      out.sum().backward();
      assertTensorClose(a.grad, c.grad, `matrixExp, ${name}: gradient`, CLOSE);
    }
  }
  // PyTorch's result for a NaN (2 × 2 and up) depends on how it compares the NaN norm; NaN throughout is given here.
  assert.ok(Array.from(linalg.matrixExp(tensor([[1, Number.NaN], [0, 1]])).toArray()).every(Number.isNaN));
});

const GRADED: Record<string, (...t: Tensor[]) => Tensor[]> = {
  'cholesky upper': (a) => [linalg.cholesky(a!, { upper: true })],
  'cholesky upper 4x4': (a) => [linalg.cholesky(a!, { upper: true })],
  'choleskyEx upper': (a) => [...linalg.choleskyEx(a!, { upper: true })],
  'torch.cholesky upper': (a) => [cholesky(a!, true)],
  'torch.svd no uv': (a) => [...svd(a!, true, false)],
  'torch.svd no uv wide': (a) => [...svd(a!, false, false)],
  'pinv hermitian': (a) => [linalg.pinv(a!, { hermitian: true })],
  'pinv hermitian 3x3': (a) => [linalg.pinv(a!, { hermitian: true })],
  'lstsq gelsd': (a, b) => [...linalg.lstsq(a!, b!, { driver: 'gelsd' })],
  'lstsq gelss rcond': (a, b) => [...linalg.lstsq(a!, b!, { driver: 'gelss', rcond: 0.5 })],
};

test('cholesky upper reads the upper triangle, torch.svd\'s S keeps its graph, pinv hermitian the lower triangle, lstsq\'s gradient: PyTorch\'s values, nodes and gradients', () => {
  assert.deepEqual(Object.keys(GRADED).sort(), Object.keys(fx.grads).sort());
  for (const [name, c] of Object.entries(fx.grads)) {
    const leaves = c.inputs.map((e) => decode(e, true));
    const outs = GRADED[name]!(...leaves);
    compareOuts(outs, c.outs, name, CLOSE);
    assert.deepEqual(outs.map((o) => o.gradFn?.torchName ?? null), c.nodes, `${name}: nodes`);
    let loss: Tensor | null = null;
    outs.forEach((o, i) => {
      if (c.nodes[i] === null) return;
      const term = o.mul(decode(c.upstreams[i]!)).sum();
      loss = loss === null ? term : loss.add(term);
    });
    (loss as Tensor | null)!.backward();
    leaves.forEach((l, i) => {
      const g = c.grads[i];
      if (g === null || g === undefined) assert.equal(l.grad, null, `${name}: no gradient ${i}`);
      else assertTensorClose(l.grad, g, `${name}: gradient ${i}`, { rtol: 1e-4, atol: 1e-5 });
    });
  }
});

test('lstsq: PyTorch\'s drivers (solution, residuals, rank, singular values), rcond and refusals', () => {
  for (const [name, c] of Object.entries(fx.lstsq)) {
    const [a, b] = c.inputs!.map((e) => decode(e));
    const options = { driver: c.driver as linalg.LstsqDriver, ...(c.rcond === null ? {} : { rcond: num(c.rcond) }) };
    if (c.refusal !== undefined) {
      assert.throws(() => linalg.lstsq(a!, b!, options), (e: Error) => e.message === c.refusal, name);
      continue;
    }
    // gelsy's values are in the fixture to 5 decimals (PyTorch's own vary from run to run, see the script).
    compareOuts([...linalg.lstsq(a!, b!, options)], c.outs!, name, c.driver === 'gelsy' ? { rtol: 2e-5, atol: 1e-5 } : CLOSE);
  }
});

test('lstsq gelsy: the rank LAPACK\'s column pivoting gives (R₁₁\'s condition against 1/rcond), and that rank\'s least-norm solution', () => {
  // diag(1, 1e-3, 1e-8): rcond ε·3 keeps two columns, 1e-2 one, 0 and −1 all three (σmax·rcond ≤ σmin always).
  const a = tensor([[1, 0, 0], [0, 1e-3, 0], [0, 0, 1e-8]]);
  const b = ones(3, 1);
  const cases: [number | undefined, number, number[]][] = [[undefined, 2, [1, 1000, 0]], [1e-2, 1, [1, 0, 0]], [0, 3, [1, 1000, 1e8]], [-1, 3, [1, 1000, 1e8]]];
  for (const [rcond, rank, x] of cases) {
    const r = linalg.lstsq(a, b, rcond === undefined ? {} : { rcond });
    assert.equal(r.rank.item(), rank, `rank with rcond ${rcond}`);
    assertTensorClose(r.solution, { shape: [3, 1], data: x }, `solution with rcond ${rcond}`, { rtol: 1e-6, atol: 1e-6 });
    assert.deepEqual([r.residuals.shape, r.singularValues.shape], [[0], [0]]);
  }
  // Rank 1 of [[1, 2], [2, 4], [3, 6]] and its least-norm solution: x = Aᵀb'/‖·‖ along (1, 2).
  const deficient = linalg.lstsq(tensor([[1, 2], [2, 4], [3, 6]]), tensor([[1], [2], [4]]));
  assert.equal(deficient.rank.item(), 1);
  assertTensorClose(deficient.solution, { shape: [2, 1], data: [17 / 70, 34 / 70] }, 'rank-1 solution', { rtol: 1e-6, atol: 1e-7 });
});

const TOLERANCES: Record<string, (...t: Tensor[]) => Tensor> = {
  'rank atol 0-d': (a, t) => linalg.matrixRank(a!, { atol: t! }),
  'rank atol [2]': (a, t) => linalg.matrixRank(a!, { atol: t! }),
  'rank atol [2,1] batch 2': (a, t) => linalg.matrixRank(a!, { atol: t! }),
  'rank rtol [2]': (a, t) => linalg.matrixRank(a!, { rtol: t! }),
  'rank atol -1': (a) => linalg.matrixRank(a!, { atol: -1 }),
  'rank tol': (a) => linalg.matrixRank(a!, { tol: 0.5 }),
  'rank tol tensor': (a, t) => linalg.matrixRank(a!, { tol: t! }),
  'rank hermitian atol [2]': (a, t) => linalg.matrixRank(a!, { atol: t!, hermitian: true }),
  'pinv atol 0-d': (a, t) => linalg.pinv(a!, { atol: t! }),
  'pinv atol [2]': (a, t) => linalg.pinv(a!, { atol: t! }),
  'pinv rtol [2,1] batch 2': (a, t) => linalg.pinv(a!, { rtol: t! }),
  'pinv atol -1': (a) => linalg.pinv(a!, { atol: -1 }),
  'pinv hermitian atol': (a) => linalg.pinv(a!, { atol: 0.5, hermitian: true }),
};

test('matrixRank and pinv take tensor tolerances, broadcast against the batch as PyTorch\'s, and matrixRank the older tol', () => {
  assert.deepEqual(Object.keys(TOLERANCES).sort(), Object.keys(fx.tolerances).sort());
  for (const [name, c] of Object.entries(fx.tolerances)) compareOuts([TOLERANCES[name]!(...c.inputs.map((e) => decode(e)))], c.outs, name, CLOSE);
  assert.throws(() => linalg.matrixRank(eye(2), { tol: 0.5, atol: 0.1 }), /tol .* cannot be combined with atol or rtol/);
});

test('cond of a singular matrix is ∞ for ±1, ±∞ and \'fro\' (the zero matrix too), as PyTorch\'s; \'nuc\' from the singular values', () => {
  for (const [name, c] of Object.entries(fx.cond)) {
    const p = typeof c.p === 'number' || c.p === 'Infinity' || c.p === '-Infinity' ? num(c.p) : (c.p as 'fro' | 'nuc');
    assertTensorClose(linalg.cond(decode(c.a), p), c.out, `cond, ${name}`, CLOSE);
  }
});

test('eigh and eigvalsh take a lower-case UPLO, vander a 0-d tensor, householderProduct no reflection (a node, no gradients)', () => {
  const m = fx.misc;
  // The eigenvectors' signs are arbitrary: compared by their absolute values.
  const [values, vectors] = linalg.eigh(decode(m['eigh UPLO l']!.inputs[0]!), { UPLO: 'l' });
  const [wantValues, wantVectors] = m['eigh UPLO l']!.outs;
  assertTensorClose(values, wantValues!, 'eigh l: eigenvalues', CLOSE);
  assertTensorClose(vectors.abs(), { ...wantVectors!, data: wantVectors!.data.map((v) => Math.abs(v as number)) }, 'eigh l: |eigenvectors|', CLOSE);
  compareOuts([linalg.eigvalsh(decode(m['eigvalsh UPLO u']!.inputs[0]!), { UPLO: 'u' })], m['eigvalsh UPLO u']!.outs, 'eigvalsh u', CLOSE);
  compareOuts([linalg.vander(decode(m['vander 0-d']!.inputs[0]!), { N: 3 })], m['vander 0-d']!.outs, 'vander 0-d', EXACT);
  const batch = m['householder no tau batch']!;
  compareOuts([linalg.householderProduct(decode(batch.inputs[0]!), decode(batch.inputs[1]!))], batch.outs, 'householder batch', EXACT);
  const h = m['householder no tau'];
  const a = tensor(Float32Array.from({ length: 12 }, (_, i) => i / 7 - 0.5), [4, 3], { requiresGrad: true });
  const tau = zeros([0], { requiresGrad: true });
  const out = linalg.householderProduct(a, tau);
  assertTensorClose(out, h.out, 'householder, no tau', EXACT);
  assert.equal(out.gradFn?.torchName, h.node);
  out.sum().backward();
  assert.deepEqual([a.grad === null, tau.grad === null], [h.gradA, h.gradTau]);
});

test('PyTorch\'s refusals, with its messages', () => {
  const r = fx.refusals;
  const same = (fn: () => unknown, key: string, message = r[key]!.message): void => assert.throws(fn, (e: Error) => e.message === message, key);
  const lstA = tensor([[1, 0], [0, 1], [1, 1]]);
  const lstB = tensor([[1], [2], [4]]);
  same(() => linalg.lstsq(eye(2), eye(2), { driver: 'bogus' as 'gels' }), 'lstsq driver');
  same(() => linalg.lstsq(tensor([[[1, 0], [0, 1], [1, 1]], [[1, 2], [2, 4], [3, 6]]]), lstB.expand([2, 3, 1]), { driver: 'gels' }), 'lstsq gels deficient batch');
  same(() => linalg.lstsq(lstA, lstB.expand([2, 3, 1])), 'lstsq dims');
  same(() => linalg.lstsq(lstA.expand([2, 3, 2]), lstB), 'lstsq vector rows');
  same(() => linalg.householderProduct(ones(2, 4, 3), ones(1, 3)), 'householder tau batch');
  same(() => linalg.vectorNorm(zeros(0, 3), Infinity), 'vector_norm inf empty');
  same(() => linalg.vectorNorm(zeros(0, 3), -1), 'vector_norm -1 empty');
  // An empty dim list is every dimension in PyTorch 1.13 (dim=() refuses with the message of no dim at all).
  same(() => linalg.vectorNorm(zeros(0, 3), Infinity, { dim: [] }), 'vector_norm inf empty');
  same(() => linalg.vectorNorm(zeros(0, 3), -1, { dim: [] }), 'vector_norm -1 empty');
  // PyTorch's message runs the dimension into "because": the space is put back.
  same(() => linalg.vectorNorm(zeros(0, 3), -Infinity, { dim: -2 }), 'vector_norm -inf dim -2', r['vector_norm -inf dim -2']!.message.replace('-2because', '-2 because'));
  same(() => linalg.svdvals(tensor([[Number.NaN, 0], [0, 1]])), 'svdvals nan');
  same(() => linalg.svd(tensor([[[1, 0], [0, 1]], [[Number.NaN, 0], [0, 1]]])), 'svd nan batch');
  same(() => linalg.eigh(eye(2), { UPLO: 'x' as 'L' }), 'eigh UPLO x');
  same(() => linalg.vander(tensor(2)), 'vander 0-d N', `linalg.vander: ${r['vander 0-d N']!.message}`);
  same(() => linalg.cond(zeros(0, 3), 'fro'), 'cond fro 0x3');
  assertTensorClose(linalg.vectorNorm(zeros(0, 3), Infinity, { dim: 1 }), fx.emptyNorms['inf d1']!, 'inf norm over a non-empty dim', EXACT);
  assertTensorClose(linalg.vectorNorm(zeros(3, 0), -1, { dim: 0 }), fx.emptyNorms['-1 d0 of 3x0']!, '-1 norm over a non-empty dim', EXACT);
});

test('named tuples destructure as arrays and have PyTorch\'s field names', () => {
  const a = tensor([[4, 1], [1, 3]]);
  const [L, info] = linalg.choleskyEx(a);
  assert.deepEqual([L.shape, info.item()], [[2, 2], 0]);
  const ex = linalg.choleskyEx(a);
  assert.deepEqual([ex[0], ex[1]], [ex.L, ex.info]);
  const ls = linalg.lstsq(a, ones(2, 1), { driver: 'gelsd' });
  const [solution, residuals, rank, singularValues] = ls;
  assert.deepEqual([solution, residuals, rank, singularValues], [ls.solution, ls.residuals, ls.rank, ls.singularValues]);
  const sl = linalg.slogdet(a);
  assert.deepEqual([sl[0], sl[1]], [sl.sign, sl.logabsdet]);
  const named: [unknown[], unknown[]][] = [];
  const e = linalg.eigh(a);
  named.push([[...e], [e.eigenvalues, e.eigenvectors]]);
  const q = linalg.qr(a);
  named.push([[...q], [q.Q, q.R]]);
  const s = linalg.svd(a);
  named.push([[...s], [s.U, s.S, s.Vh]]);
  const f = linalg.luFactor(a);
  named.push([[...f], [f.LU, f.pivots]]);
  const fe = linalg.luFactorEx(a);
  named.push([[...fe], [fe.LU, fe.pivots, fe.info]]);
  const lu = linalg.lu(a);
  named.push([[...lu], [lu.P, lu.L, lu.U]]);
  const ie = linalg.invEx(a);
  named.push([[...ie], [ie.inverse, ie.info]]);
  const se = linalg.solveEx(a, ones(2, 1));
  named.push([[...se], [se.result, se.info]]);
  for (const [arr, fields] of named) assert.deepEqual(arr, fields);
});
