// PyTorch's other names of functional ops (fixtures/torch/functional-aliases.json, from
// make_functional_aliases.py): the max poolings' WithIndices forms (always [values, indices]), nativeChannelShuffle
// and the deprecated upsample, upsampleNearest and upsampleBilinear — PyTorch's values, indices, node names and
// gradients.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, tensor, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface Case {
  name: string; fn: string; args: unknown[]; input: EncodedTensor; extra: Record<string, EncodedTensor>; out: EncodedTensor; node: string;
  upstream: EncodedTensor; grad?: EncodedTensor; indices?: EncodedTensor; backwardError?: string;
}
const fx = loadFixture<{ cases: Case[] }>('functional-aliases.json');
const TOL = { rtol: 1e-6, atol: 1e-6 };

/** The arguments with {"t": name} replaced by that extra tensor, inside option objects too. */
function resolve(a: unknown, extra: Record<string, Tensor>): unknown {
  if (Array.isArray(a)) return a.map((v) => resolve(v, extra));
  if (typeof a === 'object' && a !== null) {
    if ('t' in a) return extra[(a as { t: string }).t];
    return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, resolve(v, extra)]));
  }
  return a;
}

for (const c of fx.cases) {
  test(`F.${c.fn} (PyTorch's F.${c.name}): values${c.indices ? ', indices' : ''}, node and gradient`, () => {
    const leaf = decode(c.input, true);
    const h = leaf.mul(1.5);
    const extra = Object.fromEntries(Object.entries(c.extra).map(([k, v]) => [k, decode(v)]));
    const fn = (F as unknown as Record<string, (...a: unknown[]) => Tensor | [Tensor, Tensor]>)[c.fn]!;
    const r = fn(h, ...(resolve(c.args, extra) as unknown[]));
    const [out, indices] = Array.isArray(r) ? r : [r, undefined];
    assert.equal(Array.isArray(r), c.indices !== undefined, 'returns [values, indices] exactly when PyTorch returns a pair');
    assertTensorClose(out, c.out, 'values', TOL);
    if (c.indices) assert.deepEqual(Array.from(indices!.toArray()), values(c.indices));
    if (c.backwardError !== undefined) {
      // PyTorch 1.13 has no derivative for native_channel_shuffle; Kindling's is channelShuffle's.
      assert.match(c.backwardError, /not implemented/);
      out.backward(decode(c.upstream));
      const same = leaf.detach().requiresGrad_();
      F.channelShuffle(same.mul(1.5), c.args[0] as number).backward(decode(c.upstream));
      assert.deepEqual(Array.from(leaf.grad!.toArray()), Array.from(same.grad!.toArray()));
      return;
    }
    assert.equal(out.gradFn?.torchName, c.node);
    out.backward(decode(c.upstream));
    assertTensorClose(leaf.grad, c.grad!, 'gradient', TOL);
  });
}

test('the WithIndices forms refuse returnIndices (they always return both), and the upsample forms unknown options', () => {
  const x = tensor([[[1, 3, 2, 5]]]);
  assert.throws(() => F.maxPool1dWithIndices(x, 2, { returnIndices: false } as never), /always return \[values, indices\]/);
  assert.throws(() => F.maxPool3dWithIndices(x.reshape([1, 1, 1, 2, 2]), 1, { returnIndices: true } as never), /always return/);
  assert.throws(() => F.upsampleNearest(x, { mode: 'bilinear' } as never), /unknown option|mode/);
  const [v, i] = F.maxPool1dWithIndices(x, 2);
  assert.deepEqual(Array.from(v.toArray()), [3, 5]);
  assert.deepEqual(Array.from(i.toArray()), [1, 3]);
});
