// Fixes from a review of shape and creation ops against PyTorch 1.13 (the expected values and names are PyTorch
// 1.13's): repeat and tile of an empty tensor keep their gradient in the graph, chunk of an empty dimension names
// its node SplitWithSizesBackward0, full and fullLike take a 0-d tensor as the fill value, and wrong arguments to
// movedim, broadcastTo, combinations, cat and stack are refused in their own words; and two additions, repeatInterleave's
// outputSize and adjoint as a function (which, with mT, mH and H, gives a 0-d tensor back as it is).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  adjoint, autograd, broadcastTo, cat, combinations, full, fullLike, movedim, repeatInterleave, stack, tensor, zeros, type Tensor,
} from '../../src/index.js';
import { loose, throwsWith } from './throws.js';

test('repeat and tile of an empty tensor: the gradient stays differentiable (a zero repeat gives a constant)', () => {
  // PyTorch: x = zeros(shape, requires_grad=True); g, = autograd.grad((y*y).sum(), [x], create_graph=True)
  const cases: [number[], number[], boolean][] = [
    [[0], [2], true], [[0, 3], [2, 1], true], [[0], [1], true], [[2, 0], [1, 3, 2], true], [[2], [0], false], [[2], [0, 1], false],
  ];
  for (const [shape, reps, differentiable] of cases) {
    for (const [name, op] of [['repeat', (x: Tensor) => x.repeat(reps)], ['tile', (x: Tensor) => x.tile(reps)]] as const) {
      const x = zeros(shape, { requiresGrad: true });
      const y = op(x);
      const [g] = autograd.grad(y.mul(y).sum(), [x], { createGraph: true });
      assert.equal(g!.requiresGrad, differentiable, `${name} of ${JSON.stringify(shape)} by ${JSON.stringify(reps)}`);
      assert.deepEqual(g!.shape, shape);
      assert.deepEqual(Array.from(g!.values()), new Array<number>(g!.numel()).fill(0));
    }
  }
});

test('chunk of an empty dimension: empty pieces whose node is SplitWithSizesBackward0', () => {
  const parts = zeros([0, 2], { requiresGrad: true }).chunk(3);
  assert.equal(parts.length, 3);
  for (const p of parts) {
    assert.deepEqual(p.shape, [0, 2]);
    assert.equal(p.gradFn!.torchName, 'SplitWithSizesBackward0');
  }
  assert.equal(zeros([4], { requiresGrad: true }).chunk(2)[0]!.gradFn!.torchName, 'SplitBackward0');
});

test('full and fullLike take a 0-d tensor as the fill value, as PyTorch\'s Scalar; other tensors are refused', () => {
  assert.deepEqual(full([2], tensor(3)).tolist(), [3, 3]);
  assert.deepEqual(fullLike(zeros(2, 1), tensor(-1.5)).tolist(), [[-1.5], [-1.5]]);
  assert.equal(full([2], tensor(3)).requiresGrad, false);
  // PyTorch: TypeError: full(): argument 'fill_value' (position 2) must be Number, not Tensor
  throwsWith(() => full([2], tensor([3])), TypeError, 'full: fill value must be a number or a 0-d tensor', 'shape [1]');
  throwsWith(() => fullLike(zeros(2), tensor(3, { requiresGrad: true })), TypeError, 'fullLike: fill value', 'requires grad');
  throwsWith(() => full([2], loose('a')), TypeError, 'full: fill value must be a number, got the string "a"');
});

test('movedim, broadcastTo and combinations refuse arguments of the wrong kind in their own words', () => {
  const x = zeros(2, 3, 4);
  const v = zeros(6);
  throwsWith(() => movedim(x, loose(null), 1), TypeError, 'movedim: source must be a dimension or an array of dimensions', 'got null');
  throwsWith(() => loose<(a: Tensor, b: number) => Tensor>(movedim)(x, 0), TypeError, 'movedim: destination must be', 'got undefined');
  throwsWith(() => x.movedim(0, loose(tensor(1))), TypeError, 'movedim: destination must be');
  // PyTorch: TypeError: broadcast_to(): argument 'size' (position 2) must be tuple of ints, not int
  throwsWith(() => broadcastTo(v, loose(6)), TypeError, 'broadcastTo: shape must be an array of sizes', 'got the number 6');
  throwsWith(() => loose<(a: Tensor) => Tensor>(broadcastTo)(v), TypeError, 'broadcastTo: shape must be an array of sizes', 'got undefined');
  throwsWith(() => combinations(v, loose(null)), TypeError, 'combinations: r must be a whole number or options', 'got null');
  assert.deepEqual(movedim(x, [0, 1], [2, 0]).shape, [3, 4, 2]);
  assert.deepEqual(broadcastTo(v, [2, 6]).shape, [2, 6]);
  assert.deepEqual(combinations(tensor([1, 2, 3]), { r: 3 }).tolist(), [[1, 2, 3]]);
});

