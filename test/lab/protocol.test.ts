// The book's and PyTorch's figures sit beside a variant's result only when its runs followed the chapter's
// protocol with that variant's settings: another data set, a slice, other epochs, batches or learning rate is a
// different experiment, and comparing it with 87% would mislead.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { describePyTorchReference, loadPyTorchReference } from '../../src/lab/reference.js';
import { buildResultsFile } from '../../src/lab/results-file.js';
import { EMBEDDED_DIGESTS, isEmbeddedData, splitDigest } from '../../src/data/digest.js';
import { loadEmbeddedMnist } from '../../src/data/mnist.js';
import { findVariant, followsChapter } from '../../src/lab/variants.js';
import type { RunResult } from '../../src/report/results.js';
import { fakeRun } from '../report/fixtures.js';
import { formatPercent, formatReference, pytorchSeedsNote, severalReferenceRuns } from '../../src/report/format.js';

/** A run of `variant` on the chapter's protocol (54,000 losses: 180,000 steps), with `change` applied. */
function chapterRun(variant: string, change: Partial<RunResult> = {}): RunResult {
  const run = fakeRun({ variant, records: 18_000, testSamples: 10_000, config: findVariant(variant)!.config });
  return { ...run, trainSamples: 60_000, ...change };
}

test('followsChapter: the full protocol with the variant\'s own settings, on the embedded MNIST, and nothing else', () => {
  assert.equal(followsChapter([chapterRun('baseline'), chapterRun('baseline', { seed: 1 })], undefined), true);
  assert.equal(followsChapter([chapterRun('combined')], undefined), true);
  assert.equal(followsChapter([chapterRun('baseline')], '/usr/share/datasets/fashion-mnist'), false);
  assert.equal(followsChapter([chapterRun('baseline', { trainSamples: 2000 })], undefined), false);
  assert.equal(followsChapter([chapterRun('baseline', { testSamples: 500 })], undefined), false);
  assert.equal(followsChapter([chapterRun('baseline', { epochs: 1 })], undefined), false);
  assert.equal(followsChapter([chapterRun('baseline', { batchSize: 64 })], undefined), false);
  const base = findVariant('baseline')!.config;
  assert.equal(followsChapter([chapterRun('baseline', { config: { ...base, lr: 0.64 } })], undefined), false);
  assert.equal(followsChapter([chapterRun('baseline', { config: { ...base, hidden: 100 } })], undefined), false);
  assert.equal(followsChapter([chapterRun('baseline', { config: findVariant('adam')!.config })], undefined), false);
  // One seed off the protocol is enough: the mean would mix two experiments.
  assert.equal(followsChapter([chapterRun('baseline'), chapterRun('baseline', { seed: 1, epochs: 1 })], undefined), false);
  assert.equal(followsChapter([chapterRun('baseline', { variant: 'custom' })], undefined), false);
  assert.equal(followsChapter([], undefined), false);
});

test('buildResultsFile gives the chapter\'s figure only to variants run on its protocol', () => {
  const ctx = { started: new Date(0), t0: 0, workers: 2, command: 'kindling reproduce' };
  const full = buildResultsFile([chapterRun('baseline'), chapterRun('adam', { epochs: 1 })], { ...ctx, data: undefined });
  assert.deepEqual(full.summary.map((s) => [s.variant, s.chapter]), [['baseline', 0.87], ['adam', null]]);
  const other = buildResultsFile([chapterRun('baseline')], { ...ctx, data: '/data/fashion-mnist' });
  assert.deepEqual(other.summary.map((s) => [s.variant, s.chapter]), [['baseline', null]]);
  assert.equal(other.meta.data, '/data/fashion-mnist');
  // The embedded MNIST's own files at another path: the same fingerprints, so the same data, and the chapter's figure.
  const copy = buildResultsFile([chapterRun('baseline')], { ...ctx, data: '/tmp/idx', dataDigest: { ...EMBEDDED_DIGESTS } });
  assert.deepEqual(copy.summary.map((s) => [s.variant, s.chapter]), [['baseline', 0.87]]);
  assert.equal(copy.meta.data, '/tmp/idx', 'the path it was read from is still recorded');
  const oneImageOff = buildResultsFile([chapterRun('baseline')], { ...ctx, data: '/tmp/idx', dataDigest: { ...EMBEDDED_DIGESTS, test: '0000000000000000' } });
  assert.deepEqual(oneImageOff.summary.map((s) => [s.variant, s.chapter]), [['baseline', null]]);
});

