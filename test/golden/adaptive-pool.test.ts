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

test('the adaptive pooling layers take their arguments by position or named, as PyTorch 1.13 binds them', () => {
  const x = decode({ shape: [1, 1, 2, 2, 4], data: [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3] } as unknown as EncodedTensor);
  const plane = x.reshape([1, 2, 8]);
  // nn.AdaptiveMaxPool2d(2, return_indices=True) and nn.AdaptiveMaxPool2d(output_size=2): the named forms were refused.
  const [v2, i2] = new nn.AdaptiveMaxPool2d(2, { returnIndices: true }).forward(plane) as unknown as [Tensor, Tensor];
  // PyTorch 1.13's values and indices.
  assert.deepEqual([...v2.values()], [4, 9, 8, 9]);
  assert.deepEqual([...i2.toArray()].map(Number), [2, 5, 11, 12]);
  assert.equal(String(new nn.AdaptiveMaxPool2d({ outputSize: [2, null], returnIndices: true })), 'AdaptiveMaxPool2d(output_size=(2, None))');
  const [v1, i1] = new nn.AdaptiveMaxPool1d(2, { returnIndices: true }).forward(plane) as unknown as [Tensor, Tensor];
  assert.deepEqual([...v1.values()], [4, 9, 8, 9]);
  assert.deepEqual([...i1.toArray()].map(Number), [2, 5, 3, 4]);
  assert.equal(String(new nn.AdaptiveAvgPool1d({ outputSize: 3 })), 'AdaptiveAvgPool1d(output_size=3)');
  assert.equal(String(new nn.AdaptiveAvgPool2d({ outputSize: 1 })), 'AdaptiveAvgPool2d(output_size=1)');
  // nn.AdaptiveMaxPool3d(2, True) returns the indices, PyTorch 1.13's; the flag was ignored.
  const [v3, i3] = new nn.AdaptiveMaxPool3d(2, true).forward(x) as unknown as [Tensor, Tensor];
  assert.deepEqual([...v3.values()], [3, 4, 9, 6, 5, 8, 9, 9]);
  assert.deepEqual([...i3.toArray()].map(Number), [0, 2, 5, 7, 8, 11, 12, 14]);
  // Arguments past PyTorch's are refused, as its TypeError; outputSize is required.
  assert.throws(() => new (nn.AdaptiveAvgPool3d as unknown as new (...a: unknown[]) => unknown)(2, true), { name: 'TypeError', message: /AdaptiveAvgPool3d: takes at most 1 argument \(new AdaptiveAvgPool3d\(\[2, 4, 4\]\)\), got true as argument 2/ });
  assert.throws(() => new (nn.AdaptiveMaxPool1d as unknown as new (...a: unknown[]) => unknown)(), { name: 'TypeError', message: /AdaptiveMaxPool1d: outputSize is required/ });
  assert.throws(() => new nn.AdaptiveMaxPool2d(2, 'yes' as never), { name: 'TypeError', message: /AdaptiveMaxPool2d: returnIndices must be true or false, got the string "yes"/ });
});
