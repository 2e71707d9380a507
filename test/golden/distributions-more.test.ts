// Exponential, Laplace, Cauchy, Gamma, Chi2, Poisson, Beta, Dirichlet, LogNormal, HalfNormal, HalfCauchy, Gumbel,
// Weibull, Pareto, Geometric, OneHotCategorical, StudentT, Binomial, NegativeBinomial, FisherSnedecor and
// ContinuousBernoulli and VonMises against PyTorch 1.13's torch.distributions (fixtures/torch/distributions-more.json, from
// make_distributions_more.py): after the same manualSeed the samples
// (PyTorch's own samplers ported step by step) and the random stream after them; rsample's gradients; log_prob and
// its gradients; entropy, mean, variance, cdf and icdf; torch.poisson; and PyTorch's refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binomial, distributions, manualSeed, poisson, rand, tensor, type Tensor } from '../../src/index.js';
import { FAMILIES } from './distribution-families.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

type E = EncodedTensor;
type Num = number | 'NaN' | 'Infinity' | '-Infinity';
interface Case {
  params: Record<string, E>; requiresGrad: Record<string, boolean>; values: E; seed: number; shape: number[]; sample: E; after: number[];
  rsample?: E; rsampleGrads?: Record<string, E | null>; logProb: E; logProbGrads: Record<string, E | null>;
  entropy: E | null; mean: Num[]; variance: Num[]; cdf?: E; icdf?: E;
}
const fx = loadFixture<{
  cases: Record<string, Case>; poisson: { rates: E; draws: E; after: number[] };
  binomial: { count: E; probs: E; draws: E; after: number[]; entropy: E; broadcast: { count: E; probs: E; draws: E; after: number[] }[] }; upstream: E; refusals: Record<string, { type: string; message: string }>;
  atZero: Record<'binomialLogits' | 'binomialLogProb' | 'binomialLogitsGrad' | 'entropyProbs' | 'entropyProbsGrad' | 'multinomialProbs' | 'multinomialEntropy' | 'multinomialProbsGrad', E>;
}>('distributions-more.json');
const num = (v: Num): number => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v);

interface Dist {
  sample(shape?: readonly number[]): Tensor;
  rsample?(shape?: readonly number[]): Tensor;
  logProb(v: Tensor): Tensor;
  entropy?(): Tensor;
  cdf?(v: Tensor): Tensor;
  icdf?(v: Tensor): Tensor;
  readonly mean: Tensor;
  readonly variance: Tensor;
}
const D = distributions;
const MAKE: Record<string, (p: Record<string, Tensor>) => Dist> = {
  ...FAMILIES,
  binomial: (p) => new D.Binomial(p.total_count!, { probs: p.probs! }),
};
const TOL = { rtol: 2e-5, atol: 2e-6 };

