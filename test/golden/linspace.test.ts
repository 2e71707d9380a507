// linspace against torch.linspace (fixtures/torch/linspace.json, written by make_linspace.py): PyTorch's float32
// values, bit for bit, for steps of every kind, both directions and wide ranges.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linspace } from '../../src/index.js';
import { loadFixture, values, type EncodedTensor } from './golden-helpers.js';

const fx = loadFixture<{ cases: { start: number; end: number; steps: number; values: EncodedTensor }[] }>('linspace.json');

test('linspace gives torch.linspace\'s float32 values, bit for bit', () => {
  for (const c of fx.cases) {
    const got = linspace(c.start, c.end, c.steps);
    assert.deepEqual(got.shape, [c.steps]);
    assert.deepEqual(Array.from(got.toArray()), values(c.values).map(Math.fround), `linspace(${c.start}, ${c.end}, ${c.steps})`);
  }
});

test('linspace: requiresGrad is an option; steps must be a whole number, the ends finite numbers', () => {
  const x = linspace(0, 1, 3, { requiresGrad: true });
  assert.equal(x.requiresGrad, true);
  x.mul(x).sum().backward();
  assert.deepEqual(Array.from(x.grad!.toArray()), [0, 1, 2]);
  assert.throws(() => linspace(0, 1, 2.5), /linspace: steps must be a whole number 0 or more \(PyTorch has no default\), got 2\.5/);
  assert.throws(() => linspace(0, 1, -1), /steps must be a whole number 0 or more/);
  assert.throws(() => linspace(0, 1, undefined as unknown as number), /steps must be a whole number 0 or more \(PyTorch has no default\), got undefined/);
  assert.throws(() => linspace(0, Infinity, 3), /linspace: start and end must be finite numbers/);
  assert.throws(() => linspace(0, 1, 3, { dtype: 'int64' } as never), /Kindling tensors are always float32/);
});
