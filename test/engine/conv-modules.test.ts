// nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d and nn.Unflatten as modules: printing as PyTorch prints them, parameters
// and state-dict keys, the call forms, and the errors for bad options and shapes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, manualSeed, nn, optim, tensor, zeros, data } from '../../src/index.js';
import { loose, throwsWith } from './throws.js';

test('the modules print as PyTorch 1.13 prints them', () => {
  assert.equal(String(new nn.Conv2d(1, 32, 3, 1)), 'Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1))');
  assert.equal(
    String(new nn.Conv2d(4, 6, [3, 2], { stride: 2, padding: 1, dilation: 2, groups: 2, bias: false })),
    'Conv2d(4, 6, kernel_size=(3, 2), stride=(2, 2), padding=(1, 1), dilation=(2, 2), groups=2, bias=False)',
  );
  assert.equal(String(new nn.Conv2d(2, 2, 3, { padding: 'same' })), 'Conv2d(2, 2, kernel_size=(3, 3), stride=(1, 1), padding=same)');
  assert.equal(String(new nn.MaxPool2d(2)), 'MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)');
  assert.equal(String(new nn.MaxPool2d([3, 2], 1, { padding: 1, ceilMode: true })), 'MaxPool2d(kernel_size=(3, 2), stride=1, padding=1, dilation=1, ceil_mode=True)');
  assert.equal(String(new nn.AvgPool2d(2)), 'AvgPool2d(kernel_size=2, stride=2, padding=0)');
  assert.equal(String(new nn.AvgPool2d(3, 2, { padding: 1 })), 'AvgPool2d(kernel_size=3, stride=2, padding=1)');
  assert.equal(String(new nn.Unflatten(1, [1, 28, 28])), 'Unflatten(dim=1, unflattened_size=(1, 28, 28))');
});

test('Conv2d has PyTorch\'s parameters and state-dict keys, with and without a bias', () => {
  const net = new nn.Sequential(new nn.Conv2d(3, 8, 5), new nn.Conv2d(8, 4, 1, { bias: false }));
  assert.deepEqual(Object.keys(net.stateDict()), ['0.weight', '0.bias', '1.weight']);
  assert.deepEqual([...net.stateDict()['0.weight']!.shape], [8, 3, 5, 5]);
  assert.equal(net.parameters().length, 3);
  const c = new nn.Conv2d(4, 6, 3, { groups: 2 });
  assert.deepEqual([...c.weight.shape], [6, 2, 3, 3]);
  // PyTorch's bound: 1/√fanIn with fanIn = 2·3·3 = 18
  const bound = 1 / Math.sqrt(18);
  assert.ok(c.weight.toArray().every((v) => Math.abs(v) <= bound) && c.bias!.toArray().every((v) => Math.abs(v) <= bound));
  assert.ok(c.weight.toArray().some((v) => Math.abs(v) > bound / 2), 'the weights spread over the range');
});

test('Unflatten splits a dimension (one size may be -1) and refuses what does not split', () => {
  const x = zeros(2, 784);
  assert.deepEqual([...new nn.Unflatten(1, [1, 28, 28]).forward(x).shape], [2, 1, 28, 28]);
  assert.deepEqual([...new nn.Unflatten(-1, [-1, 28]).forward(x).shape], [2, 28, 28]);
  throwsWith(() => new nn.Unflatten(1, [1, 27, 28]).forward(x), RangeError, 'cannot split dimension 1 of size 784', '[2, 784]', '[1, 27, 28]');
  throwsWith(() => new nn.Unflatten(2, [1, 784]).forward(x), RangeError, 'dim 2 is out of range');
  throwsWith(() => new nn.Unflatten(1, [-1, -1]), RangeError, 'only one size may be -1');
  throwsWith(() => new nn.Unflatten(1, loose(28)), TypeError, 'unflattenedSize must be a non-empty array');
});

