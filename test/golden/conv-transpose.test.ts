// Transposed convolution against PyTorch (fixtures/torch/conv-transpose.json, from make_conv_transpose.py):
// F.convTranspose2d and nn.ConvTranspose2d (values and every input's gradient: stride, padding, output padding,
// dilation, groups, no bias, one unbatched sample), the layer's seeded initial weights (bit for bit), its forward with
// an output size, and a small generator network trained five Adam steps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, manualSeed, nn, optim, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedMap, type EncodedTensor } from './golden-helpers.js';

interface Case {
  name: string;
  args: Record<string, unknown>;
  inputs: EncodedMap;
  outputs: EncodedMap;
  upstream: EncodedMap;
  grads: EncodedMap;
}

interface Fixture {
  cases: Case[];
  init: { seed: number; args: (number | number[])[]; kwargs: { groups?: number; bias?: boolean }; weight: EncodedTensor; bias: EncodedTensor | null }[];
  outputSize: { state: EncodedMap; input: EncodedTensor; sizes: { size: number[]; out: EncodedTensor }[]; errors: { size: number[]; message: string }[] };
  training: { initial: EncodedMap; inputs: EncodedTensor[]; targets: EncodedTensor[]; losses: number[]; final: EncodedMap };
}

const fx = loadFixture<Fixture>('conv-transpose.json');

/** Sums over samples and positions, in another order than PyTorch's: tolerance scaled to the tensor's largest value. */
function sumTolerance(e: EncodedTensor): { rtol: number; atol: number } {
  const largest = values(e).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return { rtol: 1e-5, atol: Math.max(1e-6, 1e-5 * largest) };
}

type Run = (c: Case, t: Record<string, Tensor>) => Tensor;

/** Each case both ways: the function of F, and the module holding the same weights. */
const FORMS: Run[] = [
  (c, t) => F.convTranspose2d(t['input']!, t['weight']!, t['bias'] ?? null, c.args),
  (c, t) => {
    const [Cin, Cog, kh, kw] = t['weight']!.shape as number[];
    const groups = (c.args['groups'] as number | undefined) ?? 1;
    const m = new nn.ConvTranspose2d(Cin!, Cog! * groups, [kh!, kw!], { ...c.args, bias: t['bias'] !== undefined });
    m.weight = new nn.Parameter(t['weight']!);
    if (t['bias'] !== undefined) m.bias = new nn.Parameter(t['bias']);
    return m.forward(t['input']!);
  },
];

test('conv-transpose.json covers stride, padding, output padding, dilation, groups, no bias and one unbatched sample', () => {
  for (const key of ['stride', 'padding', 'outputPadding', 'dilation', 'groups']) assert.ok(fx.cases.some((c) => key in c.args), key);
  assert.ok(fx.cases.some((c) => c.inputs['bias'] === undefined));
  assert.ok(fx.cases.some((c) => c.inputs['input']!.shape.length === 3));
});

for (const c of fx.cases) {
  FORMS.forEach((run, form) => {
    test(`${c.name} (${form === 0 ? 'F' : 'nn'})`, () => {
      const t: Record<string, Tensor> = {};
      for (const [k, e] of Object.entries(c.inputs)) t[k] = decode(e, true);
      const out = run(c, t);
      assertTensorClose(out, c.outputs['out']!, `${c.name} value`, sumTolerance(c.outputs['out']!));
      out.backward(decode(c.upstream['out']!));
      for (const [k, e] of Object.entries(c.grads)) {
        // the module's own parameters (not the fixture's leaves) get its weight's and bias's gradients
        if (form === 1 && k !== 'input') continue;
        assertTensorClose(t[k]!.grad, e, `${c.name} grad ${k}`, sumTolerance(e));
      }
    });
  });
}

for (const k of fx.init) {
  test(`nn.ConvTranspose2d(${JSON.stringify(k.args)}, ${JSON.stringify(k.kwargs)}) after manualSeed(${k.seed}) has PyTorch's initial weights bit for bit`, () => {
    manualSeed(k.seed);
    const [inC, outC, size] = k.args as [number, number, number | [number, number]];
    const conv = new nn.ConvTranspose2d(inC, outC, size, k.kwargs);
    assert.deepEqual([...conv.weight.shape], k.weight.shape);
    assert.deepEqual([...conv.weight.toArray()], values(k.weight));
    if (k.bias === null) assert.equal(conv.bias, null);
    else assert.deepEqual([...conv.bias!.toArray()], values(k.bias));
  });
}

test('ConvTranspose2d.forward(input, outputSize) picks the output padding PyTorch does, and refuses sizes it cannot give with its words', () => {
  const o = fx.outputSize;
  const conv = new nn.ConvTranspose2d(2, 3, 3, [3, 2], { padding: 1 });
  conv.loadStateDict(Object.fromEntries(Object.entries(o.state).map(([k, e]) => [k, decode(e)])));
  const x = decode(o.input);
  for (const s of o.sizes) assertTensorClose(conv.forward(x, s.size), s.out, `outputSize ${JSON.stringify(s.size)}`, sumTolerance(s.out));
  for (const e of o.errors) {
    // PyTorch names the input's spatial size as torch.Size([4, 5]); Kindling names the whole shape.
    const expected = e.message.replace(/ \(for an input of torch\.Size\(\[.*\]\)\)$/, '');
    assert.throws(() => conv.forward(x, e.size), (err: unknown) => {
      assert.ok(err instanceof RangeError);
      assert.ok(err.message.startsWith(`ConvTranspose2d.forward: ${expected} (for an input of [1, 2, 4, 5])`), err.message);
      return true;
    });
  }
});

test('a small generator (Linear, Unflatten, ConvTranspose2d, BatchNorm2d, ConvTranspose2d, Sigmoid) trains 5 Adam steps as in PyTorch', () => {
  const tr = fx.training;
  manualSeed(9);
  const net = new nn.Sequential(
    new nn.Linear(6, 4 * 2 * 2), new nn.LeakyReLU(0.2), new nn.Unflatten(1, [4, 2, 2]),
    new nn.ConvTranspose2d(4, 3, 4, 2, { padding: 1, bias: false }), new nn.BatchNorm2d(3), new nn.ReLU(),
    new nn.ConvTranspose2d(3, 1, 4, 2, { padding: 1 }), new nn.Sigmoid(),
  );
  const sd = net.stateDict();
  assert.deepEqual(Object.keys(sd), Object.keys(tr.initial));
  for (const [k, e] of Object.entries(tr.initial)) assert.deepEqual([...sd[k]!.toArray()], values(e), `initial ${k}`);
  const opt = new optim.Adam(net.parameters(), { lr: 0.01 });
  tr.inputs.forEach((x, i) => {
    const loss = F.mseLoss(net.forward(decode(x)), decode(tr.targets[i]!));
    opt.zeroGrad();
    loss.backward();
    opt.step();
    assert.ok(Math.abs(loss.item() - tr.losses[i]!) <= 1e-5 * Math.abs(tr.losses[i]!), `step ${i}: loss ${loss.item()}, PyTorch ${tr.losses[i]}`);
  });
  const after = net.stateDict();
  for (const [k, e] of Object.entries(tr.final)) assertTensorClose(after[k]!, e, `final ${k}`, { rtol: 1e-4, atol: 1e-5 });
});
