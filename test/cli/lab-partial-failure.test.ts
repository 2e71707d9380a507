import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { validateResults } from '../../src/report/validate.js';
import { cliIn } from './run-cli.js';

// Some runs failed, some finished: the finished ones are written, and the exit code and the last line say the rest failed.
const { work, kindling } = cliIn('partial');

// At lr 1000 the baseline's Sigmoid saturates and its loss stays finite; LeakyReLU's becomes NaN within a few steps.
const diverging = ['reproduce', '--variants', 'baseline,leakyrelu', '--lr', '1000', '--train-limit', '2000', '--test-limit', '100', '--epochs', '2', '--workers', '2'];

test('reproduce with one of two runs failed writes the table, results.json and report for the other, then exits 1 saying how many failed', () => {
  const out = join(work, 'table');
  const r = kindling([...diverging, '--quiet', '--out', out]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^baseline\s+MSE, Sigmoid, SGD 1000\s+\d+\.\d\d%/m);
  assert.doesNotMatch(r.stdout, /^leakyrelu/m);
  const lines = r.stderr.trimEnd().split('\n');
  assert.match(lines[0]!, /^kindling: run failed — variant leakyrelu \(seed 0\): the loss became NaN at step \d+/);
  assert.equal(lines.at(-1), 'kindling: 1 of 2 runs failed (see "run failed" above); the results and the report hold the 1 run that finished');
  const results = validateResults(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')), 'results.json');
  assert.deepEqual(results.runs.map((x) => x.variant), ['baseline']);
  assert.deepEqual(results.meta.failed?.map((f) => [f.variant, f.seed]), [['leakyrelu', 0]]);
  assert.ok(existsSync(join(out, 'report.html')));
  assert.ok(existsSync(join(out, 'model-baseline-s0.safetensors')));
});

test('with --json the summary still goes to stdout, listing the failure, and the exit code is 1', () => {
  const out = join(work, 'json');
  const r = kindling([...diverging, '--json', '--out', out]);
  assert.equal(r.status, 1, r.stderr);
  const json = JSON.parse(r.stdout) as { summary: Array<{ variant: string }>; failures: string[]; wallSeconds: number; commandSeconds: number };
  assert.deepEqual(json.summary.map((s) => s.variant), ['baseline']);
  // wallSeconds is results.json's (training and testing); commandSeconds the whole command, results and report too.
  const recorded = validateResults(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')), 'results.json').meta.wallSeconds;
  assert.equal(json.wallSeconds, recorded);
  assert.ok(json.commandSeconds > json.wallSeconds, `${json.commandSeconds} > ${json.wallSeconds}`);
  assert.equal(json.failures.length, 1);
  assert.match(json.failures[0]!, /^variant leakyrelu \(seed 0\): the loss became NaN/);
  assert.match(r.stderr, /kindling: 1 of 2 runs failed \(see "run failed" above\); the results and the report hold the 1 run that finished\n$/);
});

test('with --allow-nonfinite the diverged run finishes, and a note under the table says its NaN weights make its accuracy meaningless', () => {
  const out = join(work, 'allowed');
  const r = kindling([...diverging, '--allow-nonfinite', '--quiet', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^leakyrelu\s/m);
  const notes = r.stderr.split('\n').filter((l) => l.startsWith('kindling: note:'));
  assert.equal(notes.length, 1, r.stderr);
  assert.match(notes[0]!, /^kindling: note: leakyrelu s0 ended with [\d,]+ NaN or infinite weights \(it trained on with --allow-nonfinite\): its accuracy means nothing, and eval and predict refuse its model$/);
  // results.json and the report record it too; the baseline, whose weights stayed finite, has no such entry.
  const results = validateResults(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')), 'results.json');
  const leaky = results.runs.find((x) => x.variant === 'leakyrelu')!;
  assert.equal(leaky.nonFiniteWeights, Number(/with ([\d,]+) NaN/.exec(notes[0]!)![1]!.replace(/,/g, '')));
  assert.equal(results.runs.find((x) => x.variant === 'baseline')!.nonFiniteWeights, undefined);
  const report = readFileSync(join(out, 'report.html'), 'utf8');
  assert.match(report, /<dt>NaN weights: leakyrelu seed 0<\/dt><dd>[\d,]+ weights ended NaN or infinite \(it trained on through a non-finite loss with --allow-nonfinite\): its accuracy in the tables means nothing<\/dd>/);
  // What the note promises: eval refuses that model, and accepts the baseline's.
  const evalLeaky = kindling(['eval', '--model', join(out, 'model-leakyrelu-s0.safetensors'), '--test-limit', '100']);
  assert.equal(evalLeaky.status, 1);
  assert.match(evalLeaky.stderr, /NaN or infinite value/);
  assert.equal(kindling(['eval', '--model', join(out, 'model-baseline-s0.safetensors'), '--test-limit', '100']).status, 0);
});
