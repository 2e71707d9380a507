// linalg fuzzed against PyTorch 1.13 (fixtures/torch/linalg-fuzz.json, from make_linalg_fuzz.py): about 1,140 calls
// of torch.linalg and the older torch.* names on random inputs (empty, 1 × 1, square, non-square, batched), with
// their options; the values and the gradients of Σ out·upstream, exactly singular matrices, and PyTorch's refusals
// with its words. Eigenvectors and singular vectors are compared with each column's largest entry positive (the
// fixture's sign_fix_cols, applied here too: a constant factor, so gradients compare as well).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { choleskyInverse, choleskySolve, cholesky, det, inverse, linalg, logdet, lu, qr, svd, tensor, Tensor } from '../../src/index.js';
import { loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface Case {
  op: string;
  group: 'random' | 'singular' | 'refusals';
  kw: Record<string, unknown>;
  inputs: EncodedTensor[];
  outs?: EncodedTensor[];
  upstreams?: (EncodedTensor | null)[];
  grads?: (EncodedTensor | null)[];
  gradError?: string;
  error?: { type: string; message: string };
}
const fx = loadFixture<{ cases: Case[] }>('linalg-fuzz.json');

type Kw = Record<string, unknown>;
const num = (v: unknown): unknown => (v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v === 'NaN' ? Number.NaN : v);
/** PyTorch's keyword arguments `names` as Kindling's options (check_errors is checkErrors; lists and ±∞ decoded). */
function opt(k: Kw, names: readonly string[]): Kw {
  const o: Kw = {};
  if (k.check_errors !== undefined) o.checkErrors = k.check_errors;
  for (const n of names) if (k[n] !== undefined && k[n] !== null) o[n] = Array.isArray(k[n]) ? (k[n] as unknown[]).map(num) : num(k[n]);
  return o;
}
const ord = (k: Kw, fallback: unknown): never => (k.ord === undefined ? fallback : num(k.ord)) as never;
const all = (r: Tensor | readonly Tensor[]): Tensor[] => (r instanceof Tensor ? [r] : [...r]);

/** Columns times the sign of their largest |entry| (the first of ties), and those signs ([..., 1, n]). */
function signFixCols(v: Tensor): [Tensor, Tensor] {
  const [m, n] = v.shape.slice(-2) as [number, number];
  const d = v.toArray();
  const count = m * n === 0 ? 0 : d.length / (m * n);
  const s = new Float32Array(Math.max(count, v.shape.slice(0, -2).reduce((p, x) => p * x, 1)) * n).fill(1);
  for (let b = 0; b < count; b++) {
    for (let j = 0; j < n; j++) {
      let best = -1;
      let at = 0;
      for (let i = 0; i < m; i++) if (Math.abs(d[b * m * n + i * n + j]!) > best) { best = Math.abs(d[b * m * n + i * n + j]!); at = i; }
      if (d[b * m * n + at * n + j]! < 0) s[b * n + j] = -1;
    }
  }
  const signs = tensor(s, [...v.shape.slice(0, -2), 1, n]);
  return [v.mul(signs), signs];
}

function svdFixed(U: Tensor, S: Tensor, V: Tensor, vIsVh: boolean): Tensor[] {
  const k = S.shape[S.ndim - 1]!;
  const [u, s] = signFixCols(U.narrow(-1, 0, k));
  return [u, S, vIsVh ? V.narrow(-2, 0, k).mul(s.transpose(-2, -1)) : V.narrow(-1, 0, k).mul(s)];
}

const OPS: Record<string, (t: Tensor[], k: Kw) => Tensor[]> = {
  det: ([a]) => [linalg.det(a!)],
  'torch.det': ([a]) => [det(a!)],
  slogdet: ([a]) => all(linalg.slogdet(a!)),
  'torch.logdet': ([a]) => [logdet(a!)],
  inv: ([a]) => [linalg.inv(a!)],
  'torch.inverse': ([a]) => [inverse(a!)],
  inv_ex: ([a], k) => all(linalg.invEx(a!, opt(k, []))),
  solve: ([a, b], k) => [linalg.solve(a!, b!, opt(k, ['left']))],
  solve_ex: ([a, b], k) => all(linalg.solveEx(a!, b!, opt(k, ['left']))),
  matrix_power: ([a], k) => [linalg.matrixPower(a!, k.n as number)],
  cross: ([a, b], k) => [linalg.cross(a!, b!, (k.dim as number | undefined) ?? -1)],
  vector_norm: ([a], k) => [linalg.vectorNorm(a!, ord(k, 2), opt(k, ['dim', 'keepdim']))],
  matrix_norm: ([a], k) => [linalg.matrixNorm(a!, ord(k, 'fro'), opt(k, ['dim', 'keepdim']))],
  norm: ([a], k) => [linalg.norm(a!, ord(k, null), opt(k, ['dim', 'keepdim']))],
  cholesky: ([a], k) => [linalg.cholesky(a!, opt(k, ['upper']))],
  cholesky_ex: ([a], k) => all(linalg.choleskyEx(a!, opt(k, ['upper']))),
  'torch.cholesky': ([a], k) => [cholesky(a!, (k.upper as boolean | undefined) ?? false)],
  solve_triangular: ([a, b], k) => [linalg.solveTriangular(a!, b!, opt(k, ['upper', 'left', 'unitriangular']) as never)],
  eigh: ([a], k) => {
    const [w, v] = linalg.eigh(a!, opt(k, ['UPLO']));
    return [w, signFixCols(v)[0]];
  },
  eigvalsh: ([a], k) => [linalg.eigvalsh(a!, opt(k, ['UPLO']))],
  svd: ([a], k) => {
    const [U, S, Vh] = linalg.svd(a!, { fullMatrices: (k.full_matrices as boolean | undefined) ?? true });
    return svdFixed(U, S, Vh, true);
  },
  'torch.svd': ([a], k) => {
    const [U, S, V] = svd(a!, (k.some as boolean | undefined) ?? true, (k.compute_uv as boolean | undefined) ?? true);
    return k.compute_uv === false ? [U, S, V] : svdFixed(U, S, V, false);
  },
  svdvals: ([a]) => [linalg.svdvals(a!)],
  matrix_rank: ([a], k) => [linalg.matrixRank(a!, opt(k, ['atol', 'rtol', 'hermitian']))],
  cond: ([a], k) => [linalg.cond(a!, (k.p === undefined ? null : num(k.p)) as never)],
  qr: ([a], k) => all(linalg.qr(a!, k.mode as never)),
  'torch.qr': ([a], k) => all(qr(a!, (k.some as boolean | undefined) ?? true)),
  pinv: ([a], k) => [linalg.pinv(a!, opt(k, ['atol', 'rtol', 'hermitian']))],
  matrix_exp: ([a]) => [linalg.matrixExp(a!)],
  lstsq: ([a, b], k) => all(linalg.lstsq(a!, b!, opt(k, ['driver', 'rcond']))),
  cholesky_solve: ([b, l], k) => [choleskySolve(b!, l!, (k.upper as boolean | undefined) ?? false)],
  cholesky_inverse: ([l], k) => [choleskyInverse(l!, (k.upper as boolean | undefined) ?? false)],
  lu_factor: ([a], k) => all(linalg.luFactor(a!, opt(k, ['pivot']))),
  lu_factor_ex: ([a], k) => all(linalg.luFactorEx(a!, opt(k, ['pivot']))),
  lu: ([a], k) => all(linalg.lu(a!, opt(k, ['pivot']))),
  'torch.lu': ([a]) => all(lu(a!)),
  lu_solve: ([f, p, b], k) => [linalg.luSolve(f!, p!, b!, opt(k, ['left', 'adjoint']))],
  vecdot: ([a, b], k) => [linalg.vecdot(a!, b!, opt(k, ['dim']))],
  householder_product: ([a, t]) => [linalg.householderProduct(a!, t!)],
  tensorinv: ([a], k) => [linalg.tensorinv(a!, opt(k, ['ind']))],
  tensorsolve: ([a, b], k) => [linalg.tensorsolve(a!, b!, opt(k, ['dims']))],
  multi_dot: (t) => [linalg.multiDot(t)],
  vander: ([x], k) => [linalg.vander(x!, opt(k, ['N']))],
};

/**
 * Refusals whose words are Kindling's own (it refuses them too): shapes that do not broadcast (Kindling's message
 * names both shapes), and an order ±1, ±2, ±∞ of empty matrices, refused by the amax or amin of PyTorch's
 * composition, whose message Kindling's amax and amin word their own way.
 */
function ownWords(c: Case): boolean {
  return c.error!.message.startsWith('The size of tensor a') || /^am(ax|in)\(\): Expected reduction dim/.test(c.error!.message);
}

function decodeInput(e: EncodedTensor, grad: boolean): Tensor {
  const t = tensor(Float32Array.from(values(e).map((v) => num(v) as number)), e.shape, { requiresGrad: grad && e.dtype === undefined });
  return e.dtype === 'bool' ? t.bool() : t;
}

/** |actual − expected| ≤ atol·max(1, largest |expected|) + rtol·|expected|, NaN matching NaN and infinities equal. */
function close(actual: Tensor | null, e: EncodedTensor, label: string, rtol: number, atol: number): void {
  assert.ok(actual !== null, `${label}: missing`);
  assert.deepEqual(actual.shape, e.shape, `${label}: shape`);
  if (e.dtype === 'bool') assert.equal(actual.dtype, 'bool', `${label}: dtype`);
  const got = actual.toArray();
  const want = values(e).map((v) => num(v) as number);
  const big = Math.max(1, ...want.filter(Number.isFinite).map(Math.abs));
  want.forEach((w, i) => {
    const g = got[i]!;
    if (Number.isNaN(w) || Number.isNaN(g)) return assert.ok(Number.isNaN(w) && Number.isNaN(g), `${label}[${i}]: ${g}, PyTorch ${w}`);
    if (g === w) return;
    assert.ok(Math.abs(g - w) <= atol * big + rtol * Math.abs(w), `${label}[${i}]: ${g}, PyTorch ${w}`);
  });
}

function run(c: Case, i: number): void {
  const label = `#${i} ${c.op} ${JSON.stringify(c.kw)} on ${c.inputs.map((e) => `${e.dtype ?? ''}[${e.shape.join(', ')}]`).join(', ')}`;
  const grad = c.grads !== undefined;
  const inputs = c.inputs.map((e) => decodeInput(e, grad));
  if (c.error !== undefined) {
    // vector_norm's message lacks a space in PyTorch ("dimension 0because"), which Kindling's has.
    const words = c.error.message.replace(/(\d)because/, '$1 because').toLowerCase();
    assert.throws(() => OPS[c.op]!(inputs, c.kw), (err: Error) => ownWords(c) || err.message.toLowerCase().includes(words), `${label}: PyTorch refuses it: ${c.error.message}`);
    return;
  }
  const outs = OPS[c.op]!(inputs, c.kw);
  assert.equal(outs.length, c.outs!.length, `${label}: outputs`);
  outs.forEach((o, j) => close(o, c.outs![j]!, `${label}: output ${j}`, 2e-4, 2e-5));
  if (!grad) return;
  let loss: Tensor | null = null;
  outs.forEach((o, j) => {
    const u = c.upstreams![j];
    if (u === null || u === undefined || o.gradFn === null) return;
    const term = o.mul(decodeInput(u, false)).sum();
    loss = loss === null ? term : loss.add(term);
  });
  (loss as Tensor | null)?.backward();
  c.grads!.forEach((g, j) => {
    if (g === null) return assert.ok(inputs[j]!.grad === null || inputs[j]!.grad!.abs().sum().item() === 0, `${label}: a gradient where PyTorch has none`);
    close(inputs[j]!.grad, g, `${label}: gradient ${j}`, 1e-3, 1e-4);
  });
}

test('linalg fuzzed: PyTorch\'s values, shapes and gradients on random, empty, 1 × 1, non-square and batched inputs', () => {
  fx.cases.forEach((c, i) => { if (c.group === 'random') run(c, i); });
});

test('exactly singular matrices: solveEx and its gradient, invEx, the LU\'s info and choleskyEx\'s partial factor as PyTorch\'s', () => {
  fx.cases.forEach((c, i) => { if (c.group === 'singular') run(c, i); });
});

test('PyTorch\'s refusals (1-D, 0-d, non-square, bool, singular, not positive-definite, batch elements, shapes) with its words', () => {
  let n = 0;
  fx.cases.forEach((c, i) => { if (c.group === 'refusals') { run(c, i); n++; } });
  assert.ok(n > 150, `${n} refusals`);
});
