// nn.Embedding and F.embedding against PyTorch 1.13 (fixtures/torch/embedding.json, make_embedding.py): the initial
// weight after manualSeed bit for bit (normal_, the padding row zeroed) and where the stream stands after it; lookups
// on 0-d to 3-D and empty index tensors bit for bit; the weight's gradient (repeated indices, paddingIdx also
// negative, scaleGradByFreq) within 1e-6; maxNorm's in-place renormalisation (normType 2, 1, 3) bit for bit;
// printing, state-dict keys and fromPretrained with freeze true and false.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, manualSeed, nn, rand, tensor, type Tensor } from '../../src/index.js';
import { loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface Args { paddingIdx?: number; maxNorm?: number; normType?: number; scaleGradByFreq?: boolean }
interface InitCase { seed: number; num: number; dim: number; args: Args; weight: EncodedTensor; next: EncodedTensor }
interface LookupCase {
  name: string; args: Args; weight: EncodedTensor; indices: EncodedTensor; output: EncodedTensor; upstream: EncodedTensor;
  grad: EncodedTensor; weightAfter: EncodedTensor; gradFn: string;
}
interface ModuleCase { num?: number; dim?: number; args?: Args; sequential?: boolean; repr: string; keys: string[]; paddingIdx?: number | null }
interface PretrainedCase {
  freeze: boolean | null; args: Args; weight: EncodedTensor; indices: EncodedTensor; output: EncodedTensor; upstream: EncodedTensor;
  requiresGrad: boolean; grad: EncodedTensor | null; weightAfter: EncodedTensor; repr: string; gradFn: string | null;
}
const fx = loadFixture<{ init: InitCase[]; cases: LookupCase[]; modules: ModuleCase[]; pretrained: PretrainedCase[] }>('embedding.json');

const make = (e: EncodedTensor, requiresGrad = false): Tensor => tensor(values(e), e.shape, { requiresGrad });
const bits = (t: Tensor): number[] => Array.from(t.toArray());

function close(actual: Tensor, expected: EncodedTensor, atol: number, what: string): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  const a = actual.toArray();
  const e = values(expected);
  for (let i = 0; i < e.length; i++) assert.ok(Math.abs(a[i]! - e[i]!) <= atol, `${what}[${i}]: ${a[i]} vs ${e[i]}`);
}

test('the fixture covers what this test says it does', () => {
  assert.equal(fx.init.length, 6);
  assert.ok(fx.cases.length >= 20);
  const names = fx.cases.map((c) => c.name);
  for (const n of ['0-d', '2-d', 'repeated', 'padding -1', 'scale_grad_by_freq', 'max_norm 1', 'max_norm 2']) assert.ok(names.includes(n), n);
  // maxNorm changed some weights: the renormalisation is exercised.
  assert.ok(fx.cases.some((c) => c.args.maxNorm !== undefined && JSON.stringify(c.weight.data) !== JSON.stringify(c.weightAfter.data)));
});

test('new nn.Embedding after manualSeed has PyTorch\'s weight bit for bit (normal_, padding row zeroed) and leaves the stream where PyTorch does', () => {
  for (const c of fx.init) {
    manualSeed(c.seed);
    const m = new nn.Embedding(c.num, c.dim, c.args);
    assert.deepEqual(m.weight.shape, [c.num, c.dim]);
    assert.deepEqual(bits(m.weight), values(c.weight), `seed ${c.seed} ${c.num}×${c.dim} ${JSON.stringify(c.args)}`);
    assert.deepEqual(bits(rand(2)), values(c.next), `stream after seed ${c.seed}`);
    assert.equal(m.weight.requiresGrad, true);
  }
});

test('F.embedding: outputs bit for bit, weight gradients within 1e-6, maxNorm renormalises the weight as PyTorch', () => {
  for (const c of fx.cases) {
    const weight = make(c.weight, true);
    const indices = make(c.indices);
    const y = F.embedding(indices, weight, c.args);
    assert.deepEqual(y.shape, c.output.shape, c.name);
    assert.deepEqual(bits(y), values(c.output), `${c.name}: output`);
    assert.equal(y.gradFn?.torchName, c.gradFn, `${c.name}: grad_fn`);
    assert.deepEqual(bits(weight), values(c.weightAfter), `${c.name}: weight after the call`);
    y.mul(make(c.upstream)).sum().backward();
    close(weight.grad!, c.grad, 1e-6, `${c.name}: grad`);
  }
});

test('nn.Embedding.forward gives what F.embedding gives with the layer\'s options', () => {
  for (const c of fx.cases) {
    const [num, dim] = c.weight.shape as [number, number];
    const m = new nn.Embedding(num, dim, c.args);
    m.weight = new nn.Parameter(make(c.weight));
    const y = m.forward(make(c.indices));
    assert.deepEqual(bits(y), values(c.output), `${c.name}: output`);
    assert.deepEqual(bits(m.weight), values(c.weightAfter), `${c.name}: weight after`);
    y.mul(make(c.upstream)).sum().backward();
    close(m.weight.grad!, c.grad, 1e-6, `${c.name}: grad`);
  }
});

test('nn.Embedding prints as PyTorch\'s repr, paddingIdx counted from the start, state-dict key `weight`', () => {
  for (const c of fx.modules) {
    if (c.sequential) {
      const seq = new nn.Sequential(new nn.Embedding(10, 3, { paddingIdx: 2 }), new nn.Flatten(), new nn.Linear(6, 2));
      assert.equal(String(seq), c.repr);
      assert.deepEqual(Object.keys(seq.stateDict()), c.keys);
      continue;
    }
    const m = new nn.Embedding(c.num!, c.dim!, c.args);
    assert.equal(String(m), c.repr);
    assert.deepEqual(Object.keys(m.stateDict()), c.keys);
    assert.equal(m.paddingIdx, c.paddingIdx);
  }
});

test('nn.Embedding.fromPretrained: freeze (default true) turns the gradient off; the padding row is kept; the output and gradient as PyTorch\'s', () => {
  for (const c of fx.pretrained) {
    const w = make(c.weight);
    const opts = c.freeze === null ? c.args : { ...c.args, freeze: c.freeze };
    const m = nn.Embedding.fromPretrained(w, opts);
    assert.equal(String(m), c.repr);
    assert.equal(m.weight.requiresGrad, c.requiresGrad);
    const y = m.forward(make(c.indices));
    assert.deepEqual(bits(y), values(c.output));
    assert.equal(y.gradFn?.torchName ?? null, c.gradFn);
    if (c.requiresGrad) {
      y.mul(make(c.upstream)).sum().backward();
      close(m.weight.grad!, c.grad!, 1e-6, 'fromPretrained grad');
    }
    assert.deepEqual(bits(m.weight), values(c.weightAfter));
    // The weight shares the given tensor's storage, as nn.Parameter(embeddings) does in PyTorch.
    assert.deepEqual(bits(w), values(c.weightAfter));
  }
});
