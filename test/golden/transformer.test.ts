// nn.TransformerEncoderLayer and nn.TransformerEncoder against PyTorch 1.13 (fixtures/torch/transformer.json,
// make_transformer.py): parameters after manualSeed bit for bit (self_attn, linear1, linear2 in PyTorch's order) and
// where the stream stands after them, the encoder's layers copies of the given one; reprs and state-dict keys;
// outputs, grad_fn names and the gradients of the input and every parameter in training mode (post-norm and
// normFirst, relu and gelu, batchFirst, unbatched, layerNormEps, float and boolean masks and key padding masks,
// dropout drawn as PyTorch's after the same seed, stacks of 2 and 3 layers with and without a final norm); eval mode
// against PyTorch's fast paths under no_grad (the fused layer, and the encoder's nested tensors: 0 at padded
// positions, the sequence cut to the longest unpadded one; a float key padding mask read as booleans, F.relu and
// F.gelu as relu and gelu, any nn.GELU as exact gelu) and its ordinary path with gradients on; PyTorch's refusals. Tolerance as test/golden/attention.test.ts:
// within 1e-5 of each value or 2e-6 of the tensor's largest (matmul summation order, carried through LayerNorm and
// the layers; the largest difference seen is reported by the diagnostics in the assertion message).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, KindlingError, manualSeed, nn, noGrad, rand, zeros, type Tensor } from '../../src/index.js';
import type { AttentionMask, TransformerLayerOptions } from '../../src/nn/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedMap, type EncodedTensor } from './golden-helpers.js';

type Opts = Omit<TransformerLayerOptions, 'activation' | 'generator'> & { activation?: 'relu' | 'gelu' };
interface Spec {
  d: number; h: number; opts: Opts; layers?: number | null; norm?: boolean; S?: number; N?: number | null; seed?: number; call?: Record<string, string>;
  activationModule?: 'GELU' | 'ReLU' | 'Tanh' | 'GELUtanh'; activationFunction?: 'relu' | 'gelu';
}
interface InitCase { seed: number; d: number; h: number; opts: Opts; params: EncodedMap; next: EncodedTensor; encoderKeys: string[]; encoderSame: boolean }
interface ModuleCase { spec: Spec; repr: string; keys: string[] }
interface RunCase {
  name: string; spec: Spec; params: EncodedMap; input: EncodedTensor; call: Record<string, EncodedTensor>; output: EncodedTensor;
  upstream?: EncodedTensor; inputGrad?: EncodedTensor; paramGrads?: EncodedMap; gradFn?: string;
}
interface ErrorCase { name: string; type: string; message: string }
const fx = loadFixture<{ init: InitCase[]; modules: ModuleCase[]; cases: RunCase[]; eval: RunCase[]; errors: ErrorCase[] }>('transformer.json');

function close(actual: Tensor | null, e: EncodedTensor, label: string): void {
  const scale = values(e).reduce((m, x) => (Number.isFinite(x) ? Math.max(m, Math.abs(x)) : m), 0);
  assertTensorClose(actual, e, label, { rtol: 1e-5, atol: Math.max(1e-7, 2e-6 * scale) });
}

const ACTIVATIONS = { GELU: () => new nn.GELU(), ReLU: () => new nn.ReLU(), Tanh: () => new nn.Tanh(), GELUtanh: () => new nn.GELU('tanh') };
const FUNCTIONS = { relu: F.relu, gelu: F.gelu };

function build(spec: Spec): nn.TransformerEncoderLayer | nn.TransformerEncoder {
  const activation = spec.activationModule !== undefined ? { activation: ACTIVATIONS[spec.activationModule]() }
    : spec.activationFunction !== undefined ? { activation: FUNCTIONS[spec.activationFunction] } : {};
  const layer = new nn.TransformerEncoderLayer(spec.d, spec.h, { ...spec.opts, ...activation });
  if (spec.layers == null) return layer;
  return new nn.TransformerEncoder(layer, spec.layers, { norm: spec.norm === true ? new nn.LayerNorm(spec.d) : null });
}

function load(m: nn.Module, params: EncodedMap): void {
  const sd: Record<string, Tensor> = {};
  for (const [k, e] of Object.entries(params)) sd[k] = decode(e);
  m.loadStateDict(sd);
}

