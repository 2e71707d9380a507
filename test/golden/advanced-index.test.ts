// Advanced indexing against PyTorch 1.13 (fixtures/torch/advanced-index.json, from make_advanced_index.py):
// x.index([rows, cols]) is PyTorch's x[rows, cols] (null for `:`), with broadcast, 2-D, 0-d, negative and repeated
// indices, the indexed dimensions in place or in front as PyTorch places them; indexPut / indexPut_ are index_put
// (x[i, j] = v, and += with accumulate): values, node names, the input's and the values' gradients, and refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indexPut, tensor, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

interface Get { name: string; input: EncodedTensor; index: (EncodedTensor | number | null)[]; out: EncodedTensor; node: string; upstream: EncodedTensor; grad: EncodedTensor }
interface Put extends Get { inplace: boolean; accumulate: boolean; values: EncodedTensor; valuesGrad: EncodedTensor }
const fx = loadFixture<{ gets: Get[]; puts: Put[]; refusals: Record<string, { type: string; message: string }> }>('advanced-index.json');
const TOL = { rtol: 1e-6, atol: 1e-6 };
const indicesOf = (list: (EncodedTensor | number | null)[]): (Tensor | number | null)[] => list.map((e) => (e === null || typeof e === 'number' ? e : decode(e)));

for (const c of fx.gets) {
  test(`index: ${c.name}: PyTorch's values, shape ${JSON.stringify(c.out.shape)}, IndexBackward0 and gradient`, () => {
    const leaf = decode(c.input, true);
    const out = leaf.mul(1.5).index(indicesOf(c.index));
    assert.deepEqual(out.shape, c.out.shape);
    assertTensorClose(out, c.out, 'values', { rtol: 0, atol: 0 });
    assert.equal(out.gradFn?.torchName, c.node);
    out.backward(decode(c.upstream));
    assertTensorClose(leaf.grad, c.grad, 'gradient', TOL);
  });
}

for (const c of fx.puts) {
  test(`indexPut${c.inplace ? '_' : ''}: ${c.name}: PyTorch's values and both gradients`, () => {
    const leaf = decode(c.input, true);
    const v = decode(c.values, true);
    const h = leaf.mul(1.5);
    const out = c.inplace ? h.indexPut_(indicesOf(c.index), v, { accumulate: c.accumulate }) : indexPut(h, indicesOf(c.index), v, { accumulate: c.accumulate });
    if (c.inplace) assert.equal(out, h);
    else assert.notEqual(out, h);
    assertTensorClose(out, c.out, 'values', TOL);
    // PyTorch's x[:, i, j] = v slices first and writes into the slice (CopySlices); Kindling writes in one step.
    assert.equal(out.gradFn?.torchName, c.node.includes('CopySlices') ? 'IndexPutBackward0' : c.node);
    out.backward(decode(c.upstream));
    assertTensorClose(leaf.grad, c.grad, 'gradient', TOL);
    assertTensorClose(v.grad, c.valuesGrad, 'gradient of the values', TOL);
  });
}

test('refusals, as PyTorch\'s: out of bounds, too many indices, indices that do not broadcast, values that do not fit', () => {
  const x = tensor([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]);
  const r = fx.refusals;
  assert.throws(() => x.index([tensor([5])]), new RegExp(r['out of bounds']!.message));
  assert.throws(() => x.index([tensor([0]), tensor([0]), tensor([0])]), new RegExp(r['too many']!.message));
  assert.throws(() => x.index([tensor([0, 1]), tensor([0, 1, 2])]), (e: Error) => e.message.includes(r['broadcast']!.message));
  assert.throws(() => x.indexPut_([tensor([0, 1])], tensor([1, 1, 1])), (e: Error) => e.message.includes(r['values shape']!.message));
  assert.deepEqual(Array.from(x.toArray()), Array.from({ length: 12 }, (_, i) => i), 'a refused indexPut_ leaves x as it was');
  assert.throws(() => x.index([tensor([0.5])]), /whole numbers/);
  assert.deepEqual(Array.from(x.index([1, tensor([3, 0])]).toArray()), [7, 4], "a number picks one position, as PyTorch's x[1, idx]");
  assert.deepEqual(x.index([tensor([0, 2]), 1]).shape, [2]);
  assert.throws(() => x.index(tensor([0]) as unknown as Tensor[]), /must be an array/);
  assert.throws(() => x.index([[0] as unknown as Tensor]), /^TypeError: index: index 0 must be a Tensor \(index tensor or mask\), a number, true or false, null \(:\), slice\(\.\.\.\), '\.\.\.' or newaxis, got an array/);
});

