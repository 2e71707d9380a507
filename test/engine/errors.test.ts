// Errors users can hit: shape mismatches name the op and both shapes; wrong argument types fail at the call.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arange, F, full, Generator, matmul, nn, rand, tensor, where, zeros, type Tensor } from '../../src/index.js';
import { loose, throwsWith } from './throws.js';

test('shape mismatches name the operation and both shapes', () => {
  throwsWith(() => new nn.Linear(784, 200).forward(zeros([1, 783])), RangeError, 'linear: input has 783 features but the layer expects 784 (input shape [1, 783])');
  throwsWith(() => F.linear(zeros([2, 4]), zeros([3, 4]), zeros([2])), RangeError, 'linear', '[3]', '[2]');
  throwsWith(() => F.linear(zeros([2, 4]), zeros([4]), zeros([])), RangeError, 'linear: a 1-D weight (shape [4]) takes no bias, as in PyTorch');
  throwsWith(() => F.linear(zeros([2, 4]), zeros([2, 3, 4])), RangeError, 'linear: weight must be 2-D [out, in] (or 1-D [in]), got shape [2, 3, 4]');
  throwsWith(() => zeros([2, 3]).add(zeros([4, 3])), RangeError, 'add', '[2, 3]', '[4, 3]');
  throwsWith(() => zeros([2]).mul(zeros([3])), RangeError, 'mul', '[2]', '[3]');
  throwsWith(() => zeros([2, 3]).matmul(zeros([2, 3])), RangeError, 'matmul', '[2, 3]', '[2, 3]');
  throwsWith(() => matmul(zeros([2, 2, 3]), zeros([3, 3, 2])), RangeError, 'matmul', '[2, 2, 3]', '[3, 3, 2]');
  throwsWith(() => matmul(zeros([2, 3]), zeros([2])), RangeError, 'matmul', '[2, 3]', '[2]');
  throwsWith(() => matmul(zeros([]), zeros([2])), RangeError, 'matmul: both arguments need at least 1 dimension', '[]', '[2]');
  throwsWith(() => F.mseLoss(zeros([2, 3]), zeros([3, 2])), RangeError, 'mseLoss', '[3, 2]', '[2, 3]');
  throwsWith(() => new nn.BCELoss().forward(zeros([1]), zeros([2])), RangeError, 'bceLoss', '[2]', '[1]');
  throwsWith(() => F.bceWithLogitsLoss(zeros([2]), zeros([3])), RangeError, 'bceWithLogitsLoss', '[3]', '[2]');
  throwsWith(() => F.crossEntropyLoss(zeros([2, 3]), tensor([1, 2, 0])), RangeError, 'crossEntropyLoss', '[2]', '[2, 3]', '[3]');
  throwsWith(() => F.crossEntropyLoss(zeros([2, 3]), tensor([1, 3])), RangeError, 'crossEntropyLoss', 'target 3');
  throwsWith(() => F.crossEntropyLoss(zeros([2, 3, 4]), zeros([2, 5])), RangeError, 'crossEntropyLoss', '[2, 3, 4]', '[2, 4]', '[2, 5]');
  throwsWith(() => F.nllLoss(zeros([2, 3]), tensor([[1], [2]])), RangeError, 'nllLoss', '[2]', '[2, 1]');
  throwsWith(() => new nn.LayerNorm(5).forward(zeros([2, 4])), RangeError, 'layerNorm', '[2, 4]', '[5]');
  throwsWith(() => F.layerNorm(zeros([2, 5]), [5], zeros([4])), RangeError, 'layerNorm', 'weight', '[4]', '[5]');
  throwsWith(() => where(zeros([2]).bool(), zeros([3]), 1), RangeError, 'where', '[2]', '[3]');
  throwsWith(() => zeros([2, 3]).expand(3, 3), RangeError, 'expand', '[2, 3]', '[3, 3]');
  throwsWith(() => arange(6).reshape(4, 2), RangeError, 'reshape', '[4, 2]', '[6]');
  throwsWith(() => arange(6).reshape(-1, -1), RangeError, 'reshape', '-1');
  throwsWith(() => arange(6).reshape(2, 3).T.view(6), RangeError, 'view', 'not compatible with the layout', 'reshape');
  throwsWith(() => zeros([2, 3]).permute(0), RangeError, 'permute', '[2, 3]');
  throwsWith(() => zeros([2, 3]).sum(2), RangeError, 'sum', 'dimension out of range', '[-2, 1]', '2');
  throwsWith(() => zeros([2, 3]).softmax(-3), RangeError, 'softmax', '-3');
  throwsWith(() => zeros([2, 3]).unsqueeze(3), RangeError, 'unsqueeze', '[-3, 2]');
  throwsWith(() => zeros([2]).item(), RangeError, 'item', '[2]');
  throwsWith(() => tensor([[1, 2], [3]]), RangeError, 'tensor', 'ragged', '[1]');
  throwsWith(() => tensor([1, 2, 3], [2, 2]), RangeError, 'tensor', '[2, 2]');
  throwsWith(() => zeros([2, -1]), RangeError, 'zeros', '[2, -1]');
});

test('backward misuse fails clearly', () => {
  const x = tensor([1, 2, 3], undefined, { requiresGrad: true });
  throwsWith(() => x.mul(2).backward(), RangeError, 'backward', 'scalar', '[3]');
  throwsWith(() => x.mul(2).backward(tensor([1, 1])), RangeError, 'backward', '[2]', '[3]');
  throwsWith(() => x.sum().backward(loose<Tensor>([1])), TypeError, 'backward', 'Tensor');
  assert.throws(() => tensor([1, 2]).sum().backward(), /does not require grad/);
});

