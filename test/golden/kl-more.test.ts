// klDivergence for the pairs of one family beyond Normal, Uniform, Bernoulli and Categorical, against PyTorch 1.13's
// torch.distributions.kl_divergence (fixtures/torch/kl-more.json, from make_kl_more.py): values, batched, and the
// gradients with respect to p's parameters; pairs of different families are refused, as PyTorch refuses them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distributions, tensor, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

type E = EncodedTensor;
type Num = number | 'NaN' | 'Infinity' | '-Infinity';
const fx = loadFixture<{ pairs: Record<string, { p: Record<string, E>; q: Record<string, E>; kl: Num[]; shape: number[]; grads: Record<string, E> }> }>('kl-more.json');
const num = (v: Num): number => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v);
const D = distributions;

type Made = Parameters<typeof D.klDivergence>[0];
const MAKE: Record<string, (a: Record<string, Tensor>) => Made> = {
  beta: (a) => new D.Beta(a.concentration1!, a.concentration0!),
  binomial: (a) => new D.Binomial(a.total_count!, { probs: a.probs! }),
  cauchy: (a) => new D.Cauchy(a.loc!, a.scale!),
  chi2: (a) => new D.Chi2(a.df!),
  dirichlet: (a) => new D.Dirichlet(a.concentration!),
  exponential: (a) => new D.Exponential(a.rate!),
  gamma: (a) => new D.Gamma(a.concentration!, a.rate!),
  geometric: (a) => new D.Geometric({ probs: a.probs! }),
  gumbel: (a) => new D.Gumbel(a.loc!, a.scale!),
  halfNormal: (a) => new D.HalfNormal(a.scale!),
  laplace: (a) => new D.Laplace(a.loc!, a.scale!),
  logNormal: (a) => new D.LogNormal(a.loc!, a.scale!),
  mvn: (a) => new D.MultivariateNormal(a.loc!, { covarianceMatrix: a.covariance_matrix! }),
  oneHotCategorical: (a) => new D.OneHotCategorical({ probs: a.probs! }),
  pareto: (a) => new D.Pareto(a.scale!, a.alpha!),
  poisson: (a) => new D.Poisson(a.rate!),
  independent: (a) => new D.Independent(new D.Normal(a.loc!, a.scale!), 1),
};

for (const [name, c] of Object.entries(fx.pairs)) {
  test(`klDivergence(${name}, ${name}): PyTorch's values and gradients`, () => {
    const p = Object.fromEntries(Object.entries(c.p).map(([k, e]) => [k, decode(e, c.grads[k] !== undefined)]));
    const q = Object.fromEntries(Object.entries(c.q).map(([k, e]) => [k, decode(e)]));
    const kl = D.klDivergence(MAKE[name]!(p), MAKE[name]!(q));
    assert.deepEqual(kl.shape, c.shape);
    const got = kl.contiguous().toArray();
    c.kl.forEach((w, i) => {
      const v = num(w);
      assert.ok(Number.isFinite(v) ? Math.abs(got[i]! - v) <= 1e-4 * Math.abs(v) + 1e-5 : Object.is(got[i], v), `kl[${i}]: ${got[i]} against ${w}`);
    });
    if (Object.keys(c.grads).length === 0) return;
    kl.sum().backward();
    for (const [k, g] of Object.entries(c.grads)) assertTensorClose(p[k]!.grad, g, `gradient of ${k}`, { rtol: 2e-4, atol: 2e-5 });
  });
}

test('klDivergence refuses pairs of different families, naming both and the pairs it has', () => {
  assert.throws(() => D.klDivergence(new D.Exponential(tensor([1])), new D.Gamma(tensor([1]), tensor([1]))), /No KL\(p \|\| q\) is implemented for p = Exponential and q = Gamma.*Beta, Binomial/);
});
