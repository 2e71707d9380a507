// What the pages say: which model Draw picks first, what its headline may call a probability, and a live run's state.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn } from '../../src/index.js';
import { describeModule } from '../../src/nn/serialize.js';
import { accuracyFloor } from '../../src/web/client/model-choice.js';
import { barValues } from '../../src/web/client/model-loader.js';
import type { JobSnapshot, LiveRun } from '../../src/web/shared/api-types.js';

test('the model picked first is the one its test accuracy vouches for most, not 100% of a handful of images', () => {
  const big = { accuracy: 0.9636, testSamples: 10_000 };
  const tiny = { accuracy: 1, testSamples: 3 };
  assert.ok(accuracyFloor(big) > accuracyFloor(tiny), `${accuracyFloor(big)} > ${accuracyFloor(tiny)}`);
  // The Wilson interval's lower end, worked by hand: 3 of 3 → 3/(3 + 1.96²) = 0.4385; 9,636 of 10,000 → about 0.960.
  assert.ok(Math.abs(accuracyFloor(tiny) - 3 / (3 + 1.96 * 1.96)) < 1e-12);
  assert.ok(Math.abs(accuracyFloor(big) - 0.9598) < 5e-4);
  assert.equal(accuracyFloor({ accuracy: 0.5, testSamples: null }), 0.5, 'no recorded count: the accuracy itself');
  assert.equal(accuracyFloor({ accuracy: null, testSamples: 100 }), -1);
});

test('the bars are the model\'s probabilities only when it ends with Sigmoid, Softmax or LogSoftmax; scores are ranked, not called probabilities', () => {
  const out = new Float32Array([0.8, -0.01, 0, 0, 0, 0, 0, 0, 0, 0]);
  const spec = (last: nn.Module): ReturnType<typeof describeModule> => describeModule(new nn.Sequential(new nn.Linear(2, 10), last));
  const sigmoid = barValues(out, spec(new nn.Sigmoid()));
  assert.equal(sigmoid.probabilities, true);
  assert.deepEqual(sigmoid.values, Array.from(out));
  const logSoftmax = barValues(out, spec(new nn.LogSoftmax(1)));
  assert.equal(logSoftmax.probabilities, true);
  assert.deepEqual(logSoftmax.values, Array.from(out, Math.exp), 'a LogSoftmax\'s log-probabilities shown as probabilities');
  assert.match(logSoftmax.note, /^The model's final LogSoftmax/);
  const leaky = barValues(out, spec(new nn.LeakyReLU(0.02)));
  assert.equal(leaky.probabilities, false);
  assert.match(leaky.note, /^The model ends with LeakyReLU, so its outputs are scores, not probabilities/);
  assert.ok(Math.abs(leaky.values.reduce((a, b) => a + b, 0) - 1) < 1e-9);
  assert.equal(leaky.values.indexOf(Math.max(...leaky.values)), 0);
});

test('a live run that has started but not yet reported a step says it is starting, not waiting', async () => {
  const { runStats } = await import('../../src/web/client/live-jobs.js');
  const run = (over: Partial<LiveRun>): LiveRun => ({ name: 'baseline s0', variant: 'baseline', seed: 0, status: 'waiting', totalSteps: 0, step: 0, samples: 0, elapsedSeconds: 0, points: [], ...over });
  const job = { status: 'running' } as JobSnapshot;
  assert.equal(runStats(run({}), job), 'waiting');
  assert.equal(runStats(run({ status: 'running' }), job), 'starting…');
  assert.match(runStats(run({ status: 'running', totalSteps: 100, step: 10, samples: 10, elapsedSeconds: 1, points: [[10, 0.5]] }), job), /^10% · 10 samples\/s · ETA .* · loss 0\.5000$/);
  assert.equal(runStats(run({}), { status: 'stopped' } as JobSnapshot), 'not started');
});

test('the Runs page shows a one-variant folder\'s own loss plot, which has no "all variants" plot', async () => {
  const { runCard } = await import('../../src/web/pages/runs-page.js');
  const line = { variant: 'custom', label: 'mine', n: 1, mean: 0.9, std: 0, chapter: null, meanTrainSeconds: 3 };
  const card = (files: string[], summary = [line]): string => runCard({ name: 'r', createdAt: null, command: null, files, summary });
  assert.match(card(['loss-custom.png', 'loss-custom.svg', 'results.json']), /<img src="\/files\/r\/loss-custom\.png"/);
  // A folder written before: its overlay is still shown.
  assert.match(card(['loss-all.svg', 'loss-custom.png']), /<img src="\/files\/r\/loss-all\.svg"/);
  assert.doesNotMatch(card(['results.json']), /<img/);
  assert.doesNotMatch(card(['loss-custom.png'], [line, { ...line, variant: 'other' }]), /<img/);
});

test('the Runs page says when a variant\'s accuracy leaves out runs with NaN weights', async () => {
  const { runCard } = await import('../../src/web/pages/runs-page.js');
  const line = { variant: 'leakyrelu', label: 'LeakyReLU', n: 2, mean: 0.19, std: 0.014, chapter: 0.97, meanTrainSeconds: 3 };
  const card = (extra: object): string => runCard({ name: 'r', createdAt: null, command: null, files: [], summary: [{ ...line, ...extra }] });
  assert.ok(card({ nonFinite: 1 }).includes('<small>1 run with NaN weights left out</small>'));
  assert.ok(!card({}).includes('NaN'));
  // Every run with NaN weights: the accuracy is named so, and the row is not marked the best.
  const all = card({ n: 1, std: 0, allNonFinite: true });
  assert.ok(all.includes('<td class="num acc">19.00% (NaN weights)</td>'), all);
  assert.ok(!all.includes('class="best"'));
  assert.ok(card({}).includes('class="best"'));
});
