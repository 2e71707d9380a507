// PyTorch's positional forms of the reductions' and counts' arguments (histc, bincount, diff, …), which Kindling
// once ignored or misread; expected values are PyTorch 1.13's, inline.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as K from '../../src/index.js';
import { tensor } from '../../src/index.js';
import { loose, throwsWith } from './throws.js';

const x = tensor([[1, 5, 3], [4, 2, 6]]);

test('histc takes bins, min and max by position, as PyTorch', () => {
  // PyTorch 1.13: x.histc(4, 0, 6) → [1, 1, 2, 2]; torch.histc(x, 3) → [2, 2, 2]; x.histc(3, max=4.) → [1, 1, 2].
  assert.deepEqual(x.histc(4, 0, 6).tolist(), [1, 1, 2, 2]);
  assert.deepEqual(K.histc(x, 3).tolist(), [2, 2, 2]);
  assert.deepEqual(x.histc(3, { max: 4 }).tolist(), [1, 1, 2]);
  assert.deepEqual(x.histc({ bins: 4, min: 0, max: 6 }).tolist(), [1, 1, 2, 2]);
  throwsWith(() => x.histc(4, { bins: 3 }), TypeError, 'histc: bins given twice');
  throwsWith(() => loose<(...a: unknown[]) => K.Tensor>(K.histc)(x, 4, 0, 6, 1), TypeError, 'histc: takes at most 3 arguments');
});

test('bincount takes weights and minlength by position, as PyTorch', () => {
  const v = tensor([1, 2, 2]);
  const w = tensor([0.5, 2, 0.25]);
  // PyTorch 1.13: torch.bincount(v, w, 5) → [0, 0.5, 2.25, 0, 0]; v.bincount(w) → [0, 0.5, 2.25];
  // torch.bincount(v, None, 5) → [0, 1, 2, 0, 0].
  assert.deepEqual(K.bincount(v, w, 5).tolist(), [0, 0.5, 2.25, 0, 0]);
  assert.deepEqual(v.bincount(w).tolist(), [0, 0.5, 2.25]);
  assert.deepEqual(K.bincount(v, null, 5).tolist(), [0, 1, 2, 0, 0]);
  assert.deepEqual(v.bincount(w, { minlength: 4 }).tolist(), [0, 0.5, 2.25, 0]);
  assert.deepEqual(v.bincount({ weights: w }).tolist(), [0, 0.5, 2.25]);
  throwsWith(() => v.bincount(loose(5)), TypeError, 'bincount: weights');
});

test('diff takes prepend and append by position, as PyTorch', () => {
  // PyTorch 1.13: torch.diff(x, 1, 0, x), torch.diff(x, 1, -1, None, [[0], [1]]), x.diff(2, 1, [[2], [2]], [[0], [1]]).
  assert.deepEqual(K.diff(x, 1, 0, x).tolist(), [[3, -3, 3], [-3, 3, -3], [3, -3, 3]]);
  assert.deepEqual(K.diff(x, 1, -1, null, tensor([[0], [1]])).tolist(), [[4, -2, -3], [-2, 4, -5]]);
  assert.deepEqual(x.diff(2, 1, tensor([[2], [2]]), tensor([[0], [1]])).tolist(), [[5, -6, -1], [-4, 6, -9]]);
  assert.deepEqual(x.diff(1, 0, { prepend: x }).tolist(), [[3, -3, 3], [-3, 3, -3], [3, -3, 3]]);
  // PyTorch: diff(): argument 'prepend' (position 4) must be Tensor, not int.
  throwsWith(() => x.diff(1, 0, loose(5)), TypeError, 'diff', 'prepend');
  throwsWith(() => x.diff(1, 0, x, { prepend: x }), TypeError, 'diff: prepend given twice');
});
