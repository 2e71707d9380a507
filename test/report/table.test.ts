import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bestVariant, formatAccuracy, formatChapter, formatCount, formatPercent, formatReference, formatSeconds } from '../../src/report/format.js';
import { summarize, type VariantSummary } from '../../src/report/results.js';
import { formatMarkdownTable, formatTable } from '../../src/report/table.js';
import { fakeRun } from './fixtures.js';

function summary(variant: string, label: string, mean: number, std: number, n: number, chapter: number | null, seconds: number): VariantSummary {
  return { variant, label, n, mean, std, min: mean - std, max: mean + std, chapter, meanTrainSeconds: seconds };
}

const ONE_SEED = [
  summary('baseline', '— (MSE, Sigmoid, SGD 0.01)', 0.8731, 0, 1, 0.87, 83.4),
  summary('bce', 'BCELoss', 0.9102, 0, 1, 0.91, 7.25),
  summary('mine', 'tanh, hidden 50', 0.95, 0, 1, null, 3725),
];

test('number formats', () => {
  assert.equal(formatPercent(0.87314), '87.31%');
  assert.equal(formatAccuracy({ mean: 0.8731, std: 0.0042, n: 3 }), '87.31% ± 0.42');
  assert.equal(formatAccuracy({ mean: 0.8731, std: 0, n: 1 }), '87.31%');
  assert.equal(formatChapter(0.87), '87%');
  assert.equal(formatChapter(0.975), '97.50%');
  assert.equal(formatChapter(null), '—');
  assert.equal(formatReference({ mean: 0.874, std: 0.003, n: 3 }), '87.40% ± 0.30');
  assert.equal(formatReference({ mean: 0.874, std: 0.003, n: 1 }), '87.40%');
  assert.equal(formatReference(undefined), '—');
  assert.equal(formatSeconds(7.254), '7.25 s');
  assert.equal(formatSeconds(42.26), '42.3 s');
  assert.equal(formatSeconds(83.4), '1 min 23 s');
  assert.equal(formatSeconds(3725), '1 h 02 min');
  assert.equal(formatCount(1234567), '1,234,567');
});

test('formatTable: aligned plain text, one line per variant, no colour codes by default', () => {
  const text = formatTable(ONE_SEED);
  const lines = text.trimEnd().split('\n');
  assert.equal(lines.length, 2 + ONE_SEED.length);
  assert.equal(lines[0], 'variant   what changed                accuracy  chapter  train time');
  assert.equal(lines[1], '────────  ──────────────────────────  ────────  ───────  ──────────');
  assert.equal(lines[2], 'baseline  — (MSE, Sigmoid, SGD 0.01)    87.31%      87%  1 min 23 s');
  assert.equal(lines[3], 'bce       BCELoss                       91.02%      91%      7.25 s');
  assert.equal(lines[4], 'mine      tanh, hidden 50               95.00%        —  1 h 02 min');
  assert.ok(!text.includes('\u001b'));
});

test('formatTable: several seeds show ± std, and a PyTorch column when figures are given', () => {
  const three = [summary('baseline', 'MSE', 0.8731, 0.0042, 3, 0.87, 100), summary('adam', 'Adam', 0.9655, 0.0011, 3, 0.97, 200)];
  const lines = formatTable(three, { pytorch: { adam: { mean: 0.9661, std: 0.0009, n: 3 } } }).trimEnd().split('\n');
  assert.equal(lines[0], 'variant   what changed  accuracy (3 seeds)  chapter        PyTorch  train time (mean)');
  assert.equal(lines[2], 'baseline  MSE                87.31% ± 0.42      87%              —         1 min 40 s');
  assert.equal(lines[3], 'adam      Adam               96.55% ± 0.11      97%  96.61% ± 0.09         3 min 20 s');
  // Columns line up: every row is as wide as the rule under the header.
  assert.equal(new Set(lines.slice(0, 4).map((l) => [...l].length)).size, 1);
  // A footnote says which standard deviation; a table without ± has none.
  assert.deepEqual(lines.slice(4), ['', '± is the sample standard deviation over seeds (dividing by n − 1).']);
  assert.doesNotMatch(formatTable(ONE_SEED), /standard deviation/);
});

