// 3-D and 1-D transposed models as files: Conv3d, ConvTranspose1d, ConvTranspose3d and the 3-D poolings
// round-trip through describeModule/buildModule and model files with their options and outputs bit for bit, read as
// text in the architecture line, and bad specs are refused naming the layer and the rule.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { noGrad } from '../../src/autograd/grad-mode.js';
import * as nn from '../../src/nn/index.js';
import { buildModule, describeModule, formatArchitecture, inputFeatures, loadModel, parseArchitecture, saveModel } from '../../src/nn/serialize.js';
import { Generator, withGenerator } from '../../src/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { tempFolder } from './helpers.js';

const tmp = tempFolder();
after(tmp.remove);

function volumeNet(): nn.Sequential {
  return withGenerator(new Generator(5), () => new nn.Sequential(
    new nn.Conv3d(2, 4, [3, 2, 3], { padding: 'same', groups: 2 }), new nn.ReLU(),
    new nn.MaxPool3d(2, { stride: [2, 1, 2], padding: [1, 0, 1], ceilMode: true }),
    new nn.Conv3d(4, 4, 2, [1, 2, 1], { padding: [1, 0, 0], dilation: [1, 2, 1], bias: false }),
    new nn.AvgPool3d([1, 2, 2], { stride: 1, countIncludePad: false, divisorOverride: 3 }),
    new nn.ConvTranspose3d(4, 2, [2, 3, 2], [2, 1, 2], { padding: [0, 1, 0], outputPadding: [1, 0, 1], dilation: [1, 2, 1] }),
    new nn.AdaptiveMaxPool3d([3, null, 2]), new nn.AdaptiveAvgPool3d(2), new nn.Flatten(2),
    new nn.ConvTranspose1d(2, 3, 3, 2, { padding: 1, outputPadding: 1, groups: 1 }),
  ));
}

const input = (): Tensor => new Tensor(Float32Array.from({ length: 2 * 2 * 4 * 6 * 5 }, (_, i) => Math.sin(i * 0.37)), [2, 2, 4, 6, 5]);

test('describeModule and buildModule round-trip Conv3d, ConvTranspose1d/3d and the 3-D poolings with their options', () => {
  const m = volumeNet();
  const spec = describeModule(m);
  assert.deepEqual((spec as { layers: unknown[] }).layers, [
    { type: 'Conv3d', inChannels: 2, outChannels: 4, kernelSize: [3, 2, 3], stride: [1, 1, 1], padding: 'same', dilation: [1, 1, 1], groups: 2, bias: true },
    { type: 'ReLU' },
    { type: 'MaxPool3d', kernelSize: 2, stride: [2, 1, 2], padding: [1, 0, 1], dilation: 1, ceilMode: true, returnIndices: false },
    { type: 'Conv3d', inChannels: 4, outChannels: 4, kernelSize: [2, 2, 2], stride: [1, 2, 1], padding: [1, 0, 0], dilation: [1, 2, 1], groups: 1, bias: false },
    { type: 'AvgPool3d', kernelSize: [1, 2, 2], stride: 1, padding: 0, ceilMode: false, countIncludePad: false, divisorOverride: 3 },
    { type: 'ConvTranspose3d', inChannels: 4, outChannels: 2, kernelSize: [2, 3, 2], stride: [2, 1, 2], padding: [0, 1, 0], outputPadding: [1, 0, 1], groups: 1, dilation: [1, 2, 1], bias: true },
    { type: 'AdaptiveMaxPool3d', outputSize: [3, null, 2] },
    { type: 'AdaptiveAvgPool3d', outputSize: 2 },
    { type: 'Flatten', startDim: 2, endDim: -1 },
    { type: 'ConvTranspose1d', inChannels: 2, outChannels: 3, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1, groups: 1, dilation: 1, bias: true },
  ]);
  const rebuilt = buildModule(parseArchitecture(JSON.parse(JSON.stringify(spec)), 'test'));
  assert.equal(String(rebuilt), String(m));
  assert.deepEqual(describeModule(rebuilt), spec);
  assert.equal(
    formatArchitecture(spec),
    'Conv3d(2, 4, 3×2×3, padding=same, groups=2) → ReLU → MaxPool3d(2, stride=2×1×2, padding=1×0×1, ceil_mode=true) → ' +
      'Conv3d(4, 4, 2, stride=1×2×1, padding=1×0×0, dilation=1×2×1, bias=false) → AvgPool3d(1×2×2, stride=1, count_include_pad=false, divisor_override=3) → ' +
      'ConvTranspose3d(4, 2, 2×3×2, stride=2×1×2, padding=0×1×0, output_padding=1×0×1, dilation=1×2×1) → AdaptiveMaxPool3d((3, None, 2)) → ' +
      'AdaptiveAvgPool3d(2) → Flatten(2, -1) → ConvTranspose1d(2, 3, 3, stride=2, padding=1, output_padding=1)',
  );
  assert.equal(inputFeatures(spec), undefined);
});

