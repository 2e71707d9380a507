// nn.EmbeddingBag and F.embeddingBag against PyTorch 1.13 (fixtures/torch/embedding-bag.json, from
// make_embedding_bag.py): modes sum, mean and max, offsets (an empty bag, includeLastOffset) and 2-D inputs,
// perSampleWeights, paddingIdx — outputs, grad_fn, the weight's and the sample weights' gradients (within 1e-6:
// PyTorch's kernel may add in another order) — the seeded weight bit for bit, printing, and the refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, manualSeed, nn, tensor } from '../../src/index.js';
import { assertSame, assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

interface Case {
  name: string; input: EncodedTensor; offsets: number[] | null; psw: EncodedTensor | null; mode: F.BagMode; paddingIdx: number | null;
  includeLastOffset: boolean; out: EncodedTensor; gradFn: string; upstream: EncodedTensor; gradW: EncodedTensor; gradPsw: EncodedTensor | null;
}
const fx = loadFixture<{
  weight: EncodedTensor; cases: Case[]; module: { repr: string; weight: EncodedTensor; reprs: string[] }; refusals: Record<string, { message: string }>;
}>('embedding-bag.json');
const tol = { rtol: 1e-6, atol: 1e-6 };

for (const c of fx.cases) {
  test(`embeddingBag, ${c.name}: output, grad_fn and gradients as PyTorch's`, () => {
    const w = decode(fx.weight, true);
    const psw = c.psw === null ? null : decode(c.psw, true);
    const out = F.embeddingBag(decode(c.input), w, { offsets: c.offsets, perSampleWeights: psw, mode: c.mode, paddingIdx: c.paddingIdx, includeLastOffset: c.includeLastOffset });
    assertTensorClose(out, c.out, 'out', tol);
    assert.equal(out.gradFn?.torchName, c.gradFn);
    out.backward(decode(c.upstream));
    assertTensorClose(w.grad, c.gradW, 'weight gradient', tol);
    if (c.gradPsw !== null) assertTensorClose(psw!.grad, c.gradPsw, 'per-sample weights gradient', tol);
  });
}

test('nn.EmbeddingBag: the seeded weight bit for bit (padding row zeroed), printing', () => {
  manualSeed(3);
  const m = new nn.EmbeddingBag(6, 4, { mode: 'sum', paddingIdx: 1 });
  assertSame(m.weight, fx.module.weight, 'weight');
  assert.equal(String(m), fx.module.repr);
  assert.deepEqual([String(new nn.EmbeddingBag(10, 3)), String(new nn.EmbeddingBag(10, 3, { mode: 'max', paddingIdx: 2 }))], fx.module.reprs);
  assert.deepEqual(m.forward(tensor([[1, 1]])).tolist(), [[0, 0, 0, 0]], 'a bag of padding only sums to zeros');
});

test("PyTorch's refusals, with its messages", () => {
  const r = fx.refusals;
  const w = decode(fx.weight);
  const idx = tensor([1, 2, 4, 5, 4, 3, 2, 7, 0, 0]);
  const same = (fn: () => unknown, key: string): void => assert.throws(fn, (e: Error) => e.message === r[key]!.message, key);
  same(() => F.embeddingBag(idx, w, { offsets: [0, 4, 4, 7], perSampleWeights: tensor([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]), mode: 'mean' }), 'psw_mode');
  same(() => F.embeddingBag(idx.reshape(2, 5), w, { offsets: [0, 4] }), 'offsets_2d');
  same(() => F.embeddingBag(idx, w, { offsets: [1, 4] }), 'offsets_first');
});
