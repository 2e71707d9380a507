// Models with BatchNorm as files: BatchNorm1d and BatchNorm2d round-trip through model.save and nn.load with their
// running statistics, the file holds the buffers under PyTorch's names, and a state_dict PyTorch saved with
// safetensors (num_batches_tracked as I64) loads with nn.loadWeights.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { noGrad } from '../../src/autograd/grad-mode.js';
import { ModelFileError } from '../../src/io/model-file.js';
import { loadFile } from '../../src/io/safetensors-file.js';
import { saveFile } from '../../src/io/tensor-file.js';
import * as F from '../../src/nn/functional.js';
import * as nn from '../../src/nn/index.js';
import { buildModule, describeModule, formatArchitecture, loadModel, loadWeights, parameterShapes, parseArchitecture, saveModel } from '../../src/nn/serialize.js';
import { SGD } from '../../src/optim/sgd.js';
import { Generator, withGenerator } from '../../src/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { kindling, ROOT, tempFolder } from './helpers.js';

const tmp = tempFolder();
after(tmp.remove);

const TORCH = join(ROOT, 'fixtures', 'torch');

function mlp(): nn.Sequential {
  return withGenerator(new Generator(5), () => new nn.Sequential(
    new nn.Linear(6, 8), new nn.BatchNorm1d(8, { momentum: null }), new nn.ReLU(), new nn.Linear(8, 4),
    new nn.BatchNorm1d(4, 1e-3, 0.3, false), new nn.Linear(4, 3),
  ));
}

/** A few SGD steps, so that weights and running statistics are not their initial values. */
function train(m: nn.Module, inputShape: number[], steps = 3): void {
  const g = new Generator(1);
  const opt = new SGD(m.parameters(), 0.1);
  const n = inputShape.reduce((a, b) => a * b, 1);
  for (let i = 0; i < steps; i++) {
    const x = new Tensor(Float32Array.from({ length: n }, () => g.uniform(-1, 1)), inputShape);
    const loss = F.crossEntropyLoss(m.forward(x), new Tensor(Float32Array.from({ length: inputShape[0]! }, (_, k) => (k + i) % 3), [inputShape[0]!]));
    opt.zeroGrad();
    loss.backward();
    opt.step();
  }
}

test('describeModule, buildModule and formatArchitecture with BatchNorm1d and BatchNorm2d', () => {
  const m = new nn.Sequential(new nn.BatchNorm1d(8, { momentum: null }), new nn.BatchNorm2d(3, 1e-3, 0.3, false, false));
  const spec = describeModule(m);
  assert.deepEqual(spec, {
    type: 'Sequential', layers: [
      { type: 'BatchNorm1d', numFeatures: 8, eps: 1e-5, momentum: null, affine: true, trackRunningStats: true },
      { type: 'BatchNorm2d', numFeatures: 3, eps: 1e-3, momentum: 0.3, affine: false, trackRunningStats: false },
    ],
  });
  const rebuilt = buildModule(parseArchitecture(JSON.parse(JSON.stringify(spec)), 'test'));
  assert.equal(String(rebuilt), String(m));
  assert.equal(formatArchitecture(spec), 'BatchNorm1d(8, momentum=None) → BatchNorm2d(3, eps=0.001, momentum=0.3, affine=false, trackRunningStats=false)');
  assert.deepEqual([...parameterShapes(spec)], [
    ['0.weight', [8]], ['0.bias', [8]], ['0.running_mean', [8]], ['0.running_var', [8]], ['0.num_batches_tracked', []],
  ]);
  assert.throws(() => parseArchitecture({ type: 'BatchNorm1d', numFeatures: 3, eps: 1e-5, momentum: 'x', affine: true, trackRunningStats: true }, 'f'),
    (e: unknown) => e instanceof ModelFileError && /\(BatchNorm1d\): "momentum" must be a finite number or null, got "x"/.test(e.message));
  assert.throws(() => parseArchitecture({ type: 'BatchNorm2d', numFeatures: 3, eps: 1e-5, momentum: 0.1, affine: true }, 'f'),
    /"trackRunningStats" must be true or false, got nothing/);
});

test('a trained model with BatchNorm saves and loads with its running statistics: same state dict, same outputs in both modes', () => {
  const m = mlp();
  train(m, [5, 6]);
  const path = join(tmp.dir, 'bn.safetensors');
  saveModel(m, path);
  const file = loadFile(path);
  assert.deepEqual(Object.keys(file.tensors).sort(), Object.keys(m.stateDict()).sort());
  assert.deepEqual(file.tensors['1.num_batches_tracked'], { dtype: 'F32', shape: [], data: Float32Array.of(3) });
  const back = loadModel(path);
  assert.deepEqual(Object.keys(back.stateDict()), [
    '0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked',
    '3.weight', '3.bias', '4.running_mean', '4.running_var', '4.num_batches_tracked', '5.weight', '5.bias',
  ]);
  const sd = m.stateDict();
  for (const [k, t] of Object.entries(back.stateDict())) assert.deepEqual([...t.toArray()], [...sd[k]!.toArray()], k);
  assert.notDeepEqual([...sd['1.running_var']!.toArray()], Array(8).fill(1));
  const g = new Generator(9);
  const x = new Tensor(Float32Array.from({ length: 4 * 6 }, () => g.uniform(-1, 1)), [4, 6]);
  m.eval();
  back.eval();
  assert.deepEqual([...noGrad(() => back.forward(x)).toArray()], [...noGrad(() => m.forward(x)).toArray()]);
  // the loaded model trains on from the same running statistics
  m.train();
  back.train();
  noGrad(() => m.forward(x));
  noGrad(() => back.forward(x));
  assert.deepEqual([...back.stateDict()['1.running_mean']!.toArray()], [...m.stateDict()['1.running_mean']!.toArray()]);
  assert.equal(back.stateDict()['1.num_batches_tracked']!.item(), 4);
});

