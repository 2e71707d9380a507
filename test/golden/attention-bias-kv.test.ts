// nn.MultiheadAttention's addBiasKv and addZeroAttn, and F.multiHeadAttentionForward's biasK, biasV and addZeroAttn,
// against PyTorch 1.13 (fixtures/torch/attention-bias-kv.json, make_attention_bias_kv.py): bias_k and bias_v after
// manualSeed bit for bit (Xavier normal after the projections) and the stream after them; reprs and state-dict keys;
// outputs, attention weights, grad_fn names and the gradients of the inputs and every parameter (bias_k and bias_v
// among them) with batchFirst both ways, unbatched inputs, kdim/vdim, float and boolean attention and key padding
// masks (padded for the added keys as PyTorch pads them), per-head weights, dropout while training, eval mode (no
// fused path); PyTorch's refusals, which name the padded shapes. Tolerance as attention.test.ts's: PyTorch's matrix
// products add in another order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, KindlingError, manualSeed, nn, rand, zeros, type Tensor } from '../../src/index.js';
import type { MultiheadAttentionOptions } from '../../src/nn/index.js';
import { decode, loadFixture, values, type EncodedMap, type EncodedTensor } from './golden-helpers.js';
import { close, mask, options, type ErrorCase, type PyCall } from './attention-shared.js';

type Opts = Pick<MultiheadAttentionOptions, 'bias' | 'kdim' | 'vdim' | 'batchFirst' | 'dropout' | 'addBiasKv' | 'addZeroAttn'>;
interface InitCase { seed: number; embedDim: number; numHeads: number; opts: Opts; params: EncodedMap; next: EncodedTensor }
interface ModuleCase { embedDim: number; numHeads: number; opts: Opts; repr: string; keys: string[] }
interface ForwardCase {
  name: string; embedDim: number; numHeads: number; opts: Opts; training: boolean; which: 'self' | 'kv' | 'qkv'; seed: number | null;
  params: EncodedMap; query: EncodedTensor; key: EncodedTensor; value: EncodedTensor; call: PyCall; output: EncodedTensor;
  weights: EncodedTensor | null; upstream: EncodedTensor; upstreamWeights: EncodedTensor | null;
  grads: EncodedMap; paramGrads: EncodedMap; gradFn: string; weightsGradFn: string | null;
}
interface FunctionalCase {
  name: string; addZeroAttn: boolean; inputs: EncodedMap; kpm: EncodedTensor; attnMask: EncodedTensor; output: EncodedTensor;
  weights: EncodedTensor; upstream: EncodedTensor; upstreamWeights: EncodedTensor; grads: EncodedMap;
}
const fx = loadFixture<{ init: InitCase[]; modules: ModuleCase[]; cases: ForwardCase[]; functional: FunctionalCase[]; errors: ErrorCase<Opts>[] }>('attention-bias-kv.json');

test('the fixture covers what this test says it does', () => {
  const cs = fx.cases;
  assert.ok(cs.length >= 20);
  assert.ok(cs.some((c) => c.opts.addBiasKv === true && c.opts.addZeroAttn !== true));
  assert.ok(cs.some((c) => c.opts.addZeroAttn === true && c.opts.addBiasKv !== true));
  for (const bf of [true, false]) assert.ok(cs.some((c) => (c.opts.batchFirst === true) === bf && c.query.shape.length === 3 && c.opts.addBiasKv === true));
  assert.ok(cs.some((c) => c.call.key_padding_mask !== undefined && c.call.attn_mask !== undefined));
  assert.ok(cs.some((c) => c.query.shape.length === 2) && cs.some((c) => c.seed !== null) && cs.some((c) => !c.training));
  assert.ok(fx.functional.length >= 3 && fx.errors.length >= 4 && fx.init.length >= 5);
});

test('addBiasKv: bias_k and bias_v after manualSeed are PyTorch\'s bit for bit (Xavier normal after the projections), and the stream after them', () => {
  for (const c of fx.init) {
    manualSeed(c.seed);
    const m = new nn.MultiheadAttention(c.embedDim, c.numHeads, c.opts);
    const sd = m.stateDict();
    assert.deepEqual(Object.keys(sd), Object.keys(c.params), `seed ${c.seed}: keys`);
    for (const [k, e] of Object.entries(c.params)) {
      assert.deepEqual(sd[k]!.shape, e.shape, `seed ${c.seed} ${k}: shape`);
      assert.deepEqual(Array.from(sd[k]!.toArray()), values(e), `seed ${c.seed} ${k}`);
    }
    assert.deepEqual(Array.from(rand(2).toArray()), values(c.next), `stream after seed ${c.seed}`);
    assert.equal(m.addZeroAttn, c.opts.addZeroAttn === true);
    assert.equal(m.biasK !== null && m.biasV !== null, c.opts.addBiasKv === true);
  }
});

