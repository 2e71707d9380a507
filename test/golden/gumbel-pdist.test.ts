// F.gumbelSoftmax and F.pdist against PyTorch (fixtures/torch/gumbel_pdist.json, from make_gumbel_pdist.py): after the
// same seed the Gumbel noise is PyTorch's (soft and hard samples, tau, dim; the generator left where PyTorch leaves
// it), with gradients and nodes; pdist's distances for p = 2, 1, 3, ∞, 0.5 and coinciding rows, its gradients
// (none through a zero distance) and node; PyTorch's refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, manualSeed, rand, zeros } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface Fixture {
  gumbel: { input: EncodedTensor; tau: number; hard: boolean; dim: number; seed: number; out: EncodedTensor; after: EncodedTensor; upstream: EncodedTensor; grad: EncodedTensor; node: string }[];
  pdist: { input: EncodedTensor; p: number | string; out: EncodedTensor; upstream: EncodedTensor; grad: EncodedTensor; node: string | null }[];
  refusals: Record<string, { message: string }>;
}
const fx = loadFixture<Fixture>('gumbel_pdist.json');

for (const c of fx.gumbel) {
  test(`gumbelSoftmax ${JSON.stringify(c.input.shape)} tau ${c.tau}${c.hard ? ' hard' : ''} dim ${c.dim}: PyTorch's sample after manualSeed(${c.seed}), gradient and node`, () => {
    const x = decode(c.input, true);
    manualSeed(c.seed);
    const y = F.gumbelSoftmax(x, { tau: c.tau, hard: c.hard, dim: c.dim });
    assert.deepEqual([...rand([3]).toArray()], values(c.after), 'the generator is left where PyTorch leaves it');
    assertTensorClose(y, c.out, 'sample');
    if (c.hard) assert.ok([...y.detach().toArray()].every((v) => Math.abs(v) < 1e-6 || Math.abs(v - 1) < 1e-6), 'one-hot');
    assert.equal(y.gradFn?.torchName, c.node);
    y.backward(decode(c.upstream));
    assertTensorClose(x.grad, c.grad, 'gradient');
  });
}

for (const c of fx.pdist) {
  const p = c.p === 'Infinity' ? Infinity : (c.p as number);
  test(`pdist ${JSON.stringify(c.input.shape)} p ${String(c.p)}: PyTorch's distances, gradient and node`, () => {
    const x = decode(c.input, true);
    const y = F.pdist(x, p);
    assertTensorClose(y, c.out, 'distances');
    assert.equal(y.gradFn?.torchName ?? null, c.node);
    y.backward(decode(c.upstream));
    assertTensorClose(x.grad, c.grad, 'gradient', { rtol: 1e-5, atol: 1e-5 });
  });
}

test("pdist's refusals: PyTorch's words", () => {
  assert.throws(() => F.pdist(zeros([2, 3, 4])), (e: Error) => e.message === fx.refusals['pdist rank']!.message);
  assert.throws(() => F.pdist(zeros([3, 2]), -1), (e: Error) => e.message === fx.refusals['pdist p']!.message);
});
