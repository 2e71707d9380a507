// `x.narrow(…)` and `x.select(…)` keep their base's storage from their first element to the base's end. The product
// kernels copy what they are given into their memory, so `matmul` must hand them only the elements a view covers:
// before, a 64-row slice at the start of a data set copied the whole rest of it in at every call (forward and
// backward). The kernels' scratch block is the witness: it grows to hold what a call copies, and never shrinks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activeWasm } from '../../src/kernels/backend.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { requireWasm, rng, values } from './helpers.js';

const MB = 1 << 20;

test('matmul of a slice at the start of a large base copies the slice, not the rest of the base, and gives its values', () => {
  requireWasm();
  const r = rng(7);
  // A base of 96 MB outside the kernels' memory (a data set loaded as one tensor), and a weight made by hand.
  const rows = 32_768;
  const base = new Tensor(values(r, rows * 768, { zeros: 0.5 }), [rows, 768]);
  const w = new Tensor(values(r, 768 * 48), [768, 48]).requiresGrad_();
  const slice = base.narrow(0, 0, 64);
  const copy = new Tensor(Float32Array.from(slice.toArray()), [64, 768]);
  // The same product on a copy of the slice first: the memory then has room for everything such a call needs.
  const expected = copy.matmul(w);
  expected.sum().backward();
  const expectedGrad = Float32Array.from(w.grad!.toArray());
  w.grad!.zero_();
  const heap = activeWasm()!.heap;
  const before = heap.scratchBytes;
  const out = slice.matmul(w);
  out.sum().backward();
  const grown = heap.scratchBytes - before;
  assert.ok(grown < 16 * MB, `the kernels' scratch block grew by ${(grown / MB).toFixed(1)} MB for a [64, 768] slice of a ${(base.numel() * 4 / MB).toFixed(0)} MB base`);
  assert.deepEqual(Array.from(out.toArray()), Array.from(expected.toArray()));
  assert.deepEqual(Array.from(w.grad!.toArray()), Array.from(expectedGrad));
});

test('matmul of views that reach less far than their storage: a row by select, a column block, a batch, empty slices', () => {
  const r = rng(11);
  const base = new Tensor(values(r, 40 * 30), [40, 30]);
  const w = new Tensor(values(r, 30 * 7), [30, 7]);
  const dense = (t: Tensor): Tensor => new Tensor(Float32Array.from(t.toArray()), t.shape);
  const cases: Array<[string, Tensor, Tensor]> = [
    ['a row by select', base.select(0, 3), w],
    ['rows 5–9', base.narrow(0, 5, 5), w],
    ['columns 0–6 of the weight', base.narrow(0, 2, 4), new Tensor(values(r, 30 * 20), [30, 20]).narrow(1, 0, 7)],
    ['a transposed slice', base.narrow(0, 0, 30).t().narrow(0, 1, 3), base.narrow(0, 0, 30).narrow(1, 0, 5)],
    ['a batch of slices', base.reshape([4, 10, 30]).narrow(1, 0, 2), w],
    ['no rows', base.narrow(0, 0, 0), w],
  ];
  for (const [what, a, b] of cases) {
    const got = a.matmul(b);
    const want = dense(a).matmul(dense(b));
    assert.deepEqual(got.shape, want.shape, what);
    assert.deepEqual(Array.from(got.toArray()), Array.from(want.toArray()), what);
  }
});
