// What a differential review of products and ordering ops against PyTorch 1.13 found (session 73): calls PyTorch
// takes that Kindling refused (a tensor for tensorSplit's sections or indices and narrow's start, the one-argument
// repeatInterleave, a number as the first operand of add/sub/mul/div/trueDivide) and 0-d inputs of topk and
// indexSelect. Expected values are PyTorch's outputs for the same calls (Debian's python3-torch 1.13).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from '../../src/index.js';
import { arange, tensor } from '../../src/index.js';

const shapes = (ts: torch.Tensor[]): number[][] => ts.map((t) => [...t.shape]);

test('tensorSplit takes a tensor: 0-d for the number of sections, 1-D for the indices, as PyTorch\'s', () => {
  const x = arange(12).reshape(3, 4);
  assert.deepEqual(shapes(torch.tensorSplit(x, tensor(3), 1)), [[3, 2], [3, 1], [3, 1]]);
  assert.deepEqual(shapes(x.tensorSplit(tensor([1, 3]), 1)), [[3, 1], [3, 2], [3, 1]]);
  assert.deepEqual(shapes(x.tensorSplit(tensor([-1, 9]), 1)), [[3, 3], [3, 1], [3, 0]]);
  assert.deepEqual(shapes(x.tensorSplit(tensor([]), 1)), [[3, 4]]);
  assert.equal(x.requiresGrad_().tensorSplit(tensor([1, 3]), 1)[0]!.gradFn?.torchName, 'SliceBackward0');
  assert.throws(() => x.tensorSplit(tensor([[1, 2]]), 1), /tensor_split expected tensor_indices_or_sections to be a zero-dimensional or one-dimensional tensor, but got a tensor with 2 dims/);
  assert.throws(() => x.tensorSplit(tensor(0), 1), /number of sections must be larger than 0, got 0/);
  assert.throws(() => x.tensorSplit(tensor([1.5]), 1), /tensorSplit: the tensor of indices must hold whole numbers/);
});

test('narrow takes its start as a 0-d tensor, as PyTorch\'s', () => {
  const x = arange(12).reshape(3, 4);
  assert.deepEqual(torch.narrow(x, 1, tensor(1), 2).tolist(), [[1, 2], [5, 6], [9, 10]]);
  assert.deepEqual(x.narrow(1, tensor(-1), 1).tolist(), [[3], [7], [11]]);
  assert.throws(() => x.narrow(1, tensor([1]), 1), /narrow: start must be an 0-dim integral Tensor/);
  assert.throws(() => x.narrow(1, tensor(1.5), 1), /narrow: start must be an 0-dim integral Tensor/);
});

test('repeatInterleave(repeats) with one 1-D tensor repeats its indices, as PyTorch\'s one-argument form', () => {
  assert.deepEqual(torch.repeatInterleave(tensor([1, 2, 3])).tolist(), [0, 1, 1, 2, 2, 2]);
  assert.deepEqual(torch.repeatInterleave(tensor([0, 2])).tolist(), [1, 1]);
  assert.deepEqual(torch.repeatInterleave(tensor([])).shape, [0]);
  assert.throws(() => torch.repeatInterleave(tensor(2)), /repeat_interleave only accept 1D vector as repeat/);
  assert.throws(() => torch.repeatInterleave(tensor([1, -1])), /repeats can not be negative/);
  assert.throws(() => tensor([1, 2]).repeatInterleave(undefined as never), /repeatInterleave: repeats must be a number or a tensor/);
  assert.deepEqual(tensor([1, 2]).repeatInterleave(2).tolist(), [1, 1, 2, 2]);
});

test('add, sub, mul, div and trueDivide take a number first, as PyTorch\'s: a 0-d operand, the tensor–tensor node and gradient', () => {
  const up = tensor([1, 2, 3]);
  const cases: [string, (t: torch.Tensor) => torch.Tensor, number[], string, number[]][] = [
    ['add', (t) => torch.add(2, t), [3, 0, 6], 'AddBackward0', [1, 2, 3]],
    ['add alpha', (t) => torch.add(2, t, 3), [5, -4, 14], 'AddBackward0', [3, 6, 9]],
    ['sub', (t) => torch.sub(2, t), [1, 4, -2], 'SubBackward0', [-1, -2, -3]],
    ['subtract alpha', (t) => torch.subtract(2, t, { alpha: 3 }), [-1, 8, -10], 'SubBackward0', [-3, -6, -9]],
    ['mul', (t) => torch.mul(2, t), [2, -4, 8], 'MulBackward0', [2, 4, 6]],
    ['multiply', (t) => torch.multiply(2, t), [2, -4, 8], 'MulBackward0', [2, 4, 6]],
    ['div', (t) => torch.div(2, t), [2, -1, 0.5], 'DivBackward0', [-2, -1, -0.375]],
    ['divide', (t) => torch.divide(2, t), [2, -1, 0.5], 'DivBackward0', [-2, -1, -0.375]],
    ['trueDivide', (t) => torch.trueDivide(2, t), [2, -1, 0.5], 'DivBackward0', [-2, -1, -0.375]],
    ['div floor', (t) => torch.div(7, t, { roundingMode: 'floor' }), [7, -4, 1], 'DivBackward2', [0, 0, 0]],
  ];
  for (const [label, fn, out, gradFn, grad] of cases) {
    const t = tensor([1, -2, 4], { requiresGrad: true });
    const y = fn(t);
    assert.deepEqual(y.tolist(), out, `${label}: value`);
    assert.equal(y.gradFn?.torchName, gradFn, `${label}: grad_fn`);
    y.backward(up);
    assert.deepEqual(t.grad!.tolist(), grad, `${label}: gradient`);
  }
  assert.deepEqual(torch.add(2, 3).tolist(), 5);
  assert.deepEqual(torch.trueDivide(tensor([3]), 2).tolist(), [1.5]);
  assert.throws(() => torch.add('2' as never, tensor([1])), /add\(\): argument 'input' \(position 1\) must be Tensor, not/);
});

test('topk of a 0-d tensor gives it and index 0 for k = 0 as for k = 1, as PyTorch\'s', () => {
  const x = tensor(2, { requiresGrad: true });
  const { values, indices } = torch.topk(x, 0);
  assert.deepEqual([values.shape, values.item(), indices.shape, indices.item()], [[], 2, [], 0]);
  values.backward(tensor(3));
  assert.equal(x.grad!.item(), 3);
  assert.throws(() => torch.topk(tensor(2), 2), /topk: k must be a whole number from 0 to 1/);
});

test('indexSelect of a 0-d tensor is 0-d whatever the index\'s length, as PyTorch\'s', () => {
  for (const index of [tensor([0, 0]), tensor([0]), tensor(0)]) {
    const s = tensor(3, { requiresGrad: true });
    const y = torch.indexSelect(s, 0, index);
    assert.deepEqual([y.shape, y.item()], [[], 3], `index shape [${index.shape.join(', ')}]`);
    // PyTorch's backward fails for an index of two or more elements; Kindling's is that of the value itself.
    y.backward(tensor(5));
    assert.equal(s.grad!.item(), 5);
  }
  assert.throws(() => torch.indexSelect(tensor(3), 0, tensor([0, 1])), /indexSelect: index 1 \(element 1 of the index\) is out of range/);
  assert.throws(() => torch.indexSelect(tensor(3), 0, tensor([])), /indexSelect: a 0-d input needs an index of at least one element/);
  assert.throws(() => torch.indexSelect(tensor(3), 1, tensor([0])), /indexSelect: dimension out of range/);
});
