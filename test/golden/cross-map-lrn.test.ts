// nn.CrossMapLRN2d against PyTorch 1.13 (fixtures/torch/cross-map-lrn.json, from make_cross_map_lrn.py): the legacy
// cross-channel LRN for windows of 1, 3, 4, 5 and 7 channels over inputs with more and fewer channels — outputs, the
// node and the input's gradient, and the module's repr.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

const fx = loadFixture<{ cases: { size: number; alpha: number; beta: number; k: number; input: EncodedTensor; out: EncodedTensor; node: string; upstream: EncodedTensor; grad?: EncodedTensor; backwardError?: string; repr: string }[] }>('cross-map-lrn.json');

for (const c of fx.cases) {
  test(`CrossMapLRN2d(${c.size}, ${c.alpha}, ${c.beta}, ${c.k}) on ${JSON.stringify(c.input.shape)}: PyTorch's output, node and gradient`, () => {
    const m = new nn.CrossMapLRN2d(c.size, c.alpha, c.beta, c.k);
    assert.equal(String(m), c.repr);
    const x = decode(c.input, true);
    const y = m.forward(x);
    assertTensorClose(y, c.out, 'output', { rtol: 2e-6, atol: 1e-7 });
    assert.equal(y.gradFn?.torchName, c.node);
    if (c.backwardError !== undefined) {
      assert.throws(() => y.backward(decode(c.upstream)), (e: Error) => e.message.includes(c.backwardError!));
      return;
    }
    y.backward(decode(c.upstream));
    assertTensorClose(x.grad, c.grad!, 'gradient', { rtol: 1e-5, atol: 1e-6 });
  });
}

test('CrossMapLRN2d takes 4-D inputs only and checks its arguments', () => {
  assert.throws(() => new nn.CrossMapLRN2d(5).forward(tensor([[1, 2]])), /expected a 4-D input \[N, C, H, W\], got shape \[1, 2\]/);
  assert.throws(() => new nn.CrossMapLRN2d(0), /size must be a positive integer/);
});
