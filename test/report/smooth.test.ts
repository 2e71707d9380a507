import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meanSeries, movingAverage, smoothingWindow, thinnedIndices, thinningStride } from '../../src/report/smooth.js';

test('movingAverage: centred window, shrinking at the ends', () => {
  assert.deepEqual(movingAverage([1, 2, 3, 4, 5], 3), [1.5, 2, 3, 4, 4.5]);
  // Even window: one more record after than before (window 4 at i covers i-1 … i+2).
  assert.deepEqual(movingAverage([0, 4, 8, 12], 4), [4, 6, 8, 10]);
  assert.deepEqual(movingAverage([7, 9], 1), [7, 9]);
  assert.deepEqual(movingAverage([], 5), []);
});

test('movingAverage skips null records and keeps null where the whole window is null', () => {
  assert.deepEqual(movingAverage([1, null, 3, null, null, null], 3), [1, 2, 3, 3, null, null]);
  assert.throws(() => movingAverage([1], 0), /window must be a positive integer, got 0/);
});

test('thinning keeps every k-th point, at most the maximum, deterministically', () => {
  assert.equal(thinningStride(54_000, 20_000), 3);
  assert.equal(thinningStride(18_000, 20_000), 1);
  assert.equal(thinningStride(20_001, 20_000), 2);
  const kept = thinnedIndices(54_000, 3, false);
  assert.equal(kept.length, 18_000);
  assert.deepEqual(kept.slice(0, 3), [0, 3, 6]);
  assert.equal(kept[kept.length - 1], 53_997);
  assert.deepEqual(thinnedIndices(10, 4, true), [0, 4, 8, 9]);
  assert.deepEqual(thinnedIndices(9, 4, true), [0, 4, 8]);
});

test('smoothingWindow: 100 records, but at most a tenth of a short run', () => {
  assert.equal(smoothingWindow(18_000), 100);
  assert.equal(smoothingWindow(200), 20);
  assert.equal(smoothingWindow(5), 1);
});

test('meanSeries averages seeds record by record and refuses series of different lengths', () => {
  assert.deepEqual(meanSeries([[1, 2, null], [3, null, null]]), [2, 2, null]);
  assert.equal(meanSeries([[1, 2], [1]]), undefined);
  assert.equal(meanSeries([]), undefined);
});

test('movingAverage: a huge record does not cancel the windows after it (each window summed on its own)', () => {
  assert.deepEqual(movingAverage([1e20, 0.1, 0.2, 0.3, 0.4], 1), [1e20, 0.1, 0.2, 0.3, 0.4]);
  const after = movingAverage([1e12, 0.1, 0.2, 0.3, 0.4, 0.5], 3);
  assert.equal(after[3], (0.2 + 0.3 + 0.4) / 3);
  assert.equal(after[4], (0.3 + 0.4 + 0.5) / 3);
});
