// 3-D convolution and the 1-D and 3-D transposed convolutions against PyTorch (fixtures/torch/conv3d.json, from
// make_conv3d.py): F.conv3d, F.convTranspose1d, F.convTranspose3d and their layers (values and every input's
// gradient: stride, padding, 'same', dilation, groups, output padding, no bias, one unbatched sample), the layers'
// seeded initial weights (bit for bit) and printing, forward with an output size, node names, a small volume
// network trained four Adam steps; and every convolution's refusal of an empty kernel, the transposed ones' empty
// outputs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, F, manualSeed, nn, ones, optim, tensor, zeros, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedMap, type EncodedTensor } from './golden-helpers.js';

interface Case {
  name: string;
  op: 'conv3d' | 'convTranspose1d' | 'convTranspose3d';
  args: Record<string, unknown>;
  inputs: EncodedMap;
  outputs: EncodedMap;
  upstream: EncodedMap;
  grads: EncodedMap;
}

type Kind = 'Conv3d' | 'ConvTranspose1d' | 'ConvTranspose3d';

interface Fixture {
  cases: Case[];
  init: { kind: Kind; seed: number; args: (number | number[])[]; kwargs: Record<string, unknown>; repr: string; weight: EncodedTensor; bias: EncodedTensor | null }[];
  outputSize: { kind: Kind; args: number[]; kwargs: Record<string, unknown>; state: EncodedMap; input: EncodedTensor; sizes: { size: number[]; out: EncodedTensor }[]; errors: { size: number[]; message: string }[] }[];
  nodes: Record<string, string>;
  training: { initial: EncodedMap; inputs: EncodedTensor[]; targets: EncodedTensor[]; losses: number[]; final: EncodedMap };
  emptyEdges: {
    kernels: { op: EdgeOp; input: number[]; weight: number[]; message: string }[];
    outputs: { op: EdgeOp; input: number[]; weight: number[]; options: Record<string, number | number[]>; out?: number[]; message?: string }[];
  };
}

type EdgeOp = 'conv1d' | 'conv2d' | 'conv3d' | 'convTranspose1d' | 'convTranspose2d' | 'convTranspose3d';

const fx = loadFixture<Fixture>('conv3d.json');

/** Sums over channels and taps, in another order than PyTorch's: tolerance scaled to the tensor's largest value. */
function sumTolerance(e: EncodedTensor): { rtol: number; atol: number } {
  const largest = values(e).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return { rtol: 1e-5, atol: Math.max(1e-6, 1e-5 * largest) };
}

type AnyLayer = new (inChannels: number, outChannels: number, kernelSize: never, options?: object) => nn.Module & { weight: Tensor; bias: Tensor | null; forward(x: Tensor, size?: number[]): Tensor };
const LAYERS = { Conv3d: nn.Conv3d, ConvTranspose1d: nn.ConvTranspose1d, ConvTranspose3d: nn.ConvTranspose3d } as unknown as Record<Kind, AnyLayer>;
const FUNCTIONS = { conv3d: F.conv3d, convTranspose1d: F.convTranspose1d, convTranspose3d: F.convTranspose3d } as unknown as Record<Case['op'], (x: Tensor, w: Tensor, b: Tensor | null, o: unknown) => Tensor>;

/** The layer holding a case's weight and bias: Conv3d's weight is [O, C / groups, …], a transposed one's [C, O / groups, …]. */
function layerOf(c: Case, t: Record<string, Tensor>): nn.Module & { forward(x: Tensor): Tensor } {
  const w = t['weight']!.shape as number[];
  const groups = (c.args['groups'] as number | undefined) ?? 1;
  const kind: Kind = c.op === 'conv3d' ? 'Conv3d' : c.op === 'convTranspose1d' ? 'ConvTranspose1d' : 'ConvTranspose3d';
  const [inC, outC] = c.op === 'conv3d' ? [w[1]! * groups, w[0]!] : [w[0]!, w[1]! * groups];
  const m = new LAYERS[kind](inC, outC, w.slice(2) as never, { ...c.args, bias: t['bias'] !== undefined });
  m.weight = new nn.Parameter(t['weight']!);
  if (t['bias'] !== undefined) m.bias = new nn.Parameter(t['bias']);
  return m;
}

