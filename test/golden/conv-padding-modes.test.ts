// The convolution layers' padding modes against PyTorch 1.13 (fixtures/torch/conv-padding-modes.json, from
// make_conv_padding_modes.py): Conv1d, Conv2d and Conv3d with paddingMode 'reflect', 'replicate' and 'circular'
// (integer and per-dimension padding, 'same', 'valid', stride, dilation, groups, no bias, unbatched inputs) — with
// PyTorch's weights, the output and the input's, weight's and bias's gradients, for some a second derivative, and the
// printing; the mode kept through a model file; PyTorch's refusals.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { autograd, nn, zeros, type Tensor } from '../../src/index.js';
import { buildModule, describeModule, formatArchitecture, loadModel, parseArchitecture, saveModel } from '../../src/nn/serialize.js';
import { assertTensorClose, decode, loadFixture, type EncodedMap, type EncodedTensor } from './golden-helpers.js';

type Kind = 'Conv1d' | 'Conv2d' | 'Conv3d';
interface Case {
  name: string; kind: Kind; args: [number, number, number | number[]]; kwargs: Record<string, unknown>; repr: string; state: EncodedMap;
  input: EncodedTensor; out: EncodedTensor; upstream: EncodedTensor; grads: EncodedMap;
  second?: { g: EncodedTensor; v: EncodedTensor; hx: EncodedTensor; hw: EncodedTensor };
}
interface Fixture {
  cases: Case[];
  refusals: { layers: { kind: string; args: [number, number, number]; kwargs: Record<string, unknown>; input: number[] | null; message: string }[]; unknownMode: string };
}
const fx = loadFixture<Fixture>('conv-padding-modes.json');

const dir = mkdtempSync(join(tmpdir(), 'kindling-padding-modes-'));
after(() => rmSync(dir, { recursive: true, force: true }));

type Layer = nn.Module & { forward(x: Tensor): Tensor; weight: Tensor; bias: Tensor | null };
const make = (kind: string, args: readonly unknown[], kwargs: Record<string, unknown>): Layer => {
  const Ctor = (nn as unknown as Record<string, new (...a: unknown[]) => Layer>)[kind]!;
  return new Ctor(...args, kwargs);
};

function layerOf(c: Case): Layer {
  const layer = make(c.kind, c.args, c.kwargs);
  layer.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, e]) => [k, decode(e)])));
  return layer;
}

// Sums over channels and taps in another order than PyTorch's.
const TOL = { rtol: 1e-5, atol: 1e-5 };

test('conv-padding-modes.json covers every mode of each layer, with same, valid, groups, no bias and unbatched inputs', () => {
  for (const kind of ['Conv1d', 'Conv2d', 'Conv3d']) {
    for (const mode of ['reflect', 'replicate', 'circular']) assert.ok(fx.cases.some((c) => c.kind === kind && c.kwargs['paddingMode'] === mode), `${kind} ${mode}`);
  }
  for (const p of ['same', 'valid']) assert.ok(fx.cases.some((c) => c.kwargs['padding'] === p), p);
  assert.ok(fx.cases.some((c) => 'groups' in c.kwargs) && fx.cases.some((c) => c.kwargs['bias'] === false));
  assert.ok(fx.cases.filter((c) => c.input.shape.length === Number(c.kind[4]) + 1).length >= 4);
});

for (const c of fx.cases) {
  test(`${c.repr}: output, gradients and printing as PyTorch's`, () => {
    const layer = layerOf(c);
    assert.equal(layer.toString(), c.repr);
    const x = decode(c.input, true);
    const y = layer.forward(x);
    assertTensorClose(y, c.out, `${c.name} out`, TOL);
    y.backward(decode(c.upstream));
    assertTensorClose(x.grad, c.grads['input']!, `${c.name} input grad`, TOL);
    assertTensorClose(layer.weight.grad, c.grads['weight']!, `${c.name} weight grad`, TOL);
    if (c.grads['bias'] !== undefined) assertTensorClose(layer.bias!.grad, c.grads['bias'], `${c.name} bias grad`, TOL);
    else assert.equal(layer.bias, null);
    if (c.second !== undefined) {
      const x2 = decode(c.input, true);
      const [g] = autograd.grad(layer.forward(x2).pow(2).sum(), [x2], { createGraph: true });
      assertTensorClose(g!, c.second.g, `${c.name} createGraph gradient`, TOL);
      const [hx, hw] = autograd.grad(g!.mul(decode(c.second.v)).sum(), [x2, layer.weight]);
      assertTensorClose(hx!, c.second.hx, `${c.name} Hessian-vector product (input)`, TOL);
      assertTensorClose(hw!, c.second.hw, `${c.name} Hessian-vector product (weight)`, TOL);
    }
  });
}

