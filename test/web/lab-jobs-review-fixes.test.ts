/**
 * The reviewer's findings on jobs the lab trains for the server: a Stop after training keeps the finished runs'
 * results and report (and the rest stays resumable), a failed job leaves no empty folder and no advice the page
 * cannot follow, and a stopped run's row shows the step it stopped at.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadSplit } from '../../src/data/mnist.js';
import { trainRun } from '../../src/lab/trainer.js';
import { DataCache } from '../../src/web/data-cache.js';
import { createLabExecutor } from '../../src/web/job-runner.js';
import { parseJobRequest } from '../../src/web/job-spec.js';
import { webFailureMessage } from '../../src/web/run-failure.js';
import type { JobSnapshot } from '../../src/web/shared/api-types.js';
import { listen, postJson, repoRoot, tempDir, type Listening, waitForJob } from './helpers.js';


async function submit(s: Listening, body: unknown): Promise<string> {
  const posted = await postJson(s.base, '/api/jobs', body);
  assert.equal(posted.status, 202, JSON.stringify(posted.body));
  return (posted.body['job'] as JobSnapshot).id;
}

describe('stopping, failing and the run folder', () => {
  const base = tempDir();
  const runs = join(base, 'runs');
  let s: Listening;
  before(async () => {
    // Few progress reports per run, so a row's last report is well behind the step a stop lands on.
    const executor = createLabExecutor({ runsRoot: runs, data: new DataCache(undefined), workers: 1, reportsPerRun: 4 });
    s = await listen({ runsDir: runs, executor });
  });
  after(async () => {
    await s.close();
    rmSync(base, { recursive: true, force: true });
  });

  test('a Stop once the last run has trained (while it is tested) changes nothing: the folder is complete', async () => {
    // A wide net tested on all 10,000 images: the test takes far longer than a stop request needs to arrive.
    const id = await submit(s, { custom: { hidden: 1024, optimizer: 'adam' }, epochs: 1, trainLimit: 300 });
    await new Promise<void>((resolve) => {
      const unsubscribe = s.queue.subscribe((e) => {
        if (e.type === 'progress' && e.progress.jobId === id && e.progress.step === e.progress.totalSteps) {
          unsubscribe();
          resolve();
        }
      });
    });
    const stop = await postJson(s.base, `/api/jobs/${id}/stop`, {});
    assert.equal(stop.status, 200);
    const job = await waitForJob(s, id, ['done', 'stopped', 'failed']);
    assert.equal(job.status, 'done', job.message);
    assert.equal(job.message, undefined);
    assert.equal(job.runs[0]!.status, 'done');
    const dir = join(runs, job.runFolder!);
    for (const f of ['results.json', 'report.html', 'loss-custom.png', 'model-custom-s0.safetensors', 'checkpoint-custom-s0.safetensors']) {
      assert.ok(existsSync(join(dir, f)), `${f} is written`);
    }
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { runs: Array<{ accuracy: number }> };
    assert.equal(results.runs[0]!.accuracy, job.runs[0]!.accuracy);
  });

  test('a Stop in a job of several runs writes the finished runs\' results and report; the rest resumes from the folder', async () => {
    const id = await submit(s, { variants: 'baseline', seeds: '0,1', epochs: 1, trainLimit: 3000, testLimit: 100 });
    // Stop once the first run is done and the second has started training.
    await new Promise<void>((resolve) => {
      const unsubscribe = s.queue.subscribe((e) => {
        if (e.type === 'progress' && e.progress.jobId === id && e.progress.run === 1) {
          unsubscribe();
          resolve();
        }
      });
    });
    await postJson(s.base, `/api/jobs/${id}/stop`, {});
    const job = await waitForJob(s, id, ['done', 'stopped', 'failed']);
    assert.equal(job.status, 'stopped', job.message);
    assert.deepEqual(job.runs.map((r) => r.status), ['done', 'stopped']);
    const dir = join(runs, job.runFolder!);
    assert.match(job.message!, /^Stopped: baseline s0 finished; baseline s1 stopped at step ([\d,]+) of 3,000\. The finished runs' results and report are written in .*report\.html\. The checkpoints are kept in /);
    assert.equal(job.report, true, "the job's card links the finished runs' report");
    const stoppedAt = Number(/s1 stopped at step ([\d,]+)/.exec(job.message!)![1]!.replace(/,/g, ''));
    assert.equal(job.runs[1]!.step, stoppedAt, 'the row shows the step the message names');
    for (const f of ['results.json', 'report.html', 'loss-baseline.svg', 'model-baseline-s0.safetensors', 'checkpoint-baseline-s0.safetensors', 'checkpoint-baseline-s1.safetensors']) {
      assert.ok(existsSync(join(dir, f)), `${f} is written`);
    }
    assert.ok(!existsSync(join(dir, 'model-baseline-s1.safetensors')), 'the stopped run has no model yet');
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { runs: Array<{ seed: number; accuracy: number }>; meta: { createdAt: string } };
    assert.deepEqual(results.runs.map((r) => r.seed), [0]);
    assert.equal(results.runs[0]!.accuracy, job.runs[0]!.accuracy);

    // The command the message gives continues the folder: the stopped run trains on, and the report holds both.
    const resume = /continue with: (.*)$/.exec(job.message!)![1]!;
    assert.match(resume, / reproduce --resume /);
    const cli = spawnSync(process.execPath, [join(repoRoot(), 'bin', 'kindling.js'), 'reproduce', '--resume', dir, '--quiet'], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(cli.status, 0, cli.stderr);
    const resumed = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { runs: Array<{ seed: number; accuracy: number }>; meta: { command: string; resumedWith?: string; createdAt: string } };
    // And the time the job started, so the Runs page keeps it in its place.
    assert.equal(resumed.meta.createdAt, results.meta.createdAt);
    // The folder keeps the job that started it, and names the command that resumed it.
    assert.match(resumed.meta.command, new RegExp(` reproduce --variants baseline --seeds 0,1 --epochs 1 --train-limit 3000 --test-limit 100  # kindling serve, job ${id}$`));
    assert.equal(resumed.meta.resumedWith, `kindling reproduce --resume ${dir} --quiet`);
    assert.deepEqual(resumed.runs.map((r) => r.seed).sort(), [0, 1]);
    assert.equal(resumed.runs.find((r) => r.seed === 0)!.accuracy, results.runs[0]!.accuracy, 'the finished run is only tested again');
  });

  test('while a job trains, its run folder is claimed: resuming it from the command line meanwhile is refused', async () => {
    const id = await submit(s, { variants: 'baseline', epochs: 3, trainLimit: 60000, testLimit: 100 });
    // Once the first epoch's checkpoint is written, the folder is one the command line could resume.
    let dir = '';
    for (let i = 0; i < 600 && dir === ''; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const claimed = readdirSync(runs).filter((name) => existsSync(join(runs, name, '.kindling-busy')));
      const ready = claimed.filter((name) => existsSync(join(runs, name, 'checkpoint-baseline-s0.safetensors')));
      assert.ok(claimed.length <= 1, `one folder claimed: ${claimed.join(', ')}`);
      if (ready.length === 1) dir = join(runs, ready[0]!);
    }
    assert.notEqual(dir, '', 'the job wrote its first checkpoint');
    const cli = spawnSync(process.execPath, [join(repoRoot(), 'bin', 'kindling.js'), 'reproduce', '--resume', dir, '--quiet'], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(cli.status, 1, cli.stderr);
    assert.equal(cli.stderr, `kindling: --resume ${dir}: another kindling command (process ${process.pid}) is writing a run into this folder: give another folder, or wait until it ends (if no such command runs, delete ${join(dir, '.kindling-busy')})\n`);
    await postJson(s.base, `/api/jobs/${id}/stop`, {});
    const job = await waitForJob(s, id, ['done', 'stopped', 'failed']);
    assert.notEqual(job.status, 'failed', job.message);
    assert.equal(existsSync(join(dir, '.kindling-busy')), false, 'the claim goes when the job ends');
  });

  test('a job whose runs all fail before a checkpoint leaves no empty folder, and no advice the page cannot follow', async () => {
    const before = readdirSync(runs).sort();
    const id = await submit(s, { custom: { activation: 'relu', outputActivation: 'none', loss: 'mse' }, lr: 1e30, epochs: 1, trainLimit: 50, testLimit: 10 });
    const job = await waitForJob(s, id, ['done', 'stopped', 'failed']);
    assert.equal(job.status, 'failed');
    assert.deepEqual(readdirSync(runs).sort(), before, 'no folder is left behind');
    assert.equal(job.runFolder, undefined);
    assert.match(job.message!, /^every run failed, no results were written: custom seed 0: variant custom \(seed 0\): the loss became Infinity at step \d+ .*; lower the learning rate\. It had written no checkpoint of its training yet/);
    assert.doesNotMatch(job.message!, /allow-nonfinite|checkpoints are in/);
    assert.doesNotMatch(job.runs[0]!.error!, /allow-nonfinite/);
  });

  test('a job where one run fails records it in results.json and the report, as the CLI does', async () => {
    const id = await submit(s, { variants: 'baseline,leakyrelu', lr: 3, epochs: 1, trainLimit: 300, testLimit: 100 });
    const job = await waitForJob(s, id, ['done', 'stopped', 'failed']);
    assert.equal(job.status, 'done', job.message);
    assert.deepEqual(job.runs.map((r) => r.status), ['done', 'failed']);
    const dir = join(runs, job.runFolder!);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { runs: Array<{ variant: string }>; meta: { failed?: Array<{ variant: string; seed: number; message: string }> } };
    assert.deepEqual(results.runs.map((r) => r.variant), ['baseline']);
    assert.equal(results.meta.failed?.length, 1);
    assert.deepEqual([results.meta.failed![0]!.variant, results.meta.failed![0]!.seed], ['leakyrelu', 0]);
    assert.match(results.meta.failed![0]!.message, /the loss became (NaN|-?Infinity) at step \d+/);
    assert.match(readFileSync(join(dir, 'report.html'), 'utf8'), /leakyrelu seed 0/);
  });
});

test("webFailureMessage drops exactly the trainer's --allow-nonfinite hint", () => {
  const plan = parseJobRequest({ custom: { activation: 'relu', outputActivation: 'none', loss: 'mse' }, lr: 1e30 });
  const p = plan.planned[0]!;
  let message = '';
  try {
    trainRun({ variant: p.variant, label: p.label, config: p.config, seed: 0, epochs: 1, batchSize: 1, trainLimit: 50, testLimit: 10 }, loadSplit(undefined, 'train'), loadSplit(undefined, 'test'));
  } catch (err) {
    message = (err as Error).message;
  }
  // If the trainer's wording changes, this says so (rather than the hint slipping through to the page).
  assert.match(message, /lower the learning rate, or pass --allow-nonfinite to keep going\. It had written no checkpoint/);
  assert.equal(webFailureMessage(message), message.replace(', or pass --allow-nonfinite to keep going', ''));
  assert.equal(webFailureMessage('worker crashed: out of memory'), 'worker crashed: out of memory');
});
