// lgamma, digamma, polygamma and mvlgamma against PyTorch 1.13 (fixtures/torch/gamma.json, from make_gamma.py):
// outputs, grad_fn names and gradients on a grid of positive and negative values, special values, refusals.
// digamma and trigamma are PyTorch's float32 algorithms step by step (its bits but where logf/tan differ in the last one); lgamma
// and polygamma are float64 functions rounded once, within a few float32 ulps of PyTorch's float32 kernels
// (polygamma n ≥ 2 sums a float32 zeta series there: rtol 1e-5).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { digamma, lgamma, mvlgamma, polygamma, tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

interface Case {
  fn: 'lgamma' | 'digamma' | 'polygamma' | 'mvlgamma';
  options: { n?: number; p?: number };
  input: EncodedTensor;
  out: EncodedTensor;
  upstream: EncodedTensor;
  gradFn: string;
  grad: EncodedTensor;
}
const fx = loadFixture<{
  cases: Case[];
  specials: EncodedTensor;
  specialValues: Record<'lgamma' | 'digamma' | 'trigamma', EncodedTensor>;
  refusals: { 'polygamma negative': { message: string }; 'mvlgamma domain': { values: EncodedTensor }; 'mvlgamma p': { message: string } };
}>('gamma.json');

const tolerance = (c: Case): { rtol: number; atol: number } =>
  c.fn === 'polygamma' && c.options.n! >= 2 ? { rtol: 1e-5, atol: 1e-6 } : { rtol: 1e-6, atol: 1e-6 };

for (const c of fx.cases) {
  test(`${c.fn} ${JSON.stringify(c.options)} on ${c.input.shape[0]} values matches PyTorch (value, grad, grad_fn)`, () => {
    const x = decode(c.input, true);
    const out = c.fn === 'lgamma' ? lgamma(x) : c.fn === 'digamma' ? digamma(x) : c.fn === 'polygamma' ? polygamma(c.options.n!, x) : mvlgamma(x, c.options.p!);
    assertTensorClose(out, c.out, 'out', tolerance(c));
    assert.equal(out.gradFn?.torchName, c.gradFn);
    out.backward(decode(c.upstream));
    assertTensorClose(x.grad, c.grad, 'grad', { rtol: 1e-5, atol: 1e-5 });
  });
}

test('special values: ±0, negative integers, NaN, ±∞, tiny', () => {
  const x = decode(fx.specials);
  assertTensorClose(lgamma(x), fx.specialValues.lgamma, 'lgamma', { rtol: 1e-6, atol: 0 });
  assertTensorClose(digamma(x), fx.specialValues.digamma, 'digamma', { rtol: 1e-6, atol: 0 });
  // Trigamma at the poles −1 and −2 is PyTorch's huge finite value too: its float32 sine of π·x is not 0.
  assertTensorClose(polygamma(1, x), fx.specialValues.trigamma, 'trigamma', { rtol: 1e-6, atol: 0 });
});

test('refusals and mvlgamma below its domain, as PyTorch', () => {
  assert.throws(() => polygamma(-1, tensor([1, 2])), (e: Error) => e.message === fx.refusals['polygamma negative'].message);
  assert.throws(() => mvlgamma(tensor([3]), 0), (e: Error) => e.message === fx.refusals['mvlgamma p'].message);
  assertTensorClose(mvlgamma(tensor([1, 0.75, 3]), 3), fx.refusals['mvlgamma domain'].values, 'below the domain', { rtol: 1e-6, atol: 0 });
  assert.equal(tensor([2.5]).lgamma().item(), lgamma(tensor([2.5])).item());
  assert.equal(tensor([2.5]).polygamma(2).item(), polygamma(2, tensor([2.5])).item());
});
