import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHAPTER_FIGURES, ResultsError, summarize, type RunResult } from '../../src/report/results.js';
import { validateResults } from '../../src/report/validate.js';
import { KindlingError } from '../../src/errors.js';
import { fakeResults, fakeRun, twoVariantResults } from './fixtures.js';

type Node = Record<string, unknown>;

/** A deep, mutable copy of the results as JSON, to break one field at a time. */
function json(): Node {
  return JSON.parse(JSON.stringify(twoVariantResults(50))) as Node;
}

/** The object or array at `path` inside parsed JSON (arrays are indexed with numbers). */
function at(root: Node, ...path: (string | number)[]): Node {
  let node: unknown = root;
  for (const key of path) node = (node as Node)[String(key)];
  if (typeof node !== 'object' || node === null) throw new Error(`test setup: nothing at ${path.join('.')}`);
  return node as Node;
}

function list(root: Node, ...path: (string | number)[]): unknown[] {
  return at(root, ...path) as unknown as unknown[];
}

function rejects(mutate: (j: Node) => void, message: string): void {
  const j = json();
  mutate(j);
  assert.throws(
    () => validateResults(j),
    (err: unknown) => {
      assert.ok(err instanceof ResultsError && err instanceof KindlingError, `expected a ResultsError, got ${String(err)}`);
      assert.equal(err.message, message);
      return true;
    },
  );
}

test('summarize: mean, sample std (n − 1), min, max and mean time per variant, in order of appearance', () => {
  const base = fakeRun();
  const runs: RunResult[] = [
    { ...base, variant: 'bce', seed: 0, accuracy: 0.9, trainSeconds: 10 },
    { ...base, variant: 'baseline', seed: 0, accuracy: 0.86, trainSeconds: 100 },
    { ...base, variant: 'baseline', seed: 1, accuracy: 0.88, trainSeconds: 110 },
    { ...base, variant: 'bce', seed: 1, accuracy: 0.95, trainSeconds: 20 },
    { ...base, variant: 'baseline', seed: 2, accuracy: 0.87, trainSeconds: 120 },
    { ...base, variant: 'mine', seed: 0, accuracy: 0.5, trainSeconds: 7 },
  ];
  const [bce, baseline, mine] = summarize(runs, CHAPTER_FIGURES);
  // baseline: mean 0.87; deviations ±0.01 and 0 → variance 0.0002 / 2 = 0.0001 → std 0.01.
  assert.equal(baseline!.variant, 'baseline');
  assert.equal(baseline!.n, 3);
  assert.ok(Math.abs(baseline!.mean - 0.87) < 1e-12);
  assert.ok(Math.abs(baseline!.std - 0.01) < 1e-12);
  assert.equal(baseline!.min, 0.86);
  assert.equal(baseline!.max, 0.88);
  assert.equal(baseline!.meanTrainSeconds, 110);
  assert.equal(baseline!.chapter, 0.87);
  // bce: mean 0.925; deviations ±0.025 → variance 0.00125 / 1 → std 0.0353553…
  assert.equal(bce!.variant, 'bce');
  assert.ok(Math.abs(bce!.mean - 0.925) < 1e-12);
  assert.ok(Math.abs(bce!.std - Math.sqrt(0.00125)) < 1e-12);
  assert.equal(bce!.meanTrainSeconds, 15);
  assert.equal(bce!.chapter, 0.91);
  // One run: std 0, not NaN; a variant the book does not have: chapter null.
  assert.equal(mine!.n, 1);
  assert.equal(mine!.std, 0);
  assert.equal(mine!.chapter, null);
  assert.equal(mine!.label, base.label);
});

test('summarize: a chapter figure named like an Object.prototype member is not picked up', () => {
  const [s] = summarize([{ ...fakeRun(), variant: 'constructor' }], {});
  assert.equal(s!.chapter, null);
});