test('bad options and shapes are errors that name the shapes and what was expected', () => {
  throwsWith(() => F.conv2d(zeros(1, 4, 5, 5), zeros(8, 3, 3, 3)), RangeError, 'expected input [1, 4, 5, 5] to have 3 channels, but got 4');
  throwsWith(() => F.conv2d(zeros(1, 3, 2, 2), zeros(8, 3, 3, 3)), RangeError, 'output would be 0×0', '[1, 3, 2, 2]', '3×3 kernel');
  throwsWith(() => F.conv2d(zeros(3, 5), zeros(8, 3, 3, 3)), RangeError, 'input must be 4-D', 'got [3, 5]');
  throwsWith(() => F.conv2d(zeros(1, 3, 5, 5), zeros(8, 3, 3)), RangeError, 'weight must be 4-D', 'got [8, 3, 3]');
  throwsWith(() => F.conv2d(zeros(1, 3, 5, 5), zeros(8, 3, 3, 3), zeros(4)), RangeError, 'bias must have shape [8]', 'got [4]');
  throwsWith(() => F.conv2d(zeros(1, 3, 5, 5), zeros(8, 3, 3, 3), null, { stride: 2, padding: 'same' }), RangeError, "'same' is not supported for strided");
  throwsWith(() => F.conv2d(zeros(1, 3, 5, 5), zeros(8, 3, 3, 3), null, { stride: 0 }), RangeError, 'stride must be at least 1');
  throwsWith(() => F.conv2d(zeros(1, 3, 5, 5), zeros(8, 3, 3, 3), null, loose({ strides: 2 })), TypeError, 'unknown option "strides"', 'did you mean stride');
  throwsWith(() => new nn.Conv2d(3, 8, loose('3')), TypeError, 'kernelSize must be an integer or a pair');
  throwsWith(() => new nn.Conv2d(3, 8, 3, { groups: 2 }), RangeError, 'inChannels (3) must be divisible by groups (2)');
  throwsWith(() => new nn.Conv2d(3, 8, 3, loose({ paddingMode: 'mirror' })), RangeError, "paddingMode must be one of 'zeros', 'reflect', 'replicate' or 'circular'");
  throwsWith(() => new nn.Conv2d(-1, 8, 3), RangeError, 'inChannels must be a non-negative integer');
  throwsWith(() => new nn.Conv2d(3, 8, 3, 1, { stride: 2 } as never), TypeError, 'stride given twice');
  throwsWith(() => F.maxPool2d(zeros(1, 1, 4, 4), 2, { padding: 2 }), RangeError, 'padding (2, 2) must be at most half');
  // PyTorch 1.13 bounds the padding by half the kernel size, the dilation aside (its later versions by the dilated kernel).
  throwsWith(() => F.maxPool2d(zeros(1, 1, 5, 5), 3, 1, { padding: 2, dilation: 2 }), RangeError, 'padding (2, 2) must be at most half the kernel size (3, 3)');
  throwsWith(() => new nn.MaxPool2d(3, 1, { padding: [1, 2], dilation: 2 }), RangeError, 'padding (1, 2) must be at most half the kernel size (3, 3)');
  throwsWith(() => F.avgPool2d(zeros(1, 1, 4, 4), 2, { divisorOverride: 0 }), RangeError, 'divisorOverride must be a non-zero integer');
  throwsWith(() => new nn.MaxPool2d(2, loose({ ceil_mode: true })), TypeError, 'unknown option "ceil_mode"', 'ceilMode');
  throwsWith(() => F.maxPool2d(zeros(4, 4), 2), RangeError, 'input must be 4-D', 'got [4, 4]');
  // PyTorch-style calls that Kindling spells otherwise are told how
  // PyTorch's F.conv2d(x, w, stride=2): options in the bias's place, no bias; and its positional order
  assert.deepEqual(F.conv2d(zeros(1, 3, 5, 5), zeros(8, 3, 3, 3), { stride: 2 }).shape, [1, 8, 2, 2]);
  throwsWith(() => F.conv2d(zeros(1, 3, 5, 5), zeros(8, 3, 3, 3), null, 2, { stride: 1 }), TypeError, 'conv2d: stride given twice: the number 2 by position and the number 1 in the options');
  throwsWith(() => new nn.Conv2d(3, 64, 3, 1, 1, loose({ padding: 2 })), TypeError, 'Conv2d: padding given twice: the number 1 by position and the number 2 in the options');
  throwsWith(() => F.conv2d(zeros(1, 2, 5, 5), zeros(2, 2, 3, 3), null, { stride: [2, 1], padding: 'same' }), RangeError, "'same' is not supported for strided convolutions (stride [2,1])");
  throwsWith(() => new nn.MaxPool2d(2, loose({ return_indices: true })), TypeError, 'unknown option "return_indices"', 'returnIndices');
  // PyTorch's F.max_pool2d(x, 2, 1, 1): the padding by position too
  assert.deepEqual(F.maxPool2d(zeros(1, 1, 4, 4), 2, 1, 1).toArray(), F.maxPool2d(zeros(1, 1, 4, 4), 2, { stride: 1, padding: 1 }).toArray());
});

test('pooling takes its stride by position in F too, and null (PyTorch\'s stride=None) for the kernel size', () => {
  const x = tensor(Array.from({ length: 2 * 36 }, (_, i) => Math.sin(i * 1.7)), [1, 2, 6, 6]);
  assert.deepEqual([...F.maxPool2d(x, 2, 1).toArray()], [...F.maxPool2d(x, 2, { stride: 1 }).toArray()]);
  assert.deepEqual([...F.avgPool2d(x, 3, 2, { padding: 1 }).toArray()], [...F.avgPool2d(x, 3, { stride: 2, padding: 1 }).toArray()]);
  assert.deepEqual([...new nn.MaxPool2d(2, null).forward(x).shape], [1, 2, 3, 3]);
  assert.deepEqual([...new nn.MaxPool2d(2, undefined, { padding: 1 }).forward(x).shape], [1, 2, 4, 4]);
  assert.equal(String(new nn.MaxPool2d(2, null)), 'MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)');
});