test('wrong argument types fail at the call with a clear message', () => {
  const x = zeros([2]);
  throwsWith(() => x.add(loose('a')), TypeError, 'add', 'string');
  throwsWith(() => x.mul(loose([1, 2])), TypeError, 'mul', 'array', 'tensor(');
  throwsWith(() => x.pow(loose(null)), TypeError, 'pow', 'null');
  throwsWith(() => matmul(x, loose(5)), TypeError, 'matmul', 'Tensor', 'number');
  throwsWith(() => where(loose([1, 0]), x, 1), TypeError, 'where', 'condition');
  throwsWith(() => new nn.Linear(3, 2).forward(loose([1, 2, 3])), TypeError, 'linear', 'Tensor', 'array');
  throwsWith(() => F.mseLoss(x, loose([1, 2])), TypeError, 'mseLoss', 'target');
  throwsWith(() => F.bceWithLogitsLoss(loose(3), x), TypeError, 'bceWithLogitsLoss', 'Tensor');
  throwsWith(() => F.crossEntropyLoss(loose(3), x), TypeError, 'crossEntropyLoss', 'Tensor');
  throwsWith(() => F.layerNorm(zeros([2, 5]), loose('5')), TypeError, 'layerNorm', 'normalizedShape');
  throwsWith(() => tensor(loose('abc')), TypeError, 'tensor', 'string');
  throwsWith(() => tensor(loose({ a: 1 })), TypeError, 'tensor');
  throwsWith(() => tensor([1, 2], loose('ab')), TypeError, 'tensor', 'shape');
  throwsWith(() => zeros(loose<number>('3')), TypeError, 'zeros: sizes must be numbers, as in zeros(2, 3) or zeros([2, 3]); argument 1 is the string "3"');
  throwsWith(() => rand(2, loose<number>(new Generator(1))), TypeError, 'rand: sizes must be numbers', 'argument 2 is a Generator');
  throwsWith(() => full([2], loose('x')), TypeError, 'full', 'number');
  throwsWith(() => arange(loose('a')), TypeError, 'arange');
  throwsWith(() => x.sum(loose('a')), TypeError, 'sum', 'dim');
  // An options object is PyTorch's keywords ({ dim, keepdim }); a dim in it that is not one is refused all the same.
  throwsWith(() => x.mean(loose({ dim: 'a' })), TypeError, 'mean', 'dim');
  throwsWith(() => x.clamp(null, null), TypeError, 'clamp');
  throwsWith(() => new nn.Linear(2.5, 3), RangeError, 'Linear', 'inFeatures', '2.5');
  throwsWith(() => new nn.Linear(3, -1), RangeError, 'Linear', 'outFeatures', '-1');
  throwsWith(() => new nn.Sequential(loose(5)), TypeError, 'Sequential', 'item 0');
  throwsWith(() => new nn.Sequential(loose([new nn.ReLU()])), TypeError, 'Sequential', 'item 0', 'separate arguments');
  throwsWith(() => new nn.LeakyReLU(loose('a')), TypeError, 'LeakyReLU', 'negativeSlope');
  throwsWith(() => new nn.LayerNorm(-1), RangeError, 'LayerNorm', 'normalizedShape', '-1');
  throwsWith(() => new nn.LayerNorm(3, { eps: -1 }), RangeError, 'LayerNorm', 'eps');
  throwsWith(() => new nn.MSELoss({ reduction: loose('avg') }), RangeError, 'reduction', 'avg');
  throwsWith(() => F.nllLoss(zeros([2, 3]), tensor([0, 1]), { reduction: loose('max') }), RangeError, 'nllLoss', 'reduction');
});

test("layerNorm's shape refusals give PyTorch 1.13's words, naming both shapes", () => {
  // PyTorch 1.13: nn.LayerNorm(4)(torch.zeros(2, 3)), nn.LayerNorm([2, 3, 4])(torch.zeros(3, 4)), nn.LayerNorm([])(…),
  // F.layer_norm(x, (3,), torch.ones(4)).
  throwsWith(() => new nn.LayerNorm(4).forward(zeros([2, 3])), RangeError, 'layerNorm: Given normalized_shape=[4], expected input with shape [*, 4], but got input of size [2, 3]');
  throwsWith(() => new nn.LayerNorm([2, 3, 4]).forward(zeros([3, 4])), RangeError, 'layerNorm: Given normalized_shape=[2, 3, 4], expected input with shape [*, 2, 3, 4], but got input of size [3, 4]');
  throwsWith(() => new nn.LayerNorm([]).forward(zeros([3])), RangeError, 'layerNorm: Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = []');
  throwsWith(() => F.layerNorm(zeros([2, 3]), [3], zeros([4])), RangeError, 'layerNorm: Expected weight to be of same shape as normalized_shape, but got weight of shape [4] and normalized_shape = [3]');
  throwsWith(() => F.layerNorm(zeros([2, 3]), [3], null, zeros([3, 1])), RangeError, 'layerNorm: Expected bias to be of same shape as normalized_shape, but got bias of shape [3, 1] and normalized_shape = [3]');
});

test('layerNorm accepts a number for a single normalized dimension', () => {
  const y = F.layerNorm(tensor([[1, 2, 3]]), 3);
  assert.deepEqual(y.shape, [1, 3]);
  assert.ok(Math.abs(y.sum().item()) < 1e-6);
});

test(
  'clamp rejects bounds that are not numbers',
  () => {
    throwsWith(() => zeros([2]).clamp(loose('a')), TypeError, 'clamp', 'min');
    throwsWith(() => zeros([2]).clamp(0, loose('1')), TypeError, 'clamp', 'max');
  },
);
