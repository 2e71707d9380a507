// PyTorch's in-place functional forms (fixtures/torch/underscore.json, from make_underscore.py): F.relu_, F.elu_,
// F.leakyRelu_, F.hardtanh_, F.threshold_, F.celu_, F.selu_ and F.rrelu_ change a computed tensor in place and
// return it, with PyTorch's values, node names and gradients; the in-place ELUs' gradients read from the result, as
// PyTorch's (0 where e^x − 1 rounds to −1), and PyTorch's refusal, at backward, of a negative alpha or slope.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, KindlingError, nn, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

const fx = loadFixture<{ cases: { name: string; args: number[]; input: EncodedTensor; out: EncodedTensor; node: string; upstream: EncodedTensor; grad?: EncodedTensor; error?: string }[] }>('underscore.json');

for (const c of fx.cases) {
  const x = c.input.data.some((v) => typeof v === 'number' && v <= -20) ? 'far-negative x' : 'x';
  test(`F.${c.name}(${x}${c.args.map((a) => `, ${a}`).join('')}): in place, PyTorch's values, node and ${c.error === undefined ? 'gradient' : 'refusal at backward'}`, () => {
    const leaf = decode(c.input, true);
    const h = leaf.mul(1.5);
    const fn = (F as unknown as Record<string, (x: Tensor, ...a: number[]) => Tensor>)[c.name]!;
    const r = fn(h, ...c.args);
    assert.equal(r, h);
    assertTensorClose(r, c.out, 'values', { rtol: 2e-7, atol: 1e-7 });
    assert.equal(r.gradFn?.torchName, c.node);
    if (c.error !== undefined) {
      assert.throws(() => r.backward(decode(c.upstream)), (e: unknown) => e instanceof KindlingError && e.message.includes(c.error!));
      return;
    }
    r.backward(decode(c.upstream));
    // Far-negative inputs: gradients near 0 (0 exactly where e^x − 1 rounds to −1) are compared relatively only.
    assertTensorClose(leaf.grad, c.grad!, 'gradient', { rtol: 2e-7, atol: x === 'x' ? 1e-7 : 1e-30 });
  });
}

// The layers' `inplace` records the same nodes: the far-negative cases again through nn.ELU, nn.CELU, nn.SELU and
// nn.LeakyReLU with inplace true.
const LAYERS: Record<string, (args: number[]) => nn.Module> = {
  elu_: (a) => new nn.ELU(a[0], true), celu_: (a) => new nn.CELU(a[0], true), selu_: () => new nn.SELU(true), leakyRelu_: (a) => new nn.LeakyReLU(a[0], true),
};
test('the layers with inplace true: PyTorch\'s gradients read from the result, and its refusals at backward', () => {
  const far = fx.cases.filter((c) => c.input.data.some((v) => typeof v === 'number' && v <= -20));
  assert.equal(far.length, 8);
  for (const c of far) {
    const leaf = decode(c.input, true);
    const h = leaf.mul(1.5);
    const r = LAYERS[c.name]!(c.args).forward(h);
    assert.equal(r, h);
    assert.equal(r.gradFn?.torchName, c.node, `${c.name} ${c.args}`);
    if (c.error !== undefined) {
      assert.throws(() => r.backward(decode(c.upstream)), (e: unknown) => e instanceof KindlingError && e.message.includes(c.error!), `${c.name} ${c.args}`);
      continue;
    }
    r.backward(decode(c.upstream));
    assertTensorClose(leaf.grad, c.grad!, `${c.name} ${c.args}: gradient`, { rtol: 2e-7, atol: 1e-30 });
  }
});
