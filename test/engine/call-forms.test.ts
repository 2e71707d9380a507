// What a review by a PyTorch user found (session 26): PyTorch's call forms that were ignored (add's alpha, strict by
// position), truthy arguments read as true (zeroGrad), and errors that pointed the wrong way.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { arange, enableGrad, F, loadFile, nn, noGrad, ones, optim, saveFile, tensor } from '../../src/index.js';
import { loose, throwsWith } from './throws.js';

test('x.add(y, alpha) and x.sub(y, alpha) are x ± alpha·y, by position or as { alpha }, with its gradient', () => {
  const x = arange(6).reshape(2, 3);
  const y = tensor([[1, 1, 1], [1, 1, 1]], { requiresGrad: true });
  assert.deepEqual(x.add(y, 2).tolist(), [[2, 3, 4], [5, 6, 7]]);
  assert.deepEqual(x.add(y, { alpha: -0.5 }).tolist(), [[-0.5, 0.5, 1.5], [2.5, 3.5, 4.5]]);
  assert.deepEqual(x.sub(y, 2).tolist(), [[-2, -1, 0], [1, 2, 3]]);
  assert.deepEqual(x.sub(3, { alpha: 2 }).tolist(), [[-6, -5, -4], [-3, -2, -1]]);
  x.sub(y, 3).sum().backward();
  assert.deepEqual(y.grad!.tolist(), [[-3, -3, -3], [-3, -3, -3]]);
  throwsWith(() => x.add(y, loose('2')), TypeError, 'add: alpha must be a number', 'got the string "2"');
  throwsWith(() => x.sub(y, loose({ scale: 2 })), TypeError, 'sub: unknown option "scale"');
});

test('zeroGrad takes true/false or { setToNone }, and refuses anything else instead of dropping gradients', () => {
  const model = new nn.Linear(2, 1);
  const opt = new optim.SGD(model.parameters(), 0.1);
  const fill = (): void => model.forward(ones(2)).sum().backward();
  fill();
  opt.zeroGrad({ setToNone: false });
  assert.deepEqual(model.weight.grad!.tolist(), [[0, 0]]);
  fill();
  model.zeroGrad({ setToNone: false });
  assert.deepEqual(model.bias!.grad!.tolist(), [0]);
  model.zeroGrad({ setToNone: true });
  assert.equal(model.weight.grad, null);
  fill();
  opt.zeroGrad(true);
  assert.equal(model.weight.grad, null);
  fill();
  throwsWith(() => model.zeroGrad(loose('false')), TypeError, 'zeroGrad: setToNone must be true or false', 'got the string "false"');
  throwsWith(() => opt.zeroGrad(loose(0)), TypeError, 'zeroGrad: setToNone must be true or false');
  throwsWith(() => model.zeroGrad(loose({ set_to_none: false })), TypeError, 'zeroGrad: unknown option "set_to_none" (did you mean setToNone?)');
  assert.deepEqual(model.weight.grad!.tolist(), [[1, 1]], 'a refused call changes nothing');
});

test('a typed array where a tensor belongs says to wrap it', () => {
  const labels = new Int32Array([7, 2]);
  throwsWith(() => tensor([7, 1]).eq(loose(labels)), TypeError, 'eq: expected a Tensor or a number, got an Int32Array (wrap it with tensor(...))');
  throwsWith(() => F.crossEntropyLoss(tensor([[1, 2], [3, 4]]), loose(new Float32Array([0, 1]))), TypeError, 'target must be a Tensor, got a Float32Array (wrap it with tensor(...))');
  assert.equal(tensor([7, 1]).eq(tensor(labels)).sum().item(), 1);
});

test('errors about arguments name the argument that is wrong', () => {
  const x = arange(6).reshape(2, 3);
  throwsWith(() => x.select(0, loose('1')), TypeError, 'select: the index must be an integer, got the string "1"');
  throwsWith(() => x.select(0, 2), RangeError, 'select: index 2 is out of range for dimension 0 of size 2');
  throwsWith(() => loose<(d: number) => unknown>(x.transpose.bind(x))(1), TypeError, 'transpose: a dimension is missing');
  throwsWith(() => loose<() => unknown>(x.unsqueeze.bind(x))(), TypeError, 'unsqueeze: a dimension is missing');
  throwsWith(() => x.transpose(loose({ dim: 1 }), 0), TypeError, 'pass it as a plain argument');
  throwsWith(() => noGrad(loose(5)), TypeError, 'noGrad: expected a function to run without gradients', 'got the number 5');
  throwsWith(() => enableGrad(loose('x')), TypeError, 'enableGrad: expected a function');
});

test('leakyRelu takes its slope by position or as PyTorch\'s keyword { negativeSlope }', () => {
  const x = tensor([-2, -1, 0, 3]);
  assert.deepEqual(x.leakyRelu({ negativeSlope: 0.25 }).tolist(), [-0.5, -0.25, 0, 3]);
  assert.deepEqual(F.leakyRelu(x, { negativeSlope: 0.25 }).tolist(), x.leakyRelu(0.25).tolist());
  assert.deepEqual(x.leakyRelu({}).tolist(), x.leakyRelu().tolist());
  throwsWith(() => x.leakyRelu(loose({ slope: 0.2 })), TypeError, 'leakyRelu: unknown option "slope"');
  throwsWith(() => x.leakyRelu(loose('0.2')), TypeError, 'leakyRelu: negativeSlope must be a finite number, got the string "0.2"');
});