test('validateResults accepts consistent results, after a JSON round trip too', () => {
  const results = twoVariantResults(50);
  const checked = validateResults(JSON.parse(JSON.stringify(results)));
  assert.deepEqual(checked, results);
  // One run that misclassified nothing with a digit missing from a tiny test set: per-class accuracy null.
  const tiny = fakeRun({ testSamples: 7, skill: 1 });
  assert.deepEqual(tiny.perClassAccuracy.slice(6), [1, null, null, null]);
  assert.equal(validateResults(JSON.parse(JSON.stringify(fakeResults([tiny])))).runs[0]!.accuracy, 1);
  // The kernels a run names are kept; a file without them (older ones) is read as it is.
  const named = JSON.parse(JSON.stringify(results)) as { runs: Record<string, unknown>[] };
  named.runs[0]!['kernels'] = 'wasm (native subnormals)';
  const read = validateResults(named);
  assert.equal(read.runs[0]!.kernels, 'wasm (native subnormals)');
  assert.equal('kernels' in read.runs[1]!, false);
});

test('validateResults names the first problem precisely', () => {
  rejects((j) => list(j, 'runs', 0, 'confusion', 3).pop(), 'results.json: runs[0].confusion[3] has 9 entries, expected 10');
  rejects((j) => delete at(j, 'runs', 1)['lossEvery'], 'results.json: runs[1].lossEvery is missing, expected an integer ≥ 1');
  rejects(
    (j) => (at(j, 'runs', 0, 'config', 'activation')['name'] = 'swish'),
    "results.json: runs[0].config.activation.name is the string \"swish\", expected one of 'sigmoid', 'relu', 'tanh', 'leakyrelu', 'gelu', 'silu', 'elu'",
  );
  rejects(
    (j) => (at(j, 'runs', 0, 'config')['activation'] = { name: 'relu', alpha: 0.5 }),
    "results.json: runs[0].config.activation.alpha is set, but only 'elu' has an alpha (name is 'relu')",
  );
  rejects(
    (j) => (at(j, 'runs', 0, 'config')['optimizer'] = 'lbfgs'),
    "results.json: runs[0].config.optimizer is the string \"lbfgs\", expected one of 'sgd', 'adam', 'rmsprop', 'adagrad', 'nadam', 'adamax', 'radam', 'adadelta', 'rprop', 'asgd'",
  );
  rejects(
    (j) => (at(j, 'runs', 0, 'config')['activation'] = { name: 'sigmoid', slope: 0.02 }),
    "results.json: runs[0].config.activation.slope is set, but only 'leakyrelu' has a slope (name is 'sigmoid')",
  );
  rejects((j) => (at(j, 'runs', 2, 'losses')[5] = 'NaN'), 'results.json: runs[2].losses[5] is the string "NaN", expected a finite number');
  rejects((j) => (at(j, 'runs', 0, 'perClassAccuracy')[2] = 1.5), 'results.json: runs[0].perClassAccuracy[2] is 1.5, expected a number from 0 to 1');
  rejects((j) => (at(j, 'runs', 0)['variant'] = '../evil'), 'results.json: runs[0].variant is "../evil", expected letters, digits, \'.\', \'_\' or \'-\' (at most 64, starting with a letter or digit; it names files)');
  rejects((j) => (at(j, 'meta')['createdAt'] = 'yesterday'), 'results.json: meta.createdAt is the string "yesterday", expected an ISO 8601 date-time');
  rejects((j) => (j['runs'] = []), 'results.json: runs is empty, expected at least one run');
  rejects((j) => (at(j, 'runs', 1)['kernels'] = 2), 'results.json: runs[1].kernels is number 2, expected a string');
});

