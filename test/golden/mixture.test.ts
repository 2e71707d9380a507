// MixtureSameFamily and Multinomial against PyTorch 1.13 (fixtures/torch/mixture.json, from make_mixture.py): a 2-D
// Gaussian mixture and a batch of 1-D mixtures — samples after the same seed, log_prob with the gradients of the
// mixture's logits and the components' parameters, cdf, mean, variance — and Multinomial's counts, log_prob and its
// gradient, entropy and moments.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distributions, manualSeed, rand } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

type E = EncodedTensor;
const fx = loadFixture<{
  two: { logits: E; loc: E; scale: E; x: E; sample: E; after: number[]; logProb: E; gradLogits: E; gradLoc: E; gradScale: E; mean: E; variance: E; batch: number[]; event: number[] };
  one: { probs: E; loc: E; scale: E; x: E; sample: E; logProb: E; cdf: E; mean: E; variance: E };
  multinomial: { probs: E; sample: E; after: number[]; counts: E; logProb: E; gradProbs: E; entropy: E; mean: E; variance: E };
}>('mixture.json');
const D = distributions;
const TOL = { rtol: 1e-5, atol: 1e-6 };

test('a 2-D Gaussian mixture: PyTorch\'s samples, log_prob and its gradients, mean and variance', () => {
  const t = fx.two;
  const logits = decode(t.logits, true);
  const loc = decode(t.loc, true);
  const scale = decode(t.scale, true);
  const gmm = new D.MixtureSameFamily(new D.Categorical({ logits }), new D.Independent(new D.Normal(loc, scale), 1));
  assert.deepEqual(gmm.batchShape, t.batch);
  assert.deepEqual(gmm.eventShape, t.event);
  manualSeed(61);
  assertTensorClose(gmm.sample([4]), t.sample, 'sample', TOL);
  assert.deepEqual([...rand([2]).toArray()], t.after.map(Math.fround));
  const lp = gmm.logProb(decode(t.x));
  assertTensorClose(lp, t.logProb, 'logProb', TOL);
  lp.sum().backward();
  assertTensorClose(logits.grad, t.gradLogits, 'logits gradient', { rtol: 1e-4, atol: 1e-6 });
  assertTensorClose(loc.grad, t.gradLoc, 'loc gradient', { rtol: 1e-4, atol: 1e-6 });
  assertTensorClose(scale.grad, t.gradScale, 'scale gradient', { rtol: 1e-4, atol: 1e-6 });
  assertTensorClose(gmm.mean, t.mean, 'mean', TOL);
  assertTensorClose(gmm.variance, t.variance, 'variance', TOL);
});

test('a batch of 1-D mixtures: samples, log_prob, cdf, mean and variance', () => {
  const o = fx.one;
  const m = new D.MixtureSameFamily(new D.Categorical({ probs: decode(o.probs) }), new D.Normal(decode(o.loc), decode(o.scale)));
  manualSeed(62);
  assertTensorClose(m.sample([2]), o.sample, 'sample', TOL);
  assertTensorClose(m.logProb(decode(o.x)), o.logProb, 'logProb', TOL);
  assertTensorClose(m.cdf(decode(o.x)), o.cdf, 'cdf', TOL);
  assertTensorClose(m.mean, o.mean, 'mean', TOL);
  assertTensorClose(m.variance, o.variance, 'variance', TOL);
  assert.throws(() => new D.MixtureSameFamily(new D.Categorical({ probs: decode(o.probs) }), new D.Normal(rand([4, 2]), 1)), /does not equal `component_distribution.batch_shape\[-1\]`/);
});

test('Multinomial: PyTorch\'s counts after the same seed, log_prob and its gradient, entropy and moments', () => {
  const m = fx.multinomial;
  const probs = decode(m.probs, true);
  const d = new D.Multinomial(7, { probs });
  manualSeed(63);
  assertTensorClose(d.sample([3]), m.sample, 'sample', { rtol: 0, atol: 0 });
  assert.deepEqual([...rand([2]).toArray()], m.after.map(Math.fround));
  const lp = d.logProb(decode(m.counts));
  assertTensorClose(lp, m.logProb, 'logProb', TOL);
  lp.sum().backward();
  assertTensorClose(probs.grad, m.gradProbs, 'probs gradient', { rtol: 1e-4, atol: 1e-6 });
  assertTensorClose(d.entropy(), m.entropy, 'entropy', { rtol: 1e-5, atol: 1e-5 });
  assertTensorClose(d.mean, m.mean, 'mean', TOL);
  assertTensorClose(d.variance, m.variance, 'variance', TOL);
});