test('a batch\'s picked log-probabilities, logp[arange(n), y], as PyTorch code writes them', () => {
  const logp = tensor([[-0.1, -2.3, -3], [-1.2, -0.4, -2.5]], { requiresGrad: true });
  const picked = logp.index([tensor([0, 1]), tensor([0, 1])]);
  assert.deepEqual(Array.from(picked.toArray()), [Math.fround(-0.1), Math.fround(-0.4)]);
  picked.sum().neg().backward();
  assert.deepEqual(Array.from(logp.grad!.toArray()), [-1, 0, 0, 0, -1, 0]);
});

test('0-d index tensors and numbers alone select, as PyTorch\'s x[tensor(1)] (a view) and x[tensor(1)] = v', () => {
  // PyTorch 1.13: x[torch.tensor(1)] is tensor([3., 4.]) (SelectBackward0), x[torch.tensor(1), torch.tensor(0)] is
  // tensor(3.); x[torch.tensor(1)] = 9 gives [[1, 2], [9, 9]]; index_put_ with (tensor(1), tensor(0)), 7, accumulate
  // gives [[1, 2], [10, 4]].
  const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
  const row = x.index([tensor(1)]);
  assert.deepEqual(row.shape, [2]);
  assert.deepEqual(Array.from(row.values()), [3, 4]);
  assert.equal(row.gradFn?.torchName, 'SelectBackward0');
  row.mul(tensor([5, 6])).sum().backward();
  assert.deepEqual(Array.from(x.grad!.values()), [0, 0, 5, 6]);
  const one = x.index([tensor(1), tensor(-2)]);
  assert.deepEqual(one.shape, []);
  assert.equal(one.item(), 3);
  assert.deepEqual(Array.from(x.index([1]).values()), [3, 4]);
  assert.throws(() => x.index([tensor(2)]), /index 2 is out of bounds for dimension 0 with size 2/);
  const y = tensor([[1, 2], [3, 4]]);
  assert.deepEqual(Array.from(indexPut(y, [tensor(1)], 9).values()), [1, 2, 9, 9]);
  assert.deepEqual(Array.from(indexPut(y, [tensor(1), tensor(0)], tensor(7), { accumulate: true }).values()), [1, 2, 10, 4]);
  assert.deepEqual(Array.from(y.indexPut_([tensor(0)], tensor([7, 8])).values()), [7, 8, 3, 4]);
});

test('nulls alone are PyTorch\'s x[:, :], a view, and x[:, :] = v writes every place', () => {
  // PyTorch 1.13: x[:, :] is a view of x (SliceBackward0); y[:, :] = tensor([1, 2, 3]) writes every row.
  const x = tensor([[0, 1, 2], [3, 4, 5]], { requiresGrad: true });
  const all = x.index([null, null]);
  assert.deepEqual([all.shape, Array.from(all.toArray()), all.gradFn?.torchName], [[2, 3], [0, 1, 2, 3, 4, 5], 'SliceBackward0']);
  assert.deepEqual(Array.from(x.index([null]).toArray()), [0, 1, 2, 3, 4, 5]);
  all.mul(tensor([1, 2, 3])).sum().backward();
  assert.deepEqual(Array.from(x.grad!.toArray()), [1, 2, 3, 1, 2, 3]);
  const b = tensor([[0, 0, 0], [0, 0, 0]]);
  b.index([null, null]).add_(1);
  assert.deepEqual(Array.from(b.toArray()), [1, 1, 1, 1, 1, 1], 'x[:, :] is a view: a change through it is the base\'s');
  assert.deepEqual(Array.from(b.indexPut_([null, null], tensor([1, 2, 3])).toArray()), [1, 2, 3, 1, 2, 3]);
  assert.throws(() => tensor(5).index([null]), /too many indices for tensor of dimension 0/);
});