test('a saved volume network loads with the same parameters and the same outputs, bit for bit', () => {
  const m = volumeNet();
  const path = join(tmp.dir, 'volume.safetensors');
  saveModel(m, path);
  const loaded = loadModel(path);
  assert.equal(String(loaded), String(m));
  assert.deepEqual(Object.keys(loaded.stateDict()), Object.keys(m.stateDict()));
  for (const [k, t] of Object.entries(m.stateDict())) assert.deepEqual([...loaded.stateDict()[k]!.toArray()], [...t.toArray()], k);
  const x = input();
  const [a, b] = noGrad(() => [m.forward(x), loaded.forward(x)]);
  assert.deepEqual(a!.shape, [2, 3, 16]);
  assert.ok(a!.values().some((v) => v !== 0));
  assert.deepEqual([...b!.values()], [...a!.values()]);
});

test('an AdaptiveMaxPool3d that returns indices keeps the flag in a model file (written only when set)', () => {
  const m = new nn.Sequential(new nn.AdaptiveMaxPool3d([2, null, 1], { returnIndices: true }));
  const spec = describeModule(m);
  assert.deepEqual((spec as { layers: unknown[] }).layers, [{ type: 'AdaptiveMaxPool3d', outputSize: [2, null, 1], returnIndices: true }]);
  const rebuilt = buildModule(parseArchitecture(JSON.parse(JSON.stringify(spec)), 'test'));
  assert.equal((rebuilt as unknown as nn.AdaptiveMaxPool3d[])[0]!.returnIndices, true);
  assert.equal(formatArchitecture(spec), 'AdaptiveMaxPool3d((2, None, 1), return_indices=true)');
  assert.throws(() => parseArchitecture({ type: 'AdaptiveMaxPool3d', outputSize: 2, returnIndices: 1 }, 'v'), /"returnIndices" must be true or false, got 1/);
});

test('bad 3-D and transposed specs are refused, naming the layer and what was expected', () => {
  const conv3d = { type: 'Conv3d', inChannels: 2, outChannels: 4, kernelSize: [3, 3, 3], stride: [1, 1, 1], padding: [0, 0, 0], dilation: [1, 1, 1], groups: 1, bias: true };
  assert.throws(() => parseArchitecture({ ...conv3d, kernelSize: [3, 3] }, 'v'), /v: architecture \(Conv3d\): "kernelSize" must be three positive integers, got \[3,3\]/);
  assert.throws(() => parseArchitecture({ ...conv3d, padding: 'same', stride: [1, 2, 1] }, 'v'), /\(Conv3d\): padding "same" needs stride 1/);
  assert.throws(() => parseArchitecture({ ...conv3d, groups: 3 }, 'v'), /\(Conv3d\): inChannels \(2\) and outChannels \(4\) must be divisible by groups \(3\)/);
  const t1 = { type: 'ConvTranspose1d', inChannels: 2, outChannels: 2, kernelSize: 3, stride: 2, padding: 0, outputPadding: 2, groups: 1, dilation: 1, bias: true };
  assert.throws(() => parseArchitecture(t1, 'v'), /\(ConvTranspose1d\): outputPadding must be smaller than either the stride or the dilation/);
  assert.throws(() => parseArchitecture({ ...t1, outputPadding: 0, padding: -1 }, 'v'), /\(ConvTranspose1d\): "padding" must be a non-negative integer, got -1/);
  assert.throws(
    () => parseArchitecture({ type: 'MaxPool3d', kernelSize: 2, stride: null, padding: [0, 2, 0], dilation: 1, ceilMode: false, returnIndices: false }, 'v'),
    /\(MaxPool3d\): padding must be at most half the kernel size/,
  );
  assert.throws(() => parseArchitecture({ type: 'AdaptiveAvgPool3d', outputSize: [2, 2] }, 'v'), /\(AdaptiveAvgPool3d\): "outputSize" must be a non-negative integer, three of them/);
});

