// Distribution.expand against PyTorch 1.13 (fixtures/torch/expand.json, from make_expand.py): for each family that
// has it, the new batch shape, the samples after the same seed, and log_prob of values broadcast against it; and the
// gradient that flows back to the original parameters through an expanded Normal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distributions, manualSeed, tensor, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

type E = EncodedTensor;
const fx = loadFixture<{
  cases: Record<string, { params: Record<string, E>; batch: number[]; newBatch: number[]; event: number[]; sample: E; values: E; logProb: E }>;
  grad: { loc: E; values: E; gradLoc: E };
}>('expand.json');
const D = distributions;
type Made = ReturnType<typeof make>;
function make(name: string, a: Record<string, Tensor>) {
  switch (name) {
    case 'normal': return new D.Normal(a.loc!, a.scale!);
    case 'laplace': return new D.Laplace(a.loc!, a.scale!);
    case 'gumbel': return new D.Gumbel(a.loc!, a.scale!);
    case 'uniform': return new D.Uniform(a.low!, a.high!);
    case 'exponential': return new D.Exponential(a.rate!);
    case 'gamma': return new D.Gamma(a.concentration!, a.rate!);
    case 'chi2': return new D.Chi2(a.df!);
    case 'beta': return new D.Beta(a.concentration1!, a.concentration0!);
    case 'bernoulli': return new D.Bernoulli({ probs: a.probs! });
    case 'categorical': return new D.Categorical({ logits: a.logits! });
    case 'dirichlet': return new D.Dirichlet(a.concentration!);
    case 'studentT': return new D.StudentT(a.df!, a.loc!, a.scale!);
    case 'mvn': return new D.MultivariateNormal(a.loc!, { scaleTril: a.scale_tril! });
    case 'weibull': return new D.Weibull(a.scale!, a.concentration!);
    case 'pareto': return new D.Pareto(a.scale!, a.alpha!);
    case 'transformed': return new D.TransformedDistribution(new D.Normal(a.loc!, a.scale!), [new D.AffineTransform(a.affLoc!, 2), new D.ExpTransform()]);
    default: throw new Error(name);
  }
}

for (const [name, c] of Object.entries(fx.cases)) {
  test(`${name}.expand: PyTorch's batch shape, samples and log_prob`, () => {
    const d = make(name, Object.fromEntries(Object.entries(c.params).map(([k, e]) => [k, decode(e)])));
    const e = d.expand(c.batch) as Made & { sample(s?: number[]): Tensor; logProb(v: Tensor): Tensor };
    assert.equal(e.constructor, d.constructor);
    assert.deepEqual(e.batchShape, c.newBatch);
    assert.deepEqual(e.eventShape, c.event);
    manualSeed(81);
    assertTensorClose(e.sample([2]), c.sample, 'sample', { rtol: 1e-5, atol: 1e-6 });
    assertTensorClose(e.logProb(decode(c.values)), c.logProb, 'logProb', { rtol: 1e-5, atol: 1e-5 });
  });
}

test('expand shares the parameters: gradients reach the original loc; families without it say so', () => {
  const loc = decode(fx.grad.loc, true);
  new D.Normal(loc, 1).expand([4, 3]).logProb(decode(fx.grad.values)).sum().backward();
  assertTensorClose(loc.grad, fx.grad.gradLoc, 'loc gradient', { rtol: 1e-6, atol: 1e-6 });
  assert.deepEqual(new D.VonMises(tensor([0]), tensor([1])).expand([2, 1]).batchShape, [2, 1]);
  assert.throws(() => new D.Kumaraswamy(tensor([1]), tensor([1])).expand([2]), /Kumaraswamy\.expand is not implemented/);
});