test('conv3d.json covers each op with stride, padding, dilation, groups, output padding, no bias and one unbatched sample', () => {
  for (const op of ['conv3d', 'convTranspose1d', 'convTranspose3d']) {
    const cs = fx.cases.filter((c) => c.op === op);
    for (const key of ['stride', 'padding', 'dilation', 'groups']) assert.ok(cs.some((c) => key in c.args), `${op} ${key}`);
    assert.ok(cs.some((c) => c.inputs['bias'] === undefined), `${op} no bias`);
    assert.ok(cs.some((c) => c.inputs['input']!.shape.length === c.inputs['weight']!.shape.length - 1), `${op} unbatched`);
  }
  assert.ok(fx.cases.some((c) => c.args['padding'] === 'same'));
  assert.ok(fx.cases.some((c) => 'outputPadding' in c.args && c.op === 'convTranspose3d'));
});

for (const c of fx.cases) {
  for (const form of ['F', 'nn'] as const) {
    test(`${c.name} (${form}.${form === 'F' ? c.op : 'layer'}): values and gradients as PyTorch's`, () => {
      const t: Record<string, Tensor> = {};
      for (const [k, e] of Object.entries(c.inputs)) t[k] = decode(e, true);
      const out = form === 'F' ? FUNCTIONS[c.op](t['input']!, t['weight']!, t['bias'] ?? null, c.args) : layerOf(c, t).forward(t['input']!);
      assertTensorClose(out, c.outputs['out']!, `${c.name} value`, sumTolerance(c.outputs['out']!));
      out.backward(decode(c.upstream['out']!));
      for (const [k, e] of Object.entries(c.grads)) {
        // the layer's own parameters (not the fixture's leaves) get its weight's and bias's gradients
        if (form === 'nn' && k !== 'input') continue;
        assertTensorClose(t[k]!.grad, e, `${c.name} grad ${k}`, sumTolerance(e));
      }
    });
  }
}

for (const k of fx.init) {
  test(`nn.${k.kind}(${JSON.stringify(k.args)}, ${JSON.stringify(k.kwargs)}) after manualSeed(${k.seed}): PyTorch's initial weights bit for bit, and its printing`, () => {
    manualSeed(k.seed);
    const [inC, outC, size] = k.args as [number, number, never];
    const layer = new LAYERS[k.kind](inC, outC, size, k.kwargs);
    assert.deepEqual([...layer.weight.shape], k.weight.shape);
    assert.deepEqual([...layer.weight.toArray()], values(k.weight));
    if (k.bias === null) assert.equal(layer.bias, null);
    else assert.deepEqual([...layer.bias!.toArray()], values(k.bias));
    assert.equal(layer.toString(), k.repr);
  });
}

for (const o of fx.outputSize) {
  test(`${o.kind}.forward(input, outputSize) picks the output padding PyTorch does, and refuses sizes it cannot give with its words`, () => {
    const layer = new LAYERS[o.kind](o.args[0]!, o.args[1]!, o.args[2] as never, o.kwargs);
    layer.loadStateDict(Object.fromEntries(Object.entries(o.state).map(([k, e]) => [k, decode(e)])));
    const x = decode(o.input);
    for (const s of o.sizes) assertTensorClose(layer.forward(x, s.size), s.out, `outputSize ${JSON.stringify(s.size)}`, sumTolerance(s.out));
    for (const e of o.errors) {
      // PyTorch names the input's spatial size as torch.Size([…]); Kindling names the whole shape.
      const expected = e.message.replace(/ \(for an input of torch\.Size\(\[.*\]\)\)$/, '');
      assert.throws(() => layer.forward(x, e.size), (err: unknown) => {
        assert.ok(err instanceof RangeError);
        assert.ok(err.message.startsWith(`${o.kind}.forward: ${expected} (for an input of [${x.shape.join(', ')}])`), err.message);
        return true;
      });
    }
  });
}

