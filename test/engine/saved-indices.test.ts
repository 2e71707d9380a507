// Index tensors changed in place after the forward pass, as PyTorch 1.13 handles them: an op whose gradient reads its
// indices saves them, so backward refuses once they changed (IndexBackward0 and IndexPutBackward0 save theirs); one
// whose input gradient does not read them saves them only for the source's gradient (ScatterAddBackward0 and
// IndexAddBackward0), so with a source that requires no grad backward still gives the input's gradient.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arange, ones, tensor, type Tensor } from '../../src/index.js';

const CHANGED = /saved for its gradient was changed in place/;

const leaf = (): Tensor => arange(6).reshape(2, 3).requiresGrad_();

test('index and indexPut save their index tensors: backward after one changed is refused, as PyTorch refuses it', () => {
  // PyTorch 1.13: x[i].sum().backward() after i.mul_(0) raises "modified by an inplace operation", and so does
  // x.index_put((i,), v, accumulate) with either accumulate, and with values that require grad or not.
  const forward: [string, (x: Tensor, i: Tensor) => Tensor][] = [
    ['index', (x, i) => x.index([i])],
    ['index with a column of indices', (x, i) => x.index([null, i])],
    ['indexPut', (x, i) => x.indexPut([i], ones(2, 3))],
    ['indexPut accumulating', (x, i) => x.indexPut([i], ones(2, 3), true)],
    ['indexPut of values that require grad', (x, i) => x.indexPut([i], ones(2, 3).requiresGrad_())],
    ['indexPut_', (x, i) => x.mul(1).indexPut_([i], 5)],
  ];
  for (const [name, op] of forward) {
    const i = tensor([1, 0]);
    const y = op(leaf(), i);
    i.mul_(0);
    assert.throws(() => y.sum().backward(), CHANGED, name);
  }
  // Unchanged, the gradient is given (PyTorch: x[i] with i = [1, 0] sends 1 to each row).
  const x = leaf();
  x.index([tensor([1, 0])]).sum().backward();
  assert.deepEqual(x.grad!.tolist(), [[1, 1, 1], [1, 1, 1]]);
});

test('index: a 0-d index tensor picks its position as a number does, and is not saved (PyTorch: x[i, t0])', () => {
  // PyTorch 1.13: x[i, t0] with t0 = tensor(1) changed after the forward pass still gives [[0, 1, 0], [0, 1, 0]]
  // (the 0-d tensor selects), while a change of i is refused.
  const x = leaf();
  const i = tensor([1, 0]);
  const t0 = tensor(1);
  const y = x.index([i, t0]);
  t0.mul_(0);
  y.sum().backward();
  assert.deepEqual(x.grad!.tolist(), [[0, 1, 0], [0, 1, 0]]);
  const y2 = leaf().index([i, t0]);
  i.mul_(0);
  assert.throws(() => y2.sum().backward(), CHANGED);
});

test('scatterAdd and indexAdd keep the index for the source\'s gradient only, as PyTorch saves it', () => {
  // PyTorch 1.13: x.scatter_add(0, i, src) and x.index_add(0, i, src) with src not requiring grad give x's gradient,
  // all ones, after i.mul_(0); with src requiring grad the same backward is refused.
  const cases: [string, (x: Tensor, i: Tensor, src: Tensor) => Tensor, () => Tensor, (sg: boolean) => Tensor][] = [
    ['scatterAdd', (x, i, s) => x.scatterAdd(0, i, s), () => tensor([[0, 1, 0]]), (sg) => ones(1, 3).requiresGrad_(sg)],
    ['indexAdd', (x, i, s) => x.indexAdd(0, i, s), () => tensor([1, 0]), (sg) => ones(2, 3).requiresGrad_(sg)],
    ['indexAdd with alpha', (x, i, s) => x.indexAdd(0, i, s, { alpha: 2 }), () => tensor([1, 0]), (sg) => ones(2, 3).requiresGrad_(sg)],
  ];
  for (const [name, op, index, src] of cases) {
    const x = leaf();
    const i = index();
    const y = op(x, i, src(false));
    i.mul_(0);
    y.sum().backward();
    assert.deepEqual(x.grad!.tolist(), [[1, 1, 1], [1, 1, 1]], name);
    const i2 = index();
    const y2 = op(leaf(), i2, src(true));
    i2.mul_(0);
    assert.throws(() => y2.sum().backward(), CHANGED, `${name}, src requiring grad`);
  }
});