for (const [name, c] of Object.entries(fx.cases)) {
  test(`${name}: PyTorch's samples after the same seed, rsample's and log_prob's gradients, entropy, moments, cdf, icdf`, () => {
    // Gamma's concentration gets no gradient here (PyTorch's script detaches it; its gradient is gamma-grad.json's).
    const params = Object.fromEntries(Object.entries(c.params).map(([k, e]) => [k, decode(e, c.requiresGrad[k]! && !(name === 'gamma' && k === 'concentration'))]));
    const d = MAKE[name]!(params);
    manualSeed(c.seed);
    // VonMises's samples go through cos and acos, whose float32 results in PyTorch's vector kernels may differ from
    // the correctly rounded ones by a few steps: the same draws and decisions, values within 1e-5.
    const sampleTol = name === 'vonMises' ? { rtol: 1e-5, atol: 1e-6 } : { rtol: 1e-6, atol: 1e-7 };
    assertTensorClose(d.sample(c.shape), c.sample, 'sample', sampleTol);
    assert.deepEqual([...rand([2]).toArray()], c.after.map(Math.fround), 'the random stream after sampling');
    if (c.rsample !== undefined) {
      manualSeed(c.seed);
      const r = d.rsample!(c.shape);
      assertTensorClose(r, c.rsample, 'rsample', { rtol: 1e-6, atol: 1e-7 });
      r.backward(decode(fx.upstream), { retainGraph: true });
      for (const [k, g] of Object.entries(c.rsampleGrads!)) {
        if (g === null) assert.equal(params[k]!.grad, null, `${k} gets no gradient`);
        else assertTensorClose(params[k]!.grad, g, `rsample gradient of ${k}`, TOL);
        params[k]!.grad = null;
      }
    }
    const lp = d.logProb(decode(c.values));
    assertTensorClose(lp, c.logProb, 'logProb', TOL);
    lp.sum().backward();
    for (const [k, g] of Object.entries(c.logProbGrads)) {
      if (g === null) assert.equal(params[k]!.grad, null, `${k} gets no gradient`);
      else assertTensorClose(params[k]!.grad, g, `logProb gradient of ${k}`, TOL);
    }
    // PyTorch has no entropy here (Poisson), or refuses it (Binomial with several total counts): so does Kindling.
    if (c.entropy === null) assert.throws(() => d.entropy!(), /Inhomogeneous total count|does not implement entropy \(PyTorch's NotImplementedError\)/);
    else assertTensorClose(d.entropy!(), c.entropy, 'entropy', TOL);
    const close = (t: Tensor, want: Num[], label: string): void => {
      const got = t.contiguous().toArray();
      want.forEach((w, i) => {
        const v = num(w);
        assert.ok(Number.isNaN(v) ? Number.isNaN(got[i]!) : Math.abs(got[i]! - v) <= 2e-6 * Math.abs(v) || got[i] === v, `${label}[${i}]: ${got[i]} against ${w}`);
      });
    };
    close(d.mean, c.mean, 'mean');
    close(d.variance, c.variance, 'variance');
    if (c.cdf !== undefined) {
      assertTensorClose(d.cdf!(decode(c.values)), c.cdf, 'cdf', TOL);
      const q = tensor([0.1, 0.5, 0.9]).reshape([3, 1]).expand([3, 4]);
      assertTensorClose(d.icdf!(q), c.icdf!, 'icdf', TOL);
    }
  });
}

test('poisson(rates): PyTorch\'s draws after the same seed (below and above rate 10), and the random stream after', () => {
  manualSeed(19);
  assertTensorClose(poisson(decode(fx.poisson.rates)), fx.poisson.draws, 'draws', { rtol: 0, atol: 0 });
  assert.deepEqual([...rand([2]).toArray()], fx.poisson.after.map(Math.fround));
  const r = tensor([1, 2], { requiresGrad: true });
  const p = poisson(r);
  assert.equal(p.gradFn?.torchName, 'PoissonBackward0');
  p.sum().backward();
  assert.deepEqual([...r.grad!.toArray()], [0, 0], 'a zero gradient, as PyTorch\'s');
  assert.throws(() => poisson(tensor([1, -1])), /expected rate to be non-negative/);
});

test('binomial(count, probs): PyTorch\'s draws (inversion and BTRS, p above and below ½); Binomial\'s entropy over its support', () => {
  const b = fx.binomial;
  manualSeed(45);
  assertTensorClose(binomial(decode(b.count), decode(b.probs)), b.draws, 'draws', { rtol: 0, atol: 0 });
  assert.deepEqual([...rand([2]).toArray()], b.after.map(Math.fround));
  assertTensorClose(new D.Binomial(10, { probs: tensor([0.3, 0.6]) }).entropy(), b.entropy, 'entropy', TOL);
});

test('binomial broadcasts count and probs together and draws row-major over the result, as torch.binomial', () => {
  assert.equal(fx.binomial.broadcast.length, 4);
  for (const c of fx.binomial.broadcast) {
    const label = `binomial(${JSON.stringify(c.count.shape)}, ${JSON.stringify(c.probs.shape)})`;
    manualSeed(9);
    assertTensorClose(binomial(decode(c.count), decode(c.probs)), c.draws, label, { rtol: 0, atol: 0 });
    assert.deepEqual([...rand([2]).toArray()], c.after.map(Math.fround), `${label}: the generator's position after it`);
  }
  assert.throws(() => binomial(tensor([[5, 5, 5], [6, 6, 6]]), tensor([[0.1, 0.5], [0.9, 0.1], [0.5, 0.9]])), /binomial.*\[2, 3\].*\[3, 2\]/);
});

test('OneHotCategoricalStraightThrough: rsample is the one-hot sample, with the gradient of the probabilities', () => {
  const probs = tensor([0.2, 0.5, 0.3], { requiresGrad: true });
  const d = new D.OneHotCategoricalStraightThrough({ probs });
  manualSeed(3);
  const plain = new D.OneHotCategorical({ probs: tensor([0.2, 0.5, 0.3]) }).sample([4]);
  manualSeed(3);
  const r = d.rsample([4]);
  assert.deepEqual([...r.toArray()], [...plain.toArray()]);
  // Four samples of probs / Σ probs, weighed by [1, 0, 0]: 4·([1, 0, 0] − 0.2), as the straight-through estimator gives.
  r.mul(tensor([1, 0, 0])).sum().backward();
  [3.2, -0.8, -0.8].forEach((w, i) => assert.ok(Math.abs(probs.grad!.toArray()[i]! - w) < 1e-6, `grad[${i}]`));
});

test('the distributions refuse what PyTorch refuses, with its messages', () => {
  const starts = (key: string, fn: () => unknown): void => {
    const want = fx.refusals[key]!.message;
    assert.throws(fn, (e: unknown) => e instanceof Error && e.message.startsWith(want.replace(/:$/, '')), key);
  };
  starts('rate', () => new D.Exponential(tensor([1, -1])));
  starts('support', () => new D.Gamma(tensor([1]), tensor([1])).logProb(tensor([-1])));
  starts('poissonValue', () => new D.Poisson(tensor([1])).logProb(tensor([1.5])));
  starts('dirichletShape', () => new D.Dirichlet(tensor(1)));
  // A concentration that requires grad gets one through rsample (its values: gamma-grad.json).
  const concentration = tensor([1], { requiresGrad: true });
  new D.Gamma(concentration, 1).rsample().sum().backward();
  assert.ok(concentration.grad !== null && Number.isFinite(concentration.grad.item()));
});

test('gradients at logits 0: PyTorch\'s _clamp_by_zero (gradient ½) in Binomial\'s logProb and entropy, Multinomial\'s entropy', () => {
  const z = fx.atZero;
  const logits = decode(z.binomialLogits, true);
  const lp = new D.Binomial(10, { logits }).logProb(tensor([0, 3, 10]));
  assertTensorClose(lp, z.binomialLogProb, 'Binomial logProb', TOL);
  lp.sum().backward();
  assertTensorClose(logits.grad, z.binomialLogitsGrad, 'Binomial logProb: logits gradient', { rtol: 1e-5, atol: 1e-5 });
  const eprobs = decode(z.entropyProbs, true);
  new D.Binomial(6, { probs: eprobs }).entropy().sum().backward();
  assertTensorClose(eprobs.grad, z.entropyProbsGrad, 'Binomial entropy: probs gradient', { rtol: 1e-4, atol: 1e-5 });
  const mprobs = decode(z.multinomialProbs, true);
  const ent = new D.Multinomial(4, { probs: mprobs }).entropy();
  assertTensorClose(ent, z.multinomialEntropy, 'Multinomial entropy', TOL);
  ent.backward();
  assertTensorClose(mprobs.grad, z.multinomialProbsGrad, 'Multinomial entropy: probs gradient', { rtol: 1e-4, atol: 1e-5 });
});

test('Weibull, Gumbel and Pareto (and Independent over them): sample() carries no gradient, as PyTorch\'s (under no_grad); rsample() does', () => {
  const a = tensor([1.5, 2], { requiresGrad: true });
  const b = tensor([0.5, 3], { requiresGrad: true });
  for (const d of [new D.Weibull(a, b), new D.Gumbel(a, b), new D.Pareto(a, b)]) {
    manualSeed(3);
    assert.equal(d.sample([2]).requiresGrad, false, `${d.constructor.name}.sample`);
    assert.equal(new D.Independent(d, 1).sample([2]).requiresGrad, false, `Independent(${d.constructor.name}).sample`);
    assert.equal(d.rsample([2]).requiresGrad, true, `${d.constructor.name}.rsample`);
  }
});
