// nn.MultiheadAttention against PyTorch 1.13 (fixtures/torch/attention.json, make_attention.py): parameters after
// manualSeed bit for bit (out_proj's Linear draws, then Xavier uniform on in_proj_weight or q/k/v_proj_weight, zero
// biases) and where the stream stands after them; outputs, attention weights, grad_fn names and the gradients of the
// query, key, value and every parameter over self-attention, key-is-value and three-tensor calls, kdim/vdim, no bias,
// batchFirst, unbatched inputs, float and boolean masks (2-D, 3-D) and key padding masks with their combinations,
// per-head weights, needWeights false, dropout while training (masks drawn as PyTorch's after the same seed) and in
// eval mode, a fully masked row (NaN, as PyTorch). Tolerance: within 1e-5 of each value or 2e-6 of the tensor's
// largest value: PyTorch's matmuls (MKL's sgemm, its bmm) add the products in another order than Kindling's kernels,
// and softmax and the backward pass carry those float32 roundings on; a gradient element that is a sum of terms
// cancelling to near 0 keeps the terms' rounding (the largest difference seen is 9e-7 of the tensor's largest).
// PyTorch's eval-mode fused path (_native_multi_head_attention) within the same tolerance, a float key padding mask
// read there as booleans (nonzero: hidden) and added beside it (dropout, grad enabled); reprs, state-dict keys,
// and PyTorch's refusals with its messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KindlingError, manualSeed, nn, noGrad, rand, zeros, type Tensor } from '../../src/index.js';
import type { MultiheadAttentionOptions } from '../../src/nn/index.js';
import { decode, loadFixture, values, type EncodedMap, type EncodedTensor } from './golden-helpers.js';
import { close, options, type ErrorCase, type PyCall } from './attention-shared.js';

type Opts = Pick<MultiheadAttentionOptions, 'bias' | 'kdim' | 'vdim' | 'batchFirst' | 'dropout'>;
interface InitCase { seed: number; embedDim: number; numHeads: number; opts: Opts; params: EncodedMap; next: EncodedTensor }
interface ModuleCase { embedDim: number; numHeads: number; opts: Opts; repr: string; keys: string[]; headDim: number; kdim: number; vdim: number }
interface ForwardCase {
  name: string; embedDim: number; numHeads: number; opts: Opts; training: boolean; which: 'self' | 'kv' | 'qkv'; seed: number | null;
  params: EncodedMap; query: EncodedTensor; key: EncodedTensor; value: EncodedTensor; call: PyCall; output: EncodedTensor;
  weights: EncodedTensor | null; upstream: EncodedTensor; upstreamWeights: EncodedTensor | null; weightsInLoss: boolean;
  grads: EncodedMap; paramGrads: EncodedMap; gradFn: string; weightsGradFn: string | null;
}
interface FastCase {
  name: string; embedDim: number; numHeads: number; opts: Opts; noGrad: boolean; params: EncodedMap; input: EncodedTensor; call: PyCall;
  output: EncodedTensor; weights: EncodedTensor | null;
}
const fx = loadFixture<{ init: InitCase[]; modules: ModuleCase[]; cases: ForwardCase[]; fast: FastCase[]; errors: ErrorCase<Opts>[] }>('attention.json');

function build(embedDim: number, numHeads: number, opts: Opts, params: EncodedMap): nn.MultiheadAttention {
  const m = new nn.MultiheadAttention(embedDim, numHeads, opts);
  const sd: Record<string, Tensor> = {};
  for (const [k, e] of Object.entries(params)) sd[k] = decode(e);
  m.loadStateDict(sd);
  return m;
}

test('the fixture covers what this test says it does', () => {
  const names = fx.cases.map((c) => c.name);
  assert.ok(fx.cases.length >= 30);
  for (const n of ['self', 'key is value', 'three tensors', 'kdim vdim', 'bool causal mask', 'float 3-D mask', 'bool key padding',
    'bool mask and float key padding', 'per-head weights', 'unbatched self', 'dropout training', 'fully masked row']) assert.ok(names.includes(n), n);
  assert.ok(fx.cases.some((c) => c.opts.batchFirst === true && c.query.shape.length === 3));
  assert.ok(fx.cases.some((c) => c.seed !== null && c.training));
  // The fully masked row is NaN in PyTorch too.
  assert.ok(values(fx.cases.find((c) => c.name === 'fully masked row')!.output).some(Number.isNaN));
  assert.ok(fx.fast.length >= 4 && fx.errors.length >= 15);
});

test('new nn.MultiheadAttention after manualSeed has PyTorch\'s parameters bit for bit and leaves the stream where PyTorch does', () => {
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
  }
});

test('prints as PyTorch (out_proj a NonDynamicallyQuantizableLinear), with PyTorch\'s state-dict keys', () => {
  for (const c of fx.modules) {
    const m = new nn.MultiheadAttention(c.embedDim, c.numHeads, c.opts);
    assert.equal(String(m), c.repr);
    assert.deepEqual(Object.keys(m.stateDict()), c.keys);
    assert.deepEqual([m.headDim, m.kdim, m.vdim], [c.headDim, c.kdim, c.vdim]);
    assert.deepEqual(m.parameters().length, c.keys.length);
  }
});

test('forward: outputs, weights, grad_fn names and the gradients of the inputs and every parameter as PyTorch\'s (1e-5 of each value or 2e-6 of the largest)', () => {
  for (const c of fx.cases) {
    const m = build(c.embedDim, c.numHeads, c.opts, c.params);
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
    if (c.weightsInLoss) loss = loss.add(w!.mul(decode(c.upstreamWeights!)).sum());
    loss.backward();
    close(q.grad, c.grads['query']!, `${c.name}: query grad`);
    if (c.which !== 'self') close(k.grad, c.grads['key']!, `${c.name}: key grad`);
    if (c.which === 'qkv') close(v.grad, c.grads['value']!, `${c.name}: value grad`);
    const named = new Map(m.namedParameters());
    assert.deepEqual([...named.keys()], Object.keys(c.paramGrads), `${c.name}: parameter names`);
    for (const [name, e] of Object.entries(c.paramGrads)) close(named.get(name)!.grad, e, `${c.name}: ${name} grad`);
  }
});

test('eval mode matches PyTorch\'s fused fast path (_native_multi_head_attention, taken under no_grad) within the same tolerance', () => {
  for (const c of fx.fast) {
    const m = build(c.embedDim, c.numHeads, { batchFirst: true, ...c.opts }, c.params);
    m.eval();
    const x = decode(c.input);
    const run = (): [Tensor, Tensor | null] => m.forward(x, x, x, options(c.call));
    const [out, w] = c.noGrad ? noGrad(run) : run();
    close(out, c.output, `${c.name}: output`);
    if (c.weights === null) assert.equal(w, null);
    else close(w, c.weights, `${c.name}: weights`);
  }
});

test('PyTorch\'s refusals, with its messages, as KindlingErrors', () => {
  for (const c of fx.errors) {
    const call = (): unknown => {
      const m = new nn.MultiheadAttention(c.ctor[0], c.ctor[1], c.ctor[2]);
      const o: nn.MultiheadAttentionForwardOptions = {};
      for (const [k, spec] of Object.entries(c.call)) {
        const t = zeros(spec.shape);
        const msk = spec.bool ? { bool: t } : t;
        if (k === 'attn_mask') o.attnMask = msk;
        else o.keyPaddingMask = msk;
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
