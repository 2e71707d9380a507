/**
 * The reviewer's findings on the server, each with a test that failed before its fix: the server's id in the
 * event stream's hello and the last job events before a shutdown closes the streams, run names with two dots,
 * BCE without an output activation refused up front, reference runs a few at a time, the router's own refusals
 * in the server's format, and limits beyond the data read as "all of it".
 */
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { lossOutputProblem } from '../../src/lab/output-range.js';
import { WebError } from '../../src/web/errors.js';
import { parseJobRequest } from '../../src/web/job-spec.js';
import type { JobExecutor, JobOutcome } from '../../src/web/jobs.js';
import { urlSegments } from '../../src/web/safe-path.js';
import { WorkLimit } from '../../src/web/work-limit.js';
import { manualExecutor, settle } from './fake-executor.js';
import { listen, postJson, raw, tempDir, type Listening } from './helpers.js';

interface SseEvent {
  readonly event: string;
  readonly data: unknown;
}

/** Opens `/api/events` and collects its events until the server ends the stream. */
function collectEvents(port: number): { events: SseEvent[]; ended: Promise<void> } {
  const events: SseEvent[] = [];
  const ended = new Promise<void>((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path: '/api/events' }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) });
        }
      });
      res.on('end', () => resolve());
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  return { events, ended };
}

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the event stream: which server, and the last news before a shutdown', () => {
  test("hello carries an id unique to the server's start, so a page can tell a restarted server", async () => {
    const one = await listen({ executor: manualExecutor().executor });
    const two = await listen({ executor: manualExecutor().executor });
    try {
      const a = collectEvents(one.port);
      const b = collectEvents(two.port);
      await until(() => a.events.length > 0 && b.events.length > 0, 'the hellos');
      const helloA = a.events[0]!.data as { jobs: unknown[]; server: string };
      const helloB = b.events[0]!.data as { jobs: unknown[]; server: string };
      assert.equal(a.events[0]!.event, 'hello');
      assert.deepEqual(helloA.jobs, []);
      assert.match(helloA.server, /^[0-9a-f-]{36}$/);
      assert.equal(helloA.server, one.serverId);
      assert.notEqual(helloA.server, helloB.server, 'two server starts, two ids');
      const again = collectEvents(one.port);
      await until(() => again.events.length > 0, 'the second hello');
      assert.equal((again.events[0]!.data as { server: string }).server, helloA.server, 'the same server says the same id');
    } finally {
      await one.close();
      await two.close();
    }
  });

  test('shutting down stops the running job first, so the pages see it end "stopped" before their stream closes', async () => {
    // A job that takes a moment to stop, as a real one does (it finishes its step and writes its checkpoint).
    const executor: JobExecutor = () => {
      let finish!: (o: JobOutcome) => void;
      const done = new Promise<JobOutcome>((resolve) => (finish = resolve));
      return { done, stop: () => void setTimeout(() => finish({ stopped: true, message: 'stopped by the shutdown' }), 50) };
    };
    const s = await listen({ executor });
    const stream = collectEvents(s.port);
    await until(() => stream.events.length > 0, 'hello');
    const posted = await postJson(s.base, '/api/jobs', { variants: 'baseline', epochs: 1, trainLimit: 10 });
    assert.equal(posted.status, 202);
    await until(() => stream.events.some((e) => e.event === 'job'), 'the job starting');
    await s.close();
    await stream.ended;
    const statuses = stream.events.filter((e) => e.event === 'job').map((e) => (e.data as { status: string }).status);
    assert.deepEqual(statuses, ['running', 'stopping', 'stopped']);
  });
});