test("the ops' graph nodes have PyTorch's names, batched and unbatched", () => {
  const x5 = decode({ shape: [1, 2, 3, 3, 3], data: new Array(54).fill(0.5) }, true);
  const x4 = decode({ shape: [2, 3, 3, 3], data: new Array(54).fill(0.5) }, true);
  const w3 = decode({ shape: [2, 2, 2, 2, 2], data: new Array(32).fill(0.25) });
  const x3 = decode({ shape: [1, 2, 4], data: new Array(8).fill(0.5) }, true);
  const x2 = decode({ shape: [2, 4], data: new Array(8).fill(0.5) }, true);
  const w1 = decode({ shape: [2, 3, 2], data: new Array(12).fill(0.25) });
  const got = {
    conv3d: F.conv3d(x5, w3).gradFn?.torchName, conv3d_unbatched: F.conv3d(x4, w3).gradFn?.torchName,
    convTranspose3d: F.convTranspose3d(x5, w3).gradFn?.torchName, convTranspose3d_unbatched: F.convTranspose3d(x4, w3).gradFn?.torchName,
    convTranspose1d: F.convTranspose1d(x3, w1).gradFn?.torchName, convTranspose1d_unbatched: F.convTranspose1d(x2, w1).gradFn?.torchName,
  };
  assert.deepEqual(got, fx.nodes);
});

test('a small volume network (Conv3d, ReLU, MaxPool3d, ConvTranspose3d, ConvTranspose1d) trains 4 Adam steps as in PyTorch', () => {
  const tr = fx.training;
  class Volume extends nn.Module {
    body = new nn.Sequential(new nn.Conv3d(1, 4, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool3d(2), new nn.ConvTranspose3d(4, 2, 2, 2));
    head = new nn.ConvTranspose1d(2, 3, 3, 2, { padding: 1 });
    forward(x: Tensor): Tensor {
      return this.head.forward(this.body.forward(x).flatten(2)).mean(2);
    }
  }
  manualSeed(11);
  const net = new Volume();
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

test("every convolution refuses an empty kernel with PyTorch's message, where it gave a bias-filled output", () => {
  const ops = fx.emptyEdges.kernels;
  assert.equal(ops.length, 7);
  for (const e of ops) {
    // PyTorch's transposed 3-D convolution words it otherwise ("non-empty 5D … tensor expected for weight"); Kindling
    // gives conv3d's message.
    const want = e.op === 'convTranspose3d' ? 'kernel size should be greater than zero, but got: 2 x 0 x 2 (TxHxW)' : e.message;
    const call = (): Tensor => (F[e.op] as (x: Tensor, w: Tensor, b: Tensor | null) => Tensor)(ones(e.input), zeros(e.weight), tensor([5]));
    assert.throws(call, (err: Error) => err.message === `${e.op}: ${want}`, `${e.op} ${JSON.stringify(e.weight)}`);
  }
});

test("a transposed convolution's output may be empty for an empty batch only, as in PyTorch, with gradients", () => {
  assert.equal(fx.emptyEdges.outputs.length, 5);
  for (const e of fx.emptyEdges.outputs) {
    const x = zeros(e.input, { requiresGrad: true });
    const w = zeros(e.weight, { requiresGrad: true });
    const call = (): Tensor => (F[e.op] as (x: Tensor, w: Tensor, b: null, o: object) => Tensor)(x, w, null, e.options);
    if (e.message !== undefined) {
      assert.ok(e.message.includes('Output size is too small'));
      assert.throws(call, /the output would be 0 \(empty\)/);
      continue;
    }
    const y = call();
    assert.deepEqual([...y.shape], e.out);
    const [gx, gw] = autograd.grad(y.sum(), [x, w], { createGraph: true });
    assert.deepEqual([[...gx!.shape], [...gw!.shape]], [e.input, e.weight]);
    assert.ok(gw!.toArray().every((v) => v === 0));
  }
});
