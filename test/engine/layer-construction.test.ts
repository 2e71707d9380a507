// Making layers as PyTorch 1.13 code makes them (its values are in test/golden/layer-construction.test.ts): the
// factory keywords device and dtype, PyTorch's positional arguments with an object of options after them, sizes too
// large for memory refused in words, the zero sizes running forward, MaxUnpool's options, Upsample's scaleFactor
// checked when it is made, and a lazy instance norm saved in a model file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { KindlingError, manualSeed, nn, rand, tensor, zeros } from '../../src/index.js';
import { loadModel, saveModel } from '../../src/nn/serialize.js';
import { loose, throwsWith } from './throws.js';

test("device 'cpu' and dtype float32 are taken by every layer PyTorch gives factory keywords; others refused naming the layer", () => {
  const cpu = { device: 'cpu', dtype: 'float32' } as const;
  const made: nn.Module[] = [
    new nn.Linear(3, 2, cpu), new nn.Linear(3, 2, false, cpu), new nn.Bilinear(2, 3, 4, cpu), new nn.Conv1d(2, 3, 3, cpu), new nn.Conv2d(1, 2, 3, 1, 0, cpu),
    new nn.Conv3d(1, 2, 2, cpu), new nn.ConvTranspose2d(2, 3, 2, cpu), new nn.LazyConv2d(4, 3, cpu), new nn.LazyLinear(3, cpu),
    new nn.Embedding(5, 2, cpu), new nn.EmbeddingBag(5, 2, cpu), new nn.BatchNorm1d(4, cpu), new nn.InstanceNorm2d(3, cpu), new nn.LazyBatchNorm2d(cpu),
    new nn.LazyInstanceNorm1d(cpu), new nn.LayerNorm(4, cpu), new nn.GroupNorm(2, 4, cpu), new nn.PReLU(3, cpu), new nn.RNN(3, 4, cpu), new nn.LSTM(3, 4, 1, cpu),
    new nn.GRU(3, 4, cpu), new nn.RNNCell(3, 4, cpu), new nn.LSTMCell(3, 4, cpu), new nn.GRUCell(3, 4, cpu), new nn.MultiheadAttention(4, 2, cpu),
    new nn.TransformerEncoderLayer(4, 2, cpu), new nn.TransformerDecoderLayer(4, 2, 8, cpu), new nn.Transformer({ dModel: 4, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 8, ...cpu }),
    new nn.AdaptiveLogSoftmaxWithLoss(4, 6, [2], cpu),
    // By position too, where PyTorch's signature has them.
    new nn.Conv2d(1, 2, 3, 1, 0, 1, 1, true, 'zeros', 'cpu', 'torch.float32'), new nn.Embedding(5, 2, null, null, 2, false, false, null, 'cpu'), new nn.PReLU(1, 0.25, 'cpu'),
    new nn.LSTM(3, 4, 1, true, false, 0, false, 0, 'cpu:0', null),
  ];
  // Made with the options, each is the layer made without them: the same parameters' shapes.
  const shapes = (m: nn.Module): string => JSON.stringify([...m.namedParameters()].map(([k, p]) => [k, p.shape]));
  assert.equal(shapes(made[0]!), shapes(new nn.Linear(3, 2)));
  assert.equal(shapes(made[19]!), shapes(new nn.LSTM(3, 4, 1)));
  assert.equal(shapes(made[29]!), shapes(new nn.Conv2d(1, 2, 3)));
  assert.equal(String(new nn.Linear(3, 2, { device: 'cpu' })), 'Linear(in_features=3, out_features=2, bias=True)');
  throwsWith(() => new nn.Linear(3, 2, { device: 'cuda' }), KindlingError, "Linear: only the CPU device is supported, got 'cuda'");
  throwsWith(() => new nn.Conv2d(1, 2, 3, { dtype: 'float64' }), KindlingError, "Conv2d: only float32 is supported, got 'float64'");
  throwsWith(() => new nn.LSTM(3, 4, { device: 'cuda:0' }), KindlingError, "LSTM: only the CPU device is supported, got 'cuda:0'");
  throwsWith(() => new nn.BatchNorm1d(4, { dtype: 'torch.float16' }), KindlingError, "BatchNorm1d: only float32 is supported, got 'torch.float16'");
  throwsWith(() => new nn.Embedding(5, 2, null, null, 2, false, false, null, 'mps'), KindlingError, "Embedding: only the CPU device is supported, got 'mps'");
  throwsWith(() => new nn.MultiheadAttention(4, 2, { device: 'cuda' }), KindlingError, 'MultiheadAttention: only the CPU device');
  throwsWith(() => new nn.TransformerEncoderLayer(4, 2, { dtype: 'bfloat16' }), KindlingError, "TransformerEncoderLayer: only float32 is supported, got 'bfloat16'");
  throwsWith(() => new nn.GRUCell(3, 4, { device: 'cuda' }), KindlingError, 'GRUCell: only the CPU device');
  throwsWith(() => new nn.LayerNorm(4, { device: 'xla' }), KindlingError, 'LayerNorm: only the CPU device');
  throwsWith(() => new nn.PReLU(3, loose({ dtype: 'int64' })), KindlingError, "PReLU: only float32 is supported, got 'int64'");
  throwsWith(() => new nn.Linear(3, 2, loose({ device: 0 })), TypeError, "Linear: device must be a string such as 'cpu', got the number 0");
});