test('the embedded MNIST\'s recorded fingerprints are those of its splits', () => {
  for (const split of ['train', 'test'] as const) assert.equal(splitDigest(loadEmbeddedMnist(split)), EMBEDDED_DIGESTS[split], split);
  assert.equal(isEmbeddedData(undefined), false);
});

test('the committed PyTorch record gives its figures and says which PyTorch measured them', () => {
  const record = JSON.parse(readFileSync(new URL('../../../fixtures/torch/reference-accuracy.json', import.meta.url), 'utf8')) as {
    torch_version: string; threads: number; date: string; runs: Array<{ variant: string; accuracy: number }>;
  };
  const adam = record.runs.filter((r) => r.variant === 'adam').map((r) => r.accuracy);
  const figures = loadPyTorchReference()!;
  assert.equal(figures['adam']!.n, adam.length);
  assert.ok(Math.abs(figures['adam']!.mean - adam.reduce((a, b) => a + b, 0) / adam.length) < 1e-12);
  const threads = record.threads === 1 ? 'one thread' : `${record.threads} threads`;
  assert.equal(describePyTorchReference(), `PyTorch ${record.torch_version} on ${threads}, ${record.date.slice(0, 10)}`);
});

test('PyTorch\'s figure covers the same seeds as the runs beside it where its record has them, else all its seeds, marked', () => {
  const record = JSON.parse(readFileSync(new URL('../../../fixtures/torch/reference-accuracy.json', import.meta.url), 'utf8')) as {
    runs: Array<{ variant: string; seed: number; accuracy: number }>;
  };
  const of = (variant: string, seed: number): number => record.runs.find((r) => r.variant === variant && r.seed === seed)!.accuracy;
  const one = loadPyTorchReference(() => [0])!['baseline']!;
  assert.deepEqual(one, { mean: of('baseline', 0), std: 0, n: 1, seeds: [0], sameSeeds: true });
  assert.equal(formatReference(one), formatPercent(of('baseline', 0)));
  const two = loadPyTorchReference((v) => (v === 'adam' ? [2, 0] : [0]))!['adam']!;
  const mean = (of('adam', 2) + of('adam', 0)) / 2;
  assert.ok(Math.abs(two.mean - mean) < 1e-15);
  assert.ok(Math.abs(two.std! - Math.abs(of('adam', 2) - of('adam', 0)) / Math.SQRT2) < 1e-15);
  assert.deepEqual([two.n, two.seeds, two.sameSeeds], [2, [2, 0], true]);
  // Seeds the record lacks: all of its own, and the figure says which.
  const other = loadPyTorchReference(() => [5, 6])!['adam']!;
  assert.deepEqual([other.n, other.seeds, other.sameSeeds], [3, [0, 1, 2], false]);
  assert.match(formatReference(other), /^\d+\.\d\d% ± \d+\.\d\d \(seeds 0–2\)$/);
  assert.equal(pytorchSeedsNote({ adam: other }), 'PyTorch: its runs of seeds 0–2, the seeds its record holds (not these runs\' own).');
  assert.equal(pytorchSeedsNote({ adam: two }), 'PyTorch: its runs of the same seeds.');
  assert.equal(pytorchSeedsNote({ adam: two, baseline: other }), 'PyTorch: its runs of the same seeds, or of seeds 0–2 where it has not run them (marked).');
});

test('the ± note counts PyTorch\'s figures only when one is over several runs', () => {
  assert.equal(severalReferenceRuns(loadPyTorchReference(() => [0])), false);
  assert.equal(severalReferenceRuns(loadPyTorchReference(() => [0, 1])), true);
  assert.equal(severalReferenceRuns(undefined), false);
});
