// PyTorch's x[...] beyond index tensors, against PyTorch 1.13 (fixtures/torch/index-basic.json, from
// make_index_basic.py): masks (the results of comparisons, PyTorch's bool tensors), step slices (`slice(start, stop,
// step)`), Ellipsis ('...') and None (`newaxis`), alone and beside index tensors and numbers: values, shapes, node
// names, views, gradients; x[...] = v as indexPut / indexPut_; PyTorch's refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arange, cat, full, fullLike, indexPut, isclose, isin, newaxis, onesLike, slice, Slice, stack, tensor, where, zerosLike, type Tensor } from '../../src/index.js';
import type { Indices } from '../../src/ops/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

type Entry = number | null | '...' | 'newaxis' | { slice: [number | null, number | null, number | null] } | { index: EncodedTensor } | { mask: EncodedTensor };
interface Get { name: string; input: EncodedTensor; index: Entry[]; out: EncodedTensor; node: string; view: boolean; upstream: EncodedTensor; grad: EncodedTensor }
interface Put { name: string; input: EncodedTensor; index: Entry[]; values: EncodedTensor; out: EncodedTensor; upstream: EncodedTensor; grad: EncodedTensor; valuesGrad: EncodedTensor }
const fx = loadFixture<{ gets: Get[]; puts: Put[]; refusals: Record<string, { type: string; message: string }> }>('index-basic.json');
const TOL = { rtol: 1e-6, atol: 1e-6 };
const EXACT = { rtol: 0, atol: 0 };

/** The fixture's entries as Kindling's: a PyTorch bool tensor is a mask, made here by `bool()`. */
const indicesOf = (list: Entry[]): Indices => list.map((e) => {
  if (e === null || typeof e === 'number' || e === '...') return e;
  if (e === 'newaxis') return newaxis;
  if ('slice' in e) return slice(...e.slice);
  if ('mask' in e) return decode(e.mask).bool();
  return decode(e.index);
});

for (const c of fx.gets) {
  test(`index: ${c.name}: PyTorch's values, shape ${JSON.stringify(c.out.shape)}, ${c.node}${c.view ? ' (a view)' : ''} and gradient`, () => {
    const leaf = decode(c.input, true);
    const out = leaf.index(indicesOf(c.index));
    assert.deepEqual(out.shape, c.out.shape);
    assertTensorClose(out, c.out, 'values', EXACT);
    assert.equal(out.gradFn?.torchName, c.node);
    assert.equal(out.viewBase === leaf, c.view, 'a view of x exactly where PyTorch gives one');
    out.backward(decode(c.upstream));
    assertTensorClose(leaf.grad, c.grad, 'gradient', TOL);
  });
}

for (const c of fx.puts) {
  for (const inplace of [false, true]) {
    test(`indexPut${inplace ? '_' : ''}: ${c.name}: PyTorch's values and both gradients`, () => {
      const leaf = decode(c.input, true);
      const v = decode(c.values, true);
      const h = leaf.mul(1.5);
      const out = inplace ? h.indexPut_(indicesOf(c.index), v) : indexPut(h, indicesOf(c.index), v);
      assertTensorClose(out, c.out, 'values', EXACT);
      out.backward(decode(c.upstream));
      assertTensorClose(leaf.grad, c.grad, 'gradient', TOL);
      assertTensorClose(v.grad, c.valuesGrad, 'gradient of the values', TOL);
    });
  }
}

test('a view of x from slices, Ellipsis and newaxis shares its storage, as PyTorch\'s basic indexing', () => {
  const x = arange(12).reshape(3, 4);
  const y = x.index([slice(null, null, 2), '...', newaxis, slice(1, null, 2)]);
  assert.deepEqual([y.shape, y.tolist()], [[2, 1, 2], [[[1, 3]], [[9, 11]]]]);
  y.fill_(-1);
  assert.deepEqual(x.tolist(), [[0, -1, 2, -1], [4, 5, 6, 7], [8, -1, 10, -1]]);
});