test('the padding mode goes into a model file (written only when not zeros) and comes back, with the outputs', () => {
  const picks = ['c1_circular_same_dilated_groups', 'c2_reflect', 'c3_replicate'].map((n) => fx.cases.find((c) => c.name === n)!);
  for (const c of picks) {
    const layer = layerOf(c);
    const spec = describeModule(layer) as { paddingMode?: string };
    assert.equal(spec.paddingMode, c.kwargs['paddingMode']);
    const rebuilt = buildModule(parseArchitecture(JSON.parse(JSON.stringify(spec)), 'test'));
    assert.equal(String(rebuilt), c.repr);
    assert.match(formatArchitecture(spec as never), new RegExp(`padding_mode=${c.kwargs['paddingMode'] as string}\\)$`));
    const path = join(dir, `${c.name}.safetensors`);
    saveModel(layer, path);
    const loaded = loadModel(path) as Layer;
    assert.equal(String(loaded), c.repr);
    assertTensorClose(loaded.forward(decode(c.input)), c.out, `${c.name} loaded`, TOL);
  }
  // A zeros layer's spec has no paddingMode (files read as before); 'zeros' written by hand is read too.
  const plain = describeModule(new nn.Conv2d(2, 3, 3)) as Record<string, unknown>;
  assert.equal('paddingMode' in plain, false);
  assert.equal(String(buildModule(parseArchitecture({ ...plain, paddingMode: 'zeros' }, 'test'))), 'Conv2d(2, 3, kernel_size=(3, 3), stride=(1, 1))');
  assert.throws(() => parseArchitecture({ ...plain, paddingMode: 'mirror' }, 'bad.safetensors'), /\(Conv2d\): "paddingMode" must be "zeros", "reflect", "replicate" or "circular", got "mirror"/);
  const transposed = describeModule(new nn.ConvTranspose2d(2, 3, 3)) as Record<string, unknown>;
  assert.throws(() => parseArchitecture({ ...transposed, paddingMode: 'reflect' }, 'bad.safetensors'), /\(ConvTranspose2d\) has unknown field "paddingMode"/);
});

test("PyTorch's refusals: the transposed layers' modes, an unknown mode, F.pad's checks of the input", () => {
  for (const r of fx.refusals.layers) {
    const call = (): unknown => (r.input === null ? make(r.kind, r.args, r.kwargs) : make(r.kind, r.args, r.kwargs).forward(zeros(r.input)));
    assert.throws(call, (e: Error) => e.message.includes(r.message), `${r.kind} ${JSON.stringify(r.kwargs)}`);
  }
  assert.equal(fx.refusals.unknownMode, 'padding_mode must be one of ');
  assert.throws(() => new nn.Conv2d(2, 3, 3, { paddingMode: 'zero' as never }), /Conv2d: paddingMode must be one of 'zeros', 'reflect', 'replicate' or 'circular', got the string "zero"/);
  assert.throws(() => new nn.Conv1d(2, 3, 3, { paddingMode: 7 as never }), RangeError);
  // A lazy convolution takes the mode on to the layer it becomes.
  const lazy = new nn.LazyConv2d(4, 3, { padding: 1, paddingMode: 'reflect' });
  assert.deepEqual([...lazy.forward(zeros([1, 2, 5, 5])).shape], [1, 4, 5, 5]);
  assert.equal(String(lazy), 'Conv2d(2, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), padding_mode=reflect)');
});
