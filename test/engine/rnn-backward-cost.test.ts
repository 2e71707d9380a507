// A recurrent layer's backward stays linear in the sequence's length: the input's projection for the whole sequence
// ([T, B, G·hidden], or [Σ batch sizes, G·hidden] packed) feeds one backward node that joins the steps' gradients,
// as PyTorch 1.13's single UnbindBackward0, not one view node per step, each of whose backward wrote a gradient of
// the whole projection's size (T of them: a cost that grew as T², most of a 100-step LSTM's backward).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualSeed, nn, randn, type Tensor } from '../../src/index.js';

/** For each tensor that a node of `root`'s graph takes as input, how many nodes take it. */
function consumers(root: Tensor): Map<Tensor, number> {
  const count = new Map<Tensor, number>();
  const seen = new Set<unknown>();
  const stack = [root.gradFn];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || seen.has(node)) continue;
    seen.add(node);
    for (const t of node.inputs) {
      count.set(t, (count.get(t) ?? 0) + 1);
      stack.push(t.gradFn);
    }
  }
  return count;
}

/** How many nodes take the projection of shape `shape` (made by linear) as their input. */
function projectionConsumers(out: Tensor, shape: readonly number[]): number[] {
  return [...consumers(out)].filter(([t]) => t.gradFn?.name === 'linear' && t.shape.join() === shape.join()).map(([, n]) => n);
}

test('RNN, LSTM and GRU: the whole sequence\'s input projection feeds one backward node, not one per step', () => {
  manualSeed(0);
  const T = 40;
  for (const [layer, gates] of [[new nn.RNN(3, 4, 2), 1], [new nn.LSTM(3, 4, { bidirectional: true }), 4], [new nn.GRU(3, 4, { batchFirst: true }), 3]] as const) {
    const x = randn(layer.batchFirst ? [2, T, 3] : [T, 2, 3], { requiresGrad: true });
    const [out] = layer.forward(x) as unknown as [Tensor];
    const counts = projectionConsumers(out, [T, 2, gates * 4]);
    assert.ok(counts.length > 0, `${layer.constructor.name}: the projection is in the graph`);
    assert.deepEqual(counts, counts.map(() => 1), `${layer.constructor.name}: nodes per projection ${counts.join(', ')}`);
    out.sum().backward();
    assert.deepEqual(x.grad!.shape, x.shape);
  }
});

test('over a packed batch too: the packed projection feeds one backward node', () => {
  manualSeed(0);
  const lstm = new nn.LSTM(3, 4, { bidirectional: true });
  const lengths = [30, 25, 7];
  const x = randn([30, 3, 3], { requiresGrad: true });
  const [out] = lstm.forward(nn.utils.rnn.packPaddedSequence(x, lengths));
  const rows = lengths.reduce((a, b) => a + b, 0);
  const counts = projectionConsumers(out.data, [rows, 16]);
  assert.equal(counts.length, 2, 'both directions\' projections are in the graph');
  assert.deepEqual(counts, [1, 1]);
  out.data.sum().backward();
  assert.deepEqual(x.grad!.shape, x.shape);
});