test('refusals, in PyTorch\'s words', () => {
  const x = arange(24).reshape(2, 3, 4);
  const r = fx.refusals;
  const says = (f: () => unknown, key: string): void => assert.throws(f, (e: Error) => e.message.includes(r[key]!.message), key);
  says(() => x.index([tensor([1, 0, 1]).bool()]), 'mask shape');
  says(() => x.index([null, tensor([1, 0]).gt(0)]), 'mask shape later');
  says(() => x.index([slice(null, null, 0)]), 'step zero');
  says(() => x.index([slice(null, null, -1)]), 'negative step');
  says(() => x.index([0, 0, 0, 0]), 'too many');
  says(() => x.indexPut([0, 0, 0, 0], 1), 'too many');
  says(() => x.index([tensor([[1, 0, 1], [1, 0, 1]]).bool(), 0, 0]), 'too many mask');
  // Several '...' are PyTorch 1.13's (each skips the dimensions not indexed; masks.test.ts), refused past the last dimension.
  // PyTorch 1.13: x[..., ..., 0] → "index 0 is out of bounds for dimension 2 with size 0" (a number past the last dimension).
  assert.throws(() => x.index(['...', '...', 0]), /^RangeError: index: index 0 is out of bounds for dimension 2 with size 0/);
  assert.throws(() => x.index(['..' as '...']), /^TypeError: index: index 0 must be a Tensor \(index tensor or mask\), a number, true or false, null \(:\), slice\(\.\.\.\), '\.\.\.' or newaxis, got/);
  assert.throws(() => slice(0.5), /^TypeError: slice: stop must be a whole number or null \(PyTorch: slice indices must be integers or None\), got the number 0\.5$/);
  assert.throws(() => (slice as (...a: unknown[]) => Slice)(1, 2, 3, 4), /^TypeError: slice: expected at most 3 arguments \(start, stop, step\), got 4$/);
  // The constructor checks as slice() does (it gave NaN values for a step of 1.5 and took '1' for 1).
  assert.throws(() => new Slice(0, 4, 1.5), /^TypeError: new Slice: step must be a whole number or null \(PyTorch: slice indices must be integers or None\), got the number 1\.5$/);
  assert.throws(() => new Slice('1' as unknown as number, 4, 1), /^TypeError: new Slice: start must be a whole number or null .*got the string "1"$/);
  assert.throws(() => new Slice(0, NaN, null), /^TypeError: new Slice: stop must be/);
  assert.deepEqual(arange(10).index([new Slice(-7, null, 3)]).tolist(), [3, 6, 9], 'PyTorch: torch.arange(10.)[-7::3]');
});

test('slice is Python\'s: slice(stop), slice(start, stop, step?), null or undefined for a bound left out', () => {
  const x = arange(6);
  assert.deepEqual(x.index([slice(2)]).tolist(), [0, 1], 'slice(2) is :2');
  assert.deepEqual(x.index([slice(-2, undefined)]).tolist(), [4, 5], 'slice(-2, undefined) is -2:');
  assert.deepEqual(x.index([slice(1, null, 2)]).tolist(), [1, 3, 5]);
  assert.deepEqual(x.index([slice(tensor(4), null)]).tolist(), [4, 5], 'a 0-d tensor as a bound, as Python\'s __index__');
  assert.equal(String(slice(1, null, 2)), 'slice(1, null, 2)');
});

test('a 2-d mask followed by more indices covers its two dimensions, as NumPy (PyTorch 1.13 refuses or misplaces this)', () => {
  // NumPy: x[m, 0] is [0, 8, 16, 20] and x[m, 1:3] [[1, 2], [9, 10], [17, 18], [21, 22]]; PyTorch 1.13 moves on one
  // dimension only after a mask and refuses both ("The shape of the mask [2, 3] at index 1 does not match ...").
  const x = arange(24).reshape(2, 3, 4);
  const m = tensor([[1, 0, 1], [0, 1, 1]]).gt(0);
  assert.deepEqual(x.index([m, 0]).tolist(), [0, 8, 16, 20]);
  assert.deepEqual(x.index([m, slice(1, 3)]).tolist(), [[1, 2], [9, 10], [17, 18], [21, 22]]);
});