test('a CNN with BatchNorm2d round-trips too', () => {
  const cnn = withGenerator(new Generator(4), () => new nn.Sequential(
    new nn.Unflatten(1, [1, 8, 8]), new nn.Conv2d(1, 3, 3, { padding: 1 }), new nn.BatchNorm2d(3), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(48, 3),
  ));
  train(cnn, [4, 64]);
  const path = join(tmp.dir, 'cnn-bn.safetensors');
  cnn.save(path);
  const back = nn.load(path);
  cnn.eval();
  back.eval();
  const x = new Tensor(Float32Array.from({ length: 2 * 64 }, (_, i) => Math.sin(i)), [2, 64]);
  assert.deepEqual([...noGrad(() => back.forward(x)).toArray()], [...noGrad(() => cnn.forward(x)).toArray()]);
});

test('a model file without a running statistic, or with one of the wrong shape, is refused naming the tensor', () => {
  const m = mlp();
  const tensors = Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, t]));
  const path = join(tmp.dir, 'partial.safetensors');
  saveModel(m, path);
  const raw = loadFile(path);
  const { ['1.running_var']: _gone, ...rest } = raw.tensors;
  saveFile(join(tmp.dir, 'missing.safetensors'), Object.fromEntries(Object.entries(rest).map(([k, t]) => [k, new Tensor(t.data, t.shape)])), raw.metadata);
  assert.throws(() => loadModel(join(tmp.dir, 'missing.safetensors')), /missing tensor "1.running_var" of shape \[8\]/);
  saveFile(join(tmp.dir, 'shape.safetensors'), { ...tensors, '1.num_batches_tracked': new Tensor(Float32Array.of(3), [1]) }, raw.metadata);
  assert.throws(() => loadModel(join(tmp.dir, 'shape.safetensors')), /tensor "1.num_batches_tracked" has shape \[1\] in the file, but the model's "1.num_batches_tracked" has shape \[\]/);
});

test('PyTorch\'s state_dict saved with safetensors (num_batches_tracked as I64) loads with nn.loadWeights and gives PyTorch\'s outputs', () => {
  const path = join(TORCH, 'batchnorm-cnn.safetensors');
  const header = JSON.parse(readFileSync(path).subarray(8, 8 + Number(readFileSync(path).readBigUInt64LE(0))).toString('utf8')) as Record<string, { dtype: string }>;
  assert.equal(header['1.num_batches_tracked']!.dtype, 'I64');
  const fx = JSON.parse(readFileSync(join(TORCH, 'batchnorm.json'), 'utf8')) as { cnn: { test: { shape: number[]; data: number[] }; eval: { data: number[] } } };
  const cnn = new nn.Sequential(
    new nn.Conv2d(1, 3, 3, { padding: 1 }), new nn.BatchNorm2d(3), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(48, 3),
  );
  assert.deepEqual(loadWeights(cnn, path), { missingKeys: [], unexpectedKeys: [] });
  assert.equal(cnn.getBuffer('1.num_batches_tracked')!.item(), 4);
  cnn.eval();
  const out = noGrad(() => cnn.forward(new Tensor(Float32Array.from(fx.cnn.test.data), fx.cnn.test.shape))).toArray();
  fx.cnn.eval.data.forEach((v, i) => assert.ok(Math.abs(out[i]! - v) <= 1e-6 + 1e-5 * Math.abs(v), `output ${i}: ${out[i]} vs PyTorch ${v}`));
  // without the buffers the file does not fit a model that tracks running statistics
  const untracked = new nn.Sequential(
    new nn.Conv2d(1, 3, 3, { padding: 1 }), new nn.BatchNorm2d(3, { trackRunningStats: false }), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(48, 3),
  );
  assert.throws(() => loadWeights(untracked, path), /unexpected tensor\(s\) "1.num_batches_tracked" \[\]/);
});

test('kindling eval refuses a model whose BatchNorm running statistics hold NaN, naming the buffer', () => {
  const m = withGenerator(new Generator(4), () => new nn.Sequential(new nn.Linear(784, 16), new nn.BatchNorm1d(16), new nn.ReLU(), new nn.Linear(16, 10)));
  const bn = m.at<nn.BatchNorm1d>(1);
  bn.runningVar!.data[3] = Number.NaN;
  const path = join(tmp.dir, 'nan-running-var.safetensors');
  m.save(path);
  const r = kindling(['eval', '--model', path, '--test-limit', '10'], tmp.dir);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /nan-running-var\.safetensors: 1\.running_var holds 1 NaN or infinite value; such a model's outputs mean nothing/);
});

test('kindling eval refuses a model whose outputs are NaN (a negative running variance), rather than reporting an accuracy', () => {
  const m = withGenerator(new Generator(4), () => new nn.Sequential(new nn.Linear(784, 16), new nn.BatchNorm1d(16), new nn.ReLU(), new nn.Linear(16, 10)));
  m.at<nn.BatchNorm1d>(1).runningVar!.data.fill(-5);
  const path = join(tmp.dir, 'negative-running-var.safetensors');
  m.save(path);
  const r = kindling(['eval', '--model', path, '--test-limit', '10'], tmp.dir);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /negative-running-var\.safetensors: the model's outputs are NaN or infinite for an image of 784 pixels at 1/);
  assert.doesNotMatch(r.stdout, /Accuracy/);
});
