// The lab's pool of training threads: jobs in order of cost, one outcome per job, and the work a slot does between
// two jobs (the lab draws finished variants' plots there) waited for before the slot's next job.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';
import { createStopFlag, runPool, type Outcome } from '../../src/lab/pool.js';
import type { RunSpec } from '../../src/lab/trainer.js';
import { findVariant } from '../../src/lab/variants.js';

const train = loadEmbeddedMnist('train', { shared: true });
const test_ = loadEmbeddedMnist('test', { shared: true });

function spec(variant: string, seed: number): RunSpec {
  const v = findVariant(variant)!;
  return { variant, label: v.label, config: v.config, seed, epochs: 1, batchSize: 1, trainLimit: 30, testLimit: 10 };
}

test('runPool waits for beforeNextJob between two jobs of a slot, and not after its last', async () => {
  const events: string[] = [];
  const outcomes = await runPool([spec('baseline', 0), spec('baseline', 1), spec('baseline', 2)], {
    workers: 1, train, test: test_,
    onStart: (i) => events.push(`start ${i}`),
    onDone: (i) => events.push(`done ${i}`),
    beforeNextJob: () => {
      events.push('between');
      return new Promise((resolve) => setTimeout(() => {
        events.push('between over');
        resolve(undefined);
      }, 30));
    },
  });
  assert.deepEqual(outcomes.map((o) => o.ok), [true, true, true]);
  assert.deepEqual(events, ['start 0', 'done 0', 'between', 'between over', 'start 1', 'done 1', 'between', 'between over', 'start 2', 'done 2']);
});

test('runPool: work between jobs that fails, or that has nothing to do, does not stop the runs', async () => {
  const hooks: Record<string, () => Promise<unknown> | undefined> = {
    rejects: () => Promise.reject(new Error('plot rendering failed: no room')),
    throws: () => {
      throw new Error('not a promise');
    },
    'does nothing': () => undefined,
  };
  const results: Outcome[][] = [];
  for (const [what, hook] of Object.entries(hooks)) {
    let calls = 0;
    const outcomes = await runPool([spec('bce', 0), spec('bce', 1)], {
      workers: 1, train, test: test_,
      beforeNextJob: () => {
        calls++;
        return hook();
      },
    });
    assert.deepEqual(outcomes.map((o) => o.ok), [true, true], what);
    assert.equal(calls, 1, `${what}: called once, between the two jobs`);
    results.push(outcomes);
  }
  // The same runs give the same results whatever is done between them.
  const first = results[0]!.map((o) => (o.ok ? [o.result.accuracy, o.result.losses] : null));
  for (const r of results.slice(1)) assert.deepEqual(r.map((o) => (o.ok ? [o.result.accuracy, o.result.losses] : null)), first);
});

test('runPool: once the runs are stopped, nothing is done between jobs and the jobs left are not started', async () => {
  const stop = createStopFlag();
  let calls = 0;
  const failed: number[] = [];
  const outcomes = await runPool([spec('baseline', 0), spec('baseline', 1), spec('baseline', 2)], {
    workers: 1, train, test: test_, stop,
    onDone: () => Atomics.store(stop, 0, 1),
    onFailed: (i) => failed.push(i),
    beforeNextJob: () => {
      calls++;
      return undefined;
    },
  });
  assert.deepEqual(outcomes.map((o) => (o.ok ? 'ok' : o.kind)), ['ok', 'not-started', 'not-started']);
  assert.equal(calls, 0);
  assert.deepEqual(failed, [], 'jobs never started are not reported as failed');
});

test('runPool reports a job that ended without a result through onFailed', async () => {
  const failed: string[] = [];
  const bad = { ...spec('baseline', 0), trainLimit: 0 }; // no training images: the run fails
  const outcomes = await runPool([bad, spec('baseline', 1)], {
    workers: 1, train, test: test_,
    onFailed: (i, o) => failed.push(`${i} ${o.ok ? 'ok' : o.kind}`),
  });
  assert.deepEqual(outcomes.map((o) => o.ok), [false, true]);
  assert.deepEqual(failed, ['0 error']);
});
