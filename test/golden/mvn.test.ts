// MultivariateNormal and Independent against PyTorch 1.13's torch.distributions (fixtures/torch/mvn.json, from
// make_mvn.py): from a covariance matrix, a precision matrix and a scale_tril, batched and broadcast against loc —
// the samples after the same seed and the random stream after them, rsample's and log_prob's gradients with respect to
// loc and the matrix, entropy, variance and the three matrices; Independent over a Normal; PyTorch's refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distributions, eye, manualSeed, rand, tensor, zeros } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

type E = EncodedTensor;
interface Case {
  kind: 'covariance_matrix' | 'precision_matrix' | 'scale_tril'; loc: E; matrix: E; values: E; upstream: E; seed: number; sample: E; after: number[];
  rsample: E; rsampleGradLoc: E; rsampleGradMatrix: E; logProb: E; logProbGradLoc: E; logProbGradMatrix: E;
  entropy: E; variance: E; scaleTril: E; covariance: E; precision: E;
}
const fx = loadFixture<{
  cases: Case[];
  independent: { loc: E; scale: E; batch: number[]; event: number[]; logProb: E; entropy: E; sample: E; repr: string };
  refusals: Record<string, { type: string; message: string }>;
}>('mvn.json');
const KEY = { covariance_matrix: 'covarianceMatrix', precision_matrix: 'precisionMatrix', scale_tril: 'scaleTril' } as const;
const TOL = { rtol: 1e-4, atol: 1e-5 };

for (const c of fx.cases) {
  test(`MultivariateNormal from ${c.kind}: PyTorch's samples, gradients, log_prob, entropy and matrices`, () => {
    const loc = decode(c.loc, true);
    const matrix = decode(c.matrix, true);
    const d = new distributions.MultivariateNormal(loc, { [KEY[c.kind]]: matrix });
    assert.deepEqual(d.batchShape, [2]);
    assert.deepEqual(d.eventShape, [3]);
    manualSeed(c.seed);
    assertTensorClose(d.sample([4]), c.sample, 'sample', TOL);
    assert.deepEqual([...rand([2]).toArray()], c.after.map(Math.fround), 'the random stream after sampling');
    manualSeed(c.seed);
    const r = d.rsample([4]);
    assertTensorClose(r, c.rsample, 'rsample', TOL);
    r.backward(decode(c.upstream), { retainGraph: true });
    assertTensorClose(loc.grad, c.rsampleGradLoc, 'rsample: loc gradient', TOL);
    assertTensorClose(matrix.grad, c.rsampleGradMatrix, 'rsample: matrix gradient', TOL);
    loc.grad = null;
    matrix.grad = null;
    const lp = d.logProb(decode(c.values));
    assertTensorClose(lp, c.logProb, 'logProb', TOL);
    lp.sum().backward();
    assertTensorClose(loc.grad, c.logProbGradLoc, 'logProb: loc gradient', TOL);
    assertTensorClose(matrix.grad, c.logProbGradMatrix, 'logProb: matrix gradient', { rtol: 2e-4, atol: 2e-5 });
    assertTensorClose(d.entropy(), c.entropy, 'entropy', TOL);
    assertTensorClose(d.variance, c.variance, 'variance', TOL);
    assertTensorClose(d.scaleTril, c.scaleTril, 'scaleTril', TOL);
    assertTensorClose(d.covarianceMatrix, c.covariance, 'covarianceMatrix', TOL);
    assertTensorClose(d.precisionMatrix, c.precision, 'precisionMatrix', { rtol: 2e-4, atol: 2e-5 });
  });
}

test('Independent(Normal, 1): batch and event shapes, log_prob and entropy summed over the event, printing', () => {
  const i = fx.independent;
  const ind = new distributions.Independent(new distributions.Normal(decode(i.loc), decode(i.scale)), 1);
  assert.deepEqual(ind.batchShape, i.batch);
  assert.deepEqual(ind.eventShape, i.event);
  const mvnValues = decode(fx.cases[0]!.values);
  assertTensorClose(ind.logProb(mvnValues), i.logProb, 'logProb', { rtol: 1e-5, atol: 1e-6 });
  assertTensorClose(ind.entropy(), i.entropy, 'entropy', { rtol: 1e-5, atol: 1e-6 });
  manualSeed(24);
  assertTensorClose(ind.sample([2]), i.sample, 'sample', { rtol: 1e-6, atol: 1e-7 });
  assert.equal(ind.toString(), i.repr);
});

test('MultivariateNormal refuses what PyTorch refuses, with its messages', () => {
  const starts = (key: string, fn: () => unknown): void => {
    const want = fx.refusals[key]!.message;
    assert.throws(fn, (e: unknown) => e instanceof Error && e.message.startsWith(want.replace(/:$/, '')), `${key}: ${want}`);
  };
  starts('notPd', () => new distributions.MultivariateNormal(zeros([2]), { covarianceMatrix: tensor([[1, 2], [2, 1]]) }));
  starts('two', () => new distributions.MultivariateNormal(zeros([2]), { covarianceMatrix: eye(2), scaleTril: eye(2) }));
  starts('loc', () => new distributions.MultivariateNormal(tensor(0), { covarianceMatrix: eye(2) }));
  starts('tril', () => new distributions.MultivariateNormal(zeros([2]), { scaleTril: tensor([[1, 1], [0, 1]]) }));
});
