import assert from 'node:assert/strict';
import test from 'node:test';
import { tensor } from '../../src/index.js';

// Reading .grad of a tensor an op computed gives null (backward() fills leaves only): PyTorch warns, and so do we,
// once per process. This file runs in a process of its own, so the warning is still to come here.
test('reading .grad of a non-leaf warns once, as PyTorch does; leaves and retainGrad() do not warn', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error): void => {
    warnings.push(w.message);
  };
  process.on('warning', onWarning);
  const x = tensor([1, 2, 3], { requiresGrad: true });
  const kept = x.mul(3);
  kept.retainGrad();
  const y = x.mul(2);
  kept.add(y).sum().backward();
  // A leaf and a non-leaf that retains its gradient: no warning.
  assert.deepEqual(Array.from(x.grad!.toArray()), [5, 5, 5]);
  assert.deepEqual(Array.from(kept.grad!.toArray()), [1, 1, 1]);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(warnings, []);
  // A non-leaf: null, with the warning; a second read adds none.
  assert.equal(y.grad, null);
  assert.equal(y.grad, null);
  await new Promise((resolve) => setImmediate(resolve));
  process.off('warning', onWarning);
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0]!, /^grad: the \.grad of a tensor that is not a leaf .* Call retainGrad\(\) on that tensor before backward\(\)/);
});
