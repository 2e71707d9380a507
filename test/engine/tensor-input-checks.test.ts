// Inputs PyTorch refuses or takes that Kindling used to take silently or refuse (a review against PyTorch 1.13):
// holes and non-numbers in `tensor()`'s arrays (booleans taken as 1 and 0), a value tensor of `maskedFill` with dimensions, `arange`'s options,
// `requiresGrad` given something else than true or false, and the forms PyTorch has for empty tensors, `backward(None)`
// and iteration.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arange, KindlingError, ones, optim, nn, tensor, zeros } from '../../src/index.js';
import { loose, throwsWith } from './throws.js';

test('tensor() refuses a hole of a sparse array, nested or flat, and non-numbers given with a shape', () => {
  throwsWith(() => tensor(loose([1, , 3])), TypeError, 'at [1]', 'a hole');
  throwsWith(() => tensor(loose([[1, 2], , [5, 6]])), TypeError, 'at [1]', 'a hole');
  throwsWith(() => tensor(loose([[1, , 3], [4, 5, 6]])), TypeError, 'at [0][1]', 'a hole');
  throwsWith(() => tensor(loose(new Array(3))), TypeError, 'at [0]', 'a hole');
  throwsWith(() => tensor(loose([1, , 3]), [3]), TypeError, 'at [1]', 'a hole');
  throwsWith(() => tensor(loose([1, null, 3]), [3]), TypeError, 'at [1]', 'null');
  throwsWith(() => tensor(loose(['1', 2]), [2]), TypeError, 'at [0]', 'the string "1"');
  // What is whole still reads as before.
  assert.deepEqual(Array.from(tensor([1, 2, 3, 4], [2, 2]).toArray()), [1, 2, 3, 4]);
  assert.deepEqual(tensor(Float32Array.of(1, 2), [2, 1]).shape, [2, 1]);
});

test('tensor() takes typed arrays among its rows, as torch.tensor takes a list of NumPy arrays', () => {
  // PyTorch 1.13: torch.tensor([np.array([1., 2.]), np.array([3., 4.])]) is tensor([[1., 2.], [3., 4.]]).
  const rows = tensor([Float32Array.of(1, 2), Float32Array.of(3, 4)]);
  assert.deepEqual([rows.shape, Array.from(rows.toArray())], [[2, 2], [1, 2, 3, 4]]);
  assert.deepEqual(Array.from(tensor([[1, 2], Float64Array.of(3, 4)]).toArray()), [1, 2, 3, 4]);
  assert.deepEqual(tensor([[Uint8Array.of(255)], [Uint8Array.of(0)]]).shape, [2, 1, 1]);
  assert.deepEqual(tensor([new Float32Array(0)]).shape, [1, 0]);
  assert.deepEqual(Array.from(tensor([Float32Array.of(1, 2), Float32Array.of(3, 4)], [4]).toArray()), [1, 2, 3, 4]);
  throwsWith(() => tensor([Float32Array.of(1, 2), Float32Array.of(3)]), RangeError, 'ragged nested array: [1] has length 1 but 2 was expected');
  throwsWith(() => tensor(loose([[1, 2], 3])), RangeError, 'ragged nested array: [1] has the number 3 but 2 was expected');
});

test('tensor() takes booleans as 1 and 0, the float32 masks comparisons give, where PyTorch makes a bool tensor', () => {
  // PyTorch 1.13: torch.tensor([True, False]) is tensor([ True, False]), .float() tensor([1., 0.]); torch.tensor(True)
  // is 0-d; torch.tensor([1, True]) is tensor([1, 1]).
  assert.deepEqual([tensor([true, false]).shape, Array.from(tensor([true, false]).toArray())], [[2], [1, 0]]);
  assert.deepEqual([tensor(true).shape, tensor(true).item()], [[], 1]);
  assert.deepEqual(Array.from(tensor([[1, true], [false, 2.5]]).toArray()), [1, 1, 0, 2.5]);
  assert.deepEqual(Array.from(tensor([true, false, true], [3, 1]).toArray()), [1, 0, 1]);
  const x = tensor([1, 2, 3]);
  assert.deepEqual(Array.from(x.maskedFill(tensor([true, false, true]), 0).toArray()), [0, 2, 0]);
  assert.deepEqual(Array.from(x.eq(2).toArray()), Array.from(tensor([false, true, false]).toArray()));
});

test('maskedFill takes a number or a 0-d tensor, and names itself when the mask does not broadcast', () => {
  const c = tensor([0.1, 0.2, 0.3, 0.4]);
  const mask = tensor([1, 1, 0, 1]);
  throwsWith(() => c.maskedFill(mask, tensor([3])), RangeError, 'maskedFill', '0 dimensions', '[1]');
  throwsWith(() => c.maskedFill(mask, tensor([[3], [4]])), RangeError, 'maskedFill', '[2, 1]');
  throwsWith(() => c.maskedFill(mask, loose('3')), TypeError, 'maskedFill', 'a number or a 0-d tensor');
  assert.deepEqual(Array.from(c.maskedFill(mask, tensor(3)).toArray()), [3, 3, Math.fround(0.3), 3]);
  // The mask broadcasts with the tensor, as PyTorch's out-of-place masked_fill does.
  assert.deepEqual(c.maskedFill(ones(2, 4), 0).shape, [2, 4]);
  throwsWith(() => zeros(3, 4).maskedFill(ones(2, 4), 0), RangeError, 'maskedFill:', '[2, 4]', '[3, 4]');
  throwsWith(() => c.any(5), RangeError, 'any:', 'got 5');
  throwsWith(() => c.all(-3), RangeError, 'all:', 'got -3');
});