describe('run names with two dots in a row', () => {
  test('urlSegments takes them, and still refuses `.` and `..` segments', () => {
    assert.deepEqual(urlSegments('net..v2/loss-net..v2.svg'), ['net..v2', 'loss-net..v2.svg']);
    assert.deepEqual(urlSegments('a...b'), ['a...b']);
    for (const bad of ['..', '.', 'run/./x', 'run/../x', 'run/%2e%2e/x', 'run/%2e/x', '..%2fx']) assert.equal(urlSegments(bad), null, bad);
  });

  test('their run folder and files are served', async () => {
    const base = tempDir();
    const runs = join(base, 'runs');
    mkdirSync(join(runs, 'net..v2'), { recursive: true });
    writeFileSync(join(runs, 'net..v2', 'loss-net..v2.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(base, 'secret.txt'), 'the secret');
    const s = await listen({ runsDir: runs, executor: manualExecutor().executor });
    try {
      const file = await raw(s.port, 'GET', '/files/net..v2/loss-net..v2.svg');
      assert.equal(file.status, 200);
      assert.equal(file.body, '<svg xmlns="http://www.w3.org/2000/svg"/>');
      const run = await raw(s.port, 'GET', '/api/runs/net..v2');
      assert.equal(run.status, 200);
      assert.equal((JSON.parse(run.body) as { name: string }).name, 'net..v2');
      for (const path of ['/files/net..v2/../../secret.txt', '/files/..%2fsecret.txt', '/files/net..v2/..%5c..%5csecret.txt']) {
        const res = await raw(s.port, 'GET', path);
        assert.equal(res.status, 404, path);
        assert.ok(!res.body.includes('the secret'), path);
      }
    } finally {
      await s.close();
      rmSync(base, { recursive: true, force: true });
    }
  });
});

describe('a loss the outputs cannot feed', () => {
  const CLI = '--loss bce needs outputs in [0, 1], and --output-activation none leaves them unbounded (the first negative output would stop the run): use --output-activation sigmoid';
  const WEB = 'custom.loss "bce" needs outputs in [0, 1], and custom.outputActivation "none" leaves them unbounded (the first negative output would stop the run): use custom.outputActivation "sigmoid"';

  test('one check, in the words of each front end', () => {
    assert.equal(lossOutputProblem({ loss: 'bce', outputActivation: null }, (k, v) => `${k === 'loss' ? '--loss' : '--output-activation'} ${v}`), CLI);
    assert.equal(lossOutputProblem({ loss: 'mse', outputActivation: null }, (k, v) => `${k}=${v}`), null);
    assert.equal(lossOutputProblem({ loss: 'bce', outputActivation: { name: 'sigmoid' } }, (k, v) => `${k}=${v}`), null);
  });

  test('the job spec refuses BCE without an output activation with a 400, before anything is queued', async () => {
    assert.throws(() => parseJobRequest({ custom: { outputActivation: 'none', loss: 'bce' } }), (err: unknown) => err instanceof WebError && err.statusCode === 400 && err.message === WEB);
    assert.equal(parseJobRequest({ custom: { outputActivation: 'sigmoid', loss: 'bce' } }).planned[0]!.config.loss, 'bce');
    const { executor, started } = manualExecutor();
    const s = await listen({ executor });
    try {
      const res = await postJson(s.base, '/api/jobs', { custom: { outputActivation: 'none', loss: 'bce' } });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { error: WEB });
      assert.equal(started.length, 0);
      assert.deepEqual(s.queue.list(), []);
    } finally {
      await s.close();
    }
  });
});

describe('limits beyond the data', () => {
  const { executor, started } = manualExecutor();
  let s: Listening;
  before(async () => {
    s = await listen({ executor });
  });
  after(async () => {
    for (const j of started) j.finish({ stopped: false });
    await s.close();
  });

  test('a trainLimit or testLimit above the split means all of it, and the title counts the images really used', async () => {
    const res = await postJson(s.base, '/api/jobs', { variants: 'baseline', epochs: 1, trainLimit: 1e15, testLimit: 1e15 });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const job = res.body['job'] as { title: string };
    assert.equal(job.title, 'baseline × seed 0 · 1 epoch · 60,000 images');
    assert.equal(started[0]!.plan.trainLimit, 60000);
    assert.equal(started[0]!.plan.testLimit, 10000);
    started[0]!.finish({ stopped: false });
    await settle();
    const small = await postJson(s.base, '/api/jobs', { variants: 'baseline', epochs: 1, trainLimit: 2000 });
    assert.equal((small.body['job'] as { title: string }).title, 'baseline × seed 0 · 1 epoch · 2,000 images', 'a limit within the data is kept');
  });
});

describe('the router\'s own refusals come in the server\'s format', () => {
  let s: Listening;
  before(async () => {
    s = await listen({ executor: manualExecutor().executor, assetsDir: join(tempDir(), 'no-assets') });
  });
  after(async () => {
    await s.close();
  });

  test('a malformed escape: an HTML page for a page, JSON for the API, and never the framework\'s code', async () => {
    const page = await raw(s.port, 'GET', '/draw%zz');
    assert.equal(page.status, 400);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(page.body, /<h1>Bad request<\/h1>/);
    assert.match(page.body, /the address \/draw%zz is not a valid URL/);
    assert.doesNotMatch(page.body, /FST_ERR/);
    const api = await raw(s.port, 'GET', '/api/runs/%zz');
    assert.equal(api.status, 400);
    assert.match(String(api.headers['content-type']), /application\/json/);
    assert.deepEqual(JSON.parse(api.body), { error: 'the address /api/runs/%zz is not a valid URL: it holds a %-escape that is not valid (a literal % is written %25, and escapes must decode to UTF-8 text)' });
    const escaped = await raw(s.port, 'GET', '/runs%zz<script>');
    assert.doesNotMatch(escaped.body, /<script>/, 'the address is escaped in the page');
  });

  test('a long run name is looked up (404), and only an absurd one is refused, as 414 in the same format', async () => {
    const long = await raw(s.port, 'GET', `/api/runs/${'a'.repeat(300)}`);
    assert.equal(long.status, 404);
    assert.match(JSON.parse(long.body).error as string, /^there is no run folder named "a{300}"$/);
    const absurd = await raw(s.port, 'GET', `/api/runs/${'a'.repeat(3000)}`);
    assert.equal(absurd.status, 414);
    const body = JSON.parse(absurd.body) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['error']);
    assert.match(body['error'] as string, /^the address \/api\/runs\/a{70}.*… is too long: a name in it may have at most 1024 characters$/);
    const asset = await raw(s.port, 'GET', `/assets/${'b'.repeat(3000)}`);
    assert.equal(asset.status, 414);
    assert.match(JSON.parse(asset.body).error as string, /is too long/);
    assert.equal((await raw(s.port, 'GET', '/runs')).status, 200, 'still serving');
  });
});

