// Every distribution's support, argConstraints, hasRsample and hasEnumerateSupport against PyTorch 1.13
// (fixtures/torch/supports.json, from make_supports.py): the support and each argument constraint printed as PyTorch
// prints them (tensor-valued bounds as tensors, 0-d ones as floats), in PyTorch's key order, the support's eventDim
// and isDiscrete, and support.check on values inside and outside it (event-shaped where the support has event dims);
// enumerateSupport of the discrete ones, expanded and not, and its refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distributions, eye, tensor, zeros, type Tensor } from '../../src/index.js';
import { loadFixture } from './golden-helpers.js';

type Num = number | 'NaN' | 'Infinity' | '-Infinity';
interface Check { value: Num[]; shape: number[]; check: boolean[]; checkShape: number[] }
interface Case {
  name: string; support: string; argConstraints: Record<string, string>; eventDim: number; isDiscrete: boolean;
  hasRsample: boolean; hasEnumerateSupport: boolean; checks: Check[];
}
type Enumerated = { expanded: { shape: number[]; values: number[] }; unexpanded: { shape: number[]; values: number[] } } | { refused: string };
const fx = loadFixture<{ cases: Case[]; baseSupportError: string; enumerate: Record<string, Enumerated> }>('supports.json');

const D = distributions;
const T = distributions.transforms;
type Dist = InstanceType<typeof D.Distribution>;
const P3 = (): Tensor => tensor([0.2, 0.3, 0.5]);
const COV2 = (): Tensor => tensor([[2, 0.5], [0.5, 1]]);
const L = (): Tensor => tensor([[1, 0], [0.5, 2]]);
const mix = (): InstanceType<typeof D.Categorical> => new D.Categorical({ probs: tensor([0.4, 0.6]) });

