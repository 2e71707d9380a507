/**
 * The pages' side of the event stream, in Node: the relaying tab's mirror of the job list keeps what the server
 * keeps, and a stream the browser has given up on (an HTTP error) is opened again after a pause.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openEventSource, type FeedEvent } from '../../src/web/client/event-stream.js';
import { JobMirror } from '../../src/web/client/job-mirror.js';
import type { JobSnapshot } from '../../src/web/shared/api-types.js';

function job(id: number, status: JobSnapshot['status']): JobSnapshot {
  return { id: String(id), status, revision: 1, runs: [] } as unknown as JobSnapshot;
}

test('the mirror keeps the 20 newest finished jobs, as the server does, and every active one', () => {
  const mirror = new JobMirror();
  mirror.apply({ type: 'hello', data: { server: 's1', jobs: [job(1, 'running')] } });
  for (let id = 2; id <= 30; id++) mirror.apply({ type: 'job', data: job(id, id % 3 === 0 ? 'cancelled' : 'done') });
  const ids = mirror.snapshot()!.jobs.map((j) => Number(j.id)).sort((a, b) => a - b);
  assert.equal(ids.length, 21);
  assert.equal(ids[0], 1, 'the running job stays');
  assert.deepEqual(ids.slice(1), Array.from({ length: 20 }, (_, i) => 11 + i), 'the 20 newest finished jobs');
  assert.equal(mirror.snapshot()!.server, 's1');
});

/** A stand-in for the browser's EventSource: records instances, and lets a test fail one for good. */
class FakeEventSource {
  static readonly CLOSED = 2;
  static made: FakeEventSource[] = [];
  readyState = 1;
  closed = false;
  private readonly listeners = new Map<string, Array<(e: Event) => void>>();
  constructor(readonly url: string) {
    FakeEventSource.made.push(this);
  }
  addEventListener(type: string, fn: (e: Event) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close(): void {
    this.closed = true;
    this.readyState = FakeEventSource.CLOSED;
  }
  emit(type: string, data?: unknown): void {
    const e = data === undefined ? new Event(type) : Object.assign(new Event(type), { data: JSON.stringify(data) });
    for (const fn of this.listeners.get(type) ?? []) fn(e);
  }
}

test('a stream refused for good is opened again after a pause; one the browser retries itself is left to it', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const saved = (globalThis as { EventSource?: unknown }).EventSource;
  (globalThis as { EventSource?: unknown }).EventSource = FakeEventSource;
  t.after(() => {
    (globalThis as { EventSource?: unknown }).EventSource = saved;
  });
  FakeEventSource.made = [];
  const events: FeedEvent[] = [];
  const stream = openEventSource((e) => events.push(e));
  assert.equal(FakeEventSource.made.length, 1);
  const first = FakeEventSource.made[0]!;
  first.emit('hello', { jobs: [], server: 'a' });
  assert.deepEqual(events, [{ type: 'hello', data: { jobs: [], server: 'a' } }]);
  // A dropped connection: the browser reconnects (readyState CONNECTING), nothing to do.
  first.readyState = 0;
  first.emit('error');
  t.mock.timers.tick(10_000);
  assert.equal(FakeEventSource.made.length, 1);
  // An HTTP error: the browser gives up (CLOSED); a new stream follows after the pause.
  first.readyState = FakeEventSource.CLOSED;
  first.emit('error');
  t.mock.timers.tick(2999);
  assert.equal(FakeEventSource.made.length, 1);
  t.mock.timers.tick(1);
  assert.equal(FakeEventSource.made.length, 2);
  FakeEventSource.made[1]!.emit('hello', { jobs: [], server: 'b' });
  // Each error said the stream was down (the pages show it), until the next hello.
  assert.deepEqual(events.map((e) => e.type), ['hello', 'offline', 'offline', 'hello']);
  // Closed by the page: no more attempts.
  FakeEventSource.made[1]!.readyState = FakeEventSource.CLOSED;
  stream.close();
  FakeEventSource.made[1]!.emit('error');
  t.mock.timers.tick(10_000);
  assert.equal(FakeEventSource.made.length, 2);
  assert.equal(FakeEventSource.made[1]!.closed, true);
  assert.equal(events.length, 4, 'a stream the page closed is not reported down');
});
