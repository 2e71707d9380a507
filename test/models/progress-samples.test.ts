// Progress counts the images trained on: an epoch's last batch holds what is left of the data, so a step is not
// always a full batch (10 images in batches of 4 are 4 + 4 + 2 a pass).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';
import { samplesSeen, trainRun, type Progress } from '../../src/lab/trainer.js';
import { variantSpec } from './helpers.js';

test('samplesSeen counts a short last batch as what it holds', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((step) => samplesSeen(step, 3, 4, 10)), [0, 4, 8, 10, 14, 18, 20]);
  assert.equal(samplesSeen(2, 1, 60000, 10), 20);
  assert.equal(samplesSeen(938, 938, 64, 60000), 60000);
});

test('a run reports the images it trained on, epoch after epoch', () => {
  const seen: Array<[number, number]> = [];
  const spec = variantSpec('baseline', { epochs: 2, batchSize: 4, trainLimit: 10, testLimit: 20 });
  trainRun(spec, loadEmbeddedMnist('train'), loadEmbeddedMnist('test'), {
    progressEvery: 1,
    onProgress: (p: Progress) => { seen.push([p.step, p.samples]); },
  });
  assert.deepEqual(seen, [[1, 4], [2, 8], [3, 10], [4, 14], [5, 18], [6, 20]]);
});
