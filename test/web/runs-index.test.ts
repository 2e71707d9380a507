import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { invocation } from '../../src/cli/invocation.js';
import { writeStartCheckpoint } from '../../src/lab/checkpoint.js';
import { CLAIM_NAME } from '../../src/lab/run-claim.js';
import { describeRun } from '../../src/web/runs-index.js';
import { variantSpec } from '../models/helpers.js';
import { tempDir } from './helpers.js';

test('a run folder whose results.json is not JSON is listed with a problem naming the file', () => {
  const root = tempDir();
  mkdirSync(join(root, 'broken'));
  writeFileSync(join(root, 'broken', 'results.json'), '{bad');
  const listed = describeRun(root, 'broken');
  assert.match(listed!.problem!, /^results\.json is not valid JSON: .* \(line 1, column 2\)$/);
  // In a file of many lines, the line and column of the break (a comma dropped on line 3).
  mkdirSync(join(root, 'edited'));
  writeFileSync(join(root, 'edited', 'results.json'), '{\n  "runs": [],\n  "summary": []\n  "meta": {}\n}\n');
  assert.match(describeRun(root, 'edited')!.problem!, /^results\.json is not valid JSON: .* \(line 4, column 3\)$/);
  // Cut short: where the text ends.
  mkdirSync(join(root, 'cut'));
  writeFileSync(join(root, 'cut', 'results.json'), '{\n  "runs": [');
  assert.match(describeRun(root, 'cut')!.problem!, /^results\.json is not valid JSON: Unexpected end of JSON input \(line 2, column 12\)$/);
});

test('a folder stopped before every run finished says how many runs have results and how to train the rest', async () => {
  const { buildResultsFile } = await import('../../src/lab/results-file.js');
  const { fakeRun } = await import('../report/fixtures.js');
  const root = tempDir();
  const dir = join(root, 'stopped');
  mkdirSync(dir);
  const results = buildResultsFile([fakeRun({ variant: 'baseline', seed: 0 }), fakeRun({ variant: 'baseline', seed: 1 })], {
    started: new Date(0), t0: 0, workers: 2, command: 'kindling reproduce --variants baseline --seeds 0,1,2', data: undefined,
  });
  writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
  for (const seed of [0, 1]) writeFileSync(join(dir, `checkpoint-baseline-s${seed}.safetensors`), 'x');
  assert.equal(describeRun(root, 'stopped')!.problem, undefined, 'every run with a checkpoint has results');
  writeFileSync(join(dir, 'checkpoint-baseline-s2.safetensors'), 'x');
  assert.equal(
    describeRun(root, 'stopped')!.problem,
    `stopped before every run finished: 2 runs of 3 have results; resume the folder to train the others: ${invocation()} reproduce --resume ${dir}`,
  );
  assert.equal(describeRun(root, 'stopped')!.summary[0]!.n, 2, 'the finished runs are still listed');
});

test('a folder where a run failed says so and names it, instead of calling it stopped; a path with a space is quoted', async () => {
  const { buildResultsFile } = await import('../../src/lab/results-file.js');
  const { fakeRun } = await import('../report/fixtures.js');
  const root = tempDir();
  const dir = join(root, 'one failed');
  mkdirSync(dir);
  const write = (failed: Array<{ variant: string; seed: number; message: string }>): void => {
    const results = buildResultsFile([fakeRun({ variant: 'baseline', seed: 0 })], {
      started: new Date(0), t0: 0, workers: 2, command: 'kindling reproduce --variants baseline,leakyrelu,adam', data: undefined, failed,
    });
    writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
  };
  write([{ variant: 'leakyrelu', seed: 0, message: 'variant leakyrelu (seed 0): the loss became NaN at step 47' }]);
  for (const v of ['baseline', 'leakyrelu']) writeFileSync(join(dir, `checkpoint-${v}-s0.safetensors`), 'x');
  assert.equal(describeRun(root, 'one failed')!.problem, '1 run of 2 failed (leakyrelu seed 0; the report says why)');
  // A third run stopped before it finished: both are said, and the resume command quotes the folder.
  writeFileSync(join(dir, 'checkpoint-adam-s0.safetensors'), 'x');
  assert.equal(
    describeRun(root, 'one failed')!.problem,
    `1 run of 3 failed (leakyrelu seed 0; the report says why); stopped before every run finished: 1 run of 3 has results; resume the folder to train the others: ${invocation()} reproduce --resume '${dir}'`,
  );
  assert.equal('failed' in describeRun(root, 'one failed')!, false, 'the listing keeps its own shape');
});

