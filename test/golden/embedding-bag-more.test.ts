// nn.EmbeddingBag and F.embeddingBag's maxNorm, normType and scaleGradByFreq, and EmbeddingBag.fromPretrained, against
// PyTorch 1.13 (fixtures/torch/embedding-bag-more.json, from make_embedding_bag_more.py): outputs, the weight after
// the in-place renorm (bit for bit), the weight's and sample weights' gradients (within 1e-6: PyTorch's kernel adds
// in another order), a second derivative through scaleGradByFreq, printing, and the refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, F, nn, tensor } from '../../src/index.js';
import { assertClose, assertSame, assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

interface Options { mode: F.BagMode; paddingIdx: number | null; includeLastOffset: boolean; maxNorm: number | null; normType: number | string; scaleGradByFreq: boolean }
interface Case {
  name: string; input: EncodedTensor; offsets: number[] | null; psw: EncodedTensor | null; options: Options;
  out: EncodedTensor; weightAfter: EncodedTensor; upstream: EncodedTensor; gradW: EncodedTensor; gradPsw: EncodedTensor | null;
}
const fx = loadFixture<{
  weight: EncodedTensor; cases: Case[];
  fromPretrained: {
    frozen: { input: EncodedTensor; out: EncodedTensor; weightAfter: EncodedTensor; requiresGrad: boolean; repr: string; paddingIdx: number };
    thawed: { offsets: number[]; out: EncodedTensor; requiresGrad: boolean; upstream: EncodedTensor; gradW: EncodedTensor; repr: string };
  };
  reprs: Record<'all' | 'maxNorm' | 'normType', string>;
  refusals: Record<string, { message: string }>;
}>('embedding-bag-more.json');
const tol = { rtol: 1e-6, atol: 1e-6 };
// The fixture writes an infinite normType as the string "Infinity".
const normOf = (o: Options): number => Number(o.normType);

for (const c of fx.cases) {
  test(`embeddingBag, ${c.name}: output, weight after, gradients as PyTorch's`, () => {
    const w = decode(fx.weight, true);
    const psw = c.psw === null ? null : decode(c.psw, true);
    const out = F.embeddingBag(decode(c.input), w, { ...c.options, normType: normOf(c.options), offsets: c.offsets, perSampleWeights: psw });
    assertTensorClose(out, c.out, 'out', tol);
    assertSame(w, c.weightAfter, 'weight after the renorm');
    out.backward(decode(c.upstream));
    assertTensorClose(w.grad, c.gradW, 'weight gradient', tol);
    if (c.gradPsw !== null) assertTensorClose(psw!.grad, c.gradPsw, 'per-sample weights gradient', tol);
  });
}

test('embeddingBag, scaleGradByFreq: a gradient taken with createGraph is the scaled one, and differentiates again', () => {
  const c = fx.cases.find((k) => k.name === 'scale grad sum weighted')!;
  const w = decode(fx.weight, true);
  const psw = decode(c.psw!, true);
  const out = F.embeddingBag(decode(c.input), w, { ...c.options, normType: normOf(c.options), offsets: c.offsets, perSampleWeights: psw });
  const [gw, gp] = autograd.grad(out, [w, psw], decode(c.upstream), { createGraph: true });
  assertTensorClose(gw!, c.gradW, 'weight gradient with createGraph', tol);
  assertTensorClose(gp!, c.gradPsw!, 'sample weights gradient with createGraph', tol);
  // sum(gw) is linear in the sample weights: its derivative in sample i is sum(gw) with the weights the i-th unit
  // vector, from the plain (PyTorch-checked) backward.
  const [h] = autograd.grad(gw!.sum(), [psw]);
  const want = Array.from({ length: 10 }, (_, i) => {
    const wi = decode(fx.weight, true);
    F.embeddingBag(decode(c.input), wi, { ...c.options, normType: normOf(c.options), offsets: c.offsets, perSampleWeights: tensor(Array.from({ length: 10 }, (_, k) => (k === i ? 1 : 0))) }).backward(decode(c.upstream));
    return wi.grad!.sum().item();
  });
  assertClose(h!.toArray(), want, 'second derivative in the sample weights', tol);
});

test('nn.EmbeddingBag: maxNorm, normType and scaleGradByFreq printed as PyTorch prints them', () => {
  assert.equal(String(new nn.EmbeddingBag(10, 3, { maxNorm: 1.5, normType: 1, scaleGradByFreq: true, mode: 'sum', paddingIdx: 2 })), fx.reprs.all);
  assert.equal(String(new nn.EmbeddingBag(10, 3, { maxNorm: 2 })), fx.reprs.maxNorm);
  assert.equal(String(new nn.EmbeddingBag(10, 3, { normType: 3.5, mode: 'max' })), fx.reprs.normType);
});

test('nn.EmbeddingBag.fromPretrained: frozen, sharing the tensor (renormalised in place), padding row kept', () => {
  const p = fx.fromPretrained.frozen;
  const e = decode(fx.weight);
  const m = nn.EmbeddingBag.fromPretrained(e, { maxNorm: 1, mode: 'sum', paddingIdx: -1 });
  assert.equal(m.weight.requiresGrad, p.requiresGrad);
  assert.equal(m.paddingIdx, p.paddingIdx);
  assert.equal(String(m), p.repr);
  assertTensorClose(m.forward(decode(p.input)), p.out, 'out', tol);
  assertSame(e, p.weightAfter, 'the given tensor after the renorm');
});

test('nn.EmbeddingBag.fromPretrained: freeze false, scaleGradByFreq and includeLastOffset; output and gradient', () => {
  const p = fx.fromPretrained.thawed;
  const m = nn.EmbeddingBag.fromPretrained(decode(fx.weight), { freeze: false, scaleGradByFreq: true, includeLastOffset: true, mode: 'mean' });
  assert.equal(m.weight.requiresGrad, p.requiresGrad);
  assert.equal(String(m), p.repr);
  const out = m.forward(decode(fx.cases[0]!.input), p.offsets);
  assertTensorClose(out, p.out, 'out', tol);
  out.backward(decode(p.upstream));
  assertTensorClose(m.weight.grad, p.gradW, 'weight gradient', tol);
});

test("PyTorch's refusals, with its messages; sparse and bad options refused by name", () => {
  const r = fx.refusals;
  const w = decode(fx.weight);
  const idx = decode(fx.cases[0]!.input);
  const same = (fn: () => unknown, key: string): void => assert.throws(fn, (e: Error) => e.message === r[key]!.message, key);
  same(() => F.embeddingBag(idx, w, { offsets: [0, 4, 4, 7], mode: 'max', scaleGradByFreq: true }), 'max_scale_grad');
  same(() => new nn.EmbeddingBag(8, 3, { mode: 'max', scaleGradByFreq: true }).forward(idx, [0, 4, 4, 7]), 'module_max_scale_grad');
  assert.throws(() => nn.EmbeddingBag.fromPretrained(tensor([1, 1, 1, 1])), /EmbeddingBag\.fromPretrained: embeddings must be 2-D .*Embeddings parameter is expected to be 2-dimensional/);
  assert.ok(r['pretrained_1d']!.message === 'Embeddings parameter is expected to be 2-dimensional');
  assert.throws(() => nn.EmbeddingBag.fromPretrained(decode(fx.weight), { sparse: true }), /EmbeddingBag: sparse gradients are not supported/);
  assert.throws(() => F.embeddingBag(idx, w, { offsets: [0, 4], sparse: true }), /embedding_bag: sparse gradients are not supported/);
  assert.throws(() => F.embeddingBag(idx, w, { offsets: [0, 4], maxNorm: 'big' as unknown as number }), /embedding_bag: maxNorm must be a number or null, got/);
  assert.throws(() => nn.EmbeddingBag.fromPretrained(decode(fx.weight), { freeze: 1 as unknown as boolean }), /EmbeddingBag\.fromPretrained: freeze must be true or false, got the number 1/);
  assert.throws(() => nn.EmbeddingBag.fromPretrained(decode(fx.weight), { generator: null } as never), /generator/);
  // A refused call leaves the weight as it was: the renorm runs only once the input and offsets are accepted.
  const before = w.toArray();
  assert.throws(() => F.embeddingBag(idx, w, { offsets: [1, 4], maxNorm: 0.1 }));
  assert.deepEqual(w.toArray(), before);
});
