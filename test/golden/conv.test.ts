// Convolution and pooling against PyTorch (fixtures/torch/conv.json, from make_conv.py): F.conv2d, F.maxPool2d and
// F.avgPool2d (values and every input's gradient, also through the modules), nn.Conv2d's seeded initial weights
// (bit for bit), and a small CNN trained five SGD steps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, manualSeed, nn, optim, tensor, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedMap, type EncodedTensor } from './golden-helpers.js';

interface Case {
  name: string;
  op: 'conv2d' | 'maxPool2d' | 'avgPool2d';
  args: Record<string, unknown>;
  inputs: EncodedMap;
  outputs: EncodedMap;
  upstream?: EncodedMap;
  grads?: EncodedMap;
}

interface Fixture {
  cases: Case[];
  init: { seed: number; args: (number | number[])[]; kwargs: { groups?: number; bias?: boolean }; weight: EncodedTensor; bias: EncodedTensor | null }[];
  training: { initial: EncodedMap; inputs: EncodedTensor[]; labels: number[][]; losses: number[]; final: EncodedMap };
}

const fx = loadFixture<Fixture>('conv.json');

/**
 * A weight's gradient sums over every sample and position (1,568 products in conv_mnist_like), in another order
 * than PyTorch's: its float32 rounding then reaches about 1e-6 of the tensor's largest value, where one element
 * may be small (PyTorch's own value of that case is 5e-5 from the float64 one, where the largest is 30.6).
 */
function sumTolerance(e: EncodedTensor): { rtol: number; atol: number } {
  const largest = values(e).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return { rtol: 1e-5, atol: Math.max(1e-6, 1e-5 * largest) };
}

type Run = (c: Case, t: Record<string, Tensor>) => Tensor;

/** Each case both ways: the function of F, and the module holding the same weights. */
const FORMS: Record<Case['op'], Run[]> = {
  conv2d: [
    (c, t) => F.conv2d(t['input']!, t['weight']!, t['bias'] ?? null, c.args),
    (c, t) => {
      const [O, Cg, kh, kw] = t['weight']!.shape as number[];
      const m = new nn.Conv2d(Cg! * ((c.args['groups'] as number | undefined) ?? 1), O!, [kh!, kw!], { ...c.args, bias: t['bias'] !== undefined });
      m.weight = new nn.Parameter(t['weight']!);
      if (t['bias'] !== undefined) m.bias = new nn.Parameter(t['bias']);
      return m.forward(t['input']!);
    },
  ],
  maxPool2d: [
    (c, t) => { const { kernelSize, ...o } = c.args; return F.maxPool2d(t['input']!, kernelSize as number, o); },
    (c, t) => { const { kernelSize, ...o } = c.args; return new nn.MaxPool2d(kernelSize as number, o).forward(t['input']!); },
  ],
  avgPool2d: [
    (c, t) => { const { kernelSize, ...o } = c.args; return F.avgPool2d(t['input']!, kernelSize as number, o); },
    (c, t) => { const { kernelSize, ...o } = c.args; return new nn.AvgPool2d(kernelSize as number, o).forward(t['input']!); },
  ],
};

test('conv.json covers every op, strides, padding, dilation, groups, ceil mode and NaN', () => {
  for (const op of ['conv2d', 'maxPool2d', 'avgPool2d']) assert.ok(fx.cases.filter((c) => c.op === op).length >= 8, op);
  for (const key of ['stride', 'padding', 'dilation', 'groups']) assert.ok(fx.cases.some((c) => c.op === 'conv2d' && key in c.args), key);
  assert.ok(fx.cases.some((c) => c.args['padding'] === 'same'));
  assert.ok(fx.cases.some((c) => c.op === 'maxPool2d' && c.args['ceilMode'] === true));
  assert.ok(fx.cases.some((c) => c.name === 'max_nan'));
});

for (const c of fx.cases) {
  FORMS[c.op].forEach((run, form) => {
    test(`${c.name} (${form === 0 ? 'F' : 'nn'})`, () => {
      const t: Record<string, Tensor> = {};
      for (const [k, e] of Object.entries(c.inputs)) t[k] = decode(e, c.grads !== undefined);
      const out = run(c, t);
      assertTensorClose(out, c.outputs['out']!, `${c.name} value`);
      if (c.name === 'max_nan') {
        assert.ok(out.toArray().some(Number.isNaN), 'a window holding NaN gives NaN');
        return;
      }
      out.backward(decode(c.upstream!['out']!));
      for (const [k, e] of Object.entries(c.grads!)) {
        // the module's own parameters (not the fixture's leaves) get its weight's and bias's gradients
        if (form === 1 && k !== 'input') continue;
        assertTensorClose(t[k]!.grad, e, `${c.name} grad ${k}`, sumTolerance(e));
      }
    });
  });
}

test('max pooling sends a tie\'s gradient to the first largest value, as PyTorch does (exactly)', () => {
  const c = fx.cases.find((k) => k.name === 'max_ties')!;
  const x = decode(c.inputs['input']!, true);
  F.maxPool2d(x, 2, { stride: 1 }).backward(decode(c.upstream!['out']!));
  assert.deepEqual([...x.grad!.toArray()], values(c.grads!['input']!));
});

for (const k of fx.init) {
  test(`nn.Conv2d(${JSON.stringify(k.args)}, ${JSON.stringify(k.kwargs)}) after manualSeed(${k.seed}) has PyTorch's initial weights bit for bit`, () => {
    manualSeed(k.seed);
    const [inC, outC, size] = k.args as [number, number, number | [number, number]];
    const conv = new nn.Conv2d(inC, outC, size, k.kwargs);
    assert.deepEqual([...conv.weight.shape], k.weight.shape);
    assert.deepEqual([...conv.weight.toArray()], values(k.weight));
    if (k.bias === null) assert.equal(conv.bias, null);
    else assert.deepEqual([...conv.bias!.toArray()], values(k.bias));
  });
}

test('a small CNN (Unflatten, Conv2d, ReLU, MaxPool2d, Conv2d, Tanh, AvgPool2d, Flatten, Linear) trains 5 SGD steps as in PyTorch', () => {
  const tr = fx.training;
  manualSeed(7);
  const net = new nn.Sequential(
    new nn.Unflatten(1, [1, 8, 8]), new nn.Conv2d(1, 3, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(3, 4, 3), new nn.Tanh(), new nn.AvgPool2d(2), new nn.Flatten(), new nn.Linear(4, 3),
  );
  // the same seed gives PyTorch's initial parameters, drawn layer by layer
  const sd = net.stateDict();
  assert.deepEqual(Object.keys(sd), Object.keys(tr.initial));
  for (const [k, e] of Object.entries(tr.initial)) assert.deepEqual([...sd[k]!.toArray()], values(e), `initial ${k}`);
  const opt = new optim.SGD(net.parameters(), 0.1);
  tr.inputs.forEach((x, i) => {
    const loss = F.crossEntropyLoss(net.forward(decode(x)), tensor(tr.labels[i]!));
    opt.zeroGrad();
    loss.backward();
    opt.step();
    assert.ok(Math.abs(loss.item() - tr.losses[i]!) <= 1e-5 * Math.abs(tr.losses[i]!), `step ${i}: loss ${loss.item()}, PyTorch ${tr.losses[i]}`);
  });
  const after = net.stateDict();
  for (const [k, e] of Object.entries(tr.final)) assertTensorClose(after[k]!, e, `final ${k}`, { rtol: 1e-5, atol: 1e-6 });
});
