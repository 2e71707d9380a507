// nn.TransformerDecoderLayer, nn.TransformerDecoder and nn.Transformer against PyTorch 1.13
// (fixtures/torch/transformer-decoder.json, make_transformer_decoder.py): parameters after manualSeed bit for bit (a
// Transformer's layers draw, then Xavier uniform again on every parameter of two or more dimensions) and where the
// stream stands after them; generateSquareSubsequentMask; reprs and state-dict keys; outputs, grad_fn names and the
// gradients of both inputs and every parameter in training mode (post-norm and normFirst, relu and gelu, batchFirst,
// unbatched, target and memory masks and padding, dropout drawn as PyTorch's after the same seed) and outputs in eval
// mode; PyTorch's refusals. Tolerance as test/golden/attention.test.ts: within 1e-5 of each value or 2e-6 of the
// tensor's largest (matmul summation order carried through the layers).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KindlingError, manualSeed, nn, noGrad, rand, zeros, type Tensor } from '../../src/index.js';
import type { AttentionMask, TransformerLayerOptions } from '../../src/nn/index.js';
import { assertSame, assertTensorClose, decode, loadFixture, values, type EncodedMap, type EncodedTensor } from './golden-helpers.js';

type Opts = Omit<TransformerLayerOptions, 'activation' | 'generator'> & { activation?: 'relu' | 'gelu' };
interface Spec { kind: 'layer' | 'decoder' | 'transformer'; d: number; h: number; opts: Opts; layers?: number; encLayers?: number; norm?: boolean; seed?: number }
interface InitCase { seed: number; spec: Spec; params: EncodedMap; next: EncodedTensor }
interface ModuleCase { spec: Spec; repr: string; keys: string[] }
interface RunCase {
  name: string; spec: Spec; params: EncodedMap; first: EncodedTensor; second: EncodedTensor; call: Record<string, EncodedTensor>; output: EncodedTensor;
  upstream?: EncodedTensor; firstGrad?: EncodedTensor; secondGrad?: EncodedTensor; paramGrads?: EncodedMap; gradFn?: string;
}
interface ErrorCase { name: string; type: string; message: string }
const fx = loadFixture<{ init: InitCase[]; mask: EncodedTensor; modules: ModuleCase[]; cases: RunCase[]; eval: RunCase[]; errors: ErrorCase[] }>('transformer-decoder.json');

type Built = nn.TransformerDecoderLayer | nn.TransformerDecoder | nn.Transformer;

function close(actual: Tensor | null, e: EncodedTensor, label: string): void {
  const scale = values(e).reduce((m, x) => (Number.isFinite(x) ? Math.max(m, Math.abs(x)) : m), 0);
  assertTensorClose(actual, e, label, { rtol: 1e-5, atol: Math.max(1e-7, 2e-6 * scale) });
}

function build(spec: Spec): Built {
  if (spec.kind === 'transformer') {
    return new nn.Transformer({ dModel: spec.d, nhead: spec.h, numEncoderLayers: spec.encLayers!, numDecoderLayers: spec.layers!, ...spec.opts });
  }
  const layer = new nn.TransformerDecoderLayer(spec.d, spec.h, spec.opts);
  if (spec.kind === 'layer') return layer;
  return new nn.TransformerDecoder(layer, spec.layers!, { norm: spec.norm === true ? new nn.LayerNorm(spec.d) : null });
}

function load(m: nn.Module, params: EncodedMap): void {
  const sd: Record<string, Tensor> = {};
  for (const [k, e] of Object.entries(params)) sd[k] = decode(e);
  m.loadStateDict(sd);
}

/** Runs the case's module: a Transformer on (src, tgt), a decoder on (tgt, memory); `first` is src or memory. */
function run(m: Built, first: Tensor, second: Tensor, call: Record<string, EncodedTensor>): Tensor {
  const masks: Record<string, AttentionMask> = {};
  for (const [k, e] of Object.entries(call)) masks[k] = e.dtype === 'bool' ? { bool: decode(e) } : decode(e);
  return m instanceof nn.Transformer ? m.forward(first, second, masks) : m.forward(second, first, masks);
}

