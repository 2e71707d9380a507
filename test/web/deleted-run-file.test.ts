import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { manualExecutor } from './fake-executor.js';
import { listen, raw, tempDir, type Listening } from './helpers.js';

const runs = join(tempDir(), 'runs');
let s: Listening;
before(async () => {
  mkdirSync(join(runs, 'r1'), { recursive: true });
  writeFileSync(join(runs, 'r1', 'report.html'), '<p>report</p>');
  s = await listen({ runsDir: runs, executor: manualExecutor().executor });
});
after(() => s.close());

test('a run file whose folder was deleted under the server: its name and why, as JSON for scripts and as a page for a link opened', async () => {
  assert.equal((await raw(s.port, 'GET', '/files/r1/report.html')).status, 200);
  rmSync(join(runs, 'r1'), { recursive: true });
  const message = 'there is no file r1/report.html in the runs folder (was its run folder deleted or moved?)';
  const fetched = await raw(s.port, 'GET', '/files/r1/report.html');
  assert.equal(fetched.status, 404);
  assert.deepEqual(JSON.parse(fetched.body), { error: message });
  // What Chromium sends when the Runs page's "report" link is followed.
  const opened = await raw(s.port, 'GET', '/files/r1/report.html', { headers: { 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'document' } });
  assert.equal(opened.status, 404);
  assert.match(String(opened.headers['content-type']), /^text\/html/);
  assert.match(opened.body, /<h1>Not found<\/h1><p class="lead">There is no file r1\/report\.html in the runs folder \(was its run folder deleted or moved\?\)\. The lab has three pages/);
  // A refused path is not echoed back.
  assert.deepEqual(JSON.parse((await raw(s.port, 'GET', '/files/..%2fsecret.txt')).body), { error: 'not found' });
});