test("PyTorch's positional arguments, an object of options after them, a name given both ways refused", () => {
  assert.equal(String(new nn.Conv2d(3, 8, 3, 1, 1, { bias: false })), 'Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)');
  assert.equal(new nn.LazyConv2d(4, 3, 1, 0, 1, 2).groups, 2, "a lazy convolution's groups by position");
  // Every earlier form still works: the stride by position, then options; options only.
  assert.equal(String(new nn.Conv2d(1, 8, 3, 2, { padding: 1 })), 'Conv2d(1, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))');
  assert.equal(String(new nn.MaxPool2d(3, { stride: 2 })), 'MaxPool2d(kernel_size=3, stride=2, padding=0, dilation=1, ceil_mode=False)');
  assert.equal(new nn.LSTM(3, 4, 2, { batchFirst: true }).numLayers, 2);
  throwsWith(() => new nn.Conv2d(3, 8, 3, 1, 1, loose({ padding: 2 })), TypeError, 'Conv2d: padding given twice: the number 1 by position and the number 2 in the options');
  throwsWith(() => new nn.MaxPool2d(3, 2, loose({ stride: 1 })), TypeError, 'MaxPool2d: stride given twice');
  throwsWith(() => new nn.LSTM(3, 4, 2, loose({ numLayers: 3 })), TypeError, 'LSTM: numLayers given twice');
  throwsWith(() => new nn.Embedding(10, 3, 0, loose({ paddingIdx: 1 })), TypeError, 'Embedding: paddingIdx given twice');
  throwsWith(() => new nn.MaxPool2d(3, loose({ padding: 1 }), loose(1)), TypeError, 'MaxPool2d: takes at most 2 arguments', 'the number 1 as argument 3');
  throwsWith(() => new nn.AvgPool1d(3, 2, 1, false, true, loose(2)), TypeError, 'AvgPool1d: takes at most 5 arguments');
  // PyTorch 1.13's nn.RNN takes its fourth argument as bias (its nonlinearity is a keyword): said in words.
  throwsWith(() => new nn.RNN(3, 4, 2, loose('relu')), TypeError, 'RNN: bias must be true or false, got the string "relu"', 'new RNN(3, 4, 2, { nonlinearity: "relu" })');
  // An option left undefined (a spread config's optional field) is not a second value of a positional argument.
  assert.equal(String(new nn.Conv2d(1, 8, 3, 2, loose({ stride: undefined, padding: 1 }))), 'Conv2d(1, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))');
  assert.equal(String(new nn.MaxPool2d(2, 2, loose({ stride: undefined }))), 'MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)');
  throwsWith(() => new nn.Embedding(5, 2, null, null, 2, false, false, loose(zeros(5, 2))), TypeError, 'Embedding: _weight is not taken', 'Embedding.fromPretrained');
});

test('sizes too large for memory are refused naming the layer, the tensor and its shape', () => {
  throwsWith(() => new nn.Linear(1e10, 3), KindlingError, 'Linear: cannot allocate weight of shape [3, 10000000000]', '120 GB');
  throwsWith(() => new nn.BatchNorm1d(1e10), KindlingError, 'BatchNorm1d: cannot allocate weight of shape [10000000000]');
  throwsWith(() => new nn.BatchNorm1d(1e10, { affine: false }), KindlingError, 'BatchNorm1d: cannot allocate running_mean of shape [10000000000]');
  throwsWith(() => new nn.Embedding(5e9, 2), KindlingError, 'Embedding: cannot allocate weight of shape [5000000000, 2]');
  throwsWith(() => new nn.PReLU(1e10), KindlingError, 'PReLU: cannot allocate weight');
  throwsWith(() => new nn.Conv2d(1e5, 1e5, 3), KindlingError, 'Conv2d: cannot allocate weight of shape [100000, 100000, 3, 3]');
  throwsWith(() => new nn.LSTM(1e10, 2), KindlingError, 'LSTM: cannot allocate weight_ih_l0 of shape [8, 10000000000]');
});

