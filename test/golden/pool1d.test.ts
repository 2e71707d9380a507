// 1-D pooling against PyTorch (fixtures/torch/pool1d.json, from make_pool1d.py): F.maxPool1d, F.avgPool1d,
// F.adaptiveAvgPool1d and F.adaptiveMaxPool1d (values and gradients, also through the modules; unbatched inputs,
// strides that do not divide, padding, dilation, ceil mode, countIncludePad, ties, adaptive sizes that do not divide
// or exceed the input), the maxima's indices (with NaN), the modules' reprs and PyTorch's refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, zeros, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedMap, type EncodedTensor } from './golden-helpers.js';

type Op = 'maxPool1d' | 'avgPool1d' | 'adaptiveAvgPool1d' | 'adaptiveMaxPool1d';
type Size = number | [number];
type Options = Record<string, unknown>;

interface Case {
  name: string;
  op: Op;
  args: Options & { kernelSize?: Size; outputSize?: Size };
  inputs: EncodedMap;
  outputs: EncodedMap;
  upstream: EncodedMap;
  grads: EncodedMap;
}

interface Fixture {
  cases: Case[];
  indices: { op: 'maxPool1d' | 'adaptiveMaxPool1d'; name: string; input: EncodedTensor; kernelSize?: number; options?: Options; outputSize?: number; values: EncodedTensor; indices: number[] }[];
  reprs: { kind: 'MaxPool1d' | 'AvgPool1d' | 'AdaptiveAvgPool1d' | 'AdaptiveMaxPool1d'; args: unknown[]; options: Options; repr: string; keys: string[] }[];
  errors: { op: Op; shape: number[]; kernelSize?: number; options?: Options; outputSize?: Size; message: string }[];
}

const fx = loadFixture<Fixture>('pool1d.json');

type Run = (c: Case, x: Tensor) => Tensor;
const split = (c: Case): [Size, Options] => {
  const { kernelSize, ...o } = c.args;
  return [kernelSize!, o];
};

/** Each case both ways: the function of F, and the module. */
const FORMS: Record<Op, Run[]> = {
  maxPool1d: [(c, x) => F.maxPool1d(x, ...split(c)), (c, x) => new nn.MaxPool1d(...split(c)).forward(x)],
  avgPool1d: [(c, x) => F.avgPool1d(x, ...split(c)), (c, x) => new nn.AvgPool1d(...split(c)).forward(x)],
  adaptiveAvgPool1d: [(c, x) => F.adaptiveAvgPool1d(x, c.args.outputSize!), (c, x) => new nn.AdaptiveAvgPool1d(c.args.outputSize!).forward(x)],
  adaptiveMaxPool1d: [(c, x) => F.adaptiveMaxPool1d(x, c.args.outputSize!), (c, x) => new nn.AdaptiveMaxPool1d(c.args.outputSize!).forward(x)],
};

test('pool1d.json covers every op, unbatched inputs, ceil mode, dilation, ties and sizes that do not divide', () => {
  for (const op of Object.keys(FORMS)) assert.ok(fx.cases.filter((c) => c.op === op).length >= 9, op);
  assert.ok(fx.cases.some((c) => c.op === 'maxPool1d' && c.args['ceilMode'] === true && 'dilation' in c.args));
  assert.ok(fx.cases.some((c) => c.op === 'avgPool1d' && c.args['countIncludePad'] === false));
  assert.ok(fx.cases.filter((c) => c.inputs['input']!.shape.length === 2).length >= 4);
  assert.ok(fx.indices.filter((k) => k.name === 'nan').length === 2);
});

for (const c of fx.cases) {
  FORMS[c.op].forEach((run, form) => {
    test(`${c.op} ${c.name} (${form === 0 ? 'F' : 'nn'})`, () => {
      const x = decode(c.inputs['input']!, true);
      const out = run(c, x);
      // Max pooling copies values, bit for bit; an average is PyTorch's float32 sum divided by the window's length
      // (adaptive) or Kindling's float64 sum rounded once (avg_pool1d, as for avgPool2d): 1e-6 relative allows one
      // rounding of difference (an adaptive window of one output is PyTorch's mean, summed in another order).
      assertTensorClose(out, c.outputs['out']!, `${c.name} value`, { rtol: 1e-6, atol: 1e-7 });
      out.backward(decode(c.upstream['out']!));
      assertTensorClose(x.grad, c.grads['input']!, `${c.name} grad`, { rtol: 1e-6, atol: 1e-7 });
    });
  });
}

