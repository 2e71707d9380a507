// F.multiHeadAttentionForward and F.convTbc against PyTorch 1.13 (fixtures/torch/functional-mha.json, from
// make_functional_mha.py): packed and separate projection weights, a boolean key-padding mask and a float attention
// mask, unbatched input, per-head weights — outputs, attention weights, node names and every gradient.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, tensor, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

interface Case {
  name: string; batched: boolean; separate: boolean; masks: boolean; average: boolean; inputs: Record<string, EncodedTensor>;
  kpm: boolean[] | null; attnMask: EncodedTensor | null; out: EncodedTensor; weights: EncodedTensor; node: string;
  upstream: EncodedTensor; upWeights: EncodedTensor; grads: Record<string, EncodedTensor>;
}
const fx = loadFixture<{ cases: Case[]; convTbc: Record<'x' | 'w' | 'b' | 'out' | 'upstream' | 'gx' | 'gw' | 'gb', EncodedTensor> & { node: string } }>('functional-mha.json');
const TOL = { rtol: 1e-5, atol: 1e-6 };

for (const c of fx.cases) {
  test(`F.multiHeadAttentionForward (${c.name}): PyTorch's output, weights and gradients`, () => {
    const t = Object.fromEntries(Object.entries(c.inputs).map(([k, e]) => [k, decode(e, true)])) as Record<string, Tensor>;
    const kpm = c.kpm === null ? null : { bool: tensor(c.kpm.map(Number), c.batched ? [2, 5] : [5]) };
    const [out, weights] = F.multiHeadAttentionForward(t['q']!, t['k']!, t['v']!, 4, 2, c.separate ? null : t['w']!, t['b']!, null, null, false, 0, t['ow']!, t['ob']!, {
      training: false, keyPaddingMask: kpm, attnMask: c.attnMask === null ? null : decode(c.attnMask), useSeparateProjWeight: c.separate,
      qProjWeight: c.separate ? t['wq']! : null, kProjWeight: c.separate ? t['wk']! : null, vProjWeight: c.separate ? t['wv']! : null, averageAttnWeights: c.average,
    });
    assertTensorClose(out, c.out, 'output', TOL);
    assertTensorClose(weights, c.weights, 'weights', TOL);
    assert.equal(out.gradFn?.torchName, c.node);
    out.mul(decode(c.upstream)).sum().add(weights!.mul(decode(c.upWeights)).sum()).backward();
    for (const [k, g] of Object.entries(c.grads)) assertTensorClose(t[k]!.grad, g, `gradient of ${k}`, { rtol: 1e-4, atol: 1e-5 });
  });
}

test('F.multiHeadAttentionForward refuses bad addZeroAttn and biasK, and mismatched sizes', () => {
  const x = tensor([[[1, 2, 3, 4]]]);
  const w = tensor(new Array(48).fill(0.1), [12, 4]);
  const ow = tensor(new Array(16).fill(0.1), [4, 4]);
  assert.throws(() => F.multiHeadAttentionForward(x, x, x, 4, 2, w, null, tensor([[[0, 0, 0, 0]]]), null, false, 0, ow, null), /biasK and biasV go together/);
  assert.throws(() => F.multiHeadAttentionForward(x, x, x, 4, 2, w, null, null, null, 1 as never, 0, ow, null), /addZeroAttn must be true or false/);
  assert.throws(() => F.multiHeadAttentionForward(x, x, x, 4, 2, w, null, [1] as never, [1] as never, false, 0, ow, null), /biasK/);
  assert.throws(() => F.multiHeadAttentionForward(x, x, x, 8, 2, w, null, null, null, false, 0, ow, null), /was expecting embedding dimension of 8, but got 4/);
  assert.throws(() => F.multiHeadAttentionForward(x, x, x, 4, 2, null, null, null, null, false, 0, ow, null), /in_proj_weight is None/);
  const [out] = F.multiHeadAttentionForward(x, x, x, 4, 2, w, null, null, null, false, 0, ow, null);
  assert.deepEqual(out.shape, [1, 1, 4]);
});

test('F.convTbc: PyTorch\'s conv_tbc values, ConvTbcBackward0 and gradients; refusals', () => {
  const c = fx.convTbc;
  const [x, w, b] = [decode(c.x, true), decode(c.w, true), decode(c.b, true)];
  const y = F.convTbc(x, w, b, 1);
  assertTensorClose(y, c.out, 'output', TOL);
  assert.equal(y.gradFn?.torchName, c.node);
  y.backward(decode(c.upstream));
  assertTensorClose(x.grad, c.gx, 'input gradient', TOL);
  assertTensorClose(w.grad, c.gw, 'weight gradient', TOL);
  assertTensorClose(b.grad, c.gb, 'bias gradient', TOL);
  assert.throws(() => F.convTbc(tensor([1, 2]), w, b), /Input must have 3 dims/);
  assert.throws(() => F.convTbc(decode(c.x), decode(c.w), tensor([1, 2])), /Bias size must equal dim 2/);
});