const mask = (e: EncodedTensor): AttentionMask => (e.dtype === 'bool' ? { bool: decode(e) } : decode(e));

function forward(m: nn.TransformerEncoderLayer | nn.TransformerEncoder, x: Tensor, call: Record<string, EncodedTensor>): Tensor {
  const am = call['mask'] === undefined ? null : mask(call['mask']);
  const kpm = call['kpm'] === undefined ? null : mask(call['kpm']);
  return m instanceof nn.TransformerEncoder ? m.forward(x, { mask: am, srcKeyPaddingMask: kpm }) : m.forward(x, { srcMask: am, srcKeyPaddingMask: kpm });
}

test('the fixture covers what this test says it does', () => {
  const has = (f: (c: RunCase) => boolean): boolean => fx.cases.some(f);
  assert.ok(has((c) => c.spec.opts.normFirst === true) && has((c) => c.spec.opts.activation === 'gelu') && has((c) => c.spec.opts.batchFirst === true));
  assert.ok(has((c) => c.spec.N === null) && has((c) => c.spec.seed !== undefined) && has((c) => c.spec.layers === 3));
  assert.ok(has((c) => c.call['kpm']?.dtype === 'bool') && has((c) => c.call['mask'] !== undefined && c.call['mask'].dtype === undefined));
  // The nested path's zeros: before the final norm, a padded position is 0, so after it the norm's bias.
  const nested = fx.eval.find((c) => c.name === 'eval encoder nested key padding')!;
  assert.deepEqual(values(nested.output).slice(-4), values(nested.params['norm.bias']!));
  // And PyTorch 1.13 cuts the sequence to the longest unpadded one (3 of 4 positions).
  assert.deepEqual([nested.input.shape[1], nested.output.shape[1]], [4, 3]);
  assert.ok(fx.eval.some((c) => c.call['kpm']?.dtype === undefined && c.name.includes('nested float')));
  assert.ok(fx.modules.some((c) => c.spec.activationModule !== undefined) && has((c) => c.spec.activationModule !== undefined));
  // PyTorch's fast path takes an nn.ReLU module (zeros at the padding) but not an nn.Tanh one.
  const relu = fx.eval.find((c) => c.name === 'eval encoder nested ReLU module')!;
  const tanh = fx.eval.find((c) => c.name === 'eval encoder Tanh module not nested')!;
  assert.deepEqual([relu.output.shape[1], tanh.output.shape[1]], [3, 4]);
  // And F.relu and F.gelu given as functions (PyTorch's `activation is F.relu`).
  for (const name of ['eval encoder nested F.relu', 'eval encoder nested F.gelu']) assert.equal(fx.eval.find((c) => c.name === name)!.output.shape[1], 3, name);
  // A float key padding mask on the fast path hides every nonzero key; the ordinary path adds it: not the same.
  const floatFast = fx.eval.find((c) => c.name === 'eval layer float key padding')!;
  assert.notDeepEqual(values(floatFast.output), values(fx.eval.find((c) => c.name === 'eval layer float key padding with grad')!.output));
  assert.ok(fx.errors.length >= 5);
});

test('a new layer after manualSeed has PyTorch\'s parameters bit for bit; the encoder\'s layers are copies of it, drawing nothing', () => {
  for (const c of fx.init) {
    manualSeed(c.seed);
    const m = new nn.TransformerEncoderLayer(c.d, c.h, c.opts);
    const sd = m.stateDict();
    assert.deepEqual(Object.keys(sd), Object.keys(c.params));
    for (const [k, e] of Object.entries(c.params)) assert.deepEqual(Array.from(sd[k]!.toArray()), values(e), `seed ${c.seed} ${k}`);
    assert.deepEqual(Array.from(rand(2).toArray()), values(c.next), `stream after seed ${c.seed}`);
    manualSeed(c.seed + 100);
    const before = Array.from(rand(3).toArray());
    manualSeed(c.seed + 100);
    const e = new nn.TransformerEncoder(m, 2);
    assert.deepEqual(Array.from(rand(3).toArray()), before, 'the copies draw nothing');
    const esd = e.stateDict();
    assert.deepEqual(Object.keys(esd), c.encoderKeys);
    assert.ok(c.encoderSame);
    for (const [k, t] of Object.entries(sd)) {
      for (const i of [0, 1]) {
        assert.deepEqual(Array.from(esd[`layers.${i}.${k}`]!.toArray()), Array.from(t.toArray()), `layers.${i}.${k}`);
        assert.notEqual(esd[`layers.${i}.${k}`], t, 'a copy, not the same tensor');
      }
    }
  }
});

