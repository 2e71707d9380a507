import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { invocation } from '../../src/cli/invocation.js';
import { splitDigest } from '../../src/data/digest.js';
import { loadSplit } from '../../src/data/mnist.js';
import { trainRun } from '../../src/lab/trainer.js';
import { findVariant } from '../../src/lab/variants.js';
import { readModel } from '../../src/nn/serialize.js';
import { readCheckpoint } from '../../src/lab/checkpoint.js';
import type { JobSnapshot, ModelListing, ReferenceLosses, RunListing } from '../../src/web/shared/api-types.js';
import { listen, postJson, raw, tempDir, type Listening, waitForJob } from './helpers.js';

describe('jobs trained by the lab itself through the server', () => {
  const base = tempDir();
  const runs = join(base, 'runs');
  let s: Listening;
  before(async () => {
    s = await listen({ runsDir: runs, workers: 1 });
  });
  after(async () => {
    await s.close();
    rmSync(base, { recursive: true, force: true });
  });

  test('a finished job leaves an ordinary run folder: results, plots, report and the saved model', async () => {
    const posted = await postJson(s.base, '/api/jobs', { variants: 'baseline', epochs: 1, trainLimit: 300, testLimit: 200 });
    assert.equal(posted.status, 202);
    const job = await waitForJob(s, (posted.body['job'] as JobSnapshot).id, ['done', 'failed']);
    assert.equal(job.status, 'done', job.message);
    const dir = join(runs, job.runFolder!);
    for (const f of ['results.json', 'report.html', 'loss-baseline.png', 'model-baseline-s0.safetensors', 'checkpoint-baseline-s0.safetensors']) {
      assert.ok(existsSync(join(dir, f)), `${f} is written`);
    }
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as {
      runs: Array<{ accuracy: number; losses: number[]; testSamples: number }>; meta: { dataDigest?: { train: string; test: string } };
    };
    assert.equal(results.runs[0]!.testSamples, 200);
    // The data's fingerprints are those of the whole splits the server holds, as the CLI records them.
    assert.deepEqual(results.meta.dataDigest, { train: splitDigest(loadSplit(undefined, 'train')), test: splitDigest(loadSplit(undefined, 'test')) });
    assert.equal(results.runs[0]!.losses.length, 30);
    assert.equal(job.runs[0]!.accuracy, results.runs[0]!.accuracy, 'the page is told the accuracy the folder records');
    assert.equal(job.runs[0]!.step, 300);
    assert.ok(job.runs[0]!.points.length >= 10, 'progress came back for the live chart');

    const listed = JSON.parse((await raw(s.port, 'GET', '/api/runs')).body) as RunListing[];
    const run = listed.find((r) => r.name === job.runFolder)!;
    assert.equal(run.summary[0]!.variant, 'baseline');
    assert.equal(run.summary[0]!.mean, results.runs[0]!.accuracy);
    const models = JSON.parse((await raw(s.port, 'GET', '/api/models')).body) as ModelListing[];
    const model = models.find((m) => m.path === `${job.runFolder}/model-baseline-s0.safetensors`)!;
    assert.equal(model.variant, 'baseline');
    assert.equal(model.seed, 0);
    assert.equal(model.accuracy, results.runs[0]!.accuracy);
    const bytes = await fetch(`${s.base}/files/${job.runFolder}/model-baseline-s0.safetensors`);
    assert.equal(bytes.status, 200);
    assert.deepEqual(new Uint8Array(await bytes.arrayBuffer()), new Uint8Array(readFileSync(join(dir, 'model-baseline-s0.safetensors'))));
    const info = readModel(join(dir, 'model-baseline-s0.safetensors')).info;
    assert.equal(info.accuracy, results.runs[0]!.accuracy);
    // The model records which test images its accuracy counts, as the CLI's do (eval compares them).
    assert.equal(info.testSamples, 200);
    assert.equal(info.testDigest, splitDigest(loadSplit(undefined, 'test'), 200));
    const report = await raw(s.port, 'GET', `/files/${job.runFolder}/report.html`);
    assert.equal(report.status, 200);
    assert.match(report.body, /baseline/);
  });

  test('stopping a running job keeps its checkpoint and says how to resume', async () => {
    const posted = await postJson(s.base, '/api/jobs', { variants: 'baseline', epochs: 1 });
    const id = (posted.body['job'] as JobSnapshot).id;
    await new Promise<void>((resolve) => {
      const unsubscribe = s.queue.subscribe((e) => {
        if (e.type === 'progress' && e.progress.jobId === id) {
          unsubscribe();
          resolve();
        }
      });
    });
    const stop = await postJson(s.base, `/api/jobs/${id}/stop`, {});
    assert.equal(stop.status, 200);
    assert.equal(stop.body['status'], 'stopping');
    const job = await waitForJob(s, id, ['stopped', 'done', 'failed']);
    assert.equal(job.status, 'stopped');
    assert.deepEqual(job.runs.map((r) => r.status), ['stopped'], 'its run was cut short, not failed');
    assert.match(job.message!, /baseline s0 stopped at step [\d,]+ of 60,000/);
    // The command as this process was started (here `node <this test file>`, or the file of the group of test files
    // this process runs; from a clone, `node bin/kindling.js`).
    assert.ok(job.message!.includes(`continue with: ${invocation()} reproduce --resume `), job.message!);
    const dir = join(runs, job.runFolder!);
    assert.ok(existsSync(join(dir, 'checkpoint-baseline-s0.safetensors')), 'the checkpoint is kept');
    assert.ok(!existsSync(join(dir, 'results.json')), 'a stopped job has no results yet');
    const ckpt = readModel(join(dir, 'checkpoint-baseline-s0.safetensors'));
    assert.equal(ckpt.kind, 'checkpoint');
    // It records which training images it used, as the CLI's checkpoints do, so a resume on other data is refused.
    assert.match(readCheckpoint(join(dir, 'checkpoint-baseline-s0.safetensors')).position.trainDigest!, /^[0-9a-f]{16}$/);
    const listed = JSON.parse((await raw(s.port, 'GET', `/api/runs/${job.runFolder}`)).body) as RunListing;
    assert.match(listed.problem!, /no results\.json yet/);
  });

  test("Node's reference losses for the browser are exactly trainRun's", async () => {
    const res = await postJson(s.base, '/api/reference', { variant: 'adam', seed: 1, trainLimit: 120, testLimit: 50 });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const ref = res.body as unknown as ReferenceLosses;
    const v = findVariant('adam')!;
    const mine = trainRun({ variant: v.name, label: v.label, config: v.config, seed: 1, epochs: 1, batchSize: 1, trainLimit: 120, testLimit: 50 }, loadSplit(undefined, 'train'), loadSplit(undefined, 'test'));
    assert.equal(ref.losses.length, 12);
    assert.deepEqual(ref.losses, mine.losses);
    assert.equal(ref.accuracy, mine.accuracy);
    assert.match(ref.kernels, /kernels$/);
    const bad = await postJson(s.base, '/api/reference', { variant: 'adam,bce', trainLimit: 10 });
    assert.equal(bad.status, 400);
  });
});
