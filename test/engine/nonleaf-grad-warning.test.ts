// Reading .grad of a non-leaf warns once per process, as PyTorch's UserWarning does, and only when the gradient is
// not there: a gradient assigned to the tensor is read without a word (and does not use up the one warning).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const index = new URL('../../src/index.js', import.meta.url).href;

function warnings(script: string): string[] {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import { tensor, ones } from ${JSON.stringify(index)};\n${script}`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stderr.split('\n').filter((l) => l.includes('Warning:'));
}

test('reading a non-leaf .grad warns once, only when it is null', () => {
  const assignedFirst = warnings(`
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    y.grad = ones(2);
    if (y.grad === null) throw new Error('assigned gradient lost');
    const z = x.mul(3);
    z.sum().backward();
    if (z.grad !== null) throw new Error('a non-leaf got a gradient');
    z.grad; z.grad;
  `);
  assert.equal(assignedFirst.length, 1, assignedFirst.join('\n'));
  assert.match(assignedFirst[0]!, /\.grad of a tensor that is not a leaf .* is null/);
  const assignedOnly = warnings(`
    const y = tensor([1], { requiresGrad: true }).mul(2);
    y.grad = ones(1);
    y.grad;
  `);
  assert.deepEqual(assignedOnly, []);
});