test('prints as PyTorch, with PyTorch\'s state-dict keys', () => {
  for (const c of fx.modules) {
    const m = build(c.spec);
    assert.equal(String(m), c.repr);
    assert.deepEqual(Object.keys(m.stateDict()), c.keys);
  }
});

test('training mode: outputs, grad_fn names and the gradients of the input and every parameter as PyTorch\'s', () => {
  for (const c of fx.cases) {
    const m = build(c.spec);
    load(m, c.params);
    const x = decode(c.input, true);
    if (c.spec.seed !== undefined) manualSeed(c.spec.seed);
    const y = forward(m, x, c.call);
    close(y, c.output, `${c.name}: output`);
    assert.equal(y.gradFn?.torchName, c.gradFn, `${c.name}: grad_fn`);
    y.mul(decode(c.upstream!)).sum().backward();
    close(x.grad, c.inputGrad!, `${c.name}: input grad`);
    const named = new Map(m.namedParameters());
    assert.deepEqual([...named.keys()], Object.keys(c.paramGrads!), `${c.name}: parameter names`);
    for (const [name, e] of Object.entries(c.paramGrads!)) close(named.get(name)!.grad, e, `${c.name}: ${name} grad`);
  }
});

test('eval mode: PyTorch\'s fast paths under no_grad (the encoder\'s nested tensors give 0 at padded positions) and its ordinary path', () => {
  for (const c of fx.eval) {
    const m = build(c.spec);
    load(m, c.params);
    m.eval();
    const x = decode(c.input);
    const y = c.name.endsWith('with grad') ? forward(m, x, c.call) : noGrad(() => forward(m, x, c.call));
    close(y, c.output, `${c.name}: output`);
  }
  // Without the nested path (enableNestedTensor false, or training), the padded positions are computed.
  const c = fx.eval.find((e) => e.name === 'eval encoder nested key padding')!;
  const layer = new nn.TransformerEncoderLayer(c.spec.d, c.spec.h, c.spec.opts);
  const m = new nn.TransformerEncoder(layer, c.spec.layers!, { norm: new nn.LayerNorm(c.spec.d), enableNestedTensor: false });
  load(m, c.params);
  m.eval();
  const y = noGrad(() => forward(m, decode(c.input), c.call));
  assert.notDeepEqual(Array.from(y.toArray()).slice(-4), values(c.params['norm.bias']!));
  const withGrad = fx.eval.find((e) => e.name === 'eval encoder nested key padding with grad')!;
  assert.notDeepEqual(values(withGrad.output).slice(-4), values(withGrad.params['norm.bias']!));
});

test('PyTorch\'s refusals, with its messages', () => {
  const calls: Record<string, () => unknown> = {
    activation: () => new nn.TransformerEncoderLayer(4, 2, { activation: 'tanh' as never }),
    'not divisible': () => new nn.TransformerEncoderLayer(5, 2),
    'mask shape': () => new nn.TransformerEncoderLayer(4, 2).forward(zeros(3, 2, 4), { srcMask: zeros(2, 3) }),
    'key padding shape': () => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 2), 2).forward(zeros(3, 2, 4), { srcKeyPaddingMask: { bool: zeros(2, 4) } }),
    d_model: () => new nn.TransformerEncoderLayer(4, 2).forward(zeros(3, 2, 5)),
  };
  assert.deepEqual(Object.keys(calls), fx.errors.map((e) => e.name));
  for (const e of fx.errors) {
    assert.throws(calls[e.name]!, (err: unknown) => {
      assert.ok(err instanceof Error && err.message.includes(e.message), `${e.name}: "${String(err)}" should include PyTorch's "${e.message}"`);
      if (e.type === 'AssertionError') assert.ok(err instanceof KindlingError, `${e.name}: a KindlingError`);
      return true;
    });
  }
});
