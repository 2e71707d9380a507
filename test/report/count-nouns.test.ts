import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCountOf, formatPartOf } from '../../src/report/format.js';
import { renderReportHtml } from '../../src/report/html.js';
import { lossPlotSpec, overlayPlotSpec } from '../../src/report/plot-specs.js';
import { validateResults } from '../../src/report/validate.js';
import { fakeResults, fakeRun } from './fixtures.js';

const ONE_WORD = /\b1 (records|steps|seeds|runs|epochs|images|test images|training images|weights|workers|recorded losses)\b|\(s\)/;

test('formatPartOf: the noun agrees with the part, not the whole ("0 runs of 1", never "0 of 1 run have")', () => {
  assert.equal(formatPartOf(0, 1, 'run'), '0 runs of 1');
  assert.equal(formatPartOf(1, 3, 'run'), '1 run of 3');
  assert.equal(formatPartOf(2, 1000, 'entry', 'entries'), '2 entries of 1,000');
});

test('formatCountOf: the singular for one, the plural (given or with an s) otherwise, thousands separated', () => {
  assert.equal(formatCountOf(1, 'record'), '1 record');
  assert.equal(formatCountOf(0, 'record'), '0 records');
  assert.equal(formatCountOf(2, 'entry', 'entries'), '2 entries');
  assert.equal(formatCountOf(54_000, 'step'), '54,000 steps');
});

test('the plot of a short run says "2 records (20 steps)", one of a very short run that it is not smoothed, never "1 records"', () => {
  const two = JSON.stringify(lossPlotSpec([fakeRun({ records: 20 })]).spec.title);
  assert.ok(two.includes('centred moving average over 2 records (20 steps)'), two);
  for (const records of [1, 5, 19]) {
    const title = JSON.stringify(lossPlotSpec([fakeRun({ records })]).spec.title);
    assert.doesNotMatch(title, ONE_WORD);
    assert.ok(title.includes('line: not smoothed (too few records to average)'), title);
    const overlay = JSON.stringify(overlayPlotSpec([fakeRun({ records })]).title);
    assert.ok(overlay.includes('lines: not smoothed (too few records to average)'), overlay);
  }
  const one = JSON.stringify(lossPlotSpec([{ ...fakeRun({ records: 1 }), lossEvery: 1 }]).spec.title);
  assert.ok(one.includes('dots: the one recorded loss (one per 1 step)'), one);
});

const plot = { svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>', png: new Uint8Array(0) };

test('report.html of one run of one epoch on one test image: every count in the singular', () => {
  const run = { ...fakeRun({ records: 3, testSamples: 1 }), epochs: 1, trainSamples: 1, lossEvery: 1 };
  const results = fakeResults([run]);
  const html = renderReportHtml({ ...results, meta: { ...results.meta, workers: 1, wallSeconds: 12 } }, { overlay: plot, variants: { baseline: plot } });
  assert.ok(html.includes('1 epoch, batch size 1, 1 training image and 1 test image, loss recorded every 1 step'), html.match(/Protocol.{0,200}/)?.[0]);
  assert.ok(html.includes('with 1 worker,'));
  assert.ok(html.includes('1 test image. '), 'the confusion matrix caption');
  assert.doesNotMatch(html, ONE_WORD);
  const nan = renderReportHtml(fakeResults([{ ...run, nonFiniteWeights: 1 }]), { overlay: plot, variants: { baseline: plot } });
  assert.ok(nan.includes('1 weight ended NaN'));
  assert.doesNotMatch(nan, ONE_WORD);
});

test('results.json checks name one run, one image and one entry in the singular', () => {
  const run = fakeRun({ records: 3, testSamples: 10 });
  const good = JSON.parse(JSON.stringify(fakeResults([run]))) as Record<string, any>;
  const twice = { ...good, summary: [{ ...good['summary'][0], n: 2 }] };
  assert.throws(() => validateResults(twice), /summary\[0\]\.n is 2, but there is 1 run of 'baseline'/);
  const oneImage = structuredClone(good);
  oneImage['runs'][0].confusion = oneImage['runs'][0].confusion.map((row: number[], i: number) => row.map((_: number, j: number) => (i === 0 && j === 0 ? 1 : 0)));
  assert.throws(() => validateResults(oneImage), /counts 1 image, but testSamples is 10/);
  const oneEntry = structuredClone(good);
  oneEntry['runs'][0].confusion = [[1]];
  assert.throws(() => validateResults(oneEntry), /has 1 entry, expected 10/);
});
