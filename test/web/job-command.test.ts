import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { invocation } from '../../src/cli/invocation.js';
import { jobCommand } from '../../src/web/job-command.js';
import { parseJobRequest } from '../../src/web/job-spec.js';
import { repoRoot, tempDir } from './helpers.js';

test("a job of the chapter's variants is recorded as the reproduce command that trains the same runs", () => {
  const plan = parseJobRequest({ variants: 'baseline,adam', seeds: '0,2', epochs: 2, trainLimit: 500, testLimit: 100, lr: 0.05, batchSize: 4 });
  assert.equal(jobCommand(plan, '7'), `${invocation()} reproduce --variants baseline,adam --lr 0.05 --seeds 0,2 --epochs 2 --batch-size 4 --train-limit 500 --test-limit 100  # kindling serve, job 7`);
  assert.equal(jobCommand(parseJobRequest({ variants: 'combined' }), '1', "/data/my mnist"), `${invocation()} reproduce --variants combined --seeds 0 --epochs 3 --data '/data/my mnist'  # kindling serve, job 1`);
});

test('a custom job named like a chapter variant but at another rate is recorded as train, with its rate', () => {
  const other = jobCommand(parseJobRequest({ custom: { name: 'baseline', optimizer: 'sgd:0.5' }, epochs: 1 }), '4');
  assert.match(other, / train --activation sigmoid .*--optimizer sgd:0\.5 .*--name baseline /);
  // At the variant's own rate it is the variant, and reproduce trains it.
  const same = jobCommand(parseJobRequest({ custom: { name: 'baseline' }, epochs: 1 }), '5');
  assert.match(same, / reproduce --variants baseline --seeds 0 --epochs 1 /);
});

test('a custom job is recorded as a train command that, pasted into a shell, trains the same configuration', () => {
  const plan = parseJobRequest({
    custom: { activation: 'leakyrelu:0.02', outputActivation: 'none', loss: 'mse', optimizer: 'adam', layerNorm: true, hidden: 24, name: 'mine' },
    epochs: 1, trainLimit: 30, testLimit: 20,
  });
  const command = jobCommand(plan, '3');
  assert.equal(command, `${invocation()} train --activation leakyrelu:0.02 --output-activation none --loss mse --optimizer adam:0.001 --layernorm --hidden 24 --name mine --seeds 0 --epochs 1 --train-limit 30 --test-limit 20  # kindling serve, job 3`);
  // Run by a shell as written (the comment included), with the CLI in place of this test's own invocation.
  const out = tempDir('kindling-job-command-');
  const bin = `'${process.execPath}' '${join(repoRoot(), 'bin', 'kindling.js')}'`;
  const line = command.replace(invocation(), bin).replace('  #', ` --out '${out}' --quiet  #`);
  const r = spawnSync('sh', ['-c', line], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { runs: Array<{ variant: string; seed: number; epochs: number; config: unknown; testSamples: number; trainSamples: number }> };
  assert.equal(results.runs.length, 1);
  const run = results.runs[0]!;
  assert.deepEqual([run.variant, run.seed, run.epochs, run.trainSamples, run.testSamples], ['mine', 0, 1, 30, 20]);
  assert.deepEqual(run.config, plan.planned[0]!.config);
});
