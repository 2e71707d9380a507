import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WebError } from '../../src/web/errors.js';
import { parseJobRequest } from '../../src/web/job-spec.js';
import { JobQueue, type QueueEvent } from '../../src/web/jobs.js';
import { manualExecutor, settle } from './fake-executor.js';

const plan = (variants = 'baseline'): ReturnType<typeof parseJobRequest> => parseJobRequest({ variants, epochs: 1, trainLimit: 100 });

test('one job runs at a time; the next waits in line and starts when the first ends', async () => {
  const { executor, started } = manualExecutor();
  const queue = new JobQueue(executor, { maxQueued: 2 });
  const events: QueueEvent[] = [];
  queue.subscribe((e) => events.push(e));

  const a = queue.submit(plan('baseline'));
  assert.equal(a.job.status, 'running');
  assert.equal(a.message, 'Training started.');
  const b = queue.submit(plan('adam'));
  assert.equal(b.job.status, 'queued');
  assert.equal(b.job.position, 1);
  assert.match(b.message, /Another run is training, so this one is queued \(position 1\)/);
  assert.equal(started.length, 1, 'the second job must not start yet');

  started[0]!.finish({ runFolder: 'r1', stopped: false });
  await settle();
  assert.equal(queue.get(a.job.id)!.status, 'done');
  assert.equal(queue.get(a.job.id)!.runFolder, 'r1');
  assert.equal(queue.get(b.job.id)!.status, 'running');
  assert.equal(started.length, 2);
  assert.equal(started[1]!.plan.planned[0]!.variant, 'adam');
  started[1]!.finish({ stopped: false });
  await queue.idle();
  const statuses = events.filter((e) => e.type === 'job' && e.job.id === a.job.id).map((e) => (e.type === 'job' ? e.job.status : ''));
  assert.deepEqual(statuses, ['running', 'done']);
});

test('beyond the queue the server is busy: 409 with a message saying what runs', () => {
  const { executor } = manualExecutor();
  const queue = new JobQueue(executor, { maxQueued: 1 });
  queue.submit(plan('baseline'));
  queue.submit(plan('adam'));
  assert.throws(() => queue.submit(plan('bce')), (err: unknown) => {
    assert.ok(err instanceof WebError);
    assert.equal(err.statusCode, 409);
    assert.match(err.message, /The server is busy: job 1 \(baseline × seed 0 · 1 epoch · 100 images\) is training and 1 more is queued/);
    return true;
  });
  assert.equal(queue.list().length, 2, 'a refused job is not remembered');
});

test('progress reports fill the runs; run results and failures are recorded', async () => {
  const { executor, started } = manualExecutor();
  const queue = new JobQueue(executor);
  const progress: QueueEvent[] = [];
  queue.subscribe((e) => {
    if (e.type === 'progress') progress.push(e);
  });
  const { job } = queue.submit(parseJobRequest({ variants: 'baseline,adam', seeds: '0,1', epochs: 1 }));
  assert.deepEqual(job.runs.map((r) => r.name), ['baseline s0', 'baseline s1', 'adam s0', 'adam s1']);
  const hooks = started[0]!.hooks;
  hooks.onRunStart(2);
  hooks.onProgress(2, { step: 50, totalSteps: 100, epoch: 0, samples: 50, loss: 0.25, elapsedSeconds: 0.5 });
  hooks.onProgress(2, { step: 100, totalSteps: 100, epoch: 0, samples: 100, loss: NaN, elapsedSeconds: 1 });
  hooks.onRunDone(2, 0.875);
  hooks.onRunFailed(3, 'the loss became NaN');
  const snap = queue.get(job.id)!;
  assert.equal(snap.runs[2]!.status, 'done');
  assert.equal(snap.runs[2]!.step, 100);
  assert.equal(snap.runs[2]!.accuracy, 0.875);
  assert.deepEqual(snap.runs[2]!.points, [[50, 0.25]], 'a non-finite loss is not drawn');
  assert.equal(snap.runs[3]!.status, 'failed');
  assert.equal(snap.runs[3]!.error, 'the loss became NaN');
  assert.equal(progress.length, 2);
  assert.deepEqual(progress[0], { type: 'progress', progress: { jobId: job.id, run: 2, step: 50, totalSteps: 100, samples: 50, loss: 0.25, elapsedSeconds: 0.5 } });
  started[0]!.fail(new Error('disk full'));
  await settle();
  assert.equal(queue.get(job.id)!.status, 'failed');
  assert.equal(queue.get(job.id)!.message, 'disk full');
});

