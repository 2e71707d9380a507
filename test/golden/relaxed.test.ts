// RelaxedBernoulli, LogitRelaxedBernoulli, RelaxedOneHotCategorical and ExpRelaxedCategorical against PyTorch 1.13
// (fixtures/torch/relaxed.json, from make_relaxed.py): rsample after the same seed with the gradients of the
// probabilities (or logits), log_prob, and the random stream after sampling.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distributions, manualSeed, rand, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

type E = EncodedTensor;
const fx = loadFixture<{ temperature: number; cases: Record<string, { param: E; upstream: E; rsample: E; grad: E; values: E; logProb: E; after: number[] }> }>('relaxed.json');
const D = distributions;
const t = fx.temperature;

interface Relaxed { rsample(shape?: readonly number[]): Tensor; logProb(v: Tensor): Tensor }
const MAKE: Record<string, (p: Tensor) => Relaxed> = {
  relaxedBernoulli: (p) => new D.RelaxedBernoulli(t, { probs: p }),
  logitRelaxedBernoulli: (p) => new D.LogitRelaxedBernoulli(t, { logits: p }),
  relaxedOneHotCategorical: (p) => new D.RelaxedOneHotCategorical(t, { logits: p }),
  expRelaxedCategorical: (p) => new D.ExpRelaxedCategorical(t, { probs: p }),
};
const SEEDS: Record<string, number> = { relaxedBernoulli: 71, logitRelaxedBernoulli: 72, relaxedOneHotCategorical: 73, expRelaxedCategorical: 74 };

for (const [name, c] of Object.entries(fx.cases)) {
  test(`${name}: PyTorch's reparametrised samples and their gradients, log_prob`, () => {
    const param = decode(c.param, true);
    const d = MAKE[name]!(param);
    manualSeed(SEEDS[name]!);
    const r = d.rsample([3]);
    assertTensorClose(r, c.rsample, 'rsample', { rtol: 1e-5, atol: 1e-6 });
    r.backward(decode(c.upstream));
    assertTensorClose(param.grad, c.grad, 'gradient', { rtol: 1e-4, atol: 1e-5 });
    assertTensorClose(d.logProb(decode(c.values)), c.logProb, 'logProb', { rtol: 1e-5, atol: 1e-5 });
    assert.deepEqual([...rand([2]).toArray()], c.after.map(Math.fround));
  });
}