test('what is a mask: comparisons, logical ops, predicates, bool(), and views and copies of them; float() and arithmetic are positions', () => {
  const x = tensor([10, 20, 30, 40]);
  const pick = (m: Tensor): number[] => x.index([m]).tolist() as number[];
  const v = tensor([0, 1, NaN, 0]);
  for (const [what, m, want] of [
    ['gt', v.gt(0), [20]], ['eq', v.eq(0), [10, 40]], ['ne', v.ne(0), [20, 30]], ['le', v.le(0), [10, 40]],
    ['isnan', v.isnan(), [30]], ['isfinite', v.isfinite(), [10, 20, 40]], ['logicalNot', v.logicalNot(), [10, 40]],
    ['logicalAnd', v.logicalAnd(tensor([1, 1, 0, 1])), [20]], ['logicalOr', v.logicalOr(tensor([1, 0, 0, 0])), [10, 20, 30]],
    ['isclose', isclose(v, tensor([0, 1, 2, 1])), [10, 20]], ['isin', isin(v, tensor([1])), [20]],
    ['bool', tensor([0, 2, 0, -1]).bool(), [20, 40]], ['tensor of booleans', tensor([true, false, false, true]), [10, 40]],
    ['tensor of a mask', tensor(v.gt(0)), [20]], ['cat of masks', cat([v.gt(0).index([slice(2)]), v.isnan().index([slice(2, null)])]), [20, 30]],
    ['full of true', full([4], true), [10, 20, 30, 40]], ['stack of masks', stack([v.gt(0), v.isnan()]).index([1]), [30]], ['clone', v.gt(0).clone(), [20]], ['detach', v.gt(0).detach(), [20]],
    ['view', v.reshape(2, 2).gt(0).reshape(4), [20]], ['reshape copy', v.reshape(2, 2).gt(0).t().reshape(4), [30]], ['a mask indexed', v.ne(0).index([tensor([3, 2, 1, 0])]), [20, 30]],
  ] as const) assert.deepEqual(pick(m), want, what);
  // Plain floats, as in PyTorch arithmetic on bools gives numbers: positions.
  assert.deepEqual(pick(v.gt(0).float()), [10, 20, 10, 10], 'float(): 0/1 as positions');
  assert.deepEqual(pick(v.ne(0).mul(1)), [10, 20, 20, 10], 'arithmetic: positions');
  assert.deepEqual(pick(cat([v.ne(0).index([slice(2)]), tensor([1, 0])])), [10, 20, 20, 10], 'cat of a mask and floats: floats, positions');
  assert.deepEqual(pick(tensor([0, 1, 1, 0])), [10, 20, 20, 10], 'a tensor of 0s and 1s: positions');
  // A mask says it is bool and prints so, as PyTorch's bool tensors (masks.test.ts has the rest); its float() does not.
  assert.deepEqual([v.gt(0).dtype, String(v.gt(0)), v.gt(0).float().dtype], ['bool', 'tensor([False,  True, False, False])', 'float32']);
});

test('indexPut_ with a mask, as PyTorch\'s x[x < 0] = 0, and the gradient through x[x > 0]', () => {
  const x = tensor([-1, 2, -3, 4]);
  x.indexPut_([x.lt(0)], 0);
  assert.deepEqual(x.tolist(), [0, 2, 0, 4]);
  const w = tensor([[1, -2], [3, -4]], { requiresGrad: true });
  const y = w.index([w.gt(0)]);
  assert.deepEqual([y.tolist(), y.gradFn?.torchName], [[1, 3], 'IndexBackward0']);
  y.mul(tensor([5, 6])).sum().backward();
  assert.deepEqual(w.grad!.tolist(), [[5, 0], [6, 0]]);
});

test('a mask changed in place after x[m] or x[m] = v was recorded is refused at backward, as PyTorch saves the mask', () => {
  // PyTorch 1.13: "one of the variables needed for gradient computation has been modified by an inplace operation".
  const x = tensor([1, 2, 3], { requiresGrad: true });
  const m = tensor([true, false, true]);
  const y = x.index([m]);
  const z = x.clone().indexPut_([m], tensor([5, 6]));
  m.fill_(1);
  assert.throws(() => y.sum().backward(), /^Error: backward: a tensor of shape \[3\] that index saved for its gradient was changed/);
  assert.throws(() => z.sum().backward(), /^Error: backward: a tensor of shape \[3\] that indexPut saved for its gradient was changed/);
});