test('saveFile with the arguments swapped (torch.save\'s order) says so; strict goes by position too', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-call-forms-'));
  try {
    const path = join(dir, 'sd.safetensors');
    const model = new nn.Sequential(new nn.Linear(2, 2));
    throwsWith(() => saveFile(loose(model.stateDict()), loose(path)), TypeError, `saveFile: the path comes first, then the tensors: saveFile('${path}', model.stateDict())`);
    saveFile(path, { '0.weight': model.stateDict()['0.weight']!, extra: ones(1) });
    const other = new nn.Sequential(new nn.Linear(2, 2));
    const sd = loadFile(path).tensors;
    assert.deepEqual(other.loadStateDict(sd, false), { missingKeys: ['0.bias'], unexpectedKeys: ['extra'] });
    assert.deepEqual(other.stateDict()['0.weight']!.tolist(), model.stateDict()['0.weight']!.tolist());
    throwsWith(() => other.loadStateDict(sd, true), RangeError, 'Missing key(s) in state_dict: "0.bias"');
    assert.deepEqual(nn.loadWeights(new nn.Sequential(new nn.Linear(2, 2)), path, false), { missingKeys: ['0.bias'], unexpectedKeys: ['extra'] });
    throwsWith(() => nn.loadWeights(other, path, loose({ strict: 'no' })), TypeError, 'loadWeights: strict must be true or false');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('F.crossEntropy, F.binaryCrossEntropy and F.binaryCrossEntropyWithLogits: PyTorch\'s functional names give the same losses', () => {
  const scores = tensor([[1, -2, 0.5], [0.25, 3, -1]]);
  const classes = tensor([2, 1]);
  const probs = tensor([[0.2, 0.9], [0.6, 0.1]]);
  const targets = tensor([[0, 1], [1, 0]]);
  assert.equal(F.crossEntropy(scores, classes, { labelSmoothing: 0.1 }).item(), F.crossEntropyLoss(scores, classes, { labelSmoothing: 0.1 }).item());
  assert.equal(F.binaryCrossEntropy(probs, targets).item(), F.bceLoss(probs, targets).item());
  assert.equal(F.binaryCrossEntropyWithLogits(scores.narrow(1, 0, 2), targets).item(), F.bceWithLogitsLoss(scores.narrow(1, 0, 2), targets).item());
  // The value itself, against PyTorch 1.13: F.cross_entropy(tensor([[1., -2, .5], [.25, 3, -1]]), tensor([2, 1])).
  assert.ok(Math.abs(F.crossEntropy(scores, classes).item() - 0.5418166) < 1e-6, String(F.crossEntropy(scores, classes).item()));
});

test('F.binaryCrossEntropy and F.binaryCrossEntropyWithLogits name themselves in their errors, as F.bceLoss and F.bceWithLogitsLoss do', () => {
  const probs = tensor([0.2, 0.9]);
  const mask = tensor([0.5, -1]).gt(0);
  assert.throws(() => F.binaryCrossEntropy(probs, mask), /^TypeError: binaryCrossEntropy: Found dtype Bool but expected Float/);
  assert.throws(() => F.bceLoss(probs, mask), /^TypeError: bceLoss: Found dtype Bool but expected Float/);
  assert.throws(() => F.binaryCrossEntropy(tensor([1.5]), tensor([1])), /^RangeError: binaryCrossEntropy: all elements of input should be between 0 and 1 \(element 0 is 1.5\); use binaryCrossEntropyWithLogits for raw scores/);
  assert.throws(() => F.binaryCrossEntropy(tensor([1.5]), tensor([1]), { weight: tensor([2]) }), /^RangeError: binaryCrossEntropy: all elements/);
  assert.throws(() => F.binaryCrossEntropy(probs, tensor([1])), /^RangeError: binaryCrossEntropy: /);
  assert.throws(() => F.binaryCrossEntropyWithLogits(probs, mask), /^TypeError: binaryCrossEntropyWithLogits: Subtraction, the `-` operator/);
  assert.throws(() => F.binaryCrossEntropyWithLogits(probs, tensor([1, 0]), { posWeight: mask }), /^TypeError: binaryCrossEntropyWithLogits: Subtraction, the `-` operator, with a bool tensor is not supported \(posWeight is a mask/);
  assert.throws(() => F.binaryCrossEntropyWithLogits(probs, tensor([1, 0]), { posWeight: tensor([1, 2, 3]) }), /^RangeError: binaryCrossEntropyWithLogits: /);
  assert.throws(() => F.bceWithLogitsLoss(probs, tensor([1])), /^RangeError: bceWithLogitsLoss: target shape/);
});

test('select takes a 0-d tensor index, as PyTorch\'s x.select(0, torch.tensor(1)) does, and narrow its start', () => {
  // PyTorch 1.13: torch.arange(6.).reshape(2, 3).select(0, torch.tensor(1)) is tensor([3., 4., 5.]), a view
  // (SelectBackward0); select(1, torch.tensor(-1)) is tensor([2., 5.]).
  const x = arange(6).reshape(2, 3).requiresGrad_();
  const row = x.select(0, tensor(1));
  assert.deepEqual([row.shape, Array.from(row.toArray()), row.gradFn?.torchName], [[3], [3, 4, 5], 'SelectBackward0']);
  assert.deepEqual(Array.from(x.select(1, tensor(-1)).toArray()), [2, 5]);
  row.sum().backward();
  assert.deepEqual(Array.from(x.grad!.toArray()), [0, 0, 0, 1, 1, 1]);
  throwsWith(() => x.select(0, tensor(0.5)), TypeError, 'select: the index must be an integer, got the number 0.5');
  throwsWith(() => x.select(0, tensor([1])), TypeError, 'select: the index must be an integer, got a Tensor of shape [1]');
});
