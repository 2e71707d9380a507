// Argument handling and signed zeros of elementwise math a differential review compared with PyTorch 1.13: clampMin
// and clampMax with a number bound keep x where it equals the bound (−0 against 0); isclose and allclose take rtol,
// atol and equalNan by position; trueDivide refuses a rounding mode. Expected values are PyTorch 1.13's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from '../../src/index.js';
import { tensor } from '../../src/index.js';

const signs = (t: torch.Tensor): number[] => Array.from(t.toArray(), (v) => (Object.is(v, -0) || v < 0 ? -1 : 1));

test('clampMin(x, 0) keeps −0 and clampMax(x, −0) keeps +0, as PyTorch 1.13\'s Scalar kernels (1 and 20 elements)', () => {
  for (const n of [1, 20]) {
    assert.deepEqual(signs(torch.clampMin(torch.full([n], -0), 0)), new Array(n).fill(-1), `clampMin, ${n}`);
    assert.deepEqual(signs(torch.clampMin(torch.zeros([n]), -0)), new Array(n).fill(1), `clampMin +0, ${n}`);
    assert.deepEqual(signs(torch.clampMax(torch.zeros([n]), -0)), new Array(n).fill(1), `clampMax, ${n}`);
    assert.deepEqual(signs(torch.clampMax(torch.full([n], -0), 0)), new Array(n).fill(-1), `clampMax −0, ${n}`);
    assert.deepEqual(signs(torch.full([n], -0).clampMin_(0)), new Array(n).fill(-1), `clampMin_, ${n}`);
  }
  // The gradient still passes where x equals the bound (PyTorch's where(x >= min, g, 0)).
  const x = tensor([-0, 1, -1], { requiresGrad: true });
  torch.clampMin(x, 0).sum().backward();
  assert.deepEqual([...x.grad!.toArray()], [1, 1, 0]);
});

test('isclose and allclose take rtol, atol and equalNan by position, as PyTorch\'s (or one options object)', () => {
  const a = tensor([1, NaN]);
  const b = tensor([1.05, NaN]);
  assert.deepEqual([...torch.isclose(a, b, 0.1).toArray()], [1, 0]);
  assert.deepEqual([...torch.isclose(a, b, 0.01, 0.1, true).toArray()], [1, 1]);
  assert.deepEqual([...a.isclose(b, 0.01, 0.1, true).toArray()], [1, 1]);
  assert.deepEqual([...a.isclose(b, { rtol: 0.1, equalNan: true }).toArray()], [1, 1]);
  assert.equal(torch.allclose(tensor([1]), tensor([1.05]), 0.1), true);
  assert.equal(torch.allclose(tensor([1]), tensor([1.05]), 0, 0.01), false);
  assert.equal(tensor([1]).allclose(tensor([1.05]), 0, 0.1), true);
  assert.throws(() => torch.isclose(a, b, { rtol: 0.1 }, 0.1), /isclose: give rtol, atol and equalNan either by position or as one options object, not both/);
  assert.throws(() => torch.isclose(a, b, -1), /isclose: rtol must be greater than or equal to zero, but got -1/);
});

test('x.trueDivide and trueDivide_ refuse a rounding mode (torch.true_divide has none); div_ refuses an unknown one', () => {
  const x = tensor([7, -7]);
  const refuse = /trueDivide: takes no rounding mode or other options \(PyTorch's true_divide has none\), got .*use div\(input, other, \{ roundingMode/;
  assert.throws(() => (x.trueDivide as (...a: unknown[]) => unknown)(2, { roundingMode: 'floor' }), refuse);
  assert.throws(() => (x.clone().trueDivide_ as (...a: unknown[]) => unknown)(2, { roundingMode: 'floor' }), refuse);
  assert.deepEqual([...x.trueDivide(2).toArray()], [3.5, -3.5]);
  const y = x.clone();
  assert.throws(() => y.div_(2, { roundingMode: 'bogus' as 'floor' }), /div expected rounding_mode to be one of None, 'trunc', or 'floor' but found 'bogus'/);
  assert.deepEqual([...y.toArray()], [7, -7], 'unchanged');
  assert.deepEqual([...x.clone().div_(2, { roundingMode: 'floor' }).toArray()], [3, -4]);
  assert.deepEqual([...x.clone().divide_(tensor(2), { roundingMode: 'trunc' }).toArray()], [3, -3]);
});
