// Reparameterised gradients of Gamma draws with respect to the concentration (PyTorch's _standard_gamma_grad) against
// PyTorch 1.13 (fixtures/torch/gamma-grad.json, from make_gamma_grad.py): Gamma, Chi2 and StudentT rsample after the
// same seed, concentrations from 0.3 to 30 (the small-x series, the rational approximation, the large-α expansions).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distributions, manualSeed, ones, tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

type E = EncodedTensor;
const fx = loadFixture<{
  gamma: { conc: E; rate: E; x: E; w: E; concGrad: E; rateGrad: E; y: E; dy: E };
  chi2Student: { df: E; chi2: E; dfGrad: E; t: E; tDfGrad: E; locGrad: E };
  dirichletBeta: { c1: E; c0: E; beta: E; w: E; c1Grad: E; c0Grad: E; conc: E; dirichlet: E; v: E; concGrad: E };
}>('gamma-grad.json');

const EXACT = { rtol: 0, atol: 0 };
// Sums over 40 draws in another order than PyTorch's reduction.
const SUMS = { rtol: 2e-6, atol: 1e-6 };

test('Gamma.rsample: the concentration and the rate get PyTorch\'s gradients, draw by draw and summed', () => {
  const g = fx.gamma;
  const conc = decode(g.conc, true);
  const rate = decode(g.rate, true);
  manualSeed(0);
  const x = new distributions.Gamma(conc, rate).rsample([40]);
  assertTensorClose(x, g.x, 'draws', EXACT);
  x.mul(decode(g.w)).sum().backward();
  assertTensorClose(conc.grad, g.concGrad, 'concentration.grad', SUMS);
  assertTensorClose(rate.grad, g.rateGrad, 'rate.grad', SUMS);
  // Three draws each: dy/dα summed over them, in every regime of the approximation.
  const conc1 = decode(g.conc, true);
  manualSeed(1);
  const y = new distributions.Gamma(conc1, ones(6)).rsample([3]);
  assertTensorClose(y, g.y, 'draws', EXACT);
  y.sum().backward();
  assertTensorClose(conc1.grad, g.dy, 'dy/dα', SUMS);
});

test('Chi2 and StudentT rsample send gradients to the degrees of freedom, as PyTorch\'s', () => {
  const c = fx.chi2Student;
  const df = decode(c.df, true);
  manualSeed(2);
  const chi2 = new distributions.Chi2(df).rsample([20]);
  assertTensorClose(chi2, c.chi2, 'Chi2 draws', EXACT);
  chi2.mul(chi2.detach().sqrt()).sum().backward();
  assertTensorClose(df.grad, c.dfGrad, 'Chi2 df.grad', SUMS);
  const df2 = decode(c.df, true);
  const loc = tensor([0.5, -1, 2], { requiresGrad: true });
  manualSeed(3);
  const t = new distributions.StudentT(df2, loc, tensor([1, 2, 0.5])).rsample([20]);
  assertTensorClose(t, c.t, 'StudentT draws', { rtol: 1e-6, atol: 1e-6 });
  t.pow(2).mean().backward();
  assertTensorClose(df2.grad, c.tDfGrad, 'StudentT df.grad', { rtol: 1e-5, atol: 1e-6 });
  assertTensorClose(loc.grad, c.locGrad, 'StudentT loc.grad', SUMS);
});

test('sample() stays without gradient; rsample with a concentration that needs none records nothing on it', () => {
  const conc = tensor([2, 3], { requiresGrad: true });
  assert.equal(new distributions.Gamma(conc, 1).sample([4]).requiresGrad, false);
  const plain = new distributions.Gamma(tensor([2, 3]), tensor([1, 1], { requiresGrad: true })).rsample();
  assert.equal(plain.requiresGrad, true);
});

test('Beta and Dirichlet rsample send PyTorch\'s gradients (_dirichlet_grad) to the concentrations, in every regime', () => {
  const c = fx.dirichletBeta;
  const c1 = decode(c.c1, true);
  const c0 = decode(c.c0, true);
  manualSeed(4);
  const b = new distributions.Beta(c1, c0).rsample([30]);
  assertTensorClose(b, c.beta, 'Beta draws', EXACT);
  b.mul(decode(c.w)).sum().backward();
  assertTensorClose(c1.grad, c.c1Grad, 'concentration1.grad', SUMS);
  assertTensorClose(c0.grad, c.c0Grad, 'concentration0.grad', SUMS);
  const conc = decode(c.conc, true);
  manualSeed(5);
  const d = new distributions.Dirichlet(conc).rsample([10]);
  assertTensorClose(d, c.dirichlet, 'Dirichlet draws', EXACT);
  d.mul(decode(c.v)).sum().backward();
  assertTensorClose(conc.grad, c.concGrad, 'concentration.grad', SUMS);
});
