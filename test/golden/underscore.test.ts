// PyTorch's in-place functional forms (fixtures/torch/underscore.json, from make_underscore.py): F.relu_, F.elu_,
// F.leakyRelu_, F.hardtanh_, F.threshold_, F.celu_, F.selu_ and F.rrelu_ change a computed tensor in place and
// return it, with PyTorch's values, node names and gradients.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

const fx = loadFixture<{ cases: { name: string; args: number[]; input: EncodedTensor; out: EncodedTensor; node: string; upstream: EncodedTensor; grad: EncodedTensor }[] }>('underscore.json');

for (const c of fx.cases) {
  test(`F.${c.name}(x${c.args.map((a) => `, ${a}`).join('')}): in place, PyTorch's values, node and gradient`, () => {
    const leaf = decode(c.input, true);
    const h = leaf.mul(1.5);
    const fn = (F as unknown as Record<string, (x: Tensor, ...a: number[]) => Tensor>)[c.name]!;
    const r = fn(h, ...c.args);
    assert.equal(r, h);
    assertTensorClose(r, c.out, 'values', { rtol: 2e-7, atol: 1e-7 });
    assert.equal(r.gradFn?.torchName, c.node);
    r.backward(decode(c.upstream));
    assertTensorClose(leaf.grad, c.grad, 'gradient', { rtol: 2e-7, atol: 1e-7 });
  });
}
