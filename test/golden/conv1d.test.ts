// 1-D convolution against PyTorch (fixtures/torch/conv1d.json, from make_conv1d.py): F.conv1d (values and the
// gradients of input, weight and bias, also through nn.Conv1d), nn.Conv1d's seeded initial weights (bit for bit),
// reprs and state_dict keys, and PyTorch's refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, manualSeed, nn, zeros, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedMap, type EncodedTensor } from './golden-helpers.js';

interface Case {
  name: string;
  op: 'conv1d';
  args: Record<string, unknown>;
  inputs: EncodedMap;
  outputs: EncodedMap;
  upstream: EncodedMap;
  grads: EncodedMap;
}

type Kwargs = Record<string, unknown>;

interface Fixture {
  cases: Case[];
  init: { seed: number; args: number[]; kwargs: Kwargs; weight: EncodedTensor; bias: EncodedTensor | null }[];
  reprs: { args: number[]; kwargs: Kwargs; repr: string; keys: string[]; shapes: number[][] }[];
  errors: { input: number[]; weight: number[]; bias: number[] | null; options: Kwargs; message: string }[];
  layerErrors: { args: number[]; kwargs: Kwargs; message: string }[];
}

const fx = loadFixture<Fixture>('conv1d.json');

/** A weight's gradient sums over samples and positions in another order than PyTorch's (see conv.test.ts). */
function sumTolerance(e: EncodedTensor): { rtol: number; atol: number } {
  const largest = values(e).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return { rtol: 1e-5, atol: Math.max(1e-6, 1e-5 * largest) };
}

const layer = (args: number[], kwargs: Kwargs): nn.Conv1d => {
  const [inC, outC, k] = args as [number, number, number];
  return new nn.Conv1d(inC, outC, k, kwargs);
};

type Run = (c: Case, t: Record<string, Tensor>) => Tensor;

/** Each case both ways: F.conv1d, and nn.Conv1d holding the same weights. */
const FORMS: Run[] = [
  (c, t) => F.conv1d(t['input']!, t['weight']!, t['bias'] ?? null, c.args),
  (c, t) => {
    const [O, Cg, k] = t['weight']!.shape as number[];
    const m = layer([Cg! * ((c.args['groups'] as number | undefined) ?? 1), O!, k!], { ...c.args, bias: t['bias'] !== undefined });
    m.weight = new nn.Parameter(t['weight']!);
    if (t['bias'] !== undefined) m.bias = new nn.Parameter(t['bias']);
    return m.forward(t['input']!);
  },
];

test('conv1d.json covers unbatched inputs, strides, padding, dilation, groups and no bias', () => {
  assert.ok(fx.cases.length >= 20);
  for (const key of ['stride', 'padding', 'dilation', 'groups']) assert.ok(fx.cases.some((c) => key in c.args), key);
  assert.ok(fx.cases.some((c) => c.args['padding'] === 'same'));
  assert.ok(fx.cases.some((c) => c.inputs['input']!.shape.length === 2));
  assert.ok(fx.cases.some((c) => c.inputs['bias'] === undefined));
});

for (const c of fx.cases) {
  FORMS.forEach((run, form) => {
    test(`conv1d ${c.name} (${form === 0 ? 'F' : 'nn'})`, () => {
      const t: Record<string, Tensor> = {};
      for (const [k, e] of Object.entries(c.inputs)) t[k] = decode(e, true);
      const out = run(c, t);
      assertTensorClose(out, c.outputs['out']!, `${c.name} value`);
      out.backward(decode(c.upstream['out']!));
      for (const [k, e] of Object.entries(c.grads)) {
        // the module's own parameters (not the fixture's leaves) get the weight's and bias's gradients
        if (form === 1 && k !== 'input') continue;
        assertTensorClose(t[k]!.grad, e, `${c.name} grad ${k}`, sumTolerance(e));
      }
    });
  });
}

for (const k of fx.init) {
  test(`nn.Conv1d(${JSON.stringify(k.args)}, ${JSON.stringify(k.kwargs)}) after manualSeed(${k.seed}) has PyTorch's initial weights bit for bit`, () => {
    manualSeed(k.seed);
    const conv = layer(k.args, k.kwargs);
    assert.deepEqual([...conv.weight.shape], k.weight.shape);
    assert.deepEqual([...conv.weight.toArray()], values(k.weight));
    if (k.bias === null) assert.equal(conv.bias, null);
    else assert.deepEqual([...conv.bias!.toArray()], values(k.bias));
  });
}

for (const r of fx.reprs) {
  test(`${r.repr} prints, and holds its state_dict, as in PyTorch`, () => {
    const m = layer(r.args, r.kwargs);
    assert.equal(m.toString(), r.repr);
    const sd = m.stateDict();
    assert.deepEqual(Object.keys(sd), r.keys);
    assert.deepEqual(Object.values(sd).map((t) => [...t.shape]), r.shapes);
  });
}

for (const e of fx.errors) {
  test(`conv1d refuses input ${JSON.stringify(e.input)}, weight ${JSON.stringify(e.weight)}, ${JSON.stringify(e.options)} with PyTorch's message`, () => {
    const bias = e.bias === null ? null : zeros(e.bias);
    assert.throws(() => F.conv1d(zeros(e.input), zeros(e.weight), bias, e.options), (err: Error) => err.message.includes(e.message));
  });
}

for (const e of fx.layerErrors) {
  test(`nn.Conv1d(${JSON.stringify(e.args)}, ${JSON.stringify(e.kwargs)}) is refused with PyTorch's message`, () => {
    assert.throws(() => layer(e.args, e.kwargs), (err: Error) => err.message.includes(e.message));
  });
}

test('nn.Conv1d takes the stride by position and refuses unknown padding modes', () => {
  const m = new nn.Conv1d(2, 3, 3, 2, { padding: 1 });
  assert.equal(m.toString(), 'Conv1d(2, 3, kernel_size=(3,), stride=(2,), padding=(1,))');
  assert.throws(() => new nn.Conv1d(2, 3, 3, { paddingMode: 'mirror' as 'zeros' }), /paddingMode must be one of/);
  assert.throws(() => new nn.Conv1d(2, 3, [3, 3] as unknown as number), TypeError);
});
