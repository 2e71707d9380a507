// distributions against PyTorch 1.13 (fixtures/torch/distributions.json, from make_distributions.py): Normal,
// Uniform, Bernoulli and Categorical — printing, seeded samples (bit for bit: the same draws as PyTorch's), log
// probabilities with the parameters' gradients, entropy, moments, cdf/icdf, a reparametrised sample's gradients —
// klDivergence for each pair, and PyTorch's refusals (the first line of its messages).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distributions as D, manualSeed, tensor, type Tensor } from '../../src/index.js';
import { assertSame, assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

type E = EncodedTensor;
const fx = loadFixture<{
  params: Record<'loc' | 'scale' | 'low' | 'high', E>;
  normal: Record<string, E | E[] | string>;
  uniform: Record<string, E | E[] | string>;
  bernoulli: (Record<string, E | string> & { kind: 'probs' | 'logits' })[];
  categorical: (Record<string, E | string> & { kind: 'probs' | 'logits' })[];
  kl: Record<'normal' | 'uniform' | 'bernoulli' | 'categorical', E>;
  reprs: string[];
  refusals: Record<string, { message: string }>;
}>('distributions.json');
const tol = { rtol: 2e-6, atol: 1e-7 };
const close = (t: Tensor | null, e: unknown, label: string): void => assertTensorClose(t, e as E, label, tol);

test('Normal: printing, seeded sample and rsample bit for bit, logProb and its gradients, entropy, moments, cdf, icdf', () => {
  const c = fx.normal;
  const [loc, scale] = [decode(fx.params.loc, true), decode(fx.params.scale, true)];
  const d = new D.Normal(loc, scale);
  assert.equal(String(d), c.repr);
  const lp = d.logProb(decode(c.value as E));
  close(lp, c.logProb, 'logProb');
  lp.sum().backward();
  close(loc.grad, (c.gradLogProb as E[])[0], 'dlogProb/dloc');
  close(scale.grad, (c.gradLogProb as E[])[1], 'dlogProb/dscale');
  loc.grad = null;
  scale.grad = null;
  manualSeed(7);
  const rs = d.rsample([2]);
  assertSame(rs, c.rsample as E, 'rsample');
  rs.sum().backward();
  close(loc.grad, (c.gradRsample as E[])[0], 'drsample/dloc');
  close(scale.grad, (c.gradRsample as E[])[1], 'drsample/dscale');
  manualSeed(7);
  assertSame(d.sample([2]), c.sample as E, 'sample');
  close(d.entropy(), c.entropy, 'entropy');
  close(d.mean, c.mean, 'mean');
  close(d.variance, c.variance, 'variance');
  close(d.stddev, c.stddev, 'stddev');
  close(d.cdf(decode(c.value as E)), c.cdf, 'cdf');
  close(d.icdf(tensor([0.1, 0.5, 0.975])), c.icdf, 'icdf');
});

test('Uniform: printing, seeded rsample bit for bit, logProb and its gradients, entropy, moments, cdf, icdf', () => {
  const c = fx.uniform;
  const [low, high] = [decode(fx.params.low, true), decode(fx.params.high, true)];
  const d = new D.Uniform(low, high);
  assert.equal(String(d), c.repr);
  const lp = d.logProb(decode(c.value as E));
  close(lp, c.logProb, 'logProb');
  lp.sum().backward();
  close(low.grad, (c.gradLogProb as E[])[0], 'dlogProb/dlow');
  close(high.grad, (c.gradLogProb as E[])[1], 'dlogProb/dhigh');
  low.grad = null;
  high.grad = null;
  manualSeed(8);
  const rs = d.rsample([2]);
  assertSame(rs, c.rsample as E, 'rsample');
  rs.sum().backward();
  close(low.grad, (c.gradRsample as E[])[0], 'drsample/dlow');
  close(high.grad, (c.gradRsample as E[])[1], 'drsample/dhigh');
  for (const k of ['entropy', 'mean', 'variance', 'stddev'] as const) close(d[k] instanceof Function ? (d[k] as () => Tensor)() : (d[k] as Tensor), c[k], k);
  close(d.cdf(decode(c.value as E)), c.cdf, 'cdf');
  close(d.icdf(tensor([0.1, 0.5, 0.9])), c.icdf, 'icdf');
});

for (const c of fx.bernoulli) {
  test(`Bernoulli from ${c.kind}: logProb, entropy and their gradient, seeded sample, moments, printing`, () => {
    const p = decode(c.param as E, true);
    const d = new D.Bernoulli({ [c.kind]: p });
    const lp = d.logProb(decode(c.value as E));
    close(lp, c.logProb, 'logProb');
    lp.sum().add(d.entropy().sum()).backward();
    close(d.entropy(), c.entropy, 'entropy');
    close(p.grad, c.grad, 'gradient');
    manualSeed(9);
    assertSame(d.sample([4]), c.sample as E, 'sample');
    close(d.mean, c.mean, 'mean');
    close(d.variance, c.variance, 'variance');
    close(d.probs, c.probs, 'probs');
    close(d.logits, c.logits, 'logits');
    assert.equal(String(d), c.repr);
  });
}

for (const c of fx.categorical) {
  test(`Categorical from ${c.kind}: logProb, entropy and their gradient, probs and logits, printing`, () => {
    const p = decode(c.param as E, true);
    const d = new D.Categorical({ [c.kind]: p });
    const lp = d.logProb(decode(c.value as E));
    close(lp, c.logProb, 'logProb');
    lp.sum().add(d.entropy().sum()).backward();
    close(d.entropy(), c.entropy, 'entropy');
    close(p.grad, c.grad, 'gradient');
    close(d.probs, c.probs, 'probs');
    close(d.logits, c.logits, 'logits');
    assert.equal(String(d), c.repr);
  });
}

test('klDivergence for Normal, Uniform, Bernoulli and Categorical pairs, infinities where PyTorch has them', () => {
  const [loc, scale, low, high] = [decode(fx.params.loc), decode(fx.params.scale), decode(fx.params.low), decode(fx.params.high)];
  close(D.klDivergence(new D.Normal(loc, scale), new D.Normal(loc.flip(0), scale.flip(0))), fx.kl.normal, 'normal');
  close(D.klDivergence(new D.Uniform(low, high), new D.Uniform(low.sub(0.5), tensor([1.5, 2, 3]))), fx.kl.uniform, 'uniform');
  close(D.klDivergence(new D.Bernoulli({ probs: tensor([0.3, 0, 1, 0.5]) }), new D.Bernoulli({ probs: tensor([0.6, 0.2, 0.7, 0]) })), fx.kl.bernoulli, 'bernoulli');
  close(D.klDivergence(new D.Categorical({ probs: tensor([[0.2, 0.5, 0.3], [0.1, 0.1, 0.8]]) }), new D.Categorical({ probs: tensor([[0.3, 0.3, 0.4], [0, 0.5, 0.5]]) })), fx.kl.categorical, 'categorical');
});

test("printing of number parameters, and PyTorch's refusals", () => {
  assert.deepEqual([String(new D.Normal(0, 1)), String(new D.Uniform(0, 1)), String(new D.Bernoulli({ logits: tensor([0.3, 0.1]) }))], fx.reprs);
  const r = fx.refusals;
  const same = (fn: () => unknown, key: string): void => assert.throws(fn, (e: Error) => e.message.split('\n')[0] === r[key]!.message, key);
  same(() => new D.Normal(tensor([0, 0, 0]), tensor([1, -1, 2])), 'normal_scale');
  same(() => new D.Normal(0, -1), 'normal_scale_number');
  same(() => new D.Uniform(tensor([1]), tensor([0])), 'uniform_order');
  same(() => new D.Bernoulli({ probs: tensor([1.5]) }), 'bernoulli_probs');
  same(() => new D.Bernoulli({ probs: tensor([0.5]), logits: tensor([0]) }), 'bernoulli_both');
  same(() => new D.Normal(0, 1).logProb(tensor([NaN])), 'normal_value');
  same(() => new D.Uniform(0, 1).logProb(tensor([2])), 'uniform_value');
  same(() => new D.Categorical({ probs: tensor([0.2, 0.8]) }).logProb(tensor([2])), 'categorical_value');
});
