/**
 * What an audit of `serve` found, each with a test: a method a route does not take is answered 405 with the ones it
 * does (not 404), HEAD of the event stream ends, a run of a few large batches reports every step, and a model with
 * NaN weights is refused where the Draw page loads it.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { nn, tensor } from '../../src/index.js';
import { nonFiniteWeights } from '../../src/nn/nonfinite-weights.js';
import { DataCache } from '../../src/web/data-cache.js';
import { createLabExecutor } from '../../src/web/job-runner.js';
import type { JobSnapshot } from '../../src/web/shared/api-types.js';
import { listen, postJson, raw, tempDir, waitForJob, type Listening } from './helpers.js';

describe('methods and the event stream', () => {
  let s: Listening;
  before(async () => {
    s = await listen({ runsDir: join(tempDir(), 'runs') });
  });
  after(() => s.close());

  test('a method the address does not take: 405, with Allow; an address nothing serves: 404', async () => {
    for (const [method, path, allow] of [['DELETE', '/api/jobs/1', 'GET, HEAD'], ['PUT', '/api/runs', 'GET, HEAD'], ['GET', '/api/reference', 'POST'], ['DELETE', '/files/x/y.json', 'GET, HEAD']] as const) {
      const r = await raw(s.port, method, path);
      assert.equal(r.status, 405, `${method} ${path}: ${r.body}`);
      assert.equal(r.headers['allow'], allow);
      assert.ok(r.body.includes(`${path} takes ${allow.split(', ').join(' or ')}, not ${method}`), r.body);
    }
    const missing = await raw(s.port, 'DELETE', '/api/nothing');
    assert.equal(missing.status, 404);
  });

  test('HEAD of the event stream answers with its headers and ends', async () => {
    const r = await raw(s.port, 'HEAD', '/api/events');
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^text\/event-stream/);
    assert.equal(r.body, '');
  });
});

describe('progress of short runs', () => {
  const base = tempDir();
  let s: Listening;
  before(async () => {
    const runs = join(base, 'runs');
    s = await listen({ runsDir: runs, executor: createLabExecutor({ runsRoot: runs, data: new DataCache(undefined), workers: 1 }) });
  });
  after(async () => {
    await s.close();
    rmSync(base, { recursive: true, force: true });
  });

  test('a run of 8 large batches reports each step as it goes, not only at its end', async () => {
    const posted = await postJson(s.base, '/api/jobs', { variants: 'baseline', batchSize: 100, trainLimit: 800, testLimit: 100, epochs: 1 });
    assert.equal(posted.status, 202);
    const id = (posted.body['job'] as JobSnapshot).id;
    const steps: number[] = [];
    const unsubscribe = s.queue.subscribe((e) => {
      if (e.type === 'progress' && e.progress.jobId === id) steps.push(e.progress.step);
    });
    const job = await waitForJob(s, id, ['done']);
    unsubscribe();
    assert.equal(job.runs[0]!.totalSteps, 8);
    assert.deepEqual([...new Set(steps)], [1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

test('a model holding NaN or ∞ is named as such where the Draw page and kindling predict load it', () => {
  const model = new nn.Sequential(new nn.Linear(2, 2), new nn.BatchNorm1d(2));
  assert.equal(nonFiniteWeights(model, 'm.safetensors'), null);
  model.at<nn.BatchNorm1d>(1).runningVar!.copy_(tensor([1, Infinity]));
  assert.equal(nonFiniteWeights(model, 'm.safetensors'), 'm.safetensors: 1.running_var holds 1 NaN or infinite value; such a model\'s outputs mean nothing (was it saved after its loss became NaN?)');
  model.at<nn.Linear>(0).weight.data.fill(Number.NaN);
  assert.match(nonFiniteWeights(model, 'm.safetensors')!, /^m\.safetensors: 0\.weight holds 4 NaN or infinite values;/);
  // Counts are written with thousands separators, as the train command's note writes them.
  const wide = new nn.Sequential(new nn.Linear(50, 40));
  wide.at<nn.Linear>(0).weight.data.fill(Number.NaN);
  assert.match(nonFiniteWeights(wide, 'w.safetensors')!, /^w\.safetensors: 0\.weight holds 2,000 NaN or infinite values;/);
});