test('a folder without results.json but with checkpoints says how to resume it, with train for a custom run', () => {
  const root = tempDir();
  mkdirSync(join(root, 'empty'));
  assert.equal(describeRun(root, 'empty')!.problem, 'no results.json yet: the run is in progress or was interrupted');
  mkdirSync(join(root, 'stopped'));
  for (const v of ['baseline', 'adam']) writeFileSync(join(root, 'stopped', `checkpoint-${v}-s0.safetensors`), 'x');
  assert.equal(
    describeRun(root, 'stopped')!.problem,
    `no results.json yet: the run is in progress, or was stopped before any run finished; if it was stopped, resume it with: ${invocation()} reproduce --resume ${join(root, 'stopped')}`,
  );
  mkdirSync(join(root, 'mine'));
  writeFileSync(join(root, 'mine', 'checkpoint-custom-s3.safetensors'), 'x');
  assert.ok(describeRun(root, 'mine')!.problem!.endsWith(`resume it with: ${invocation()} train --resume ${join(root, 'mine')}`));
});

test('a folder left with only the claim of a command killed before its first checkpoint says there is nothing to resume', () => {
  const root = tempDir();
  const dir = join(root, 'killed');
  mkdirSync(dir);
  // The claim of a process that has ended (this host's), as `kill -9` before the first epoch's end leaves it.
  const ended = spawnSync(process.execPath, ['-e', '']).pid!;
  writeFileSync(join(dir, CLAIM_NAME), `${ended} ${hostname()}\n`);
  assert.equal(describeRun(root, 'killed')!.problem, 'no results.json: the command that made this folder ended before any run wrote a checkpoint (it was killed, or its computer stopped), so there is nothing to resume; the folder can be deleted');
  // Held by a running process (this one: a server's own job), or by one of another host: in progress.
  writeFileSync(join(dir, CLAIM_NAME), `${process.pid} ${hostname()}\n`);
  assert.equal(describeRun(root, 'killed')!.problem, 'no results.json yet: the run is in progress or was interrupted');
  writeFileSync(join(dir, CLAIM_NAME), `${ended} another-host\n`);
  assert.equal(describeRun(root, 'killed')!.problem, 'no results.json yet: the run is in progress or was interrupted');
  // The resume hint says how this process was run (`node …` here), as the job cards do, not a bare `kindling`.
  assert.match(invocation(), /^node /);
});

test('a folder stopped before any run finished is dated by its checkpoints (when its command started), not by the stop', () => {
  const root = tempDir();
  const dir = join(root, 'stopped');
  mkdirSync(dir);
  const command = 'kindling reproduce --variants baseline,adam --epochs 2';
  writeStartCheckpoint(join(dir, 'checkpoint-baseline-s0.safetensors'), variantSpec('baseline'), { command, createdAt: '2026-01-02T03:04:05.000Z' });
  writeStartCheckpoint(join(dir, 'checkpoint-adam-s0.safetensors'), variantSpec('adam'), { command, createdAt: '2026-01-02T03:04:04.000Z' });
  const listed = describeRun(root, 'stopped')!;
  assert.equal(listed.createdAt, '2026-01-02T03:04:04.000Z');
  assert.equal(listed.command, command);
  // Checkpoints that record no time (written by hand, or cut short) leave the folder's own time.
  mkdirSync(join(root, 'bare'));
  writeFileSync(join(root, 'bare', 'checkpoint-baseline-s0.safetensors'), 'x');
  const bare = describeRun(root, 'bare')!;
  assert.ok(Math.abs(Date.parse(bare.createdAt!) - Date.now()) < 60_000, bare.createdAt!);
  assert.equal(bare.command, null);
});
