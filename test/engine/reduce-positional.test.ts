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

test('null is dim=None, every dimension, for the reductions PyTorch gives it to', () => {
  const w = tensor([[1, 5, 3], [4, 2, 6]], { requiresGrad: true });
  // PyTorch 1.13: x.sum(None, True) → [[21]] (SumBackward1), x.mean(None, True) (MeanBackward1), nansum(x, None,
  // True) → [[21]], x.nanmean(None) → 3.5, count_nonzero(x, None) → 6, x.amax(None, True) → [[6]], x.amin(None) → 1,
  // x.argmax(None, True) → [[5]], x.argmin(None, True) → [[0]], argmax(x, None) → 5.
  const s = w.sum(null, true);
  assert.deepEqual([s.tolist(), s.gradFn?.torchName], [[[21]], 'SumBackward1']);
  assert.deepEqual([w.mean(null, true).tolist(), w.mean(null, true).gradFn?.torchName], [[[3.5]], 'MeanBackward1']);
  assert.deepEqual(K.nansum(w, null, true).tolist(), [[21]]);
  assert.equal(w.nanmean(null).item(), 3.5);
  assert.equal(K.countNonzero(w, null).item(), 6);
  assert.deepEqual(w.amax(null, true).tolist(), [[6]]);
  assert.equal(w.amin(null).item(), 1);
  assert.deepEqual(w.argmax(null, true).tolist(), [[5]]);
  assert.deepEqual(w.argmin(null, true).tolist(), [[0]]);
  assert.deepEqual(K.argmax(w, null).shape, []);
  assert.equal(K.argmax(w, null).item(), 5);
  // aminmax(x, dim=None, keepdim=True) → min [[1]], max [[6]].
  const mm = w.detach().aminmax({ dim: null, keepdim: true });
  assert.deepEqual([mm.min.tolist(), mm.max.tolist()], [[[1]], [[6]]]);
});

test('aminmax takes its dim and keepdim only as options, as PyTorch takes them only by keyword', () => {
  // PyTorch 1.13: x.aminmax(1) → TypeError: aminmax() takes 0 positional arguments but 1 was given.
  throwsWith(() => x.aminmax(loose(1)), TypeError, 'aminmax: options must be an object of named options (dim, keepdim), got the number 1');
  throwsWith(() => x.aminmax(loose({ dims: 1 })), TypeError, 'aminmax: unknown option "dims"');
  const r = x.aminmax({ dim: 1 });
  assert.deepEqual([r.min.tolist(), r.max.tolist()], [[1, 2], [5, 6]]);
});

test('sum, mean, cumsum and cumprod take PyTorch\'s dtype keyword for float32, and refuse others', () => {
  // PyTorch 1.13: x.sum(dim=1, dtype=torch.float32) → [9, 12]; x.mean(dtype=torch.float32) → 3.5;
  // x.cumsum(1, dtype=torch.float32) → [[1, 6, 9], [4, 6, 12]]; x.cumprod(1, dtype=…) → [[1, 5, 15], [4, 8, 48]].
  assert.deepEqual(x.sum({ dim: 1, dtype: 'float32' }).tolist(), [9, 12]);
  assert.equal(x.mean({ dtype: 'float32' }).item(), 3.5);
  assert.deepEqual(x.cumsum(1, { dtype: 'float32' }).tolist(), [[1, 6, 9], [4, 6, 12]]);
  assert.deepEqual(K.cumprod(x, 1, { dtype: null }).tolist(), [[1, 5, 15], [4, 8, 48]]);
  throwsWith(() => x.sum({ dtype: 'float64' }), K.KindlingError, "sum: only float32 is supported, got 'float64'");
  // Once silently ignored: anything after cumsum's dim.
  throwsWith(() => x.cumsum(1, { dtype: 'float64' }), K.KindlingError, "cumsum: only float32 is supported, got 'float64'");
  throwsWith(() => x.cumprod(1, loose({ keepdim: true })), TypeError, 'cumprod: unknown option "keepdim"; the options are dtype');
  throwsWith(() => x.cumsum(1, loose(true)), TypeError, 'cumsum: options must be an object of named options (dtype), got true');
});

