// LKJCholesky and Wishart against PyTorch 1.13's torch.distributions (fixtures/torch/distributions-matrix.json, from
// make_distributions_matrix.py): after the same manualSeed the samples (PyTorch's onion method and Bartlett
// decomposition, with its retry loop) and the random stream after them; rsample's gradients wrt df and the matrix;
// log_prob and its gradients; entropy, mean, mode, variance and the three matrices; PyTorch's verdict on nearly
// singular matrices (the support check that drives the retries); expand; and PyTorch's refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distributions, manualSeed, rand, tensor, type Tensor } from '../../src/index.js';
import { choleskyInfo32 } from '../../src/distributions/matrix-constraints.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedTensor, type Tolerance } from './golden-helpers.js';

type E = EncodedTensor;
interface LkjCase {
  dim: number; concentration: E; seed: number; shape: number[]; batchShape: number[]; eventShape: number[];
  sample: E; after: number[]; values: E; logProb: E; logProbGrad: E;
}
type Kind = 'scale_tril' | 'covariance_matrix' | 'precision_matrix';
interface Grads { df: E | null; matrix: E | null }
interface WishartCase {
  kind: Kind; df: E; matrix: E; seed: number; shape: number[]; batchShape: number[]; eventShape: number[];
  sample: E; after: number[]; rsampleRetries: number; rsample: E; up: E; rsampleGrads: Grads;
  values: E; logProb: E; logProbGrads: Grads; entropy: E; entropyGrads: Grads;
  mean: E; mode: E; variance: E; scale_tril: E; covariance_matrix: E; precision_matrix: E;
}
const fx = loadFixture<{
  lkj: LkjCase[];
  lkjExpand: { dim: number; concentration: number; batchShape: number[]; seed: number; sample: E; after: number[] };
  wishart: WishartCase[];
  wishartExpand: { df: number; scaleTril: E; batchShape: number[]; seed: number; sample: E; after: number[] };
  pdChecks: Record<string, { matrices: E; info: E }>;
  refusals: Record<string, { type: string; message: string }>;
}>('distributions-matrix.json');

const D = distributions;
const stream = (after: number[]): void => assert.deepEqual([...rand([3]).toArray()], after.map(Math.fround), 'the random stream after sampling');
const OPTION = { scale_tril: 'scaleTril', covariance_matrix: 'covarianceMatrix', precision_matrix: 'precisionMatrix' } as const;
const SAMPLE: Tolerance = { rtol: 2e-6, atol: 2e-7 };
const TOL: Tolerance = { rtol: 5e-6, atol: 1e-6 };

for (const c of fx.lkj) {
  test(`LKJCholesky(${c.dim}, concentration ${JSON.stringify(c.concentration.shape)}): PyTorch's samples after the same seed, log_prob and its gradient`, () => {
    const conc = decode(c.concentration, true);
    const d = new D.LKJCholesky(c.dim, conc);
    assert.deepEqual(d.batchShape, c.batchShape);
    assert.deepEqual(d.eventShape, c.eventShape);
    manualSeed(c.seed);
    const s = d.sample(c.shape);
    assertTensorClose(s, c.sample, 'sample', SAMPLE);
    stream(c.after);
    const lp = d.logProb(decode(c.values));
    assertTensorClose(lp, c.logProb, 'logProb', TOL);
    lp.sum().backward();
    assertTensorClose(conc.grad, c.logProbGrad, 'logProb gradient of the concentration', TOL);
  });
}

test('LKJCholesky.expand: the expanded batch samples as PyTorch\'s after the same seed', () => {
  const e = fx.lkjExpand;
  const d = new D.LKJCholesky(e.dim, tensor(e.concentration)).expand(e.batchShape);
  assert.deepEqual(d.batchShape, e.batchShape);
  manualSeed(e.seed);
  assertTensorClose(d.sample(), e.sample, 'sample', SAMPLE);
  stream(e.after);
  assert.throws(() => d.logProb(tensor([[1, 0, 0], [0, 2, 0], [0, 0, 1]])), /CorrCholesky\(\)/, 'the expanded one still checks values');
});

const grads = (df: Tensor, m: Tensor, want: Grads, label: string, tol: Tolerance): void => {
  for (const [name, t, g] of [['df', df, want.df], ['matrix', m, want.matrix]] as const) {
    if (g === null) assert.equal(t.grad, null, `${label}: ${name} gets no gradient`);
    else assertTensorClose(t.grad, g, `${label} gradient of ${name}`, tol);
    t.grad = null;
  }
};

