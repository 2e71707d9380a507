// Convolutional models as files: Conv2d, MaxPool2d, AvgPool2d and Unflatten round-trip through model.save and
// nn.load, bad specs are refused naming the layer, and `kindling eval` / `predict` take a CNN that starts with
// Unflatten(1, [1, 28, 28]).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { noGrad } from '../../src/autograd/grad-mode.js';
import { encodeMnistCsv } from '../../src/data/csv-write.js';
import { DataLoader } from '../../src/data/loader.js';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';
import { MnistDataset } from '../../src/data/dataset.js';
import * as F from '../../src/nn/functional.js';
import * as nn from '../../src/nn/index.js';
import { buildModule, describeModule, formatArchitecture, loadModel, parseArchitecture, saveModel } from '../../src/nn/serialize.js';
import { Adam } from '../../src/optim/adam.js';
import { Generator, withGenerator } from '../../src/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { kindling, tempFolder } from './helpers.js';

const tmp = tempFolder();
after(tmp.remove);

function cnn(): nn.Sequential {
  return withGenerator(new Generator(3), () => new nn.Sequential(
    new nn.Unflatten(1, [1, 28, 28]),
    new nn.Conv2d(1, 4, 5, 1, { padding: 'same' }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(4, 6, [3, 2], { stride: [2, 1], padding: [1, 0], dilation: 1, groups: 2, bias: false }),
    new nn.MaxPool2d(3, { stride: 2, padding: 1, ceilMode: true }),
    new nn.AvgPool2d([2, 1], 1, { countIncludePad: false, divisorOverride: null }),
    new nn.Flatten(), new nn.Linear(6 * 3 * 7, 10),
  ));
}

test('describeModule and buildModule round-trip Conv2d, MaxPool2d, AvgPool2d and Unflatten with their options', () => {
  const m = cnn();
  const spec = describeModule(m);
  assert.deepEqual((spec as { layers: unknown[] }).layers.slice(0, 7), [
    { type: 'Unflatten', dim: 1, unflattenedSize: [1, 28, 28] },
    { type: 'Conv2d', inChannels: 1, outChannels: 4, kernelSize: [5, 5], stride: [1, 1], padding: 'same', dilation: [1, 1], groups: 1, bias: true },
    { type: 'ReLU' },
    { type: 'MaxPool2d', kernelSize: 2, stride: null, padding: 0, dilation: 1, ceilMode: false },
    { type: 'Conv2d', inChannels: 4, outChannels: 6, kernelSize: [3, 2], stride: [2, 1], padding: [1, 0], dilation: [1, 1], groups: 2, bias: false },
    { type: 'MaxPool2d', kernelSize: 3, stride: 2, padding: 1, dilation: 1, ceilMode: true },
    { type: 'AvgPool2d', kernelSize: [2, 1], stride: 1, padding: 0, ceilMode: false, countIncludePad: false, divisorOverride: null },
  ]);
  // JSON and back, as a file holds it
  const rebuilt = buildModule(parseArchitecture(JSON.parse(JSON.stringify(spec)), 'test'));
  assert.equal(String(rebuilt), String(m));
  assert.deepEqual(describeModule(rebuilt), spec);
  assert.equal(
    formatArchitecture(spec),
    'Unflatten(1, [1, 28, 28]) → Conv2d(1, 4, 5, padding=same) → ReLU → MaxPool2d(2) → Conv2d(4, 6, 3×2, stride=2×1, padding=1×0, groups=2, bias=false) → ' +
      'MaxPool2d(3, stride=2, padding=1, ceil_mode=true) → AvgPool2d(2×1, stride=1, count_include_pad=false) → Flatten(1, -1) → Linear(126, 10)',
  );
});

test('a saved CNN loads with the same parameters and outputs', () => {
  const m = cnn();
  const path = join(tmp.dir, 'cnn.safetensors');
  saveModel(m, path);
  const back = loadModel(path);
  assert.deepEqual(Object.keys(back.stateDict()), ['1.weight', '1.bias', '4.weight', '8.weight', '8.bias']);
  const g = new Generator(9);
  const x = new Tensor(Float32Array.from({ length: 3 * 784 }, () => g.uniform(0, 1)), [3, 784]);
  const a = noGrad(() => m.forward(x).toArray());
  const b = noGrad(() => back.forward(x).toArray());
  assert.deepEqual([...b], [...a]);
});

test('a spec with inconsistent 2-D fields is refused, naming the layer and field', () => {
  const conv = { type: 'Conv2d', inChannels: 3, outChannels: 4, kernelSize: [3, 3], stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 2, bias: true };
  const cases: [unknown, RegExp][] = [
    [conv, /layers\[0\] \(Conv2d\): inChannels \(3\) and outChannels \(4\) must be divisible by groups \(2\)/],
    [{ ...conv, groups: 1, kernelSize: [3] }, /"kernelSize" must be a pair of positive integers, got \[3\]/],
    [{ ...conv, groups: 1, padding: 'full' }, /"padding" must be a pair of non-negative integers, "valid" or "same"/],
    [{ ...conv, groups: 1, padding: 'same', stride: [2, 2] }, /padding "same" needs stride 1/],
    [{ type: 'MaxPool2d', kernelSize: 2, stride: null, padding: 2, dilation: 1, ceilMode: false }, /\(MaxPool2d\): padding must be at most half the kernel size/],
    [{ type: 'MaxPool2d', kernelSize: 3, stride: 1, padding: 2, dilation: 2, ceilMode: false }, /\(MaxPool2d\): padding must be at most half the kernel size/],
    [{ type: 'AvgPool2d', kernelSize: 2, stride: null, padding: 0, ceilMode: false, countIncludePad: true, divisorOverride: 0 }, /"divisorOverride" must be a non-zero integer or null, got 0/],
    [{ type: 'Unflatten', dim: 1, unflattenedSize: [-1, -1] }, /"unflattenedSize" must be an array of sizes \(one may be -1\)/],
  ];
  for (const [layer, message] of cases) {
    assert.throws(() => parseArchitecture({ type: 'Sequential', layers: [layer] }, 'bad.safetensors'), (e: Error) => {
      assert.match(e.message, /^bad\.safetensors: architecture\.layers\[0\]/);
      assert.match(e.message, message);
      return true;
    });
  }
});

test('kindling eval and predict take a CNN saved with model.save', () => {
  const train = new MnistDataset(loadEmbeddedMnist('train'), { limit: 600 });
  const m = withGenerator(new Generator(1), () => new nn.Sequential(
    new nn.Unflatten(1, [1, 28, 28]), new nn.Conv2d(1, 6, 5, { stride: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(6 * 6 * 6, 10),
  ));
  const opt = new Adam(m.parameters(), { lr: 0.01 });
  for (const batch of new DataLoader(train, { batchSize: 30 })) {
    const loss = F.crossEntropyLoss(m.forward(batch.x), batch.labels);
    opt.zeroGrad();
    loss.backward();
    opt.step();
  }
  const path = join(tmp.dir, 'small-cnn.safetensors');
  m.save(path);
  const r = kindling(['eval', '--model', path, '--test-limit', '300', '--json'], tmp.dir);
  assert.equal(r.status, 0, r.stderr);
  const json = JSON.parse(r.stdout) as { accuracy: number; total: number };
  assert.equal(json.total, 300);
  // the same accuracy as the model measured in this process
  const testSplit = loadEmbeddedMnist('test');
  const ds = new MnistDataset(testSplit, { limit: 300 });
  m.eval();
  let correct = 0;
  for (const batch of new DataLoader(ds, { batchSize: 100 })) correct += noGrad(() => m.forward(batch.x).argmax(1).eq(batch.labels).sum().item());
  assert.equal(json.accuracy, correct / 300);
  assert.ok(json.accuracy > 0.6, `a CNN trained on 600 images: ${json.accuracy}`);
  const text = kindling(['eval', '--model', path, '--test-limit', '300'], tmp.dir);
  assert.match(text.stdout, /Unflatten\(1, \[1, 28, 28\]\) → Conv2d\(1, 6, 5, stride=2\) → ReLU → MaxPool2d\(2\) → Flatten\(1, -1\) → Linear\(216, 10\)/);
  const csv = join(tmp.dir, 'rows.csv');
  writeFileSync(csv, encodeMnistCsv(testSplit.images.subarray(0, 4 * 784), testSplit.labels.subarray(0, 4)));
  const p = kindling(['predict', '--model', path, csv, '--json'], tmp.dir);
  assert.equal(p.status, 0, p.stderr);
  const predicted = (JSON.parse(p.stdout) as { predictions: { predicted: number }[] }).predictions.map((q) => q.predicted);
  const first = noGrad(() => m.forward(ds.get(0).image.reshape([1, 784])).argmax(1).item());
  assert.equal(predicted.length, 4);
  assert.equal(predicted[0], first);
});

test('a CNN saved without an Unflatten in front is refused by eval and predict with the fix, not a count of inputs', () => {
  const path = join(tmp.dir, 'no-unflatten.safetensors');
  withGenerator(new Generator(2), () => new nn.Sequential(new nn.Conv2d(1, 4, 3), new nn.Flatten(), new nn.Linear(4 * 26 * 26, 10))).save(path);
  for (const args of [['eval', '--model', path, '--test-limit', '10'], ['predict', '--model', path, join(tmp.dir, 'small-cnn.safetensors')]]) {
    const r = kindling(args, tmp.dir);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no-unflatten\.safetensors: the model starts with Conv2d, which takes images as \[batch, channels, height, width\], but the images here are rows of 784 pixels: begin the model with nn\.Unflatten\(1, \[1, 28, 28\]\)/);
    assert.doesNotMatch(r.stderr, /2704|\n\s+at /);
  }
});

test('a generator with ConvTranspose2d layers round-trips through model.save and nn.load: its spec, printout, parameters and outputs', () => {
  const gen = withGenerator(new Generator(4), () => new nn.Sequential(
    new nn.Linear(5, 8 * 3 * 3), new nn.Unflatten(1, [8, 3, 3]),
    new nn.ConvTranspose2d(8, 4, 4, 2, { padding: 1, bias: false }), new nn.BatchNorm2d(4), new nn.ReLU(),
    new nn.ConvTranspose2d(4, 2, [3, 2], { stride: [2, 3], padding: [1, 0], outputPadding: [1, 2], groups: 2, dilation: [1, 2] }),
    new nn.Sigmoid(),
  ));
  const spec = describeModule(gen);
  assert.deepEqual((spec as { layers: unknown[] }).layers[5], {
    type: 'ConvTranspose2d', inChannels: 4, outChannels: 2, kernelSize: [3, 2], stride: [2, 3], padding: [1, 0], outputPadding: [1, 2], groups: 2, dilation: [1, 2], bias: true,
  });
  assert.equal(
    formatArchitecture(spec),
    'Linear(5, 72) → Unflatten(1, [8, 3, 3]) → ConvTranspose2d(8, 4, 4, stride=2, padding=1, bias=false) → BatchNorm2d(4) → ReLU → ' +
      'ConvTranspose2d(4, 2, 3×2, stride=2×3, padding=1×0, output_padding=1×2, groups=2, dilation=1×2) → Sigmoid',
  );
  assert.match(String(gen), /\(5\): ConvTranspose2d\(4, 2, kernel_size=\(3, 2\), stride=\(2, 3\), padding=\(1, 0\), dilation=\(1, 2\), output_padding=\(1, 2\), groups=2\)/);
  const path = join(tmp.dir, 'gen.safetensors');
  saveModel(gen, path);
  const loaded = loadModel(path);
  assert.equal(String(loaded), String(gen));
  assert.deepEqual(Object.keys(loaded.stateDict()), Object.keys(gen.stateDict()));
  for (const [k, t] of Object.entries(gen.stateDict())) assert.deepEqual([...loaded.stateDict()[k]!.toArray()], [...t.toArray()], k);
  gen.eval();
  loaded.eval();
  const z = withGenerator(new Generator(1), () => new Tensor(Float32Array.from({ length: 10 }, (_, i) => Math.sin(i)), [2, 5]));
  const [a, b] = noGrad(() => [gen.forward(z), loaded.forward(z)]);
  assert.deepEqual(a!.shape, [2, 2, 12, 20]);
  assert.deepEqual([...b!.values()], [...a!.values()]);
  assert.throws(
    () => parseArchitecture({ type: 'ConvTranspose2d', inChannels: 2, outChannels: 2, kernelSize: [3, 3], stride: [2, 2], padding: [0, 0], outputPadding: [2, 0], groups: 1, dilation: [1, 1], bias: true }, 'g'),
    /g: architecture \(ConvTranspose2d\): outputPadding must be smaller than either the stride or the dilation/,
  );
  assert.throws(
    () => parseArchitecture({ type: 'ConvTranspose2d', inChannels: 2, outChannels: 2, kernelSize: [3, 3], stride: [2, 2], padding: -1, outputPadding: [0, 0], groups: 1, dilation: [1, 1], bias: true }, 'g'),
    /\(ConvTranspose2d\): "padding" must be a pair of non-negative integers, got -1/,
  );
});
