// RenderThread keeps one thread for job after job: in order, an error reply fails only its job, a thread that dies
// fails its job and is replaced, an idle thread ends and never holds the process open.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RenderThread } from '../../src/report/render-thread.js';

/** A thread that doubles n and says which thread it is, fails when asked, or exits with a code. */
const ECHO = new URL(
  'data:text/javascript,' +
    encodeURIComponent(`
import { parentPort, threadId } from 'node:worker_threads';
parentPort.on('message', (job) => {
  if (job.exit !== undefined) process.exit(job.exit);
  if (job.fail !== undefined) parentPort.postMessage({ ok: false, message: job.fail });
  else setTimeout(() => parentPort.postMessage({ ok: true, value: job.n * 2, threadId }), job.wait ?? 0);
});`),
);

type Job = { n?: number; fail?: string; exit?: number; wait?: number };
type Reply = { ok: true; value: number; threadId: number } | { ok: false; message: string };

test('jobs queued at once come back in order from one thread, which ends once idle', async () => {
  const thread = new RenderThread<Job, Reply>(ECHO, 150);
  assert.equal(thread.running, false);
  // The first job waits longest: the others must still come after it.
  const replies = await Promise.all([{ n: 1, wait: 80 }, { n: 2 }, { n: 3, wait: 10 }].map((j) => thread.run(j)));
  assert.deepEqual(replies.map((r) => r.value), [2, 4, 6]);
  assert.equal(new Set(replies.map((r) => r.threadId)).size, 1, 'one thread served all three');
  assert.equal(thread.running, true);
  await sleep(600);
  assert.equal(thread.running, false, 'the idle thread has ended');
  const again = await thread.run({ n: 5 });
  assert.equal(again.value, 10);
  assert.notEqual(again.threadId, replies[0]!.threadId, 'a new thread after the idle one ended');
  await thread.close();
});

test('an error reply fails its job only; a thread that dies fails its job and the next job gets a new thread', async () => {
  const thread = new RenderThread<Job, Reply>(ECHO, 5000);
  const first = thread.run({ n: 1 });
  const failed = thread.run({ fail: 'no such mark' });
  const after = thread.run({ n: 2 });
  await assert.rejects(failed, /^Error: plot rendering failed: no such mark$/);
  const [a, b] = [await first, await after];
  assert.equal(a.threadId, b.threadId);
  assert.equal(b.value, 4);
  await assert.rejects(thread.run({ exit: 3 }), /^Error: plot rendering failed: the rendering thread exited with code 3$/);
  const fresh = await thread.run({ n: 4 });
  assert.equal(fresh.value, 8);
  assert.notEqual(fresh.threadId, a.threadId);
  // close() while a job is drawn: the job fails, and close() waits for the thread to end.
  const cut = thread.run({ n: 9, wait: 5000 });
  await sleep(50);
  await thread.close();
  await assert.rejects(cut, /^Error: plot rendering failed: the rendering thread exited with code 1$/);
  assert.equal(thread.running, false);
});

test('a thread waiting for its next job does not keep the process alive', () => {
  const module = fileURLToPath(new URL('../../src/report/render-thread.js', import.meta.url));
  const script = `
const { RenderThread } = await import(${JSON.stringify(module)});
const thread = new RenderThread(new URL(${JSON.stringify(ECHO.href)}), 60_000);
const reply = await thread.run({ n: 21 });
console.log(reply.value, thread.running);`;
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '42 true');
  assert.ok(Date.now() - started < 30_000, 'the process ended long before the thread\'s 60 s idle time');
});