test('layers of zero size run forward (PyTorch takes them when made)', () => {
  manualSeed(0);
  const conv = new nn.Conv2d(0, 4, 3);
  assert.deepEqual(conv.forward(zeros(1, 0, 5, 5)).shape, [1, 4, 3, 3]);
  assert.deepEqual(conv.bias!.toArray(), new Float32Array(4), 'the bias PyTorch leaves unfilled is zeros');
  assert.deepEqual(new nn.Embedding(5, 0).forward(tensor([1, 2])).shape, [2, 0]);
  assert.deepEqual(new nn.LayerNorm([0]).forward(zeros(2, 0)).shape, [2, 0]);
  assert.deepEqual(new nn.GroupNorm(2, 0).forward(zeros(2, 0, 3)).shape, [2, 0, 3]);
  assert.deepEqual(new nn.InstanceNorm2d(0).forward(zeros(1, 0, 3, 3)).shape, [1, 0, 3, 3]);
  const [y] = new nn.MultiheadAttention(4, 2, { kdim: 0 }).forward(rand(3, 1, 4), zeros(5, 1, 0), rand(5, 1, 4));
  assert.deepEqual(y.shape, [3, 1, 4]);
  assert.deepEqual(new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 0 }).forward(rand(3, 1, 4)).shape, [3, 1, 4]);
  throwsWith(() => new nn.Conv2d(-1, 4, 3), RangeError, 'Conv2d: inChannels must be a non-negative integer, got the number -1');
  throwsWith(() => new nn.Bilinear(0, 2, 3), RangeError, 'Bilinear: in1Features must be a positive integer, got the number 0');
  throwsWith(() => new nn.GroupNorm(0, 0), RangeError, 'GroupNorm: numGroups must be a positive integer');
});

test('MaxUnpool1d/2d/3d take their options as an object, as the other layers do', () => {
  assert.equal(String(new nn.MaxUnpool2d(2, { stride: 1 })), 'MaxUnpool2d(kernel_size=(2, 2), stride=(1, 1), padding=(0, 0))');
  assert.equal(String(new nn.MaxUnpool1d(2, { padding: 1 })), 'MaxUnpool1d(kernel_size=(2,), stride=(2,), padding=(1,))');
  assert.equal(String(new nn.MaxUnpool2d({ kernelSize: 2 })), 'MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))');
  assert.equal(String(new nn.MaxUnpool3d(2, null, { padding: 1 })), 'MaxUnpool3d(kernel_size=(2, 2, 2), stride=(2, 2, 2), padding=(1, 1, 1))');
  assert.equal(String(new nn.MaxUnpool2d(2, 2, 1)), 'MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(1, 1))');
  throwsWith(() => new nn.MaxUnpool2d(loose({ stride: 2 })), TypeError, 'MaxUnpool2d: kernelSize is required');
  throwsWith(() => new nn.MaxUnpool2d(2, loose({ strides: 2 })), TypeError, 'MaxUnpool2d: unknown option "strides" (did you mean stride?)');
  throwsWith(() => new nn.MaxUnpool2d(2, 2, loose({ stride: 1 })), TypeError, 'MaxUnpool2d: stride given twice');
});

test("Upsample: a scaleFactor that is not a number refused when made; 0 counts as not given, as PyTorch's `if scale_factor`", () => {
  throwsWith(() => new nn.Upsample({ scaleFactor: loose('abc') }), TypeError, 'Upsample: scaleFactor must be a number or an array of numbers, got the string "abc"');
  throwsWith(() => new nn.Upsample({ scaleFactor: loose([1, '2']) }), TypeError, 'Upsample: scaleFactor must be a number or an array of numbers, got an array');
  throwsWith(() => new nn.Upsample({ scaleFactor: loose(true) }), TypeError, 'got true');
  const m = new nn.Upsample({ size: 4, scaleFactor: -0 });
  assert.equal(String(m), 'Upsample(size=4, mode=nearest)');
  assert.deepEqual(m.forward(rand(1, 1, 2, 2)).shape, [1, 1, 4, 4]);
  assert.equal(String(new nn.Upsample(null, 2)), 'Upsample(scale_factor=2.0, mode=nearest)');
});

test('a lazy instance norm, run once, saves to a model file and loads as the InstanceNorm it became', () => {
  manualSeed(3);
  const model = new nn.Sequential(new nn.LazyInstanceNorm1d(), new nn.Flatten());
  model.forward(rand(2, 3, 5));
  const dir = mkdtempSync(join(tmpdir(), 'kindling-layers-'));
  try {
    const path = join(dir, 'm.safetensors');
    saveModel(model, path);
    const back = loadModel(path);
    assert.equal(String(back), String(model));
    assert.match(String(back), /InstanceNorm1d\(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True\)/);
    // Hardtanh's default bounds print as PyTorch's floats after a round trip too.
    for (const h of [new nn.Hardtanh(-2), new nn.Hardtanh()]) {
      const p = join(dir, 'h.safetensors');
      saveModel(new nn.Sequential(h), p);
      assert.equal(String(loadModel(p)), String(new nn.Sequential(h)));
    }
    const a = model.stateDict();
    const b = back.stateDict();
    assert.deepEqual(Object.keys(b), Object.keys(a));
    for (const k of Object.keys(a)) assert.deepEqual(b[k]!.toArray(), a[k]!.toArray(), k);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
