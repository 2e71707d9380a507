// A split built by hand (images, labels, count, rows, cols, source: how data of one's own reaches the DataLoader) is
// checked as the file readers check theirs, rather than read past its end or given a target with its 1 in the next
// example's row.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataLoader, MnistDataset, type MnistSplit } from '../../src/data/index.js';

const split = (o: Partial<MnistSplit> = {}): MnistSplit => ({
  images: Uint8Array.from({ length: 3 * 4 }, (_, i) => i * 20),
  labels: Uint8Array.from([1, 9, 3]),
  count: 3,
  rows: 2,
  cols: 2,
  source: 'mine',
  ...o,
});

test('a hand-made split that is whole batches as the files do', () => {
  const [batch] = new DataLoader(new MnistDataset(split()), 3);
  assert.deepEqual(batch!.labels.tolist(), [1, 9, 3]);
  assert.deepEqual((batch!.y.tolist() as number[][])[1], [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  assert.equal(batch!.x.shape.join(), '3,4');
});

test('a hand-made split with a label past 9, too few labels or image bytes, or no rows is refused by name', () => {
  const refused: [Partial<MnistSplit>, string][] = [
    [{ labels: Uint8Array.from([1, 12, 3]) }, 'MnistDataset: the split (mine): label 12 of image 1 is outside 0–9'],
    [{ count: 5 }, 'MnistDataset: the split (mine) has 3 labels for its count of 5 images'],
    [{ images: new Uint8Array(5) }, 'MnistDataset: the split (mine) has 5 image bytes, expected 3 images × 2 × 2 = 12'],
    [{ rows: 0 }, 'MnistDataset: the split (mine) has count 3, rows 0, cols 2: expected a count of 0 or more and rows and cols of 1 or more'],
  ];
  for (const [change, message] of refused) assert.throws(() => new MnistDataset(split(change)), { name: 'DataError', message });
  // Only the first `count` labels are read: a longer label array is fine.
  assert.equal(new MnistDataset(split({ labels: Uint8Array.from([1, 2, 3, 200]) })).length, 3);
});