test('a small CNN learns MNIST digits from 1,000 images in batches (loss falls, accuracy well above chance)', () => {
  manualSeed(0);
  const net = new nn.Sequential(
    new nn.Unflatten(1, [1, 28, 28]), new nn.Conv2d(1, 8, 5, { stride: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(8 * 6 * 6, 10),
  );
  const opt = new optim.Adam(net.parameters(), 0.01);
  const train = new data.MnistDataset(data.loadEmbeddedMnist('train'), { limit: 1000 });
  const losses: number[] = [];
  for (let epoch = 0; epoch < 2; epoch++) {
    for (const batch of new data.DataLoader(train, { batchSize: 50 })) {
      const loss = F.crossEntropyLoss(net.forward(batch.x), batch.labels);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
  }
  const test = new data.MnistDataset(data.loadEmbeddedMnist('test'), { limit: 500 });
  net.eval();
  let correct = 0;
  for (const batch of new data.DataLoader(test, { batchSize: 250 })) {
    correct += net.forward(batch.x).argmax(1).eq(batch.labels).sum().item();
  }
  const first = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
  const last = losses.slice(-5).reduce((a, b) => a + b) / 5;
  assert.ok(first > 1.5 && last < 0.8 * first, `loss ${first.toFixed(3)} → ${last.toFixed(3)}`);
  assert.ok(correct / 500 > 0.7, `accuracy ${correct / 500}`);
});

test('nn.ConvTranspose2d takes its arguments as Conv2d does, prints as PyTorch, and refuses what PyTorch refuses', () => {
  const up = new nn.ConvTranspose2d(8, 4, 4, 2, { padding: 1 });
  assert.deepEqual([up.weight.shape, up.bias!.shape], [[8, 4, 4, 4], [4]]);
  assert.equal(String(up), 'ConvTranspose2d(8, 4, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1))');
  assert.deepEqual(up.forward(zeros(2, 8, 7, 7)).shape, [2, 4, 14, 14]);
  assert.deepEqual(up.forward(zeros(8, 7, 5)).shape, [4, 14, 10], 'one sample [C, H, W]');
  assert.deepEqual(new nn.ConvTranspose2d(3, 6, [3, 2], { stride: [2, 1], groups: 3, bias: false }).weight.shape, [3, 2, 3, 2]);
  throwsWith(() => new nn.ConvTranspose2d(8, 4, 4, 2, 1, 0, 1, true, 1, 'zeros', null, null, loose(1)), TypeError, 'ConvTranspose2d: takes at most 12 arguments', 'the number 1 as argument 13');
  throwsWith(() => new nn.ConvTranspose2d(8, 4, 4, { output_padding: 1 } as never), TypeError, 'did you mean outputPadding?');
  throwsWith(() => new nn.ConvTranspose2d(8, 4, 4, { stride: 2, outputPadding: 2 }), RangeError, 'outputPadding must be smaller than either the stride or the dilation');
  throwsWith(() => new nn.ConvTranspose2d(6, 4, 3, { groups: 4 }), RangeError, 'inChannels (6) must be divisible by groups (4)');
  throwsWith(() => new nn.ConvTranspose2d(-1, 4, 3), RangeError, 'inChannels must be a non-negative integer, got the number -1');
  throwsWith(() => new nn.ConvTranspose2d(2, 4, 3, { padding: 'same' as never }), RangeError, "'same' and 'valid' are for Conv2d only");
  throwsWith(() => new nn.ConvTranspose2d(2, 4, 3, { paddingMode: 'reflect' as never }), RangeError, 'Only "zeros" padding mode is supported for ConvTranspose2d');
  throwsWith(() => up.forward(zeros(2, 8, 7, 7), loose([14])), TypeError, 'outputSize must be [height, width] or the whole output shape (4 sizes), got [14]');
  throwsWith(() => up.forward(zeros(2, 3, 7, 7)), RangeError, 'expected input [2, 3, 7, 7] to have 8 channels, but got 3 channels instead');
  // The output size picks the output padding, and one padding past what the stride allows is refused.
  assert.deepEqual(up.forward(zeros(1, 8, 7, 7), [15, 14]).shape, [1, 4, 15, 14]);
  throwsWith(() => up.forward(zeros(1, 8, 7, 7), [16, 14]), RangeError, 'requested an output size of [16, 14], but valid sizes range from [14, 14] to [15, 15]');
});
