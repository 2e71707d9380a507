// F.pad and the padding layers against PyTorch (fixtures/torch/pad.json, from make_pad.py): every mode's values and
// input gradients (constant over 1 to 4 trailing dimensions with crops and a fill, reflect and replicate over 1 and 2
// dimensions batched and unbatched with negative amounts, circular), the modules' outputs and reprs, and PyTorch's
// refusals with its messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, zeros, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedMap } from './golden-helpers.js';

type Options = { mode?: F.PadMode; value?: number };

interface Case {
  name: string;
  op: string;
  args: { pad?: number[]; options?: Options; args?: unknown[] };
  inputs: EncodedMap;
  outputs: EncodedMap;
  upstream: EncodedMap;
  grads: EncodedMap;
  repr?: string;
}

interface Fixture {
  cases: Case[];
  modules: Case[];
  errors: { shape: number[]; pad: number[]; options: Options; message: string }[];
  /** Inputs with an empty dimension: the output's shape where PyTorch pads, its message where it refuses. */
  emptyInputs: { shape: number[]; pad: number[]; options: Options; out?: number[]; message?: string }[];
}

const fx = loadFixture<Fixture>('pad.json');

test('pad.json covers every mode, crops, unbatched inputs and every padding layer', () => {
  for (const mode of ['constant', 'reflect', 'replicate', 'circular']) assert.ok(fx.cases.filter((c) => c.args.options!.mode === mode).length >= 6, mode);
  assert.ok(fx.cases.some((c) => c.args.options!.mode === 'constant' && c.args.pad!.some((p) => p < 0)));
  assert.ok(fx.cases.filter((c) => c.name.endsWith('unbatched')).length >= 4);
  assert.equal(new Set(fx.modules.map((m) => m.op)).size, 7);
});

// Padding copies values bit for bit. A gradient sums up to four upstream values (|g| < 1) where reflections or wraps
// meet, in output order: PyTorch's circular mode sums its slice copies in another order, so 5e-7 absolute allows the
// float32 rounding of four such terms.
const check = (out: Tensor, x: Tensor, c: Case): void => {
  assert.deepEqual([...out.shape], c.outputs['out']!.shape, `${c.name} shape`);
  assert.deepEqual([...out.toArray()], values(c.outputs['out']!), `${c.name} value`);
  out.backward(decode(c.upstream['out']!));
  assertTensorClose(x.grad, c.grads['input']!, `${c.name} grad`, { rtol: 1e-6, atol: 5e-7 });
};

for (const c of fx.cases) {
  test(`pad ${c.name} ${JSON.stringify(c.args.pad)} ${JSON.stringify(c.args.options)}`, () => {
    const x = decode(c.inputs['input']!, true);
    check(F.pad(x, c.args.pad!, c.args.options), x, c);
  });
}

const MODULES: Record<string, (a: unknown[]) => nn.Module> = {
  ZeroPad2d: (a) => new nn.ZeroPad2d(a[0] as nn.Padding2d),
  ConstantPad1d: (a) => new nn.ConstantPad1d(a[0] as nn.Padding1d, a[1] as number),
  ConstantPad2d: (a) => new nn.ConstantPad2d(a[0] as nn.Padding2d, a[1] as number),
  ReflectionPad1d: (a) => new nn.ReflectionPad1d(a[0] as nn.Padding1d),
  ReflectionPad2d: (a) => new nn.ReflectionPad2d(a[0] as nn.Padding2d),
  ReplicationPad1d: (a) => new nn.ReplicationPad1d(a[0] as nn.Padding1d),
  ReplicationPad2d: (a) => new nn.ReplicationPad2d(a[0] as nn.Padding2d),
};

for (const c of fx.modules) {
  test(`${c.repr} pads as PyTorch's and prints as it`, () => {
    const m = MODULES[c.op]!(c.args.args!);
    assert.equal(m.toString(), c.repr);
    assert.deepEqual(Object.keys(m.stateDict()), []);
    const x = decode(c.inputs['input']!, true);
    check((m as unknown as { forward(x: Tensor): Tensor }).forward(x), x, c);
  });
}

for (const e of fx.errors) {
  test(`pad refuses ${JSON.stringify(e.shape)} ${JSON.stringify(e.pad)} ${JSON.stringify(e.options)} with PyTorch's message`, () => {
    assert.throws(() => F.pad(zeros(e.shape), e.pad, e.options), (err: Error) => err.message.includes(e.message));
  });
}

test('reflect and replicate take inputs with an empty dimension where PyTorch does (an unbatched image without channels for reflect), and refuse the others', () => {
  assert.equal(fx.emptyInputs.length, 13);
  for (const e of fx.emptyInputs) {
    const what = `${JSON.stringify(e.shape)} ${JSON.stringify(e.pad)} ${e.options.mode!}`;
    if (e.out !== undefined) assert.deepEqual([...F.pad(zeros(e.shape), e.pad, e.options).shape], e.out, what);
    else assert.throws(() => F.pad(zeros(e.shape), e.pad, e.options), (err: Error) => err.message.includes(e.message!), what);
  }
});

test('pad and the layers refuse malformed arguments', () => {
  assert.throws(() => F.pad(zeros([2, 3]), [1.5, 1]), TypeError);
  assert.throws(() => F.pad(zeros([2, 3]), [1, 1], { fill: 2 } as never), /pad: unknown option "fill"; the options are mode, value/);
  assert.throws(() => new nn.ReflectionPad2d([1, 1] as never), /padding must be an int or \[left, right, top, bottom\]/);
  assert.throws(() => new nn.ConstantPad1d(1, 'x' as never), TypeError);
});