test("true and false are PyTorch's True and False, 0-d masks: x[True] of shape [1, ...], x[False] of [0, ...]", () => {
  // PyTorch 1.13, x = torch.arange(6.).reshape(2, 3): the values below.
  const x = arange(6).reshape(2, 3);
  assert.deepEqual(x.index([true]).shape, [1, 2, 3]);
  assert.deepEqual(x.index([true]).tolist(), [[[0, 1, 2], [3, 4, 5]]]);
  assert.deepEqual(x.index([false]).shape, [0, 2, 3]);
  assert.deepEqual(x.index([true, 1]).tolist(), [[3, 4, 5]]);
  assert.deepEqual(x.index([0, true]).tolist(), [[0, 1, 2]]);
  assert.deepEqual(x.index([false, null, 1]).shape, [0, 2]);
  assert.deepEqual(x.index([true, true]).shape, [1, 2, 3]);
  assert.deepEqual(x.clone().indexPut_([true], 7).tolist(), [[7, 7, 7], [7, 7, 7]]);
  assert.deepEqual(x.clone().indexPut_([false], 7).tolist(), [[0, 1, 2], [3, 4, 5]]);
  assert.deepEqual(x.clone().indexPut_([1, true], tensor([9, 8, 7])).tolist(), [[0, 1, 2], [9, 8, 7]]);
  const w = arange(6).reshape(2, 3).requiresGrad_();
  w.index([true, 1]).sum().backward();
  assert.deepEqual(w.grad!.tolist(), [[0, 0, 0], [1, 1, 1]]);
});

test('ops where PyTorch keeps a bool tensor bool keep the mark: flip, roll, repeat, tile, indexSelect, gather, sort/max/min/amax/amin values, *Like, where and maskedFill of masks', () => {
  // PyTorch 1.13, m = x > 0 of x = [[1, -2, 3], [-4, 5, -6]]: each result is bool, y[r] the values below.
  const x = tensor([[1, -2, 3], [-4, 5, -6]]);
  const m = x.gt(0);
  const y = tensor([[10, 20, 30], [40, 50, 60]]);
  for (const [what, r, want] of [
    ['flip', m.flip(1), [10, 30, 50]], ['roll', m.roll(1, 1), [10, 20, 60]], ['roll flat', m.roll(1), [20, 40, 60]],
    ['repeat', m.repeat([1, 1]), [10, 30, 50]], ['tile', m.tile([1]), [10, 30, 50]], ['repeat twice', m.repeat([2, 1]).index([slice(0, 2)]), [10, 30, 50]],
    ['indexSelect', m.indexSelect(1, tensor([2, 0, 1])), [10, 20, 60]], ['gather', m.gather(1, tensor([[2, 0, 1], [0, 0, 1]])), [10, 20, 60]],
    ['sort values', m.sort(1).values, [20, 30, 60]], ['max values', m.max(1, true).values.expand(2, 3), [10, 20, 30, 40, 50, 60]],
    ['min values', m.min(1, true).values.expand(2, 3), []], ['amax', m.amax(1, true).expand(2, 3), [10, 20, 30, 40, 50, 60]],
    ['amin', m.amin(0, true).expand(2, 3), []], ['zerosLike', zerosLike(m), []], ['onesLike', onesLike(m), [10, 20, 30, 40, 50, 60]],
    ['fullLike true', fullLike(m, true), [10, 20, 30, 40, 50, 60]], ['fullLike 1', fullLike(m, 1), [10, 20, 30, 40, 50, 60]],
    ['where of masks', where(x.lt(0), m, m.logicalNot()), []], ['maskedFill 1', m.maskedFill(x.lt(-3), 1), [10, 30, 40, 50, 60]],
  ] as const) assert.deepEqual(y.index([r]).flatten().tolist(), want, what);
  // m.max() and m.min() are 0-d masks, PyTorch's tensor(True) and tensor(False): y[m.max()] is y[True], of shape [1, 2, 3].
  assert.deepEqual(y.index([m.max()]).shape, [1, 2, 3]);
  assert.deepEqual(y.index([m.min()]).shape, [0, 2, 3]);
  // Not masks, as PyTorch's results are float: a float among where's values, ops of floats.
  assert.deepEqual(y.index([where(x.lt(0), m, y.gt(25).float())]).shape, [2, 3, 3], 'where with a float value: positions');
  assert.deepEqual(tensor([5, 6, 7]).index([tensor([1, 0, 1]).flip(0)]).tolist(), [6, 5, 6], 'a flip of floats: positions');
});
