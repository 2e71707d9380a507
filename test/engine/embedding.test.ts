// F.embedding and nn.Embedding in the engine: the weight's gradient against central differences of a float64
// reference (repeated indices, composed with other ops), the padding row and scaleGradByFreq by hand, and the errors:
// indices that are not whole numbers or lie outside the rows (naming the position and the range), bad options,
// sparse, a weight that is not 2-D.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, tensor, type Tensor } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import { map, ref, type Ref } from './ref.js';

/** The rows of w [num, dim] at `idx`, in float64: shape idxShape + [dim]. */
function lookup(w: Ref, idx: readonly number[], idxShape: readonly number[]): Ref {
  const dim = w.shape[1]!;
  const out: number[] = [];
  for (const i of idx) for (let j = 0; j < dim; j++) out.push(w.data[i * dim + j]!);
  return ref(out, [...idxShape, dim]);
}

test('gradcheck: the weight\'s gradient of embedding lookups (repeated indices, 0-d to 3-D, composed) matches finite differences', () => {
  const rng = new Rng(7);
  const cases: [number[], number[]][] = [
    [[0, 2, 4, 2], [4]], [[1, 1, 1, 3, 0, 1], [2, 3]], [[2], []], [[0, 1, 1, 0, 4, 4, 3, 2], [2, 2, 2]],
  ];
  for (const [idx, shape] of cases) {
    const w = leaf(rng, [5, 3]);
    const indices = tensor(idx).reshape(shape);
    gradcheck(`embedding ${JSON.stringify(shape)}`, { leaves: [w], forward: () => F.embedding(indices, w), reference: ([r]) => lookup(r!, idx, shape) });
    gradcheck(`tanh(embedding) ${JSON.stringify(shape)}`, {
      leaves: [w], forward: () => F.embedding(indices, w).tanh(), reference: ([r]) => map(lookup(r!, idx, shape), Math.tanh),
    });
  }
  // The weight computed from a leaf: the gradient goes through the lookup into the op before it.
  const a = leaf(rng, [4, 2]);
  gradcheck('embedding of a computed weight', {
    leaves: [a], forward: () => F.embedding(tensor([3, 0, 3]), a.mul(a)), reference: ([r]) => lookup(map(r!, (v) => v * v), [3, 0, 3], [3]),
  });
});

test('paddingIdx: that row gets no gradient, the others what the plain lookup gives; scaleGradByFreq divides by each index\'s count', () => {
  const w = tensor([[1, 2], [3, 4], [5, 6]], { requiresGrad: true });
  const idx = tensor([[0, 2], [2, 2]]);
  const g = tensor([[[1, 10], [100, 1000]], [[2, 20], [3, 30]]]);
  F.embedding(idx, w, { paddingIdx: 2 }).mul(g).sum().backward();
  assert.deepEqual(Array.from(w.grad!.toArray()), [1, 10, 0, 0, 0, 0]);
  w.grad = null;
  F.embedding(idx, w, { paddingIdx: -3 }).mul(g).sum().backward();
  assert.deepEqual(Array.from(w.grad!.toArray()), [0, 0, 0, 0, 105, 1050]);
  w.grad = null;
  F.embedding(idx, w, { scaleGradByFreq: true }).mul(g).sum().backward();
  // Row 2 is looked up three times: each gradient scaled by 1/3 (a float32, the alpha of PyTorch's add), added in turn.
  const third = Math.fround(1 / 3);
  const scaled = (gs: number[]): number => gs.reduce((a, v) => Math.fround(a + third * v), 0);
  assert.deepEqual(Array.from(w.grad!.toArray()), [1, 10, 0, 0, scaled([100, 2, 3]), scaled([1000, 20, 30])]);
  assert.ok(Math.abs(scaled([100, 2, 3]) - 35) < 1e-5);
  // The padding row's values are still looked up (PyTorch does not zero them in the output).
  assert.deepEqual(Array.from(F.embedding(tensor([2]), w, { paddingIdx: 2 }).toArray()), [5, 6]);
});

test('maxNorm renormalises only the rows looked up, in place and without a gradient, and moves the weight\'s version', () => {
  const w = tensor([[3, 4], [0.3, 0.4], [6, 8]], { requiresGrad: true });
  const v = w.version;
  const y = F.embedding(tensor([0, 1, 0]), w, { maxNorm: 1 });
  const s = Math.fround(1 / (5 + 1e-7));
  assert.deepEqual(Array.from(w.toArray()), [Math.fround(3 * s), Math.fround(4 * s), Math.fround(0.3), Math.fround(0.4), 6, 8]);
  assert.deepEqual(Array.from(y.toArray()).slice(0, 2), [Math.fround(3 * s), Math.fround(4 * s)]);
  assert.equal(w.version, v + 1);
  assert.equal(w.gradFn, null);
  // normType 1: |3| + |4| = 7 > 2
  const u = tensor([[3, -4]]);
  F.embedding(tensor([0]), u, { maxNorm: 2, normType: 1 });
  const s1 = Math.fround(2 / (7 + 1e-7));
  assert.deepEqual(Array.from(u.toArray()), [Math.fround(3 * s1), Math.fround(-4 * s1)]);
});