test('the 3-D padding layers round-trip through a model file, with their sides and value', () => {
  const m = withGenerator(new Generator(6), () => new nn.Sequential(
    new nn.ReflectionPad3d([1, 0, 1, 0, 0, 1]), new nn.ReplicationPad3d(1), new nn.ConstantPad3d([1, 1, 0, 0, 2, 0], 0.5), new nn.Conv3d(2, 1, 2),
  ));
  const spec = describeModule(m);
  assert.deepEqual((spec as { layers: unknown[] }).layers.slice(0, 3), [
    { type: 'ReflectionPad3d', padding: [1, 0, 1, 0, 0, 1] },
    { type: 'ReplicationPad3d', padding: [1, 1, 1, 1, 1, 1] },
    { type: 'ConstantPad3d', padding: [1, 1, 0, 0, 2, 0], value: 0.5 },
  ]);
  assert.match(formatArchitecture(spec), /^ReflectionPad3d\(1, 0, 1, 0, 0, 1\) → ReplicationPad3d\(1, 1, 1, 1, 1, 1\) → ConstantPad3d\(1, 1, 0, 0, 2, 0, value=0\.5\) → Conv3d/);
  const path = join(tmp.dir, 'pads.safetensors');
  saveModel(m, path);
  const loaded = loadModel(path);
  assert.equal(String(loaded), String(m));
  const x = input();
  assert.deepEqual([...noGrad(() => loaded.forward(x)).values()], [...noGrad(() => m.forward(x)).values()]);
  assert.throws(() => parseArchitecture({ type: 'ReflectionPad3d', padding: [1, 1, 1, 1] }, 'v'), /\(ReflectionPad3d\): "padding" must be an array of 6 integers \(left, right, top, bottom, front, back\)/);
});

test('Unfold, Fold, LPPool1d and LPPool2d round-trip through a model file with their options', () => {
  const m = new nn.Sequential(
    new nn.Unflatten(1, [1, 6, 6]), new nn.Unfold(2, { stride: 2 }), new nn.Fold([6, 6], [2, 2], { stride: 2, padding: 0, dilation: 1 }),
    new nn.LPPool2d(2, 2, null, true), new nn.Flatten(2), new nn.LPPool1d(1.5, 3, 2),
  );
  const spec = describeModule(m);
  assert.deepEqual((spec as { layers: unknown[] }).layers.slice(1), [
    { type: 'Unfold', kernelSize: 2, dilation: 1, padding: 0, stride: 2 },
    { type: 'Fold', outputSize: [6, 6], kernelSize: [2, 2], dilation: 1, padding: 0, stride: 2 },
    { type: 'LPPool2d', normType: 2, kernelSize: 2, stride: null, ceilMode: true },
    { type: 'Flatten', startDim: 2, endDim: -1 },
    { type: 'LPPool1d', normType: 1.5, kernelSize: 3, stride: 2, ceilMode: false },
  ]);
  assert.equal(
    formatArchitecture(spec),
    'Unflatten(1, [1, 6, 6]) → Unfold(kernel_size=2, stride=2) → Fold(output_size=6, kernel_size=2, stride=2) → LPPool2d(2, 2, ceil_mode=true) → Flatten(2, -1) → LPPool1d(1.5, 3, stride=2)',
  );
  const path = join(tmp.dir, 'folds.safetensors');
  saveModel(m, path);
  const loaded = loadModel(path);
  assert.equal(String(loaded), String(m));
  const x = new Tensor(Float32Array.from({ length: 2 * 36 }, (_, i) => Math.abs(Math.cos(i))), [2, 36]);
  const [a, b] = noGrad(() => [m.forward(x), loaded.forward(x)]);
  assert.deepEqual([...a!.shape], [2, 1, 4]);
  assert.deepEqual([...b!.values()], [...a!.values()]);
  assert.throws(() => parseArchitecture({ type: 'LPPool2d', normType: 0, kernelSize: 2, stride: null, ceilMode: false }, 'v'), /\(LPPool2d\): "normType" must be a finite number other than 0, got 0/);
});
