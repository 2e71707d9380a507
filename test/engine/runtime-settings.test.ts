// PyTorch's process settings a ported script calls: accepted with Kindling's meaning (one thread per run, always
// deterministic, float32 only), remembered where PyTorch's getters read them back, refused where they cannot hold.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from '../../src/index.js';

test('getNumThreads / setNumThreads: remembered, a whole number ≥ 1', () => {
  assert.equal(torch.getNumThreads(), 1);
  torch.setNumThreads(4);
  assert.equal(torch.getNumThreads(), 4);
  assert.throws(() => torch.setNumThreads(0), /Number of threads must be positive/);
  assert.throws(() => torch.setNumThreads(1.5), /Number of threads must be positive/);
  torch.setNumThreads(1);
});

test('useDeterministicAlgorithms / areDeterministicAlgorithmsEnabled, false by default as in PyTorch', () => {
  assert.equal(torch.areDeterministicAlgorithmsEnabled(), false);
  torch.useDeterministicAlgorithms(true);
  assert.equal(torch.areDeterministicAlgorithmsEnabled(), true);
  assert.throws(() => torch.useDeterministicAlgorithms('yes' as unknown as boolean), /true or false/);
  torch.useDeterministicAlgorithms(false);
});

test('getDefaultDtype is float32; setDefaultDtype takes float32 only', () => {
  assert.equal(torch.getDefaultDtype(), 'float32');
  torch.setDefaultDtype('torch.float32');
  assert.throws(() => torch.setDefaultDtype('float64'), /float32 only/);
});