test('indices that are not whole numbers, or lie outside the rows, are refused naming the position and the range', () => {
  const w = tensor([[1, 2], [3, 4], [5, 6]]);
  assert.throws(() => F.embedding(tensor([0, 1.5]), w), { name: 'RangeError', message: /indices must be whole numbers .*got 1\.5 at position 1 of the input \(shape \[2\]\)/ });
  assert.throws(() => F.embedding(tensor([[0, 1], [3, 0]]), w), { name: 'RangeError', message: /index 3 at position 2 of the input is out of range: the weight has 3 rows, so indices lie in \[0, 2\]/ });
  assert.throws(() => F.embedding(tensor([-1]), w), { name: 'RangeError', message: /index -1 at position 0 .* \[0, 2\]/ });
  assert.throws(() => F.embedding(tensor([NaN]), w), { name: 'RangeError', message: /whole numbers/ });
  assert.throws(() => new nn.Embedding(3, 2).forward(tensor(7)), { name: 'RangeError', message: /index 7 at position 0 .* \[0, 2\]/ });
});

test('bad options and weights are refused with clear messages; sparse is refused (no sparse tensors)', () => {
  const w = tensor([[1, 2], [3, 4], [5, 6]]);
  const idx = tensor([0]);
  assert.throws(() => F.embedding(idx, w, { padding_idx: 0 } as never), { name: 'TypeError', message: /unknown option "padding_idx" \(did you mean paddingIdx\?\)/ });
  assert.throws(() => F.embedding(idx, w, { paddingIdx: 3 }), { name: 'RangeError', message: /paddingIdx 3 must be within the 3 embeddings, in \[-3, 2\]/ });
  assert.throws(() => F.embedding(idx, w, { paddingIdx: -4 }), { name: 'RangeError', message: /paddingIdx -4/ });
  assert.throws(() => F.embedding(idx, w, { paddingIdx: 0.5 }), { name: 'TypeError', message: /paddingIdx must be an integer/ });
  assert.throws(() => F.embedding(idx, w, { sparse: true }), { name: 'RangeError', message: /sparse gradients are not supported \(Kindling has no sparse tensors\)/ });
  assert.throws(() => F.embedding(idx, w, { scaleGradByFreq: 1 as never }), { name: 'TypeError', message: /scaleGradByFreq must be true or false/ });
  assert.throws(() => F.embedding(idx, w, { maxNorm: '1' as never }), { name: 'TypeError', message: /maxNorm must be a number or null/ });
  assert.throws(() => F.embedding(idx, tensor([1, 2])), { name: 'RangeError', message: /the weight must be 2-D .*got shape \[2\]/ });
  assert.throws(() => F.embedding([0] as never, w), { name: 'TypeError', message: /embedding: input must be a Tensor/ });
  assert.throws(() => new nn.Embedding(-1, 3), { name: 'RangeError', message: /numEmbeddings must be a non-negative integer/ });
  assert.throws(() => new nn.Embedding(10, 3, { sparse: true }), { name: 'RangeError', message: /Embedding: sparse gradients are not supported/ });
  assert.throws(() => new nn.Embedding(10, 3, { paddingIdx: 10 }), { name: 'RangeError', message: /paddingIdx 10 must be within the 10 embeddings/ });
  assert.throws(() => new nn.Embedding(10, 3, { max_norm: 1 } as never), { name: 'TypeError', message: /did you mean maxNorm\?/ });
  assert.throws(() => nn.Embedding.fromPretrained(tensor([1, 2])), { name: 'RangeError', message: /embeddings must be 2-D/ });
  assert.throws(() => nn.Embedding.fromPretrained(w, { freeze: 'yes' as never }), { name: 'TypeError', message: /freeze must be true or false/ });
  assert.throws(() => (nn.Embedding as unknown as { from_pretrained(): void }).from_pretrained(), { name: 'TypeError', message: /Kindling's is nn\.Embedding\.fromPretrained\(\)/ });
  assert.throws(() => { new nn.Embedding(3, 2).weight = tensor([[1, 2]]) as Tensor; }, { name: 'TypeError' });
});

test('an Embedding trains: SGD moves only the rows looked up (not the padding row)', async () => {
  const { optim } = await import('../../src/index.js');
  const m = new nn.Embedding(4, 2, { paddingIdx: 1 });
  const before = Array.from(m.weight.toArray());
  assert.deepEqual(before.slice(2, 4), [0, 0]);
  const opt = new optim.SGD(m.parameters(), 0.5);
  m.forward(tensor([0, 1, 0])).sum().backward();
  opt.step();
  const after = Array.from(m.weight.toArray());
  assert.deepEqual(after.slice(0, 2), before.slice(0, 2).map((v) => Math.fround(v - 0.5 * 2)));
  assert.deepEqual(after.slice(2), before.slice(2));
});
