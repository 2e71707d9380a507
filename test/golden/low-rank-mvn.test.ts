// LowRankMultivariateNormal against PyTorch 1.13 (fixtures/torch/low-rank-mvn.json, from make_low_rank_mvn.py):
// samples after the same seed and the random stream after them, rsample's and log_prob's gradients with respect to
// loc, the factor and the diagonal, entropy, variance, the three matrices, and expand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distributions, manualSeed, rand } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

type E = EncodedTensor;
const fx = loadFixture<{
  loc: E; w: E; d: E; sample: E; after: number[]; rsample: E; upstream: E; rsampleGrads: Record<'loc' | 'w' | 'd', E>; values: E; logProb: E;
  logProbGrads: Record<'loc' | 'w' | 'd', E>; entropy: E; variance: E; covariance: E; precision: E; scaleTril: E; expandedBatch: number[];
}>('low-rank-mvn.json');
const TOL = { rtol: 1e-4, atol: 1e-5 };

test('LowRankMultivariateNormal: PyTorch\'s samples, gradients, log_prob, entropy and matrices', () => {
  const loc = decode(fx.loc, true);
  const w = decode(fx.w, true);
  const d = decode(fx.d, true);
  const dist = new distributions.LowRankMultivariateNormal(loc, w, d);
  assert.deepEqual(dist.batchShape, [2]);
  assert.deepEqual(dist.eventShape, [4]);
  manualSeed(91);
  assertTensorClose(dist.sample([3]), fx.sample, 'sample', TOL);
  assert.deepEqual([...rand([2]).toArray()], fx.after.map(Math.fround));
  manualSeed(91);
  const r = dist.rsample([3]);
  assertTensorClose(r, fx.rsample, 'rsample', TOL);
  r.backward(decode(fx.upstream), { retainGraph: true });
  const params = { loc, w, d };
  for (const k of ['loc', 'w', 'd'] as const) {
    assertTensorClose(params[k].grad, fx.rsampleGrads[k], `rsample gradient of ${k}`, TOL);
    params[k].grad = null;
  }
  const lp = dist.logProb(decode(fx.values));
  assertTensorClose(lp, fx.logProb, 'logProb', TOL);
  lp.sum().backward();
  for (const k of ['loc', 'w', 'd'] as const) assertTensorClose(params[k].grad, fx.logProbGrads[k], `logProb gradient of ${k}`, { rtol: 2e-4, atol: 2e-5 });
  assertTensorClose(dist.entropy(), fx.entropy, 'entropy', TOL);
  assertTensorClose(dist.variance, fx.variance, 'variance', TOL);
  assertTensorClose(dist.covarianceMatrix, fx.covariance, 'covarianceMatrix', TOL);
  assertTensorClose(dist.precisionMatrix, fx.precision, 'precisionMatrix', TOL);
  assertTensorClose(dist.scaleTril, fx.scaleTril, 'scaleTril', TOL);
  assert.deepEqual(dist.expand([3, 2]).batchShape, fx.expandedBatch);
  assert.throws(() => new distributions.LowRankMultivariateNormal(loc, decode(fx.w).narrow(0, 0, 3), d), /cov_factor must be a batch of matrices with shape 4 x m/);
});
