// Adaptive pooling against PyTorch (fixtures/torch/adaptive_pool.json, from make_adaptive_pool.py):
// F.adaptiveAvgPool2d and F.adaptiveMaxPool2d (values and gradients, also through the modules; overlapping windows,
// sizes larger than the input, null entries, unbatched inputs, ties), the max's indices (with NaN), reprs, refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedMap, type EncodedTensor } from './golden-helpers.js';
import type { AdaptiveSize2d } from '../../src/nn/functional.js';

interface Case {
  name: string;
  op: 'adaptiveAvgPool2d' | 'adaptiveMaxPool2d';
  args: { outputSize: AdaptiveSize2d };
  inputs: EncodedMap;
  outputs: EncodedMap;
  upstream: EncodedMap;
  grads: EncodedMap;
}

interface Fixture {
  cases: Case[];
  indices: { name: string; input: EncodedTensor; outputSize: [number, number]; values: EncodedTensor; indices: number[] }[];
  reprs: { kind: 'AdaptiveAvgPool2d' | 'AdaptiveMaxPool2d'; outputSize: AdaptiveSize2d; repr: string }[];
  errors: { op: Case['op']; shape: number[]; message: string }[];
}

const fx = loadFixture<Fixture>('adaptive_pool.json');

type Run = (c: Case, x: Tensor) => Tensor;

const FORMS: Record<Case['op'], Run[]> = {
  adaptiveAvgPool2d: [
    (c, x) => F.adaptiveAvgPool2d(x, c.args.outputSize),
    (c, x) => new nn.AdaptiveAvgPool2d(c.args.outputSize).forward(x),
  ],
  adaptiveMaxPool2d: [
    (c, x) => F.adaptiveMaxPool2d(x, c.args.outputSize),
    (c, x) => new nn.AdaptiveMaxPool2d(c.args.outputSize).forward(x),
  ],
};

test('adaptive_pool.json covers both ops, overlapping windows, null entries, unbatched inputs and ties', () => {
  for (const op of ['adaptiveAvgPool2d', 'adaptiveMaxPool2d']) assert.ok(fx.cases.filter((c) => c.op === op).length >= 8, op);
  assert.ok(fx.cases.some((c) => Array.isArray(c.args.outputSize) && c.args.outputSize.includes(null)));
  assert.ok(fx.cases.some((c) => c.name === 'max_ties'));
});

for (const c of fx.cases) {
  FORMS[c.op].forEach((run, form) => {
    test(`${c.name} (${form === 0 ? 'F' : 'nn'})`, () => {
      const x = decode(c.inputs['input']!, true);
      const out = run(c, x);
      // The sum of a window (up to 30 values) in float32, divided by its height then width, as PyTorch's CPU kernel
      // does: the same order, so bit for bit is expected; 1e-6 relative allows one rounding of difference.
      assertTensorClose(out, c.outputs['out']!, `${c.name} value`, { rtol: 1e-6, atol: 0 });
      out.backward(decode(c.upstream['out']!));
      assertTensorClose(x.grad, c.grads['input']!, `${c.name} grad`, { rtol: 1e-6, atol: 1e-7 });
    });
  });
}

test('adaptive max pooling sends a tie\'s gradient to the first largest value, as PyTorch does (exactly)', () => {
  const c = fx.cases.find((k) => k.name === 'max_ties')!;
  const x = decode(c.inputs['input']!, true);
  F.adaptiveMaxPool2d(x, c.args.outputSize).backward(decode(c.upstream['out']!));
  assert.deepEqual([...x.grad!.toArray()], values(c.grads['input']!));
});

for (const k of fx.indices) {
  test(`adaptiveMaxPool2d returnIndices: ${k.name} gives PyTorch's values and indices`, () => {
    const [v, i] = F.adaptiveMaxPool2d(decode(k.input), k.outputSize, true);
    assert.deepEqual([...v.toArray()].map(String), values(k.values).map(String));
    assert.deepEqual([...i.toArray()], k.indices);
    const [mv, mi] = new nn.AdaptiveMaxPool2d(k.outputSize, true).forward(decode(k.input)) as unknown as [Tensor, Tensor];
    assert.deepEqual([...mv.toArray()].map(String), values(k.values).map(String));
    assert.deepEqual([...mi.toArray()], k.indices);
  });
}

for (const r of fx.reprs) {
  test(`${r.repr} prints as in PyTorch`, () => {
    const m = r.kind === 'AdaptiveAvgPool2d' ? new nn.AdaptiveAvgPool2d(r.outputSize) : new nn.AdaptiveMaxPool2d(r.outputSize);
    assert.equal(m.toString(), r.repr);
    assert.deepEqual(Object.keys(m.stateDict()), []);
  });
}

for (const e of fx.errors) {
  test(`${e.op} refuses ${JSON.stringify(e.shape)} with PyTorch's message`, () => {
    const x = decode({ shape: e.shape, data: new Array(e.shape.reduce((a, b) => a * b, 1)).fill(0) } as unknown as EncodedTensor);
    assert.throws(() => F[e.op](x, 2), (err: Error) => err.message.includes(e.message));
  });
}

test('adaptive pooling refuses a bad outputSize', () => {
  const x = decode({ shape: [1, 2, 3], data: [0, 0, 0, 0, 0, 0] } as unknown as EncodedTensor);
  assert.throws(() => F.adaptiveAvgPool2d(x, [1, 2, 3] as unknown as number), TypeError);
  assert.throws(() => F.adaptiveMaxPool2d(x, -1), TypeError);
  assert.throws(() => F.adaptiveAvgPool2d(x, 1.5), TypeError);
});
