import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeSplitSlice } from '../../src/web/shared/split-bytes.js';
import { manualExecutor, settle } from './fake-executor.js';
import { listen, postJson, raw, rawSocket, tempDir, type Listening } from './helpers.js';

describe('the lab server over real HTTP on 127.0.0.1', () => {
  const base = tempDir();
  const runs = join(base, 'runs');
  const { executor, started } = manualExecutor();
  let s: Listening;

  before(async () => {
    mkdirSync(join(runs, 'run1', 'sub'), { recursive: true });
    writeFileSync(join(runs, 'run1', 'results.json'), '{"not":"results"}');
    writeFileSync(join(runs, 'run1', 'loss-all.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(runs, 'run1', 'report.html'), '<!doctype html><title>r</title>');
    writeFileSync(join(runs, 'run1', 'notes.exe'), 'not a served type');
    writeFileSync(join(runs, 'run1', 'sub', 'a.json'), '[1]');
    writeFileSync(join(runs, 'run1', '.results.json.123.tmp'), 'partial');
    writeFileSync(join(base, 'secret.txt'), 'the secret');
    symlinkSync(join(base, 'secret.txt'), join(runs, 'run1', 'leak.json'));
    symlinkSync(base, join(runs, 'outside'));
    s = await listen({ runsDir: runs, executor, maxQueued: 1, bodyLimit: 4096, assetsDir: join(base, 'no-assets') });
  });
  after(async () => {
    for (const j of started) j.finish({ stopped: false });
    await s.close();
    rmSync(base, { recursive: true, force: true });
  });

  test('files inside the runs folder are served with their type and a script-free policy', async () => {
    const svg = await raw(s.port, 'GET', '/files/run1/loss-all.svg');
    assert.equal(svg.status, 200);
    assert.equal(svg.headers['content-type'], 'image/svg+xml');
    assert.match(String(svg.headers['content-security-policy']), /default-src 'none'.*sandbox/);
    assert.equal(svg.headers['x-content-type-options'], 'nosniff');
    assert.equal(svg.body, '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const nested = await raw(s.port, 'GET', '/files/run1/sub/a.json?x=1');
    assert.equal(nested.status, 200);
    assert.equal(nested.body, '[1]');
    assert.equal((await raw(s.port, 'HEAD', '/files/run1/report.html')).status, 200);
  });

  test('path traversal in every spelling gets 404 and never the file', async () => {
    const attempts = [
      '/files/../secret.txt', '/files/run1/../../secret.txt', '/files/..%2fsecret.txt', '/files/..%2Fsecret.txt',
      '/files/run1%2f..%2f..%2fsecret.txt', '/files/%2e%2e/secret.txt', '/files/%2e%2e%2fsecret.txt', '/files/..%5csecret.txt',
      '/files/run1/..\\..\\secret.txt', '/files//etc/passwd', '/files/%2fetc%2fpasswd', '/files/%2Fetc/passwd', '/files/C:%5cWindows',
      '/files/run1/leak.json', '/files/outside/secret.txt', '/files/run1/%00', '/files/run1/.results.json.123.tmp',
      '/files/run1/notes.exe', '/files/run1', '/files/run1/', '/files/', '/files/run1/missing.svg', '/files/%252e%252e/secret.txt',
    ];
    for (const path of attempts) {
      const res = await raw(s.port, 'GET', path);
      assert.equal(res.status, 404, `${path} → ${res.status}`);
      assert.ok(!res.body.includes('the secret') && !res.body.includes('root:'), `${path} leaked`);
    }
  });

  test('unknown routes are 404: JSON under /api, an HTML page elsewhere', async () => {
    const api = await raw(s.port, 'GET', '/api/nothing');
    assert.equal(api.status, 404);
    assert.deepEqual(JSON.parse(api.body), { error: 'not found' });
    const page = await raw(s.port, 'GET', '/nothing/here');
    assert.equal(page.status, 404);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(page.body, /<h1>Not found<\/h1>/);
    assert.equal((await raw(s.port, 'DELETE', '/api/jobs')).status, 405, 'the address takes GET and POST');
    assert.equal((await raw(s.port, 'GET', '/api/runs/no-such-run')).status, 404);
    assert.equal((await raw(s.port, 'GET', '/api/jobs/42')).status, 404);
    assert.equal((await raw(s.port, 'GET', '/assets/runs.js')).status, 404, 'no bundle in this test: a clear 404');
    assert.match((await raw(s.port, 'GET', '/assets/runs.js')).body, /not built: run `npm run build`/);
    assert.equal((await raw(s.port, 'GET', '/assets/..%2f..%2fpackage.json')).status, 404);
    assert.equal((await raw(s.port, 'GET', '/assets/other.wasm')).status, 404, 'only the kernels');
  });

  test('the pages render, and the run list shows the folder and why its results cannot be read', async () => {
    for (const path of ['/runs', '/train', '/draw', '/runs/', '/train/']) {
      const res = await raw(s.port, 'GET', path);
      assert.equal(res.status, 200, path);
      assert.match(String(res.headers['content-security-policy']), /script-src 'self'/);
      // Cross-origin isolated, so the pages' workers may use the WebAssembly kernels (shared memory).
      assert.equal(res.headers['cross-origin-opener-policy'], 'same-origin', path);
      assert.equal(res.headers['cross-origin-embedder-policy'], 'require-corp', path);
    }
    const root = await raw(s.port, 'GET', '/');
    assert.equal(root.status, 302);
    assert.equal(root.headers['location'], '/runs');
    const page = await raw(s.port, 'GET', '/runs');
    assert.match(page.body, /<article class="card run" id="run1" data-run="run1">/);
    assert.match(page.body, /results\.json: runs is missing/);
    assert.ok(!page.body.includes('.results.json.123.tmp'), 'temporary files are not listed');
    const list = JSON.parse((await raw(s.port, 'GET', '/api/runs')).body) as Array<{ name: string; files: string[] }>;
    assert.deepEqual(list.map((r) => r.name), ['run1'], 'a symlinked folder outside is not a run');
    assert.deepEqual(list[0]!.files, ['loss-all.svg', 'report.html', 'results.json', 'sub/a.json']);
  });

  test('bad bodies get 400/413/415 with a reason, and change nothing', async () => {
    const json = { 'Content-Type': 'application/json' };
    const cases: Array<[string, Record<string, string>, number, RegExp]> = [
      ['{"variants": ', json, 400, /JSON/i],
      ['', json, 400, /empty/i],
      ['[1,2,3]', json, 400, /expected a JSON object/],
      ['{"variants":"nope"}', json, 400, /unknown variant "nope"/],
      ['{"variants":"baseline","epochs":-3}', json, 400, /epochs: expected a positive integer/],
      ['{"variants":"baseline","__proto__":{"x":1}}', json, 400, /./],
      ['variants=baseline', { 'Content-Type': 'application/x-www-form-urlencoded' }, 415, /^send the body as JSON, with Content-Type: application\/json/],
      ['{"variants":"baseline"}', { 'Content-Type': 'text/plain' }, 415, /^send the body as JSON, with Content-Type: application\/json/],
      [JSON.stringify({ variants: 'baseline', pad: 'x'.repeat(5000) }), json, 413, /^the body is larger than the 4,096 bytes this server reads$/],
    ];
    for (const [body, headers, status, pattern] of cases) {
      const res = await raw(s.port, 'POST', '/api/jobs', { body, headers });
      assert.equal(res.status, status, `${body.slice(0, 40)} → ${res.status} ${res.body}`);
      assert.match(String((JSON.parse(res.body) as { error: string }).error), pattern);
    }
    assert.equal(started.length, 0, 'no job started');
    const ref = await postJson(s.base, '/api/reference', { variant: 'adam', trainLimit: 1e9 });
    assert.equal(ref.status, 400);
    assert.match(String(ref.body['error']), /trainLimit: expected a whole number from 1 to 5000/);
  });

  test('busy: the second job is queued, the third refused with 409, and the queue drains in order', async () => {
    const a = await postJson(s.base, '/api/jobs', { variants: 'baseline', epochs: 1, trainLimit: 100 });
    assert.equal(a.status, 202);
    assert.equal((a.body['job'] as { status: string }).status, 'running');
    const b = await postJson(s.base, '/api/jobs', { variants: 'adam', epochs: 1, trainLimit: 100 });
    assert.equal(b.status, 202);
    assert.equal((b.body['job'] as { status: string }).status, 'queued');
    assert.match(String(b.body['message']), /queued \(position 1\)/);
    const c = await postJson(s.base, '/api/jobs', { variants: 'bce', epochs: 1 });
    assert.equal(c.status, 409);
    assert.match(String(c.body['error']), /The server is busy/);
    const bId = (b.body['job'] as { id: string }).id;
    const stop = await postJson(s.base, `/api/jobs/${bId}/stop`, {});
    assert.equal(stop.status, 200);
    assert.equal(stop.body['status'], 'cancelled');
    const again = await postJson(s.base, `/api/jobs/${bId}/stop`, {});
    assert.equal(again.status, 409);
    const aId = (a.body['job'] as { id: string }).id;
    started[0]!.finish({ stopped: false, runFolder: 'run1' });
    await settle();
    const jobs = JSON.parse((await raw(s.port, 'GET', '/api/jobs')).body) as Array<{ id: string; status: string; runFolder?: string }>;
    assert.deepEqual(jobs.map((j) => [j.id, j.status]), [[aId, 'done'], [bId, 'cancelled']]);
    assert.equal(jobs[0]!.runFolder, 'run1');
  });

  test('the event stream says hello with the jobs, then reports job changes and progress', async () => {
    const events: Array<{ event: string; data: unknown }> = [];
    let release!: () => void;
    const enough = new Promise<void>((r) => (release = r));
    const req = get({ host: '127.0.0.1', port: s.port, path: '/api/events' }, (res) => {
      assert.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8');
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) });
          if (events.some((e) => e.event === 'progress') && events.filter((e) => e.event === 'job').length >= 2) release();
        }
      });
    });
    while (events.length === 0) await settle();
    assert.equal(events[0]!.event, 'hello');
    assert.ok(Array.isArray((events[0]!.data as { jobs: unknown[] }).jobs));
    const posted = await postJson(s.base, '/api/jobs', { variants: 'leakyrelu', epochs: 1, trainLimit: 10 });
    const id = (posted.body['job'] as { id: string }).id;
    const job = started[started.length - 1]!;
    job.hooks.onProgress(0, { step: 5, totalSteps: 10, epoch: 0, samples: 5, loss: 0.5, elapsedSeconds: 0.01 });
    job.finish({ stopped: false });
    await enough;
    req.destroy();
    const progress = events.find((e) => e.event === 'progress')!.data as { jobId: string; loss: number };
    assert.equal(progress.jobId, id);
    assert.equal(progress.loss, 0.5);
    const statuses = events.filter((e) => e.event === 'job').map((e) => (e.data as { status: string }).status);
    assert.deepEqual(statuses, ['running', 'done']);
  });

  test('the data endpoint serves the first images of a split as bytes', async () => {
    const res = await fetch(`${s.base}/api/data/train?limit=5`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/octet-stream');
    const slice = decodeSplitSlice(new Uint8Array(await res.arrayBuffer()));
    assert.equal(slice.count, 5);
    assert.deepEqual(Array.from(slice.labels), [5, 0, 4, 1, 9], 'MNIST starts 5 0 4 1 9');
    assert.equal(slice.images.length, 5 * 784);
    const test7 = decodeSplitSlice(new Uint8Array(await (await fetch(`${s.base}/api/data/test?limit=1`)).arrayBuffer()));
    assert.deepEqual(Array.from(test7.labels), [7]);
    for (const q of ['limit=0', 'limit=-1', 'limit=abc', 'limit=10001', 'limit=1e3']) {
      assert.equal((await fetch(`${s.base}/api/data/train?${q}`)).status, 400, q);
    }
    assert.equal((await fetch(`${s.base}/api/data/validation`)).status, 404);
  });

  test('only local host names are answered, and another site cannot change anything', async () => {
    const rebinding = await raw(s.port, 'GET', '/api/runs', { headers: { Host: 'evil.example:80' } });
    assert.equal(rebinding.status, 403);
    assert.match(rebinding.body, /answers only to local addresses/);
    assert.equal((await raw(s.port, 'GET', '/api/runs', { headers: { Host: `localhost:${s.port}` } })).status, 200);
    const csrf = await raw(s.port, 'POST', '/api/jobs/1/stop', { body: '{}', headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' } });
    assert.equal(csrf.status, 403);
    assert.match(csrf.body, /another site/);
    const sandboxed = await raw(s.port, 'POST', '/api/jobs/1/stop', { headers: { Origin: 'null' } });
    assert.equal(sandboxed.status, 403, 'a sandboxed frame or a data: page is another site too');
    assert.match(sandboxed.body, /requests from another site \(null\) may not change anything here/);
    const same = await raw(s.port, 'POST', '/api/jobs/999/stop', { body: '{}', headers: { 'Content-Type': 'application/json', Origin: s.base } });
    assert.equal(same.status, 404, 'same origin passes the check (and the job does not exist)');
  });

  test('malformed requests get an error and the server keeps serving', async () => {
    assert.equal((await raw(s.port, 'GET', '/files/%E0%A4%A')).status, 400);
    assert.equal((await raw(s.port, 'GET', '/api/runs/%')).status, 400);
    const garbage = await rawSocket(s.port, 'NOT HTTP AT ALL\r\n\r\n');
    assert.match(garbage, /^HTTP\/1\.1 400/);
    const headerBomb = await rawSocket(s.port, `GET /runs HTTP/1.1\r\nHost: 127.0.0.1\r\nX: ${'a'.repeat(20000)}\r\n\r\n`);
    assert.match(headerBomb, /^HTTP\/1\.1 431/);
    const truncated = await rawSocket(s.port, 'POST /api/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"varia');
    assert.equal(truncated, '', 'a body that never completes gets no answer, and no crash');
    const chunked = await raw(s.port, 'POST', '/api/jobs', { body: '{"variants":1e999}', headers: { 'Content-Type': 'application/json' } });
    assert.equal(chunked.status, 400);
    assert.equal((await raw(s.port, 'GET', '/runs')).status, 200, 'still serving');
  });
});