test('max pooling sends a tie\'s gradient to the first largest value, as PyTorch does (exactly)', () => {
  for (const name of ['max_ties', 'amax_ties']) {
    const c = fx.cases.find((k) => k.name === name)!;
    const x = decode(c.inputs['input']!, true);
    FORMS[c.op][0]!(c, x).backward(decode(c.upstream['out']!));
    assert.deepEqual([...x.grad!.toArray()], values(c.grads['input']!), name);
  }
});

for (const k of fx.indices) {
  test(`${k.op} returnIndices: ${k.name} gives PyTorch's values and indices`, () => {
    const check = ([v, i]: [Tensor, Tensor], form: string): void => {
      assert.deepEqual([...v.toArray()].map(String), values(k.values).map(String), `${form} values`);
      assert.deepEqual([...i.toArray()], k.indices, `${form} indices`);
      assert.deepEqual([...i.shape], k.values.shape);
    };
    if (k.op === 'maxPool1d') {
      check(F.maxPool1d(decode(k.input), k.kernelSize!, { ...k.options, returnIndices: true }), 'F');
      check(new nn.MaxPool1d(k.kernelSize!, { ...k.options, returnIndices: true }).forward(decode(k.input)) as unknown as [Tensor, Tensor], 'nn');
    } else {
      check(F.adaptiveMaxPool1d(decode(k.input), k.outputSize!, true), 'F');
      check(new nn.AdaptiveMaxPool1d(k.outputSize!, true).forward(decode(k.input)) as unknown as [Tensor, Tensor], 'nn');
    }
  });
}

const MODULES = {
  MaxPool1d: (a: unknown[], o: Options) => new nn.MaxPool1d(a[0] as Size, (a.length > 1 ? a[1] : o) as never, (a.length > 1 ? o : undefined) as never),
  AvgPool1d: (a: unknown[], o: Options) => new nn.AvgPool1d(a[0] as Size, (a.length > 1 ? a[1] : o) as never, (a.length > 1 ? o : undefined) as never),
  AdaptiveAvgPool1d: (a: unknown[]) => new nn.AdaptiveAvgPool1d(a[0] as Size),
  AdaptiveMaxPool1d: (a: unknown[]) => new nn.AdaptiveMaxPool1d(a[0] as Size, a[1] as boolean | undefined),
};

for (const r of fx.reprs) {
  test(`${r.repr} prints as in PyTorch`, () => {
    const m = MODULES[r.kind](r.args, r.options);
    assert.equal(m.toString(), r.repr);
    assert.deepEqual(Object.keys(m.stateDict()), r.keys);
  });
}

for (const e of fx.errors) {
  test(`${e.op} refuses ${JSON.stringify(e.shape)} ${JSON.stringify(e.kernelSize ?? e.outputSize)} ${JSON.stringify(e.options ?? {})} with PyTorch's message`, () => {
    const x = zeros(e.shape);
    const call = (): unknown => (e.op === 'maxPool1d' ? F.maxPool1d(x, e.kernelSize!, e.options as never)
      : e.op === 'avgPool1d' ? F.avgPool1d(x, e.kernelSize!, e.options as never)
        : e.op === 'adaptiveAvgPool1d' ? F.adaptiveAvgPool1d(x, e.outputSize!) : F.adaptiveMaxPool1d(x, e.outputSize!));
    assert.throws(call, (err: Error) => err.message.includes(e.message));
  });
}

test('the layers check their window when made, and take the stride by position', () => {
  assert.throws(() => new nn.MaxPool1d(2, { padding: 2 }), /padding should be at most half of kernel size/);
  assert.throws(() => new nn.AvgPool1d(2, 0), /stride should not be zero/);
  assert.throws(() => new nn.AvgPool1d(2, { divisorOverride: 2 } as never), /divisorOverride/);
  assert.equal(new nn.MaxPool1d(3, 1, { padding: 1 }).toString(), 'MaxPool1d(kernel_size=3, stride=1, padding=1, dilation=1, ceil_mode=False)');
  assert.equal(new nn.AvgPool1d(3, null, { padding: 1 }).toString(), 'AvgPool1d(kernel_size=(3,), stride=(3,), padding=(1,))');
  assert.throws(() => F.adaptiveAvgPool1d(zeros([1, 2, 3]), -1), TypeError);
  assert.throws(() => F.maxPool1d(zeros([1, 2, 3]), [2, 2] as never), TypeError);
});
