// asTensor's options and full's booleans, as PyTorch 1.13's as_tensor and full take them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asTensor, full, KindlingError, type Tensor } from '../../src/index.js';
import { loose, throwsWith } from './throws.js';

const values = (t: Tensor): number[] => Array.from(t.toArray());

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
