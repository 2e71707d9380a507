// A DataLoader over a ConcatDataset of MNIST datasets gives MNIST's batches ({ x, y, labels, indices }, and [x, y]),
// as PyTorch's loader over a ConcatDataset gives its parts' batches; it gave collated { label, image, target } objects.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConcatDataset, DataLoader, loadEmbeddedMnist, MnistDataset, Subset, type Batch } from '../../src/data/index.js';
import { Generator } from '../../src/random.js';

const a = new MnistDataset(loadEmbeddedMnist('test'), { limit: 5 });
const b = new MnistDataset(loadEmbeddedMnist('train'), { limit: 4 });
/** Example `k` of the concatenation [a, b]: its part and index there. */
const part = (k: number): [MnistDataset, number] => (k < 5 ? [a, k] : [b, k - 5]);

/** The batch's rows checked against the parts' own examples, in the concatenation's order `order`. */
function checkBatch(batch: Batch, order: readonly number[]): void {
  assert.deepEqual(batch.x.shape, [order.length, 784]);
  assert.deepEqual(batch.y.shape, [order.length, 10]);
  assert.deepEqual(Array.from(batch.indices), order.map((k) => part(k)[1]), 'indices: file positions in each example\'s own dataset');
  order.forEach((k, row) => {
    const [ds, i] = part(k);
    const { label, image, target } = ds.get(i);
    assert.equal(batch.labels.toArray()[row], label);
    assert.deepEqual(batch.x.select(0, row).toArray(), image.toArray());
    assert.deepEqual(batch.y.select(0, row).toArray(), target.toArray());
  });
  const [x, y] = batch;
  assert.equal(x, batch.x);
  assert.equal(y, batch.y);
}

test('a ConcatDataset of MNIST datasets is batched as MNIST is, in PyTorch\'s shuffled order', () => {
  const loader = new DataLoader(new ConcatDataset([a, b]), { batchSize: 4, shuffle: true, generator: new Generator(3) });
  // torch 1.13: DataLoader(ConcatDataset([list(range(5)), list(range(100, 104))]), batch_size=4, shuffle=True,
  // generator=torch.Generator().manual_seed(3)) → [[1, 4, 2, 3], [0, 101, 102, 103], [100]].
  const batches: Batch[] = [...loader];
  const orders = [[1, 4, 2, 3], [0, 6, 7, 8], [5]];
  assert.equal(batches.length, 3);
  batches.forEach((batch, n) => checkBatch(batch, orders[n]!));
  assert.deepEqual(Object.keys(batches[0]!), ['x', 'y', 'labels', 'indices']);
});

test('a Subset of such a ConcatDataset too; a part that is not MNIST keeps the collated examples', () => {
  // torch 1.13: DataLoader(Subset(that ConcatDataset, [8, 0, 5]), batch_size=3) → [[103, 0, 100]].
  const [batch] = [...new DataLoader(new Subset(new ConcatDataset([a, b]), [8, 0, 5]), 3)];
  checkBatch(batch!, [8, 0, 5]);
  const mixed = [...new DataLoader(new ConcatDataset<unknown>([a, [a.get(0)]]), 6)][0] as Record<string, unknown>;
  assert.deepEqual(Object.keys(mixed), ['label', 'image', 'target']);
});

test('a subclass\'s own get() is called for each example and its results collated, as PyTorch\'s loader calls __getitem__', () => {
  // A ConcatDataset (or Subset, or MnistDataset) whose get() changes the examples: its batches must be what get() gives,
  // not the parts' MNIST batches (which skipped the override and gave the parts' labels).
  class Flipped extends ConcatDataset<ReturnType<MnistDataset['get']>> {
    override get(i: number) { const s = super.get(i); return { ...s, label: 9 - s.label }; }
  }
  class FlippedMnist extends MnistDataset {
    override get(i: number) { const s = super.get(i); return { ...s, label: 9 - s.label }; }
  }
  class Reversed extends Subset<MnistDataset> {
    override get(i: number) { return super.get(this.length - 1 - i); }
  }
  const expected = [...Array(9).keys()].map((k) => 9 - part(k)[0].get(part(k)[1]).label);
  const concat = [...new DataLoader(new Flipped([a, b]), 9)][0] as unknown as Record<string, { toArray(): ArrayLike<number> }>;
  assert.deepEqual(Object.keys(concat), ['label', 'image', 'target']);
  assert.deepEqual(Array.from(concat['label']!.toArray()), expected);
  const flipped = [...new DataLoader(new FlippedMnist(loadEmbeddedMnist('test'), { limit: 5 }), 5)][0] as unknown as Record<string, { toArray(): ArrayLike<number> }>;
  assert.deepEqual(Array.from(flipped['label']!.toArray()), expected.slice(0, 5));
  const reversed = [...new DataLoader(new ConcatDataset([new Reversed(a, [0, 1, 2]), b]), 7)][0] as unknown as Record<string, { toArray(): ArrayLike<number> }>;
  assert.deepEqual(Array.from(reversed['label']!.toArray()), [2, 1, 0, 5, 6, 7, 8].map((k) => part(k)[0].get(part(k)[1]).label));
});
