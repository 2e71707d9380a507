/**
 * A job's news on the event stream carries no loss points: the server and the pages keep them by the same rule
 * from the progress reports, so a page following the stream draws exactly the server's points.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJobRequest } from '../../src/web/job-spec.js';
import { JobQueue, type QueueEvent } from '../../src/web/jobs.js';
import { applyProgress, JobMirror } from '../../src/web/client/job-mirror.js';
import type { FeedEvent } from '../../src/web/client/event-stream.js';
import type { JobSnapshot } from '../../src/web/shared/api-types.js';
import { addLossPoint, LIVE_POINTS, mergeJob } from '../../src/web/shared/live-points.js';
import { manualExecutor, settle } from './fake-executor.js';

const plan = (): ReturnType<typeof parseJobRequest> => parseJobRequest({ variants: 'baseline,adam', seeds: '0,1', epochs: 1, trainLimit: 100 });

/** What the event stream would deliver: each event through JSON, as the browser parses it. */
function asFeed(e: QueueEvent): FeedEvent {
  const wire = JSON.parse(JSON.stringify(e.type === 'job' ? e.job : e.progress)) as unknown;
  return e.type === 'job' ? { type: 'job', data: wire as never } : { type: 'progress', data: wire as never };
}

test('a page that joins part-way and follows the stream keeps the same thinned points as the server, though job news carries none', async () => {
  const { executor, started } = manualExecutor();
  const queue = new JobQueue(executor);
  const { job } = queue.submit(plan());
  const hooks = started[0]!.hooks;
  const steps = 3 * LIVE_POINTS;
  const report = (run: number, s: number): void => hooks.onProgress(run, { step: s, totalSteps: steps, epoch: 0, samples: s, loss: s % 997 === 0 ? NaN : 1 / s, elapsedSeconds: s / 100 });
  hooks.onRunStart(0);
  for (let s = 1; s <= 1000; s++) report(0, s);

  // The page connects now: its hello is the server's list, points included.
  const mirror = new JobMirror();
  mirror.apply({ type: 'hello', data: JSON.parse(JSON.stringify({ jobs: queue.list(), server: 'a' })) as never });
  const news: string[] = [];
  queue.subscribe((e) => {
    if (e.type === 'job') news.push(JSON.stringify(e.job));
    mirror.apply(asFeed(e));
  });
  for (let s = 1001; s <= steps; s++) {
    report(0, s);
    if (s === 5000) hooks.onRunStart(1);
    if (s > 5000) report(1, s - 5000);
  }
  hooks.onRunDone(0, 0.9);
  hooks.onRunStart(2);
  for (let s = 1; s <= 50; s++) report(2, s);

  const server = queue.get(job.id)!;
  const page = mirror.snapshot()!.jobs.find((j) => j.id === job.id)!;
  assert.ok(server.runs[0]!.points.length <= LIVE_POINTS && server.runs[0]!.points.length > LIVE_POINTS / 2, `thinned: ${server.runs[0]!.points.length}`);
  assert.deepEqual(page.runs.map((r) => r.points), server.runs.map((r) => r.points));
  assert.deepEqual(page.runs.map((r) => r.status), ['done', 'running', 'running', 'waiting']);
  assert.equal(page.runs[0]!.accuracy, 0.9);
  assert.ok(news.length >= 3);
  for (const n of news) {
    assert.doesNotMatch(n, /points/, 'job news carries no points');
    assert.ok(n.length < 2000, `job news is small: ${n.length} characters`);
  }
  started[0]!.finish({ stopped: false });
  await settle();
  assert.equal(mirror.snapshot()!.jobs[0]!.status, 'done');
  assert.deepEqual(mirror.snapshot()!.jobs[0]!.runs[2]!.points, queue.get(job.id)!.runs[2]!.points);
  await queue.idle();
});

test('thinning keeps the newest point and every other one before it, and leaves non-finite losses out', () => {
  let points: Array<[number, number]> = [];
  for (let s = 1; s <= 9; s++) points = addLossPoint(points, s, s === 4 ? Infinity : s / 10, 5);
  // The sixth point (step 7) made [1, 2, 3, 5, 6, 7] too long: every other one from the newest back is kept.
  assert.deepEqual(points.map(([s]) => s), [2, 5, 7, 8, 9]);
  assert.deepEqual(points[points.length - 1], [9, 0.9]);
});

test('a page keeps its own points for news, and for a request\'s answer older than its progress; a newer answer\'s points win', () => {
  const snap = (points: Array<[number, number]>, revision = 3): JobSnapshot => ({
    id: '1', status: 'running', title: 't', createdAt: '', revision,
    runs: [{ name: 'a', variant: 'baseline', seed: 0, status: 'running', totalSteps: 100, step: points.length, samples: 0, elapsedSeconds: 0, points }],
  });
  const page = snap([[10, 1], [20, 0.5], [30, 0.4]]);
  const { points: _drop, ...run } = page.runs[0]!;
  assert.deepEqual(mergeJob({ ...page, status: 'stopping', runs: [{ ...run }] }, page).runs[0]!.points, page.runs[0]!.points);
  assert.equal(mergeJob({ ...page, status: 'stopping', runs: [{ ...run }] }, page).status, 'stopping');
  assert.deepEqual(mergeJob(snap([[10, 1], [20, 0.5]]), page).runs[0]!.points, page.runs[0]!.points, 'an answer overtaken by progress');
  assert.deepEqual(mergeJob(snap([[10, 1], [20, 0.5], [30, 0.4], [40, 0.3]]), page).runs[0]!.points.length, 4);
  assert.deepEqual(mergeJob({ ...page, runs: [{ ...run }] }, undefined).runs[0]!.points, [], 'news of a job the page has not seen');
});

test('progress that reaches a page after a request\'s answer holding it (the stream behind) adds nothing twice', async () => {
  const { executor, started } = manualExecutor();
  const queue = new JobQueue(executor);
  const { job } = queue.submit(plan());
  const hooks = started[0]!.hooks;
  hooks.onRunStart(0);
  // The page: what LiveJobs keeps, fed by the stream (5 messages behind) and by the stop request's answer.
  let page: JobSnapshot = JSON.parse(JSON.stringify(queue.get(job.id))) as JobSnapshot;
  const behind: QueueEvent[] = [];
  queue.subscribe((e) => behind.push(e));
  const deliver = (keep: number): void => {
    while (behind.length > keep) {
      const e = asFeed(behind.shift()!);
      if (e.type === 'progress') applyProgress(page, e.data);
      else if (e.type === 'job' && e.data.revision >= page.revision) page = mergeJob(e.data, page);
    }
  };
  for (let s = 1; s <= 4100; s++) {
    hooks.onProgress(0, { step: s, totalSteps: 10_000, epoch: 0, samples: s, loss: 1 / s, elapsedSeconds: s / 100 });
    deliver(5);
  }
  const answer = JSON.parse(JSON.stringify(queue.stop(job.id))) as JobSnapshot;
  page = mergeJob(answer, page);
  deliver(0);
  for (let s = 4101; s <= 4200; s++) hooks.onProgress(0, { step: s, totalSteps: 10_000, epoch: 0, samples: s, loss: 1 / s, elapsedSeconds: s / 100 });
  deliver(0);
  const server = queue.get(job.id)!.runs[0]!;
  assert.deepEqual(page.runs[0]!.points, server.points);
  assert.equal(page.runs[0]!.step, 4200);
  started[0]!.finish({ stopped: true });
  await settle();
  await queue.idle();
});