test('validateResults checks that the numbers agree with each other', () => {
  const j = json();
  const confusion = at(j, 'runs', 0)['confusion'] as number[][];
  const correct = confusion.reduce((a, row, i) => a + row[i]!, 0);
  rejects(
    (k) => (at(k, 'runs', 0)['accuracy'] = 0.5),
    `results.json: runs[0].accuracy is 0.5, expected ${correct / 1000} from the confusion matrix (${correct} of 1000 right)`,
  );
  rejects((k) => (at(k, 'runs', 1)['testSamples'] = 999), 'results.json: runs[1].confusion counts 1000 images, but testSamples is 999');
  const row4 = confusion[4]!;
  const rowSum = row4.reduce((a, b) => a + b, 0);
  rejects(
    (k) => (at(k, 'runs', 0, 'perClassAccuracy')[4] = 0),
    `results.json: runs[0].perClassAccuracy[4] is 0, expected ${row4[4]! / rowSum} from confusion row 4`,
  );
  rejects((k) => (at(k, 'runs', 3)['seed'] = 0), "results.json: runs[3] repeats variant 'bce' with seed 0 (also runs[2])");
  rejects((k) => (at(k, 'runs', 3)['variant'] = 'all'), "results.json: runs[3].variant is 'all', which is reserved for the overlay plot (loss-all.svg)");
  rejects((k) => (at(k, 'runs', 3)['variant'] = 'ALL'), "results.json: runs[3].variant is 'ALL', which is reserved for the overlay plot (loss-all.svg, the same file where case is ignored)");
  const mean = at(j, 'summary', 0)['mean'] as number;
  rejects((k) => (at(k, 'summary', 0)['mean'] = 0.5), `results.json: summary[0].mean is 0.5, expected ${mean} from the runs of 'baseline'`);
  rejects((k) => (at(k, 'summary', 1)['n'] = 3), "results.json: summary[1].n is 3, but there are 2 runs of 'bce'");
  rejects((k) => list(k, 'summary').pop(), "results.json: summary has no entry for variant 'bce', which has runs");
  rejects((k) => (at(k, 'summary', 1)['variant'] = 'adam'), "results.json: summary[1].variant is 'adam', but no run has that variant");
  const m = at(j, 'runs', 0, 'misclassified')[0] as { label: number; predicted: number };
  rejects(
    (k) => (at(k, 'runs', 0, 'misclassified', 0)['predicted'] = m.label),
    `results.json: runs[0].misclassified[0] has label and predicted both ${m.label}; a misclassified image must differ`,
  );
  rejects((k) => list(k, 'runs', 0, 'misclassified', 1, 'pixels').push(0), 'results.json: runs[0].misclassified[1].pixels has 785 entries, expected 784');
});

test('validateResults names the source it was given and rejects non-objects', () => {
  assert.throws(() => validateResults([], 'runs/x/results.json'), {
    name: 'ResultsError',
    message: 'runs/x/results.json: (top level) is an array of 0, expected an object',
  });
  assert.throws(() => validateResults({ runs: {} }), { message: 'results.json: runs is an object, expected an array' });
});

test('failed runs are recorded in meta.failed, checked by the validator, and listed in the report', async () => {
  const { renderReportHtml } = await import('../../src/report/html.js');
  const results = twoVariantResults(50);
  const failed = [{ variant: 'bce', seed: 7, message: 'variant bce (seed 7): the loss became NaN at step 12 <odd>' }];
  const withFailed = { ...results, meta: { ...results.meta, failed } };
  assert.deepEqual(validateResults(JSON.parse(JSON.stringify(withFailed))).meta.failed, failed);
  const bad = JSON.parse(JSON.stringify(withFailed)) as { meta: { failed: Array<Record<string, unknown>> } };
  bad.meta.failed[0]!['seed'] = -1;
  assert.throws(() => validateResults(bad), /meta\.failed\[0\]\.seed is number -1, expected an integer ≥ 0/);
  const plot = { svg: '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>', png: Buffer.from('png') };
  const html = renderReportHtml(withFailed, { overlay: plot, variants: { baseline: plot, bce: plot } }, { embed: 'svg' });
  assert.ok(html.includes('<dt>Failed: bce seed 7</dt><dd>variant bce (seed 7): the loss became NaN at step 12 &lt;odd&gt; (not in the table or plots)</dd>'));
});

