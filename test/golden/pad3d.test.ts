// F.pad over three dimensions and the 3-D padding layers against PyTorch (fixtures/torch/pad3d.json, from
// make_pad3d.py): reflect, replicate, circular and constant values and input gradients (batched and unbatched, up to
// the size, crops), ReflectionPad3d, ReplicationPad3d and ConstantPad3d (outputs and reprs), node names, and
// PyTorch's refusals with its messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, zeros } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedMap, type EncodedTensor } from './golden-helpers.js';

interface Case { name: string; args: { pad: number[]; options: { mode: F.PadMode; value?: number } }; inputs: EncodedMap; outputs: EncodedMap; upstream: EncodedMap; grads: EncodedMap }
interface Fixture {
  cases: Case[];
  modules: { kind: 'ReflectionPad3d' | 'ReplicationPad3d' | 'ConstantPad3d'; padding: number[]; value: number | null; repr: string; input: EncodedTensor; out: EncodedTensor }[];
  nodes: Record<string, string>;
  errors: { shape: number[]; pad: number[]; mode: F.PadMode; message: string }[];
}

const fx = loadFixture<Fixture>('pad3d.json');

test('pad3d.json covers every mode over three dimensions, crops and unbatched inputs, and the three layers', () => {
  for (const mode of ['constant', 'reflect', 'replicate', 'circular']) assert.ok(fx.cases.filter((c) => c.args.options.mode === mode).length >= 4, mode);
  assert.ok(fx.cases.some((c) => c.args.pad.some((p) => p < 0)));
  assert.ok(fx.cases.some((c) => c.inputs['input']!.shape.length === 4));
  assert.equal(new Set(fx.modules.map((m) => m.kind)).size, 3);
});

for (const c of fx.cases) {
  test(`pad ${c.name} ${JSON.stringify(c.args.pad)} ${c.args.options.mode}: PyTorch's values bit for bit, and its gradient`, () => {
    const x = decode(c.inputs['input']!, true);
    const out = F.pad(x, c.args.pad, c.args.options);
    assert.deepEqual([...out.shape], c.outputs['out']!.shape);
    assert.deepEqual([...out.toArray()], values(c.outputs['out']!));
    out.backward(decode(c.upstream['out']!));
    // Up to eight upstream values (|g| < 1) meet where reflections or wraps do, summed in output order.
    assertTensorClose(x.grad, c.grads['input']!, `${c.name} grad`, { rtol: 1e-6, atol: 5e-7 });
  });
}

for (const m of fx.modules) {
  test(`${m.repr}: PyTorch's output bit for bit, and its printing`, () => {
    const pad = m.padding as [number, number, number, number, number, number];
    const layer = m.kind === 'ConstantPad3d' ? new nn.ConstantPad3d(pad, m.value!) : m.kind === 'ReflectionPad3d' ? new nn.ReflectionPad3d(pad) : new nn.ReplicationPad3d(pad);
    assert.equal(layer.toString(), m.repr);
    assert.deepEqual([...layer.forward(decode(m.input)).toArray()], values(m.out));
  });
}

test("3-D padding's nodes have PyTorch's names (circular aside: PyTorch copies slices)", () => {
  for (const mode of ['reflect', 'replicate', 'constant'] as const) {
    const x = zeros([1, 1, 3, 3, 3], { requiresGrad: true });
    assert.equal(F.pad(x, [1, 1, 1, 1, 1, 1], { mode }).gradFn?.torchName, fx.nodes[mode], mode);
  }
});

for (const e of fx.errors) {
  test(`pad refuses ${JSON.stringify(e.shape)} ${JSON.stringify(e.pad)} ${e.mode} with PyTorch's message`, () => {
    assert.throws(() => F.pad(zeros(e.shape), e.pad, { mode: e.mode }), (err: Error) => err.message.includes(e.message));
  });
}

test('the 3-D layers refuse a padding of the wrong length, naming the six sides', () => {
  assert.throws(() => new nn.ReflectionPad3d([1, 1, 1, 1] as never), /ReflectionPad3d: padding must be an int or \[left, right, top, bottom, front, back\] \(integers\), got/);
});
