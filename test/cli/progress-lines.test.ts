// Without a terminal (CI logs, pipes), each run's progress is a plain line every 10,000 steps; its counts carry the
// thousands separators every other count of the lab's output has (the table, the stop message, the notes).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProgressView } from '../../src/cli/progress.js';

test('progress lines count steps and samples/s with thousands separators', () => {
  const lines: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => { lines.push(chunk); return true; }) as typeof process.stderr.write;
  try {
    const view = createProgressView(['baseline s0'], [180_000], 'lines');
    view.start(0);
    view.update(0, { step: 9_999, totalSteps: 180_000, epoch: 0, samples: 9_999, loss: 0.5, elapsedSeconds: 1 });
    view.update(0, { step: 100_000, totalSteps: 180_000, epoch: 1, samples: 100_000, loss: 0.25, elapsedSeconds: 20 });
  } finally {
    process.stderr.write = write;
  }
  assert.deepEqual(lines, ['started baseline s0\n', 'baseline s0: step 100,000/180,000, loss 0.2500, 5,000 samples/s\n']);
});