describe('JSON bodies the server cannot take', () => {
  let s: Listening;
  let executor: ReturnType<typeof manualExecutor>;
  before(async () => {
    executor = manualExecutor();
    s = await listen({ executor: executor.executor, assetsDir: join(tempDir(), 'no-assets') });
  });
  after(async () => {
    await s.close();
  });

  const send = async (body: string): Promise<{ status: number; error: unknown }> => {
    const res = await fetch(`${s.base}/api/jobs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    return { status: res.status, error: ((await res.json()) as Record<string, unknown>)['error'] };
  };

  test('a prototype key is named and refused; a syntax error says where; an empty body says what to send', async () => {
    assert.deepEqual(await send('{"variants":"baseline","__proto__":{"epochs":1}}'), {
      status: 400,
      error: 'the body has a "__proto__" key, which is refused (it could change the prototype of objects the server makes); leave it out',
    });
    assert.deepEqual(await send('{"variants":"baseline","x":{"constructor":{"prototype":{"a":1}}}}'), {
      status: 400,
      error: 'the body has a "constructor" key, which is refused (it could change the prototype of objects the server makes); leave it out',
    });
    const broken = await send('{"variants": bad}');
    assert.equal(broken.status, 400);
    assert.match(String(broken.error), /^the body is not valid JSON: Unexpected token 'b'.* \(line 1, column 14\)$/);
    assert.deepEqual(await send(' '), { status: 400, error: 'the body is empty: send a JSON object with Content-Type: application/json' });
    // A key given twice is refused, as the command line refuses an option given twice (JSON.parse keeps the last).
    assert.deepEqual(await send('{"variants":"baseline","variants":"adam"}'), { status: 400, error: 'the body gives the key "variants" more than once; give each once' });
    assert.deepEqual(await send('{"variants":"baseline","x":{"a":1,"a":2}}'), { status: 400, error: 'the body gives the key "a" more than once; give each once' });
    assert.deepEqual(await send('['.repeat(20_000) + ']'.repeat(20_000)), { status: 400, error: 'the body nests arrays or objects too deeply to read; a request is a flat JSON object' });
    assert.equal(executor.started.length, 0, 'no job was queued');
    // A route that takes no body answers the same with the JSON header and no body as without it.
    const json = { 'Content-Type': 'application/json' };
    for (const headers of [json, {}]) {
      const stop = await fetch(`${s.base}/api/jobs/99/stop`, { method: 'POST', headers });
      assert.equal(stop.status, 404, JSON.stringify(await stop.json()));
      const put = await fetch(`${s.base}/api/jobs`, { method: 'PUT', headers });
      assert.equal(put.status, 405, 'the address takes GET and POST');
      await put.body?.cancel();
    }
    // A key named constructor without a prototype inside is an ordinary key: the job spec names it as unknown.
    const odd = await send('{"variants":"baseline","constructor":1}');
    assert.equal(odd.status, 400);
    assert.doesNotMatch(String(odd.error), /prototype|not valid JSON/);
  });
});

describe('reference runs for pages, a few at a time', () => {
  test('WorkLimit runs at most maxRunning tasks, queues maxWaiting more in order, and refuses the rest with 503', async () => {
    const limit = new WorkLimit(2, 1, 'task');
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const releases: Array<() => void> = [];
    const task = (n: number) => async (): Promise<number> => {
      running++;
      most = Math.max(most, running);
      order.push(n);
      await new Promise<void>((r) => releases.push(r));
      running--;
      return n;
    };
    const a = limit.run(task(1));
    const b = limit.run(task(2));
    const c = limit.run(task(3));
    await assert.rejects(limit.run(task(4)), (err: unknown) => err instanceof WebError && err.statusCode === 503 && /busy: it is running 2 tasks and 1 more is waiting/.test(err.message));
    await settle();
    assert.deepEqual(limit.load, { running: 2, waiting: 1 });
    assert.deepEqual(order, [1, 2]);
    releases.shift()!();
    assert.equal(await a, 1);
    await settle();
    assert.deepEqual(order, [1, 2, 3], 'the waiting task took the freed place');
    releases.shift()!();
    releases.shift()!();
    assert.deepEqual([await b, await c], [2, 3]);
    assert.deepEqual(limit.load, { running: 0, waiting: 0 });
    assert.equal(most, 2);
    // A failing task frees its place too.
    await assert.rejects(limit.run(async () => { throw new Error('boom'); }), /boom/);
    assert.deepEqual(limit.load, { running: 0, waiting: 0 });
  });

  test('many requests at once: a few train, the rest wait or get a clear 503', async () => {
    const s = await listen({ executor: manualExecutor().executor, referenceLimits: { running: 1, waiting: 1 } });
    try {
      const answers = await Promise.all([0, 1, 2, 3].map((seed) => postJson(s.base, '/api/reference', { variant: 'baseline', seed, trainLimit: 2000, testLimit: 10 })));
      const statuses = answers.map((a) => a.status).sort();
      assert.deepEqual(statuses, [200, 200, 503, 503]);
      for (const a of answers.filter((x) => x.status === 503)) {
        assert.match(String(a.body['error']), /^the server is busy: it is running 1 reference run for a page and 1 more is waiting, the most it keeps; try again in a few seconds$/);
      }
      const again = await postJson(s.base, '/api/reference', { variant: 'baseline', seed: 3, trainLimit: 2000, testLimit: 10 });
      assert.equal(again.status, 200, 'once they are done, the next one trains');
    } finally {
      await s.close();
    }
  });

  test('the busy refusal counts several running reference runs in the plural', async () => {
    const s = await listen({ executor: manualExecutor().executor, referenceLimits: { running: 2, waiting: 1 } });
    try {
      const answers = await Promise.all([0, 1, 2, 3].map((seed) => postJson(s.base, '/api/reference', { variant: 'baseline', seed, trainLimit: 2000, testLimit: 10 })));
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 200, 503]);
      assert.equal(String(answers.find((a) => a.status === 503)!.body['error']), 'the server is busy: it is running 2 reference runs for a page and 1 more is waiting, the most it keeps; try again in a few seconds');
    } finally {
      await s.close();
    }
  });
});

test('a list field holding something else than strings and numbers names the wrong element', () => {
  const refused = (body: unknown, message: string): void => {
    assert.throws(() => parseJobRequest(body), (err: unknown) => err instanceof WebError && err.statusCode === 400 && err.message === message);
  };
  refused({ variants: 'baseline', seeds: [0, true] }, 'seeds: expected a string, a number or an array of them, got an array whose element 1 is boolean');
  refused({ variants: ['baseline', null] }, 'variants: expected a string, a number or an array of them, got an array whose element 1 is null');
  refused({ variants: 'baseline', epochs: [1] }, 'epochs: expected a string or a number, got an array');
  refused({ variants: 'baseline', seeds: { a: 1 } }, 'seeds: expected a string, a number or an array of them, got object');
  assert.deepEqual(parseJobRequest({ variants: 'baseline', seeds: [0, '1'] }).seeds, [0, 1]);
});