for (const c of fx.wishart) {
  test(`Wishart(df ${JSON.stringify(c.df.shape)}, ${c.kind} ${JSON.stringify(c.matrix.shape)}): seeded samples, rsample's and log_prob's gradients, entropy, moments`, () => {
    const df = decode(c.df, true);
    const m = decode(c.matrix, true);
    // The parameters' graph (the Cholesky factor, Chi2's df) is shared by every pass, as in PyTorch: kept.
    const d = new D.Wishart(df, { [OPTION[c.kind]]: m });
    assert.deepEqual(d.batchShape, c.batchShape);
    assert.deepEqual(d.eventShape, c.eventShape);
    manualSeed(c.seed);
    assertTensorClose(d.sample(c.shape), c.sample, 'sample', SAMPLE);
    stream(c.after);
    manualSeed(c.seed);
    const r = d.rsample(c.shape, c.rsampleRetries);
    assertTensorClose(r, c.rsample, 'rsample', SAMPLE);
    r.mul(decode(c.up)).sum().backward({ retainGraph: true });
    grads(df, m, c.rsampleGrads, 'rsample', TOL);
    const lp = d.logProb(decode(c.values));
    assertTensorClose(lp, c.logProb, 'logProb', TOL);
    lp.sum().backward({ retainGraph: true });
    grads(df, m, c.logProbGrads, 'logProb', TOL);
    const h = d.entropy();
    assertTensorClose(h, c.entropy, 'entropy', TOL);
    h.sum().backward({ retainGraph: true });
    grads(df, m, c.entropyGrads, 'entropy', TOL);
    assertTensorClose(d.mean, c.mean, 'mean', TOL);
    assertTensorClose(d.mode, c.mode, 'mode', TOL);
    assertTensorClose(d.variance, c.variance, 'variance', TOL);
    assertTensorClose(d.scaleTril, c.scale_tril, 'scaleTril', TOL);
    assertTensorClose(d.covarianceMatrix, c.covariance_matrix, 'covarianceMatrix', TOL);
    assertTensorClose(d.precisionMatrix, c.precision_matrix, 'precisionMatrix', TOL);
  });
}

test('Wishart.expand: the expanded batch samples as PyTorch\'s after the same seed', () => {
  const e = fx.wishartExpand;
  const d = new D.Wishart(e.df, { scaleTril: decode(e.scaleTril) }).expand(e.batchShape);
  assert.deepEqual(d.batchShape, e.batchShape);
  assert.deepEqual(d.scaleTril.shape, [...e.batchShape, ...e.scaleTril.shape]);
  manualSeed(e.seed);
  assertTensorClose(d.sample([2]), e.sample, 'sample', SAMPLE);
  stream(e.after);
});

test('the positive-definiteness check: cholesky_ex\'s info on nearly singular matrices, as PyTorch\'s float32 LAPACK gives it', () => {
  for (const [p, c] of Object.entries(fx.pdChecks)) {
    const n = Number(p);
    const v = values(c.matrices);
    const want = values(c.info);
    const got = want.map((_, b) => choleskyInfo32(v, b * n * n, n));
    assert.deepEqual(got, want, `p = ${p}`);
    assert.ok(want.some((i) => i !== 0) && want.some((i) => i === 0), `p = ${p}: both verdicts occur`);
  }
});

const refusal = (name: string, fn: () => unknown): void => {
  const want = fx.refusals[name]!.message;
  assert.throws(fn, (e: Error) => e.message.split('\n')[0]!.startsWith(want), `${name}: ${want}`);
};

test('LKJCholesky and Wishart refuse what PyTorch refuses, with its messages', () => {
  const eye = tensor([[1, 0], [0, 1]]);
  refusal('lkjDim', () => new D.LKJCholesky(1, 1));
  refusal('lkjConcentration', () => new D.LKJCholesky(3, -1));
  refusal('lkjConcentrationBatch', () => new D.LKJCholesky(3, tensor([1, 0])));
  refusal('lkjSupportDiagonal', () => new D.LKJCholesky(3, 0.5).logProb(tensor([[2, 0, 0], [0, 2, 0], [0, 0, 2]])));
  refusal('lkjSupportUpper', () => new D.LKJCholesky(2, 0.5).logProb(tensor([[1, 0.6], [0, 0.8]])));
  refusal('wishartDf', () => new D.Wishart(1, { covarianceMatrix: eye }));
  refusal('wishartDfTensor', () => new D.Wishart(tensor([1.5, 0.5]), { covarianceMatrix: eye }));
  refusal('wishartCovariance', () => new D.Wishart(3, { covarianceMatrix: tensor([[1, 1], [1, 1]]) }));
  refusal('wishartAsymmetric', () => new D.Wishart(3, { covarianceMatrix: tensor([[1, 0.5], [0, 1]]) }));
  refusal('wishartPrecision', () => new D.Wishart(3, { precisionMatrix: eye.neg() }));
  refusal('wishartScaleTril', () => new D.Wishart(3, { scaleTril: tensor([[1, 1], [1, 1]]) }));
  refusal('wishartOneDim', () => new D.Wishart(3, { scaleTril: tensor([1, 1]) }));
  refusal('wishartTwoMatrices', () => new D.Wishart(3, { scaleTril: eye, covarianceMatrix: eye }));
  refusal('wishartSupport', () => new D.Wishart(3, { scaleTril: eye }).logProb(eye.neg()));
  // validateArgs: false skips the value checks (PyTorch's validate_args=False), and LKJCholesky still refuses η ≤ 0
  // through its Beta, which PyTorch builds validated whatever validate_args says.
  assert.ok(Number.isFinite(new D.Wishart(3, { scaleTril: eye, validateArgs: false }).logProb(tensor([[1, 0.5], [0.5, 1]])).item()));
  refusal('lkjConcentration', () => new D.LKJCholesky(3, -1, { validateArgs: false }));
});