test('arange takes options after its numbers, and refuses unknown ones', () => {
  assert.equal(arange(0, 5, 1, { requiresGrad: true }).requiresGrad, true);
  assert.equal(arange(0, 5, { requiresGrad: true }).requiresGrad, true);
  const x = arange(4, { requiresGrad: true });
  assert.deepEqual(Array.from(x.toArray()), [0, 1, 2, 3]);
  x.mul(x).sum().backward();
  assert.deepEqual(Array.from(x.grad!.toArray()), [0, 2, 4, 6]);
  assert.equal(arange(2, 8, 2).requiresGrad, false);
  assert.deepEqual(Array.from(arange(2, 8, 2).toArray()), [2, 4, 6]);
  throwsWith(() => arange(5, loose({ dtype: 'int64' })), KindlingError, 'arange: only float32 is supported', "got 'int64'");
  throwsWith(() => loose<(...a: unknown[]) => unknown>(arange)(1, 2, 3, 4), TypeError, 'arange', 'got 4 numbers');
});

test('requiresGrad takes true or false only', () => {
  const x = tensor([1, 2]);
  throwsWith(() => x.requiresGrad_(loose('yes')), TypeError, 'requiresGrad_', 'the string "yes"');
  throwsWith(() => { x.requiresGrad = loose(1); }, TypeError, 'requiresGrad', 'true or false');
  assert.equal(x.requiresGrad, false);
  assert.equal(x.requiresGrad_().requiresGrad, true);
});

test('empty tensors: contiguous whatever their strides, and chunk gives the pieces asked for', () => {
  assert.equal(zeros(0, 3).t().isContiguous(), true);
  assert.equal(zeros(3, 4).narrow(1, 1, 0).isContiguous(), true);
  assert.equal(zeros(3, 4).t().isContiguous(), false);
  assert.deepEqual(zeros(0).chunk(3).map((t) => t.shape), [[0], [0], [0]]);
  assert.deepEqual(zeros(2, 0).chunk(2, 1).map((t) => t.shape), [[2, 0], [2, 0]]);
  assert.deepEqual(zeros(5).chunk(3).map((t) => t.shape), [[2], [2], [1]]);
});

test('backward(null) is backward() (PyTorch\'s None); iteration goes over dimension 0; size() is a copy', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  x.mul(3).sum().backward(null);
  assert.deepEqual(Array.from(x.grad!.toArray()), [3, 3]);
  throwsWith(() => x.mul(3).backward(loose([1, 1])), TypeError, 'gradient must be a Tensor of shape [2]', 'an array');

  const m = tensor([[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual([...m].map((r) => Array.from(r.toArray())), [[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(Array.from(m).length, 3);
  const rows: number[] = [];
  for (const row of m) rows.push(row.sum().item());
  assert.deepEqual(rows, [3, 7, 11]);
  throwsWith(() => [...tensor(3)], TypeError, 'iteration over a 0-d tensor');
  // A tensor is not taken for a list of parameters now that it is iterable.
  throwsWith(() => new optim.SGD(loose(tensor([1, 2], { requiresGrad: true })), 0.1), TypeError, 'SGD: params must be an array');
  throwsWith(() => new nn.ModuleList(loose(m)), TypeError, 'ModuleList: expects an array');
  throwsWith(() => new nn.ModuleDict(loose(m)), TypeError, 'ModuleDict: expects');

  const s = m.size();
  s[0] = 7;
  assert.deepEqual(m.shape, [3, 2]);
  assert.equal(m.size(-1), 2);
});

test('retainGrad keeps a non-leaf\'s gradient, adding up over passes, as PyTorch\'s retain_grad', () => {
  // /usr/bin/python3, torch 1.13: h = x * 2; h.retain_grad(); (h * h).sum().backward(retain_graph=True) gives h.grad
  // [[4, 8, 12], [16, 20, 24]]; then (h * 3).sum().backward() gives [[7, 11, 15], [19, 23, 27]] and x.grad
  // [[14, 22, 30], [38, 46, 54]].
  const x = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
  const h = x.mul(2);
  assert.equal(h.retainsGrad, false);
  h.mul(h).sum().backward({ retainGraph: true });
  assert.equal(h.grad, null, 'without retainGrad, a non-leaf keeps no gradient');
  x.grad = null;
  h.retainGrad();
  assert.equal(h.retainsGrad, true);
  h.mul(h).sum().backward({ retainGraph: true });
  assert.deepEqual(h.grad!.tolist(), [[4, 8, 12], [16, 20, 24]]);
  h.mul(3).sum().backward();
  assert.deepEqual(h.grad!.tolist(), [[7, 11, 15], [19, 23, 27]]);
  assert.deepEqual(x.grad!.tolist(), [[14, 22, 30], [38, 46, 54]]);
  assert.equal(h.grad!.requiresGrad, false);
  // On a leaf it changes nothing; on a tensor that needs no gradient it is refused, as PyTorch refuses it.
  x.retainGrad();
  assert.equal(x.retainsGrad, false);
  throwsWith(() => tensor([1]).retainGrad(), Error, "can't retain the gradient of a tensor that does not require grad");
});