test('stopping: a queued job is cancelled, a running one is asked to stop, a finished one cannot be', async () => {
  const { executor, started } = manualExecutor();
  const queue = new JobQueue(executor);
  const a = queue.submit(plan('baseline')).job;
  const b = queue.submit(plan('adam')).job;
  const c = queue.submit(plan('bce')).job;
  assert.equal(queue.stop(b.id).status, 'cancelled');
  assert.equal(queue.get(c.id)!.position, 1, 'the queue moves up');
  started[0]!.hooks.onRunStart(0);
  const stopping = queue.stop(a.id);
  assert.equal(stopping.status, 'stopping');
  assert.equal(started[0]!.stopCalls, 1);
  await settle();
  assert.equal(queue.get(a.id)!.status, 'stopped');
  assert.equal(queue.get(a.id)!.message, 'stopped by the test');
  // Its run was cut short, not failed.
  assert.deepEqual(queue.get(a.id)!.runs.map((r) => r.status), ['stopped']);
  assert.equal(queue.get(c.id)!.status, 'running');
  assert.equal(started.length, 2, 'the cancelled job never started');
  assert.throws(() => queue.stop(a.id), (err: unknown) => err instanceof WebError && err.statusCode === 409 && /already finished \(stopped\)/.test(err.message));
  assert.throws(() => queue.stop('99'), (err: unknown) => err instanceof WebError && err.statusCode === 404);
  // A run that never started is left waiting ("not started" on the pages and in the Ctrl-C note), not "stopped".
  assert.equal(queue.stop(c.id).status, 'stopping');
  await settle();
  assert.equal(queue.get(c.id)!.status, 'stopped');
  assert.deepEqual(queue.get(c.id)!.runs.map((r) => r.status), ['waiting']);
  await queue.idle();
});

test('a live run keeps a bounded number of chart points', () => {
  const { executor, started } = manualExecutor();
  const queue = new JobQueue(executor, { maxPoints: 100 });
  const { job } = queue.submit(plan());
  for (let s = 1; s <= 1000; s++) started[0]!.hooks.onProgress(0, { step: s, totalSteps: 1000, epoch: 0, samples: s, loss: 1 / s, elapsedSeconds: s });
  const points = queue.get(job.id)!.runs[0]!.points;
  assert.ok(points.length <= 100 && points.length >= 50, `kept ${points.length}`);
  assert.deepEqual(points[points.length - 1], [1000, 1 / 1000], 'the newest point is kept');
  for (let i = 1; i < points.length; i++) assert.ok(points[i]![0] > points[i - 1]![0], 'still in step order');
});

test('every snapshot of a job carries a revision that grows with each change, so a page can drop stale ones', async () => {
  const { executor, started } = manualExecutor();
  const queue = new JobQueue(executor);
  const seen: number[] = [];
  queue.subscribe((e: QueueEvent) => {
    if (e.type === 'job') seen.push(e.job.revision);
  });
  const a = queue.submit(plan('baseline')).job;
  const stopping = queue.stop(a.id);
  await settle();
  const stopped = queue.get(a.id)!;
  assert.equal(stopped.status, 'stopped');
  assert.ok(seen.length >= 2);
  assert.ok(seen.every((r, i) => i === 0 || r > seen[i - 1]!), `revisions grow: ${seen.join(' ')}`);
  // The stop request's answer is older than the stream's last word on the job.
  assert.ok(stopping.revision < stopped.revision, `${stopping.revision} < ${stopped.revision}`);
  assert.equal(stopped.revision, seen[seen.length - 1]);
  assert.ok(started.length === 1);
});