test('cat and stack refuse arguments after the dimension, as PyTorch does (cat([a, b], 0, 2))', () => {
  const a = zeros(2);
  // PyTorch: TypeError: cat() received an invalid combination of arguments - got (list, int, int)
  throwsWith(() => loose<(t: Tensor[], d: number, e: number) => Tensor>(cat)([a, a], 0, 2), TypeError, 'cat: takes the tensors and one dimension', '1 more argument', 'the number 2');
  throwsWith(() => loose<(t: Tensor[], d: number, e: object) => Tensor>(stack)([a, a], 1, {}), TypeError, 'stack: takes the tensors and one dimension');
  assert.deepEqual(cat([a, a], 0).shape, [4]);
  assert.deepEqual(stack([a, a], 1).shape, [2, 2]);
});

test('repeatInterleave takes PyTorch\'s outputSize, checked against the repeats\' total', () => {
  const x = tensor([[1, 2], [3, 4]]);
  // PyTorch 1.13: torch.repeat_interleave(x, torch.tensor([1, 2]), dim=0, output_size=3) and the others below.
  assert.deepEqual(repeatInterleave(x, tensor([1, 2]), 0, { outputSize: 3 }).tolist(), [[1, 2], [3, 4], [3, 4]]);
  assert.deepEqual(x.repeatInterleave(2, 1, { outputSize: 4 }).tolist(), [[1, 1, 2, 2], [3, 3, 4, 4]]);
  assert.deepEqual(repeatInterleave(x, 2, { outputSize: 8 }).tolist(), [1, 1, 2, 2, 3, 3, 4, 4]);
  assert.deepEqual(repeatInterleave(tensor([1, 2]), { outputSize: 3 }).tolist(), [0, 1, 1]);
  // PyTorch: RuntimeError: allocated size does not match required size
  throwsWith(() => repeatInterleave(x, tensor([1, 2]), 0, { outputSize: 4 }), Error, 'outputSize is 4, but the repeats add up to 3');
  throwsWith(() => repeatInterleave(tensor([1, 2]), { outputSize: 2 }), Error, 'outputSize is 2, but the repeats add up to 3');
  throwsWith(() => x.repeatInterleave(2, 0, { outputSize: -1 }), TypeError, 'outputSize must be a whole number ≥ 0, got the number -1');
  throwsWith(() => repeatInterleave(x, 2, 0, loose({ outputsize: 4 })), TypeError, 'outputsize');
});

test('adjoint as a function, as torch.adjoint: the last two dimensions swapped, a view', () => {
  const x = zeros(2, 3, 4, { requiresGrad: true });
  const y = adjoint(x);
  assert.deepEqual(y.shape, [2, 4, 3]);
  assert.equal(y.gradFn!.torchName, 'TransposeBackward0');
  assert.deepEqual(adjoint(tensor([[1, 2], [3, 4]])).tolist(), [[1, 3], [2, 4]]);
  // PyTorch: RuntimeError: tensor.adjoint() is only supported on matrices or batches of matrices. Got 1-D tensor.
  throwsWith(() => adjoint(zeros(3)), RangeError, 'tensor.adjoint() is only supported on matrices or batches of matrices. Got 1-D tensor.');
  throwsWith(() => adjoint(loose(3)), TypeError, 'adjoint');
});

test('mT, mH, adjoint and H of a 0-d tensor give the tensor itself, as PyTorch 1.13 does', () => {
  // PyTorch 1.13: a = tensor(2., requires_grad=True); a.mT is a (no new node; a.mT.add_ changes a), and so are a.mH,
  // a.H, a.adjoint() and torch.adjoint(a). A 1-D tensor is still refused, H's message with no hint about batches.
  const a = tensor(2, { requiresGrad: true });
  for (const [name, t] of [['mT', a.mT], ['mH', a.mH], ['H', a.H], ['adjoint()', a.adjoint()], ['adjoint(a)', adjoint(a)]] as const) {
    assert.equal(t, a, name);
  }
  const b = tensor(2);
  b.mT.add_(1);
  assert.equal(b.item(), 3);
  throwsWith(() => zeros(3).mT, RangeError, 'tensor.mT is only supported on matrices or batches of matrices. Got 1-D tensor.');
  assert.throws(() => zeros(3).H, (e: Error) => e.message === 'tensor.H is only supported on matrices (2-D tensors). Got 1-D tensor.');
  throwsWith(() => zeros(1, 2, 3).H, RangeError, 'Got 3-D tensor. For batches of matrices, consider using tensor.mH');
});