const MAKE: Record<string, () => Dist> = {
  normal: () => new D.Normal(0, 1),
  normalBatch: () => new D.Normal(tensor([0, 1]), tensor([1, 2])),
  uniform: () => new D.Uniform(0, 2),
  uniformFrac: () => new D.Uniform(-0.3, 0.7),
  uniformBatch: () => new D.Uniform(tensor([0, 1]), tensor([2, 3])),
  bernoulli: () => new D.Bernoulli({ probs: 0.3 }),
  bernoulliLogits: () => new D.Bernoulli({ logits: tensor([0.2, -1]) }),
  categorical: () => new D.Categorical({ probs: P3() }),
  categoricalBatch: () => new D.Categorical({ logits: tensor([[0.1, 0.2], [0.3, -1]]) }),
  exponential: () => new D.Exponential(2),
  laplace: () => new D.Laplace(0, 1),
  cauchy: () => new D.Cauchy(0, 1),
  gamma: () => new D.Gamma(2, 3),
  chi2: () => new D.Chi2(3),
  poisson: () => new D.Poisson(2),
  beta: () => new D.Beta(2, 3),
  dirichlet: () => new D.Dirichlet(tensor([1, 2, 3])),
  multivariateNormal: () => new D.MultivariateNormal(zeros([2]), { covarianceMatrix: COV2() }),
  multivariateNormalTril: () => new D.MultivariateNormal(tensor([1, -1]), { scaleTril: L() }),
  lowRankMultivariateNormal: () => new D.LowRankMultivariateNormal(zeros([2]), tensor([[1], [0.5]]), tensor([1, 2])),
  independent: () => new D.Independent(new D.Normal(zeros([2, 2]), 1), 1),
  independentUniform: () => new D.Independent(new D.Uniform(tensor([0, 1]), tensor([2, 3])), 1),
  independentZero: () => new D.Independent(new D.Bernoulli({ probs: tensor([0.3, 0.6]) }), 0),
  independentBernoulli: () => new D.Independent(new D.Bernoulli({ probs: tensor([0.3, 0.6]) }), 1),
  logNormal: () => new D.LogNormal(0, 1),
  halfCauchy: () => new D.HalfCauchy(1),
  halfNormal: () => new D.HalfNormal(2),
  gumbel: () => new D.Gumbel(0, 1),
  weibull: () => new D.Weibull(1, 2),
  pareto: () => new D.Pareto(1, 2),
  paretoBatch: () => new D.Pareto(tensor([1, 2]), 3),
  geometric: () => new D.Geometric({ probs: 0.3 }),
  oneHotCategorical: () => new D.OneHotCategorical({ probs: P3() }),
  oneHotCategoricalStraightThrough: () => new D.OneHotCategoricalStraightThrough({ logits: tensor([0.1, 0.2, 0.3]) }),
  studentT: () => new D.StudentT(3, 0, 1),
  binomial: () => new D.Binomial(10, { probs: tensor(0.3) }),
  binomialBatch: () => new D.Binomial(tensor([3, 10]), { probs: tensor([0.3, 0.5]) }),
  multinomial: () => new D.Multinomial(5, { probs: P3() }),
  negativeBinomial: () => new D.NegativeBinomial(5, { probs: 0.4 }),
  fisherSnedecor: () => new D.FisherSnedecor(3, 5),
  continuousBernoulli: () => new D.ContinuousBernoulli({ probs: 0.3 }),
  vonMises: () => new D.VonMises(0, 1),
  relaxedBernoulli: () => new D.RelaxedBernoulli(tensor(0.5), { probs: 0.3 }),
  logitRelaxedBernoulli: () => new D.LogitRelaxedBernoulli(tensor(0.5), { logits: tensor([0.2, -0.4]) }),
  expRelaxedCategorical: () => new D.ExpRelaxedCategorical(tensor(0.5), { probs: P3() }),
  relaxedOneHotCategorical: () => new D.RelaxedOneHotCategorical(tensor(0.5), { probs: P3() }),
  mixtureSameFamily: () => new D.MixtureSameFamily(mix(), new D.Normal(tensor([0, 1]), tensor([1, 2]))),
  mixtureGamma: () => new D.MixtureSameFamily(mix(), new D.Gamma(tensor([1, 2]), tensor([1, 2]))),
  mixtureMultivariateNormal: () => new D.MixtureSameFamily(mix(), new D.MultivariateNormal(zeros([2, 2]), { covarianceMatrix: COV2() })),
  transformedExp: () => new D.TransformedDistribution(new D.Normal(0, 1), [new T.ExpTransform()]),
  transformedNone: () => new D.TransformedDistribution(new D.Gamma(2, 1), []),
  transformedAffineSigmoid: () => new D.TransformedDistribution(new D.Normal(0, 1), [new T.AffineTransform(1, 2), new T.SigmoidTransform()]),
  transformedTanh: () => new D.TransformedDistribution(new D.Normal(tensor([0, 1]), 1), new T.TanhTransform()),
  transformedStickBreaking: () => new D.TransformedDistribution(new D.Normal(zeros([2]), 1), new T.StickBreakingTransform()),
  transformedIndependentBase: () => new D.TransformedDistribution(new D.Independent(new D.Normal(zeros([2]), 1), 1), new T.ExpTransform()),
  transformedLowerCholesky: () => new D.TransformedDistribution(new D.Normal(zeros([2, 2]), 1), new T.LowerCholeskyTransform()),
  transformedInverse: () => new D.TransformedDistribution(new D.Uniform(0, 1), new T.SigmoidTransform().inv),
  transformedCompose: () => new D.TransformedDistribution(new D.Normal(zeros([3]), 1), new T.ComposeTransform([new T.ExpTransform(), new T.AffineTransform(0, 2)])),
  transformedCat: () => new D.TransformedDistribution(new D.Normal(zeros([3]), 1), new T.CatTransform([new T.ExpTransform(), new T.SigmoidTransform()], 0, [1, 2])),
  transformedStack: () => new D.TransformedDistribution(new D.Normal(zeros([2, 2]), 1), new T.StackTransform([new T.ExpTransform(), new T.TanhTransform()], 1)),
  kumaraswamy: () => new D.Kumaraswamy(2, 3),
  logisticNormal: () => new D.LogisticNormal(zeros([2]), 1),
  lkjCholesky: () => new D.LKJCholesky(3, 0.5),
  wishart: () => new D.Wishart(4, { covarianceMatrix: eye(2) }),
};

/** PyTorch's snake_case argument names as Kindling's camelCase ones. */
const camel = (k: string): string => k.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
const num = (v: Num): number => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v);