test('var, std, varMean and stdMean take dim among the options given in its place, as PyTorch\'s keyword', () => {
  // PyTorch 1.13: x.std(dim=1) → [2, 2]; x.var(dim=1, correction=0, keepdim=True) → [[2.6666667]];
  // torch.var_mean(x, dim=0, unbiased=False) → ([2.25, 2.25, 2.25], [2.5, 3.5, 4.5]); std_mean(x, dim=[0, 1]) → (1.8708287, 3.5).
  assert.deepEqual(x.std({ dim: 1 }).tolist(), [2, 2]);
  assert.deepEqual(x.var({ dim: 1, correction: 0, keepdim: true }).tolist(), [[2.6666667461395264], [2.6666667461395264]]);
  assert.deepEqual(K.varMean(x, { dim: 0, unbiased: false }).map((t) => t.tolist()), [[2.25, 2.25, 2.25], [2.5, 3.5, 4.5]]);
  assert.deepEqual(K.stdMean(x, { dim: [0, 1] }).map((t) => t.tolist()), [1.8708287477493286, 3.5]);
  throwsWith(() => x.var(1, loose({ dim: 0 })), TypeError, 'var: unknown option "dim" (dim is given before them');
});

test('any and all name themselves when keepdim is not a boolean (the sum they count with did)', () => {
  throwsWith(() => x.any(0, loose(1)), TypeError, 'any: keepdim must be true or false, got the number 1');
  throwsWith(() => x.all(0, loose('yes')), TypeError, 'all: keepdim must be true or false');
  // PyTorch 1.13: x.any(0, True) → [[True, True, True]].
  assert.deepEqual(x.any(0, true).tolist(), [[1, 1, 1]]);
});

test('tensordot takes dims as a tensor, as PyTorch: one element the count, two rows the lists', () => {
  // PyTorch 1.13: tensordot(x, x.t(), dims=tensor(1)) and tensordot(x, x, dims=tensor([[1], [1]])) → [[35, 32], [32, 56]];
  // dims=tensor([[0, 1], [0, 1]]) → 91; dims=tensor(-1) → "tensordot expects dims >= 0, but got dims=-1".
  assert.deepEqual(K.tensordot(x, x.t(), tensor(1)).tolist(), [[35, 32], [32, 56]]);
  assert.deepEqual(K.tensordot(x, x, tensor([[1], [1]])).tolist(), [[35, 32], [32, 56]]);
  assert.equal(K.tensordot(x, x, tensor([[0, 1], [0, 1]])).item(), 91);
  throwsWith(() => K.tensordot(x, x, tensor(-1)), RangeError, 'tensordot expects dims >= 0, but got dims=-1');
  throwsWith(() => K.tensordot(x, x, tensor([1, 1])), TypeError, 'tensordot: a dims tensor must hold one count or two rows');
});

test('countNonzero, cummax, cummin and logcumsumexp refuse arguments past dim, as PyTorch (they were ignored)', () => {
  // PyTorch 1.13: count_nonzero(x, 0, True) and cummax(x, 1, True) are TypeErrors (no matching overload).
  throwsWith(() => x.countNonzero(0, loose(true)), TypeError, 'countNonzero: takes at most 1 argument (countNonzero(x, dim?)), got true as argument 2');
  throwsWith(() => x.cummax(1, loose(true)), TypeError, 'cummax: takes at most 1 argument');
  throwsWith(() => K.cummin(x, 1, loose(0)), TypeError, 'cummin: takes at most 1 argument');
  throwsWith(() => x.logcumsumexp(1, loose(true)), TypeError, 'logcumsumexp: takes at most 1 argument');
  // count_nonzero(x, 0) → [2, 2, 2]; cummax(x, 1).values → [[1, 5, 5], [4, 4, 6]].
  assert.deepEqual(x.countNonzero(0).tolist(), [2, 2, 2]);
  assert.deepEqual(x.cummax(1).values.tolist(), [[1, 5, 5], [4, 4, 6]]);
});
