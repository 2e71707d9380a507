// PyTorch's keywords and Number arguments of the creation functions: randint's and normal's size by name (the
// tutorials' `torch.randint(len(data), size=(1,))`), linspace's steps, logspace's base, arange's and range's step,
// 0-d tensors for numbers (`torch.linspace(x.min(), x.max(), 4)`), asTensor's dtype and device, and full's booleans.
// Expected values are PyTorch 1.13's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arange, asTensor, full, KindlingError, linspace, logspace, manualSeed, normal, randint, range, tensor, type Tensor } from '../../src/index.js';
import { loose, throwsWith } from './throws.js';

const values = (t: Tensor): number[] => Array.from(t.toArray());

test('randint takes low, high and size by name, drawing what torch.randint draws', () => {
  manualSeed(0);
  // torch.randint(10, size=(5,)), then torch.randint(low=-3, high=3, size=(2, 2)), after torch.manual_seed(0)
  assert.deepEqual(values(randint(10, { size: [5] })), [4, 9, 3, 0, 3]);
  const t = randint({ low: -3, high: 3, size: [2, 2] });
  assert.deepEqual([t.shape, values(t)], [[2, 2], [0, -2, -2, -2]]);
  manualSeed(0);
  assert.deepEqual(values(randint(0, { high: 10, size: [5] })), [4, 9, 3, 0, 3]);
  throwsWith(() => randint(0, 10, { size: [2], high: 5 }), TypeError, 'randint: high given twice');
  // torch.randint(10, (3,), low=2) fails ("invalid combination of arguments"): the (high, size) overload has no low.
  throwsWith(() => randint(10, [3], { low: 2 }), TypeError, 'randint: low cannot be named after a high given by position');
  throwsWith(() => randint(10, { low: 2, size: [3] }), TypeError, 'randint: low cannot be named after a high given by position');
  throwsWith(() => randint(...loose<[number, number[]]>([10])), TypeError, 'randint: the size must be an array', 'randint(high, { size: [2, 3] })');
  throwsWith(() => randint(...loose<[number, number[]]>([10, [3], 5])), TypeError, 'randint: expected options ({ generator }) after the size, got the number 5');
});

test('normal takes mean, std and size by name, drawing what torch.normal draws', () => {
  manualSeed(0);
  // torch.normal(0., 1., size=(3,)), then torch.normal(mean=2., std=0.5, size=(2,)), after torch.manual_seed(0)
  assert.deepEqual(values(normal(0, 1, { size: [3] })), [1.5409960746765137, -0.293428897857666, -2.1787893772125244]);
  assert.deepEqual(values(normal({ mean: 2, std: 0.5, size: [2] })), [2.2842156887054443, 1.4577388763427734]);
  throwsWith(() => normal(0, 1, [2], { size: [2] }), TypeError, 'normal: size given twice');
});

test('linspace, logspace, arange and range take their numbers by name, as PyTorch\'s keywords', () => {
  assert.deepEqual(values(linspace(0, 1, { steps: 5 })), [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(values(linspace({ start: 0, end: 1, steps: 5, requiresGrad: false })), [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(values(logspace(0, 3, { steps: 4, base: 2 })), [1, 2, 4, 8]);
  assert.deepEqual(values(logspace(0, 3, 4, { base: 2 })), [1, 2, 4, 8]);
  assert.deepEqual(values(arange(1, 10, { step: 3 })), [1, 4, 7]);
  assert.deepEqual(values(arange({ end: 3 })), [0, 1, 2]);
  assert.deepEqual(values(range(0, 1, { step: 0.25 })), [0, 0.25, 0.5, 0.75, 1]);
  assert.equal(linspace(0, 1, { steps: 2, requiresGrad: true }).requiresGrad, true);
  // torch.arange(5, step=2) matches no overload: one number with step named is start, and end is missing.
  throwsWith(() => arange(5, { step: 2 }), TypeError, 'arange: end is missing');
  throwsWith(() => arange(1, 5, 2, { step: 2 }), TypeError, 'arange: step given twice');
  throwsWith(() => linspace(0, 1, 3, { dtype: 'float64' }), KindlingError, "linspace: only float32 is supported, got 'float64'");
  throwsWith(() => logspace(0, 1, -1), RangeError, 'logspace: steps must be a whole number 0 or more');
});

test('a 0-d tensor stands for a number in linspace, logspace, arange and range, as in PyTorch', () => {
  const x = tensor([0.5, 2, 1.25]);
  assert.deepEqual(values(linspace(x.min(), x.max(), 4)), [0.5, 1, 1.5, 2]);
  assert.deepEqual(values(arange(x.max())), [0, 1]);
  assert.deepEqual(values(logspace(0, 2, 3, tensor(3))), [1, 3, 9]);
  assert.deepEqual(values(range(0, tensor(2))), [0, 1, 2]);
  assert.deepEqual(values(linspace(0, 1, tensor(3))), [0, 0.5, 1]);
  // PyTorch refuses a tensor with dimensions, or one that requires grad ("must be Number, not Tensor").
  throwsWith(() => linspace(tensor([0]), 1, 3), TypeError, 'linspace: start and end must be finite numbers', 'shape [1]');
  throwsWith(() => arange(tensor(3, { requiresGrad: true })), TypeError, 'arange: start and end must be finite numbers');
});

test('asTensor takes dtype and device as torch.as_tensor does, and refuses what it cannot honour', () => {
  assert.deepEqual(values(asTensor([1, 2], { dtype: 'float32', device: 'cpu' })), [1, 2]);
  throwsWith(() => asTensor([1, 2], loose({ dtype: 'float64' })), KindlingError, "asTensor: only float32 is supported, got 'float64'");
  // torch.as_tensor has no requires_grad keyword; it was silently dropped before.
  throwsWith(() => asTensor([1, 2], loose({ requiresGrad: true })), TypeError, 'asTensor: unknown option "requiresGrad"');
});

test('full takes a boolean fill value as 1 or 0 (torch.full([2], True)), as tensor() takes booleans', () => {
  assert.deepEqual(values(full([2], loose(true))), [1, 1]);
  assert.deepEqual(values(full([2], loose(false))), [0, 0]);
});