test('supports: the fixture covers every case built here, and every case here is in the fixture', () => {
  assert.deepEqual(fx.cases.map((c) => c.name).sort(), Object.keys(MAKE).sort());
});

for (const c of fx.cases) {
  test(`supports: ${c.name} — support ${c.support}, argConstraints, hasRsample, hasEnumerateSupport and support.check as PyTorch's`, () => {
    const d = MAKE[c.name]!();
    const support = d.support;
    assert.equal(String(support), c.support, 'str(support)');
    assert.equal(support.eventDim, c.eventDim, 'support.event_dim');
    assert.equal(support.isDiscrete, c.isDiscrete, 'support.is_discrete');
    // Keys and their order as PyTorch's arg_constraints, camelCased.
    const args = Object.entries(d.argConstraints).map(([k, v]) => [k, String(v)]);
    assert.deepEqual(args, Object.entries(c.argConstraints).map(([k, v]) => [camel(k), v]), 'arg_constraints');
    assert.equal(d.hasRsample, c.hasRsample, 'has_rsample');
    assert.equal(d.hasEnumerateSupport, c.hasEnumerateSupport, 'has_enumerate_support');
    for (const ch of c.checks) {
      const v = tensor(Float32Array.from(ch.value, num), ch.shape);
      const r = support.check(v);
      assert.deepEqual(r.shape, ch.checkShape, `check shape on ${String(v)}`);
      assert.deepEqual(Array.from(r.values(), (x) => x !== 0), ch.check, `check on ${String(v)}`);
    }
  });
}

test('supports: the base Distribution has no support or argConstraints (PyTorch raises NotImplementedError)', () => {
  assert.equal(fx.baseSupportError, 'NotImplementedError');
  class Bare extends D.Distribution {
    protected params(): [string, Tensor][] { return []; }
    sample(): Tensor { return zeros([]); }
    logProb(v: Tensor): Tensor { return v; }
  }
  const d = new Bare([]);
  assert.throws(() => d.support, /Bare\.support is not implemented \(PyTorch's NotImplementedError\)/);
  assert.throws(() => d.argConstraints, /Bare\.argConstraints is not implemented/);
  assert.equal(d.hasRsample, false);
  assert.equal(d.hasEnumerateSupport, false);
});

test('supports: a dependent argument constraint cannot be checked (PyTorch\'s Dependent)', () => {
  const u = new D.Uniform(0, 1);
  assert.throws(() => u.argConstraints.low!.check(tensor([0.5])), /Cannot determine validity of dependent constraint/);
});

const ENUMERATED: Record<string, () => { enumerateSupport(expand?: boolean): Tensor }> = {
  bernoulli: () => new distributions.Bernoulli({ probs: tensor([[0.2, 0.5, 0.9], [0.1, 0.3, 0.7]]) }),
  categorical: () => new distributions.Categorical({ probs: tensor([[0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1]]) }),
  oneHotCategorical: () => new distributions.OneHotCategorical({ probs: tensor([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1], [0.3, 0.3, 0.4]]) }),
  binomial: () => new distributions.Binomial(3, { probs: tensor([0.2, 0.7]) }),
  independent: () => new distributions.Independent(new distributions.Bernoulli({ probs: tensor([0.2, 0.5]) }), 0),
  binomialInhomogeneous: () => new distributions.Binomial(tensor([2, 3]), { probs: tensor([0.2, 0.7]) }),
  independentCartesian: () => new distributions.Independent(new distributions.Bernoulli({ probs: tensor([0.2, 0.5]) }), 1),
};

for (const [name, e] of Object.entries(fx.enumerate)) {
  test(`enumerateSupport of ${name}: PyTorch's values and shapes, expanded over the batch or not (or its refusal)`, () => {
    const d = ENUMERATED[name]!();
    if ('refused' in e) {
      assert.throws(() => d.enumerateSupport(), (err: Error) => err.message === e.refused);
      return;
    }
    for (const [expand, want] of [[true, e.expanded], [false, e.unexpanded]] as const) {
      const got = d.enumerateSupport(expand);
      assert.deepEqual(got.shape, want.shape, `expand ${expand}`);
      assert.deepEqual(Array.from(got.toArray()), want.values, `expand ${expand}`);
    }
  });
}