test('numbers with nulls select and slice left to right, as PyTorch: x[1, :] ends in SliceBackward0, x[:, 1] in a select', () => {
  // PyTorch 1.13 (c = torch.zeros(4, 3, requires_grad=True)): c[1, :] SliceBackward0, c[:, 1] SelectBackward0,
  // c[1, :, 0] of a [4, 3, 2] tensor SelectBackward0, its [1, :] and [:, 1, :] SliceBackward0; all views.
  const c = tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]], { requiresGrad: true });
  const row = c.index([1, null]);
  assert.deepEqual([row.shape, Array.from(row.toArray()), row.gradFn?.torchName], [[3], [3, 4, 5], 'SliceBackward0']);
  assert.equal(c.index([null, 1]).gradFn?.torchName, 'SelectBackward0');
  const d = tensor(Array.from({ length: 24 }, (_, i) => i)).reshape(4, 3, 2).requiresGrad_();
  assert.equal(d.index([1, null, 0]).gradFn?.torchName, 'SelectBackward0');
  assert.equal(d.index([1, null]).gradFn?.torchName, 'SliceBackward0');
  const mid = d.index([null, 1, null]);
  assert.deepEqual([mid.shape, mid.gradFn?.torchName], [[4, 2], 'SliceBackward0']);
  assert.deepEqual(Array.from(mid.toArray()), [2, 3, 8, 9, 14, 15, 20, 21]);
  row.mul(tensor([1, 2, 3])).sum().backward();
  assert.deepEqual(Array.from(c.grad!.toArray()), [0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 0, 0]);
  const b = tensor([[0, 0], [0, 0]]);
  b.index([1, null]).add_(1);
  assert.deepEqual(Array.from(b.toArray()), [0, 0, 1, 1], 'still a view: a change through it is the base\'s');
});

test('indexPut takes accumulate by position, as PyTorch\'s index_put_(indices, values, True), and checks its values', () => {
  // PyTorch 1.13: torch.zeros(3).index_put_((tensor([0, 0]),), tensor(1.), True) is tensor([2., 0., 0.]); with False,
  // or left out, tensor([1., 0., 0.]). Kindling ignored the positional true, writing where PyTorch adds.
  const acc = (accumulate?: boolean): number[] => Array.from(tensor([0, 0, 0]).indexPut_([tensor([0, 0])], tensor(1), accumulate).toArray());
  assert.deepEqual(acc(true), [2, 0, 0]);
  assert.deepEqual(acc(false), [1, 0, 0]);
  assert.deepEqual(acc(), [1, 0, 0]);
  assert.deepEqual(Array.from(indexPut(tensor([0, 0, 0]), [tensor([0, 0])], tensor(1), true).toArray()), [2, 0, 0]);
  assert.deepEqual(Array.from(tensor([0, 0, 0]).indexPut([tensor([2, 2])], tensor(1), true).toArray()), [0, 0, 2]);
  // An option misspelt, or values that are no tensor or number, are refused rather than quietly written (as NaN).
  assert.throws(() => tensor([0, 0]).indexPut_([tensor([0])], tensor(1), { accumlate: true } as never), /indexPut: unknown option "accumlate" \(did you mean accumulate\?\)/);
  assert.throws(() => tensor([0, 0]).indexPut_([tensor([0])], 2, 1 as never), /indexPut: accumulate must be true or false, got number/);
  assert.throws(() => tensor([0, 0]).indexPut_([tensor([0])], undefined as never), /indexPut: values must be a Tensor or a number, got undefined/);
  assert.throws(() => tensor([0, 0]).indexPut_([tensor([0])], '2' as never), /indexPut: values must be a Tensor or a number, got string/);
});