test('runs whose weights ended NaN are left out of their variant\'s statistics, and counted apart; all of them if none stayed finite', () => {
  const runs: RunResult[] = [
    fakeRun({ variant: 'leakyrelu', seed: 0, skill: 0.9, trainSeconds: 10 }),
    fakeRun({ variant: 'leakyrelu', seed: 1, skill: 0.8, trainSeconds: 20 }),
    { ...fakeRun({ variant: 'leakyrelu', seed: 2, skill: 0.1, trainSeconds: 30 }), nonFiniteWeights: 129_810 },
    { ...fakeRun({ variant: 'adam', seed: 0, skill: 0.1, trainSeconds: 5 }), nonFiniteWeights: 7 },
  ];
  const [a, b] = [runs[0]!.accuracy, runs[1]!.accuracy];
  const [leaky, adam] = summarize(runs, CHAPTER_FIGURES);
  assert.deepEqual([leaky!.n, leaky!.nonFinite, leaky!.min, leaky!.max], [2, 1, Math.min(a, b), Math.max(a, b)]);
  assert.ok(Math.abs(leaky!.mean - (a + b) / 2) < 1e-12);
  assert.ok(Math.abs(leaky!.std - Math.abs(a - b) / Math.SQRT2) < 1e-12);
  assert.equal(leaky!.meanTrainSeconds, 20, 'the time of every run that trained');
  assert.deepEqual([adam!.n, adam!.nonFinite, adam!.mean], [1, undefined, runs[3]!.accuracy]);
  // adam's only run is its statistics, flagged as meaning nothing; leakyrelu's finite runs are not flagged.
  assert.deepEqual([adam!.allNonFinite, leaky!.allNonFinite], [true, undefined]);
  // The validator holds a summary to the same rule.
  const file = fakeResults(runs);
  assert.doesNotThrow(() => validateResults(JSON.parse(JSON.stringify(file)), 'r.json'));
  // A file written before NaN runs were left out counted every run, with no nonFinite: still valid, as it was.
  const legacy = summarize(runs.map(({ nonFiniteWeights: _, ...r }) => r));
  assert.doesNotThrow(() => validateResults(JSON.parse(JSON.stringify({ ...file, summary: legacy })), 'r.json'));
  // But the statistics of every run labelled as leaving one out, or a count that fits neither, are refused.
  const mixed = [{ ...legacy[0]!, nonFinite: 1 }, ...legacy.slice(1)];
  assert.throws(() => validateResults(JSON.parse(JSON.stringify({ ...file, summary: mixed })), 'r.json'), /summary\[0\]\.n.*is 3, but there are 2 runs of 'leakyrelu' whose weights stayed finite/);
  const flagged = [{ ...file.summary[0]!, allNonFinite: true }, ...file.summary.slice(1)];
  assert.throws(() => validateResults(JSON.parse(JSON.stringify({ ...file, summary: flagged })), 'r.json'), /summary\[0\]\.allNonFinite is true, but not every run of 'leakyrelu' ended with NaN weights/);
  const notTrue = [file.summary[0]!, { ...file.summary[1]!, allNonFinite: 'yes' }];
  assert.throws(() => validateResults(JSON.parse(JSON.stringify({ ...file, summary: notTrue })), 'r.json'), /summary\[1\]\.allNonFinite is the string "yes", expected true/);
  const wrong = [{ ...file.summary[0]!, n: 1 }, ...file.summary.slice(1)];
  assert.throws(() => validateResults(JSON.parse(JSON.stringify({ ...file, summary: wrong })), 'r.json'), /summary\[0\]\.n.*is 1, but there are 2 runs/);
});