test('addBiasKv, addZeroAttn: reprs and state-dict keys as PyTorch\'s (bias_k, bias_v before out_proj\'s)', () => {
  for (const c of fx.modules) {
    const m = new nn.MultiheadAttention(c.embedDim, c.numHeads, c.opts);
    assert.equal(String(m), c.repr);
    assert.deepEqual(Object.keys(m.stateDict()), c.keys);
    assert.deepEqual(m.namedParameters().map(([n]) => n), c.keys);
  }
  // By position too, as PyTorch's signature: (embed_dim, num_heads, dropout, bias, add_bias_kv, add_zero_attn, …).
  const m = new nn.MultiheadAttention(4, 2, 0, true, true, true);
  assert.deepEqual(m.biasK?.shape, [1, 1, 4]);
  assert.equal(m.addZeroAttn, true);
});

test('forward with addBiasKv / addZeroAttn: outputs, weights, grad_fn names and every gradient as PyTorch\'s', () => {
  for (const c of fx.cases) {
    const m = new nn.MultiheadAttention(c.embedDim, c.numHeads, c.opts);
    m.loadStateDict(Object.fromEntries(Object.entries(c.params).map(([k, e]) => [k, decode(e)])));
    m.train(c.training);
    const q = decode(c.query, true);
    const k = c.which === 'self' ? q : decode(c.key, true);
    const v = c.which === 'qkv' ? decode(c.value, true) : k;
    if (c.seed !== null) manualSeed(c.seed);
    const [out, w] = m.forward(q, k, v, options(c.call));
    close(out, c.output, `${c.name}: output`);
    assert.equal(out.gradFn?.torchName, c.gradFn, `${c.name}: grad_fn`);
    if (c.weights === null) assert.equal(w, null, `${c.name}: weights`);
    else {
      close(w, c.weights, `${c.name}: weights`);
      assert.equal(w!.gradFn?.torchName, c.weightsGradFn, `${c.name}: weights grad_fn`);
    }
    let loss = out.mul(decode(c.upstream)).sum();
    if (w !== null) loss = loss.add(w.mul(decode(c.upstreamWeights!)).sum());
    loss.backward();
    close(q.grad, c.grads['query']!, `${c.name}: query grad`);
    if (c.which !== 'self') close(k.grad, c.grads['key']!, `${c.name}: key grad`);
    if (c.which === 'qkv') close(v.grad, c.grads['value']!, `${c.name}: value grad`);
    const named = new Map(m.namedParameters());
    assert.deepEqual([...named.keys()], Object.keys(c.paramGrads), `${c.name}: parameter names`);
    for (const [name, e] of Object.entries(c.paramGrads)) close(named.get(name)!.grad, e, `${c.name}: ${name} grad`);
  }
});

test('F.multiHeadAttentionForward with biasK, biasV and addZeroAttn: PyTorch\'s output, weights and gradients', () => {
  for (const c of fx.functional) {
    const t = Object.fromEntries(Object.entries(c.inputs).map(([k, e]) => [k, decode(e, true)])) as Record<string, Tensor>;
    const [out, weights] = F.multiHeadAttentionForward(t['q']!, t['k']!, t['v']!, 4, 2, t['w']!, t['b']!, t['bk'] ?? null, t['bv'] ?? null,
      c.addZeroAttn, 0, t['ow']!, t['ob']!, { training: false, keyPaddingMask: mask(c.kpm)!, attnMask: decode(c.attnMask) });
    close(out, c.output, `${c.name}: output`);
    close(weights, c.weights, `${c.name}: weights`);
    out.mul(decode(c.upstream)).sum().add(weights!.mul(decode(c.upstreamWeights)).sum()).backward();
    for (const [k, g] of Object.entries(c.grads)) close(t[k]!.grad, g, `${c.name}: gradient of ${k}`);
  }
});

test('refusals with addBiasKv / addZeroAttn name the shapes PyTorch names (the key padding mask padded first)', () => {
  for (const c of fx.errors) {
    const call = (): unknown => {
      const m = new nn.MultiheadAttention(c.ctor[0], c.ctor[1], c.ctor[2]);
      const o: nn.MultiheadAttentionForwardOptions = {};
      for (const [k, spec] of Object.entries(c.call)) {
        const t = zeros(spec.shape);
        if (k === 'attn_mask') o.attnMask = spec.bool ? { bool: t } : t;
        else o.keyPaddingMask = spec.bool ? { bool: t } : t;
      }
      return m.forward(zeros(c.query), zeros(c.key), zeros(c.value), o);
    };
    assert.throws(call, (e: unknown) => {
      assert.ok(e instanceof KindlingError, `${c.name}: ${String(e)}`);
      assert.ok(e.message.includes(c.message), `${c.name}: "${e.message}" should include PyTorch's "${c.message}"`);
      return true;
    });
  }
});

test('biasK without biasV (or the other way) is refused, as PyTorch asserts', () => {
  const x = zeros(2, 1, 4);
  const w = zeros(12, 4);
  const ow = zeros(4, 4);
  assert.throws(() => F.multiHeadAttentionForward(x, x, x, 4, 2, w, null, zeros(1, 1, 4), null, false, 0, ow, null), {
    name: 'KindlingError', message: /biasK and biasV go together: got biasK alone/,
  });
  const m = new nn.MultiheadAttention(4, 2, { addBiasKv: true });
  m.biasV = null;
  assert.throws(() => m.forward(x, x, x), /got biasK alone/);
});
