// optim.SparseAdam: PyTorch's steps only sparse gradients, and Kindling has none, so it is refused when made.
import { test } from 'node:test';
import { KindlingError, optim, tensor } from '../../src/index.js';
import { throwsWith } from './throws.js';

test('SparseAdam is refused when made, saying why and what to use (PyTorch refuses a dense gradient at step)', () => {
  const p = tensor([1, 2], { requiresGrad: true });
  const make = optim.SparseAdam as unknown as new (...args: unknown[]) => unknown;
  for (const args of [[[p]], [[p], 0.01], [[p], { lr: 0.01, betas: [0.9, 0.999] }]]) {
    throwsWith(() => new make(...args), KindlingError, 'SparseAdam: Kindling has no sparse tensors, so every gradient is dense',
      '"SparseAdam does not support dense gradients, please consider Adam instead"', 'use optim.Adam');
  }
});