test('formatTable with colour: bold header, best accuracy in green, same alignment once codes are removed', () => {
  const coloured = formatTable(ONE_SEED, { color: true });
  assert.ok(coloured.startsWith('\u001b[1mvariant'));
  assert.ok(coloured.includes('\u001b[1m\u001b[32m  95.00%\u001b[0m'));
  // eslint-disable-next-line no-control-regex
  assert.equal(coloured.replace(/\u001b\[\d+m/g, ''), formatTable(ONE_SEED));
});

test('formatMarkdownTable: GitHub table with right-aligned numbers and escaped pipes', () => {
  const md = formatMarkdownTable([summary('a|b', 'x | y', 0.5, 0.01, 2, null, 1)], { pytorch: {} });
  assert.equal(
    md,
    '| variant | what changed | accuracy (2 seeds) | chapter | PyTorch | train time (mean) |\n' +
      '| --- | --- | ---: | ---: | ---: | ---: |\n' +
      '| a\\|b | x \\| y | 50.00% ± 1.00 | — | — | 1.00 s |\n',
  );
});

test('formatTable: rows over different numbers of seeds (a seed failed) get a seeds column', () => {
  const text = formatTable([summary('baseline', 'MSE', 0.535, 0.0058, 4, null, 0.49), summary('leakyrelu', 'LeakyReLU', 0.175, 0.0707, 2, null, 0.38)]);
  const [header, , first, second] = text.split('\n');
  assert.match(header!, /accuracy \(mean ± std\)\s+seeds\s+chapter/);
  assert.match(first!, /53\.50% ± 0\.58\s+4\s+—/);
  assert.match(second!, /17\.50% ± 7\.07\s+2\s+—/);
  assert.doesNotMatch(formatTable(ONE_SEED).split('\n')[0]!, /seeds/);
});

test('formatTable: a variant with runs left out for NaN weights says so under the table', () => {
  const base = fakeRun();
  const summary = summarize([
    { ...base, variant: 'leakyrelu', seed: 0, accuracy: 0.2 },
    { ...base, variant: 'leakyrelu', seed: 1, accuracy: 0.18 },
    { ...base, variant: 'leakyrelu', seed: 2, accuracy: 0.084, nonFiniteWeights: 12 },
  ]);
  const text = formatTable(summary);
  assert.match(text, /^leakyrelu .* 19\.00% ± 1\.41/m);
  assert.ok(text.endsWith('Left out of the accuracy, as their weights ended NaN or infinite: 1 run of leakyrelu.\n'), text);
  assert.doesNotMatch(formatTable(summarize([base])), /Left out/);
});

test('formatTable: a variant whose every run ended with NaN weights is named so beside its accuracy, and is never the best', () => {
  const base = fakeRun();
  const summary = summarize([
    { ...base, variant: 'baseline', seed: 0, accuracy: 0.1 },
    { ...base, variant: 'adam', seed: 0, accuracy: 0.3, nonFiniteWeights: 5 },
  ]);
  assert.equal(bestVariant(summary)?.variant, 'baseline');
  const text = formatTable(summary);
  assert.match(text, /^adam .* 30\.00% \(NaN weights\)/m);
  assert.match(text, /^baseline .* 10\.00%  /m);
  assert.match(formatMarkdownTable(summary), /\| 30\.00% \(NaN weights\) \|/);
});

test('a percentage is rounded half up as by hand, also where the product with 100 is a binary shade below the half', () => {
  // Two seeds, 96.91% and 96.88% (PyTorch's leakyrelu, seeds 0 and 2): the mean is 96.895, which rounds to 96.90.
  const [two] = summarize([fakeRun({ variant: 'leakyrelu', seed: 0 }), fakeRun({ variant: 'leakyrelu', seed: 2 })].map((r, i) => ({ ...r, accuracy: [0.9691, 0.9688][i]! })));
  assert.equal(formatAccuracy(two!), '96.90% ± 0.02');
  // A confusion row of 80 test images with 23, 41 or 51 right: 28.75%, 51.25% and 63.75%, to one decimal.
  assert.deepEqual([23, 41, 51].map((k) => formatPercent(k / 80, 1)), ['28.8%', '51.3%', '63.8%']);
  // Every share k of n up to 400, against the exact rounding of the fraction k × 10^(d+2) / n, halves up.
  for (const d of [1, 2]) {
    for (let n = 1; n <= 400; n++) {
      for (let k = 1; k < n; k++) {
        const scaled = BigInt(k) * 10n ** BigInt(d + 2);
        const rest = scaled % BigInt(n);
        const units = Number(scaled / BigInt(n) + (2n * rest >= BigInt(n) ? 1n : 0n));
        const exact = units >= 100 * 10 ** d ? 100 - 10 ** -d : units === 0 ? 10 ** -d : units / 10 ** d;
        assert.equal(formatPercent(k / n, d), `${exact.toFixed(d)}%`, `${k} of ${n}, ${d} decimal(s)`);
      }
    }
  }
});

test('a percentage never reads 100 unless all were right, nor 0 unless none was', () => {
  assert.equal(formatPercent(20000 / 20001), '99.99%');
  assert.equal(formatPercent(1), '100.00%');
  assert.equal(formatPercent(1999 / 2000, 1), '99.9%');
  assert.equal(formatPercent(1 / 20001), '0.01%');
  assert.equal(formatPercent(0), '0.00%');
  assert.equal(formatAccuracy({ mean: 0.999967, std: 0.0001, n: 3 }), '99.99% ± 0.01');
});
