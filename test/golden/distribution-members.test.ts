// What every distribution has from PyTorch 1.13's base class and its own definitions, against
// fixtures/torch/distribution-members.json (from make_distribution_members.py): mean, mode, variance, stddev
// (variance.sqrt() unless the family has its own) and perplexity (exp of the entropy) with their gradients, or
// PyTorch's NotImplementedError as a clear error; values unchecked with validateArgs false; NaN parameters and values
// outside the support refused by cdf as PyTorch refuses them; MultivariateNormal's matrices as given; and a value that
// is not a tensor, refused by name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distributions, tensor, type Tensor } from '../../src/index.js';
import { FAMILIES } from './distribution-families.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

type E = EncodedTensor;
interface Member { value: E; grads?: Record<string, E | null> }
type Members = Record<'mean' | 'mode' | 'variance' | 'stddev' | 'perplexity', Member | null> & { params: Record<string, E> };
const fx = loadFixture<{
  members: Record<string, Members>;
  unchecked: Record<string, E>;
  refusals: Record<string, { type: string; message: string }>;
  accepted: Record<string, E>;
  matrices: Record<'covariance_matrix' | 'precision_matrix', { covariance: E; precision: E; grad: E }>;
}>('distribution-members.json');
const D = distributions;
type P = Record<string, Tensor>;
const MAKE: Record<string, (p: P) => distributions.Distribution> = {
  ...FAMILIES,
  normal: (p) => new D.Normal(p.loc!, p.scale!),
  uniform: (p) => new D.Uniform(p.low!, p.high!),
  bernoulli: (p) => new D.Bernoulli({ probs: p.probs! }),
  categorical: (p) => new D.Categorical({ probs: p.probs! }),
  binomial: (p) => new D.Binomial(10, { probs: p.probs! }),
  multinomial: (p) => new D.Multinomial(4, { probs: p.probs! }),
  kumaraswamy: (p) => new D.Kumaraswamy(p.concentration1!, p.concentration0!),
  logisticNormal: (p) => new D.LogisticNormal(p.loc!, p.scale!),
  independent: (p) => new D.Independent(new D.Normal(p.loc!, p.scale!), 1),
  mvn: (p) => new D.MultivariateNormal(p.loc!, { scaleTril: p.scale_tril! }),
  mixture: (p) => new D.MixtureSameFamily(new D.Categorical({ probs: p.probs! }), new D.Normal(p.loc!, p.scale!)),
};
const TOL = { rtol: 2e-5, atol: 2e-6 };

for (const [name, c] of Object.entries(fx.members)) {
  test(`${name}: mean, mode, variance, stddev and perplexity with their gradients, or PyTorch's NotImplementedError`, () => {
    for (const m of ['mean', 'mode', 'variance', 'stddev', 'perplexity'] as const) {
      const params = Object.fromEntries(Object.entries(c.params).map(([k, e]) => [k, decode(e, true)]));
      const d = MAKE[name]!(params);
      const read = (): Tensor => (m === 'perplexity' ? d.perplexity() : d[m]);
      const want = c[m];
      if (want === null) {
        assert.throws(read, new RegExp(`${d.constructor.name} does not implement (${m}|entropy|variance|mean) \\(PyTorch's NotImplementedError\\)`), `${name}.${m}`);
        continue;
      }
      const v = read();
      assertTensorClose(v, want.value, `${name}.${m}`, TOL);
      if (want.grads === undefined) {
        assert.equal(v.requiresGrad, false, `${name}.${m} has no gradient, as PyTorch's`);
        continue;
      }
      const w = tensor(Array.from({ length: v.numel() }, (_, i) => (i + 1) / 10)).reshape(v.shape);
      v.mul(w).nanToNum(0, 0, 0).sum().backward();
      for (const [k, g] of Object.entries(want.grads)) {
        if (g === null) assert.equal(params[k]!.grad, null, `${name}.${m}: ${k} gets no gradient`);
        else assertTensorClose(params[k]!.grad, g, `${name}.${m}: gradient of ${k}`, { rtol: 1e-4, atol: 1e-5 });
      }
    }
  });
}

test('validateArgs false: values are not checked, logProb and cdf give what the formulas give', () => {
  const u = fx.unchecked;
  const v = tensor([-1, 0.5, NaN]);
  const off = { validateArgs: false };
  assertTensorClose(new D.Normal(0, 1, off).logProb(v), u.normal!, 'Normal', TOL);
  assertTensorClose(new D.Exponential(1, off).logProb(v), u.exponential!, 'Exponential', TOL);
  assertTensorClose(new D.LogNormal(0, 1, off).logProb(v), u.logNormal!, 'LogNormal', TOL);
  assertTensorClose(new D.Bernoulli({ probs: tensor(0.3), ...off }).logProb(v), u.bernoulli!, 'Bernoulli', TOL);
  assertTensorClose(new D.Uniform(0, 1, off).cdf(tensor([-1, 0.5, 2])), u.uniformCdf!, 'Uniform cdf', TOL);
  // Kumaraswamy's support is [0, 1]: 0 is inside, its log density there NaN (PyTorch's).
  assertTensorClose(new D.Kumaraswamy(2, 3).logProb(tensor(0)), u.kumaraswamyZero!, 'Kumaraswamy at 0', TOL);
  // An expanded distribution keeps its validateArgs (PyTorch's new._validate_args = self._validate_args).
  assertTensorClose(new D.Normal(0, 1, off).expand([3]).logProb(v), u.normal!, 'Normal expanded', TOL);
  assert.equal(new D.Normal(0, 1).expand([3]).validateArgs, true);
  assert.throws(() => new D.Normal(0, 1).expand([3]).logProb(v), /Expected value argument/);
});