test('the fixture covers what this test says it does', () => {
  const kinds = new Set(fx.cases.map((c) => c.spec.kind));
  assert.deepEqual([...kinds].sort(), ['decoder', 'layer', 'transformer']);
  assert.ok(fx.cases.some((c) => c.spec.opts.normFirst === true) && fx.cases.some((c) => c.spec.seed !== undefined));
  assert.ok(fx.cases.some((c) => c.first.shape.length === 2) && fx.cases.some((c) => c.call['memoryKeyPaddingMask'] !== undefined));
  assert.ok(fx.init.some((c) => c.spec.kind === 'transformer'));
});

test('new layers and Transformers after manualSeed have PyTorch\'s parameters bit for bit (a Transformer\'s Xavier pass included)', () => {
  for (const c of fx.init) {
    manualSeed(c.seed);
    const m = build(c.spec);
    const sd = m.stateDict();
    assert.deepEqual(Object.keys(sd), Object.keys(c.params));
    for (const [k, e] of Object.entries(c.params)) assert.deepEqual(Array.from(sd[k]!.toArray()), values(e), `seed ${c.seed} ${k}`);
    assert.deepEqual(Array.from(rand(2).toArray()), values(c.next), `stream after seed ${c.seed}`);
  }
});

test('Transformer.generateSquareSubsequentMask is PyTorch\'s: 0 on and below the diagonal, −∞ above', () => {
  assertSame(nn.Transformer.generateSquareSubsequentMask(4), fx.mask, 'mask');
  assert.deepEqual(nn.Transformer.generateSquareSubsequentMask(0).shape, [0, 0]);
  assert.throws(() => nn.Transformer.generateSquareSubsequentMask(-1), { name: 'RangeError', message: /sz must be a non-negative integer/ });
});

test('prints as PyTorch, with PyTorch\'s state-dict keys', () => {
  for (const c of fx.modules) {
    const m = build(c.spec);
    assert.equal(String(m), c.repr);
    assert.deepEqual(Object.keys(m.stateDict()), c.keys);
  }
});

test('training mode: outputs, grad_fn names and the gradients of both inputs and every parameter as PyTorch\'s', () => {
  for (const c of fx.cases) {
    const m = build(c.spec);
    load(m, c.params);
    const a = decode(c.first, true);
    const b = decode(c.second, true);
    if (c.spec.seed !== undefined) manualSeed(c.spec.seed);
    const y = run(m, a, b, c.call);
    close(y, c.output, `${c.name}: output`);
    assert.equal(y.gradFn?.torchName, c.gradFn, `${c.name}: grad_fn`);
    y.mul(decode(c.upstream!)).sum().backward();
    close(a.grad, c.firstGrad!, `${c.name}: ${c.spec.kind === 'transformer' ? 'src' : 'memory'} grad`);
    close(b.grad, c.secondGrad!, `${c.name}: tgt grad`);
    const named = new Map(m.namedParameters());
    assert.deepEqual([...named.keys()], Object.keys(c.paramGrads!), `${c.name}: parameter names`);
    for (const [name, e] of Object.entries(c.paramGrads!)) close(named.get(name)!.grad, e, `${c.name}: ${name} grad`);
  }
});

test('eval mode under no_grad as PyTorch\'s', () => {
  for (const c of fx.eval) {
    const m = build(c.spec);
    load(m, c.params);
    m.eval();
    close(noGrad(() => run(m, decode(c.first), decode(c.second), c.call)), c.output, `${c.name}: output`);
  }
});

test('PyTorch\'s refusals, with its messages', () => {
  const t = new nn.Transformer({ dModel: 4, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 6 });
  const calls: Record<string, () => unknown> = {
    batch: () => t.forward(zeros(3, 2, 4), zeros(3, 3, 4)),
    features: () => t.forward(zeros(3, 2, 4), zeros(3, 2, 5)),
    'memory mask shape': () => new nn.TransformerDecoderLayer(4, 2).forward(zeros(3, 2, 4), zeros(5, 2, 4), { memoryMask: zeros(3, 4) }),
  };
  assert.deepEqual(Object.keys(calls), fx.errors.map((e) => e.name));
  for (const e of fx.errors) {
    assert.throws(calls[e.name]!, (err: unknown) => {
      assert.ok(err instanceof KindlingError, `${e.name}: ${String(err)}`);
      assert.ok(err.message.includes(e.message), `${e.name}: "${err.message}" should include PyTorch's "${e.message}"`);
      return true;
    });
  }
});
