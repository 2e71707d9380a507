// EarlyPlots draws a variant's loss plot once all its runs are done and a core is idle, and the report then uses
// that plot: the same bytes it would have drawn itself.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EarlyPlots } from '../../src/report/early-plots.js';
import type { RenderedPlot } from '../../src/report/plots.js';
import { writeRunFolder } from '../../src/report/write.js';
import { twoVariantResults } from './fixtures.js';

test('EarlyPlots draws a variant only when all its runs are done and no job waits for a core; the plots equal the report\'s own', async () => {
  const results = twoVariantResults(120);
  const variants = results.runs.map((r) => r.variant); // baseline, baseline, bce, bce
  const early = new EarlyPlots(variants, 2);
  const drawn = (): string[] => [...early.rendered().keys()];
  early.jobStarted();
  early.jobStarted();
  early.jobFinished(0, results.runs[0]);
  assert.deepEqual(drawn(), [], 'baseline still has a run to go');
  early.jobStarted();
  early.jobFinished(1, results.runs[1]);
  assert.deepEqual(drawn(), [], 'baseline is done, but job 3 has not started: both cores are busy');
  early.jobStarted();
  early.jobFinished(2, results.runs[2]);
  assert.deepEqual(drawn(), ['baseline'], 'every job started and one core is idle');
  early.jobFinished(3, results.runs[3]);
  await early.rendered().get('baseline');
  assert.deepEqual(drawn(), ['baseline', 'bce'], 'bce follows once baseline is drawn');

  const dirs = [mkdtempSync(join(tmpdir(), 'kindling-early-')), mkdtempSync(join(tmpdir(), 'kindling-early-'))];
  try {
    await writeRunFolder(dirs[0]!, results, { prerendered: early.rendered() });
    await writeRunFolder(dirs[1]!, results);
    for (const name of ['loss-baseline.svg', 'loss-baseline.png', 'loss-bce.svg', 'loss-bce.png', 'report.html']) {
      assert.ok(readFileSync(join(dirs[0]!, name)).equals(readFileSync(join(dirs[1]!, name))), name);
    }
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});

test('a variant with a failed run is not drawn early', () => {
  const results = twoVariantResults(60);
  const early = new EarlyPlots(results.runs.map((r) => r.variant), 1);
  for (let i = 0; i < 4; i++) early.jobStarted();
  early.jobFinished(0, results.runs[0]);
  early.jobFinished(1); // failed
  assert.deepEqual([...early.rendered().keys()], []);
});

test('writeRunFolder takes a prerendered plot as it is', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-early-'));
  try {
    const plot: RenderedPlot = { svg: '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>', png: Buffer.from('not drawn here') };
    await writeRunFolder(dir, twoVariantResults(60), { prerendered: new Map([['bce', Promise.resolve(plot)]]) });
    assert.equal(readFileSync(join(dir, 'loss-bce.svg'), 'utf8'), plot.svg);
    assert.equal(readFileSync(join(dir, 'loss-bce.png'), 'utf8'), 'not drawn here');
    assert.notEqual(readFileSync(join(dir, 'loss-baseline.svg'), 'utf8'), plot.svg);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('after close(), EarlyPlots starts no more plots, and close() waits for the one being drawn', async () => {
  const results = twoVariantResults(60);
  const early = new EarlyPlots(results.runs.map((r) => r.variant), 2);
  for (let i = 0; i < 4; i++) early.jobStarted();
  early.jobFinished(0, results.runs[0]);
  early.jobFinished(1, results.runs[1]);
  early.jobFinished(2, results.runs[2]); // baseline done and a core idle: drawn now
  const baseline = early.rendered().get('baseline');
  assert.ok(baseline !== undefined);
  let drawn = false;
  void baseline.then(() => {
    drawn = true;
  });
  const closing = early.close();
  early.jobFinished(3, results.runs[3]);
  await closing;
  assert.ok(drawn, 'close() resolved after the plot being drawn');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual([...early.rendered().keys()], ['baseline'], 'bce is left to the report');
});

test('betweenJobs: a core that finished a run draws a ready variant before its next run, one plot at a time, with two or more slots', async () => {
  const results = twoVariantResults(60);
  const variants = results.runs.map((r) => r.variant); // baseline, baseline, bce, bce
  const early = new EarlyPlots(variants, 2);
  early.jobStarted();
  early.jobStarted();
  early.jobFinished(0, results.runs[0]);
  assert.equal(early.betweenJobs(), undefined, 'baseline has a run still training: nothing is ready');
  early.jobFinished(1, results.runs[1]);
  const drawing = early.betweenJobs();
  assert.ok(drawing !== undefined, 'baseline is ready: drawn before the next run');
  assert.deepEqual([...early.rendered().keys()], ['baseline']);
  early.jobStarted();
  early.jobFinished(2, results.runs[2]);
  early.jobStarted();
  early.jobFinished(3, results.runs[3]);
  assert.equal(early.betweenJobs(), undefined, 'bce is ready, but baseline is still being drawn');
  await drawing;
  await early.rendered().get('baseline');
  // Every job has started and the cores are idle: bce is drawn by the idle-core rule once baseline is done.
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual([...early.rendered().keys()], ['baseline', 'bce']);
  await early.close();

  const one = new EarlyPlots(variants, 1);
  one.jobStarted();
  one.jobFinished(0, results.runs[0]);
  one.jobStarted();
  one.jobFinished(1, results.runs[1]);
  assert.equal(one.betweenJobs(), undefined, 'one slot: the report draws it at the end, on both cores');
  const closed = new EarlyPlots(variants, 2);
  closed.jobStarted();
  closed.jobStarted();
  closed.jobFinished(0, results.runs[0]);
  closed.jobFinished(1, results.runs[1]);
  await closed.close();
  assert.equal(closed.betweenJobs(), undefined, 'nothing is drawn after close()');
  assert.deepEqual([...one.rendered().keys(), ...closed.rendered().keys()], []);
});

test('a plot that fails is not kept: the report draws it again', async () => {
  const results = twoVariantResults(60);
  // A scale resvg refuses: the plot's promise rejects.
  const early = new EarlyPlots(results.runs.map((r) => r.variant), 2, { scale: 100 });
  early.jobStarted();
  early.jobStarted();
  early.jobFinished(0, results.runs[0]);
  early.jobFinished(1, results.runs[1]);
  const drawing = early.betweenJobs();
  assert.ok(drawing !== undefined);
  await assert.rejects(early.rendered().get('baseline')!, /scale/);
  await drawing;
  assert.deepEqual([...early.rendered().keys()], []);
});