test('refusals as PyTorch\'s: NaN loc and logits, Categorical probs that do not normalise, values outside the support in cdf', () => {
  const r = fx.refusals;
  const refuses = (f: () => unknown, key: string): void => {
    const want = r[key]!.message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    assert.throws(f, new RegExp(`Error: ${want}`), key);
  };
  refuses(() => new D.Normal(tensor(NaN), 1), 'normalLoc');
  refuses(() => new D.VonMises(tensor(NaN), 1), 'vonMisesLoc');
  refuses(() => new D.Bernoulli({ logits: tensor([NaN]) }), 'bernoulliLogits');
  refuses(() => new D.Categorical({ logits: tensor([NaN, 1]) }), 'categoricalLogits');
  refuses(() => new D.Categorical({ probs: tensor([0, 0]) }), 'categoricalProbs');
  refuses(() => new D.Normal(0, 1).cdf(tensor(NaN)), 'normalCdf');
  refuses(() => new D.Uniform(0, 1).cdf(tensor(2)), 'uniformCdf');
  refuses(() => new D.LogNormal(0, 1).cdf(tensor(-1)), 'logNormalCdf');
  refuses(() => new D.Weibull(1, 2).logProb(tensor(0)), 'weibullZero');
  refuses(() => new D.ContinuousBernoulli({ probs: tensor([1.5]), validateArgs: false }), 'continuousBernoulliProbs');
  // Gumbel's cdf goes back to its Uniform(tiny, 1 − ε) base, which checks what it gets (always: PyTorch builds it
  // without validate_args). Kindling prints the bounds of that float32 Uniform as float32s.
  assert.throws(() => new D.Gumbel(0, 1).cdf(tensor(1e30)), /Error: Expected value argument \(Tensor of shape \(\)\) to be within the support \(Interval\(lower_bound=1\.17549435\d*e-38, upper_bound=0\.99999988\d*\)\) of the distribution Uniform/);
  assert.throws(() => new D.Gumbel(0, 1, { validateArgs: false }).cdf(tensor(1e30)), /to be within the support \(Interval/);
  const a = fx.accepted;
  assertTensorClose(new D.Categorical({ probs: tensor([-1]) }).probs, a.categoricalNegative!, 'Categorical([-1]) normalised to [1]', TOL);
  assertTensorClose(new D.Normal(tensor(Infinity), 1).mean, a.normalInf!, 'Normal(inf, 1): ∞ is Real()', TOL);
  assertTensorClose(new D.ContinuousBernoulli({ probs: tensor([1.5]) }).probs, a.continuousBernoulliProbs!, 'ContinuousBernoulli clamps probs unless validateArgs is given', TOL);
});

test('MultivariateNormal keeps a covariance or precision matrix given: its value and gradient are the matrix\'s own', () => {
  const w = tensor([[1, 2], [3, 4]]);
  for (const key of ['covariance_matrix', 'precision_matrix'] as const) {
    const c = fx.matrices[key];
    const m = tensor([[2, 0.3], [0.3, 1]], { requiresGrad: true });
    const d = new D.MultivariateNormal(tensor([0.5, -1]), key === 'covariance_matrix' ? { covarianceMatrix: m } : { precisionMatrix: m });
    const cov = d.covarianceMatrix;
    const prec = d.precisionMatrix;
    assertTensorClose(cov, c.covariance, `${key}: covariance`, TOL);
    assertTensorClose(prec, c.precision, `${key}: precision`, TOL);
    cov.mul(w).sum().add(prec.mul(w).sum()).backward();
    assertTensorClose(m.grad, c.grad, `${key}: gradient`, { rtol: 1e-5, atol: 1e-5 });
    assertTensorClose(d.expand([3]).covarianceMatrix.select(0, 2), c.covariance, `${key}: expanded`, TOL);
  }
});

test('a value that is not a tensor is refused by name; rsample, cdf, entropy … where there is none say so', () => {
  assert.throws(() => new D.Normal(0, 1).cdf(0.5 as never), /^TypeError: The value argument to Normal\.cdf must be a Tensor, got the number 0\.5/);
  assert.throws(() => new D.Normal(0, 1).logProb(0.5 as never), /The value argument to Normal\.logProb must be a Tensor, got the number 0\.5/);
  assert.throws(() => new D.Normal(0, 1, { validateArgs: false }).icdf(0.5 as never), /The value argument to Normal\.icdf must be a Tensor/);
  const mix = new D.MixtureSameFamily(new D.Categorical({ probs: tensor([0.3, 0.7]) }), new D.Normal(tensor([0, 1]), tensor([1, 1])));
  assert.throws(() => mix.logProb(0.5 as never), /The value argument to MixtureSameFamily\.logProb must be a Tensor/);
  assert.throws(() => mix.cdf(0.5 as never), /The value argument to MixtureSameFamily\.cdf must be a Tensor/);
  assert.throws(() => new D.Gumbel(0, 1).cdf([0.5] as never), /The value argument to Gumbel\.cdf must be a Tensor, got an array/);
  assert.throws(() => new D.Bernoulli({ probs: 0.3 }).rsample(), /^Error: Bernoulli does not implement rsample \(PyTorch's NotImplementedError\)/);
  assert.throws(() => new D.Independent(new D.Bernoulli({ probs: tensor([0.3]) }), 1).rsample(), /Bernoulli does not implement rsample/);
  assert.throws(() => new D.Poisson(1).cdf(tensor(1)), /Poisson does not implement cdf/);
  assert.throws(() => new D.Gamma(1, 1).icdf(tensor(0.5)), /Gamma does not implement icdf/);
  assert.throws(() => mix.mode, /MixtureSameFamily does not implement mode/);
});
