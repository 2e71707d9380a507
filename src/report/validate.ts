/**
 * Checks that parsed JSON is a well-formed `results.json`, and says exactly where it is not: the first problem
 * found is thrown as a `ResultsError` naming its path (`runs[2].confusion[3][7]`), what it is, and what was
 * expected. Besides the shape it checks the numbers agree with each other (confusion vs accuracy, summary vs
 * runs), since a report built on inconsistent numbers would silently mislead.
 */
import { formatCountOf } from './format.js';
import { Checker } from './json-checker.js';
import { runNameProblem } from './run-name.js';
import {
  ACTIVATION_NAMES,
  ACTIVATION_PARAMETER,
  OPTIMIZER_NAMES,
  summarize,
  type ActivationSpec,
  type Misclassified,
  type PyTorchFigures,
  type ReferenceFigure,
  type ResultsFile,
  type ResultsMeta,
  type RunConfig,
  type RunResult,
  type VariantSummary,
} from './results.js';

const CLASSES = 10;
const PIXELS = 784;

function activation(c: Checker, v: unknown, path: string): ActivationSpec {
  const o = c.object(v, path);
  const name = c.oneOf(o['name'], `${path}.name`, ACTIVATION_NAMES);
  const param = ACTIVATION_PARAMETER[name];
  for (const key of ['slope', 'alpha'] as const) {
    if (o[key] !== undefined && key !== param) c.fail(`${path}.${key}`, `is set, but only '${key === 'slope' ? 'leakyrelu' : 'elu'}' has ${key === 'slope' ? 'a slope' : 'an alpha'} (name is '${name}')`);
  }
  if (param === undefined || o[param] === undefined) return { name };
  return { name, [param]: c.number(o[param], `${path}.${param}`) };
}

function config(c: Checker, v: unknown, path: string): RunConfig {
  const o = c.object(v, path);
  const out = o['outputActivation'];
  return {
    activation: activation(c, o['activation'], `${path}.activation`),
    outputActivation: out === null ? null : activation(c, out, `${path}.outputActivation`),
    loss: c.oneOf(o['loss'], `${path}.loss`, ['mse', 'bce'] as const),
    optimizer: c.oneOf(o['optimizer'], `${path}.optimizer`, OPTIMIZER_NAMES),
    lr: c.number(o['lr'], `${path}.lr`, Number.MIN_VALUE),
    layerNorm: c.boolean(o['layerNorm'], `${path}.layerNorm`),
    hidden: c.integer(o['hidden'], `${path}.hidden`, 1),
  };
}

function misclassified(c: Checker, v: unknown, path: string, testSamples: number, confusion: number[][]): Misclassified {
  const o = c.object(v, path);
  const index = c.integer(o['index'], `${path}.index`, 0, testSamples - 1);
  const label = c.integer(o['label'], `${path}.label`, 0, CLASSES - 1);
  const predicted = c.integer(o['predicted'], `${path}.predicted`, 0, CLASSES - 1);
  if (label === predicted) c.fail(path, `has label and predicted both ${label}; a misclassified image must differ`);
  if (confusion[label]![predicted] === 0) {
    c.fail(path, `is a ${label} predicted as ${predicted}, but confusion[${label}][${predicted}] is 0`);
  }
  const pixels = c.array(o['pixels'], `${path}.pixels`, PIXELS).map((p, i) => c.integer(p, `${path}.pixels[${i}]`, 0, 255));
  return { index, label, predicted, pixels };
}

function run(c: Checker, v: unknown, path: string): RunResult {
  const o = c.object(v, path);
  const variant = c.string(o['variant'], `${path}.variant`);
  const problem = runNameProblem(variant);
  if (problem !== null) c.fail(`${path}.variant`, `is ${problem}`);
  const testSamples = c.integer(o['testSamples'], `${path}.testSamples`, 1);
  const confusion = c.array(o['confusion'], `${path}.confusion`, CLASSES).map((row, i) =>
    c.array(row, `${path}.confusion[${i}]`, CLASSES).map((n, j) => c.integer(n, `${path}.confusion[${i}][${j}]`)),
  );
  const rowSums = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const total = rowSums.reduce((a, b) => a + b, 0);
  if (total !== testSamples) c.fail(`${path}.confusion`, `counts ${total} ${total === 1 ? 'image' : 'images'}, but testSamples is ${testSamples}`);
  const correct = confusion.reduce((a, row, i) => a + row[i]!, 0);
  const accuracy = c.number(o['accuracy'], `${path}.accuracy`, 0, 1);
  c.close(accuracy, correct / total, `${path}.accuracy`, `the confusion matrix (${correct} of ${total} right)`);
  const perClassAccuracy = c.array(o['perClassAccuracy'], `${path}.perClassAccuracy`, CLASSES).map((a, i) => {
    const p = `${path}.perClassAccuracy[${i}]`;
    if (rowSums[i] === 0) {
      if (a !== null) c.fail(p, `is ${c.describe(a)}, but no test image is a ${i}: expected null`);
      return null;
    }
    c.close(c.number(a, p, 0, 1), confusion[i]![i]! / rowSums[i]!, p, `confusion row ${i}`);
    return a as number;
  });
  const losses = c.array(o['losses'], `${path}.losses`).map((l, i) => (l === null ? null : c.number(l, `${path}.losses[${i}]`)));
  return {
    variant,
    label: c.string(o['label'], `${path}.label`),
    seed: c.integer(o['seed'], `${path}.seed`),
    epochs: c.integer(o['epochs'], `${path}.epochs`, 1),
    batchSize: c.integer(o['batchSize'], `${path}.batchSize`, 1),
    config: config(c, o['config'], `${path}.config`),
    accuracy,
    perClassAccuracy,
    confusion,
    trainSeconds: c.number(o['trainSeconds'], `${path}.trainSeconds`, 0),
    stepsPerSecond: c.number(o['stepsPerSecond'], `${path}.stepsPerSecond`, 0),
    losses,
    lossEvery: c.integer(o['lossEvery'], `${path}.lossEvery`, 1),
    trainSamples: c.integer(o['trainSamples'], `${path}.trainSamples`, 1),
    testSamples,
    misclassified: c.array(o['misclassified'], `${path}.misclassified`).map((m, i) =>
      misclassified(c, m, `${path}.misclassified[${i}]`, testSamples, confusion),
    ),
    ...(o['kernels'] === undefined ? {} : { kernels: c.string(o['kernels'], `${path}.kernels`) }),
    ...(o['nonFiniteWeights'] === undefined ? {} : { nonFiniteWeights: c.integer(o['nonFiniteWeights'], `${path}.nonFiniteWeights`, 1) }),
  };
}

function summaryEntry(c: Checker, v: unknown, path: string): VariantSummary {
  const o = c.object(v, path);
  const chapter = o['chapter'];
  return {
    variant: c.string(o['variant'], `${path}.variant`),
    label: c.string(o['label'], `${path}.label`),
    n: c.integer(o['n'], `${path}.n`, 1),
    mean: c.number(o['mean'], `${path}.mean`, 0, 1),
    std: c.number(o['std'], `${path}.std`, 0),
    min: c.number(o['min'], `${path}.min`, 0, 1),
    max: c.number(o['max'], `${path}.max`, 0, 1),
    chapter: chapter === null ? null : c.number(chapter, `${path}.chapter`, 0, 1),
    meanTrainSeconds: c.number(o['meanTrainSeconds'], `${path}.meanTrainSeconds`, 0),
    ...(o['nonFinite'] === undefined ? {} : { nonFinite: c.integer(o['nonFinite'], `${path}.nonFinite`, 1) }),
    ...(o['allNonFinite'] === undefined ? {} : { allNonFinite: c.isTrue(o['allNonFinite'], `${path}.allNonFinite`) }),
  };
}

function meta(c: Checker, v: unknown): ResultsMeta {
  const o = c.object(v, 'meta');
  const createdAt = c.string(o['createdAt'], 'meta.createdAt');
  if (Number.isNaN(Date.parse(createdAt))) c.fail('meta.createdAt', `is ${c.describe(createdAt)}, expected an ISO 8601 date-time`);
  const out: { -readonly [K in keyof ResultsMeta]: ResultsMeta[K] } = {
    kindlingVersion: c.string(o['kindlingVersion'], 'meta.kindlingVersion'),
    createdAt,
    node: c.string(o['node'], 'meta.node'),
    data: c.string(o['data'], 'meta.data'),
  };
  if (o['dataDigest'] !== undefined) {
    const d = c.object(o['dataDigest'], 'meta.dataDigest');
    out.dataDigest = { train: digest(c, d['train'], 'meta.dataDigest.train'), test: digest(c, d['test'], 'meta.dataDigest.test') };
  }
  if (o['wallSeconds'] !== undefined) out.wallSeconds = c.number(o['wallSeconds'], 'meta.wallSeconds', 0);
  if (o['workers'] !== undefined) out.workers = c.integer(o['workers'], 'meta.workers', 1);
  if (o['command'] !== undefined) out.command = c.string(o['command'], 'meta.command');
  if (o['resumedWith'] !== undefined) out.resumedWith = c.string(o['resumedWith'], 'meta.resumedWith');
  if (o['failed'] !== undefined) {
    out.failed = c.array(o['failed'], 'meta.failed').map((f, i) => {
      const path = `meta.failed[${i}]`;
      const r = c.object(f, path);
      return { variant: c.string(r['variant'], `${path}.variant`), seed: c.integer(r['seed'], `${path}.seed`, 0), message: c.string(r['message'], `${path}.message`) };
    });
  }
  if (o['pytorch'] !== undefined) out.pytorch = pytorchFigures(c, o['pytorch']);
  return out;
}

/** `meta.pytorch`: PyTorch's figure per variant (accuracies 0–1, as `loadPyTorchReference` gives them) and their source. */
function pytorchFigures(c: Checker, v: unknown): PyTorchFigures {
  const o = c.object(v, 'meta.pytorch');
  const given = c.object(o['figures'], 'meta.pytorch.figures');
  const figures: Record<string, ReferenceFigure> = {};
  for (const [variant, f] of Object.entries(given)) {
    const path = `meta.pytorch.figures.${variant}`;
    const r = c.object(f, path);
    figures[variant] = {
      mean: c.number(r['mean'], `${path}.mean`, 0, 1),
      ...(r['std'] === undefined ? {} : { std: c.number(r['std'], `${path}.std`, 0) }),
      ...(r['n'] === undefined ? {} : { n: c.integer(r['n'], `${path}.n`, 1) }),
      ...(r['seeds'] === undefined ? {} : { seeds: c.array(r['seeds'], `${path}.seeds`).map((s, i) => c.integer(s, `${path}.seeds[${i}]`)) }),
      ...(r['sameSeeds'] === undefined ? {} : { sameSeeds: c.boolean(r['sameSeeds'], `${path}.sameSeeds`) }),
    };
  }
  return { ...(o['source'] === undefined ? {} : { source: c.string(o['source'], 'meta.pytorch.source') }), figures };
}

/** Each run's variant/seed pair is unique, and the summary is what `summarize` makes of the runs. */
function crossCheck(c: Checker, runs: RunResult[], summary: VariantSummary[]): void {
  const seen = new Map<string, number>();
  runs.forEach((r, i) => {
    const key = `${r.variant}\u0000${r.seed}`;
    const first = seen.get(key);
    if (first !== undefined) c.fail(`runs[${i}]`, `repeats variant '${r.variant}' with seed ${r.seed} (also runs[${first}])`);
    seen.set(key, i);
  });
  const chapters: Record<string, number> = {};
  for (const s of summary) if (s.chapter !== null) chapters[s.variant] = s.chapter;
  const expected = new Map(summarize(runs, chapters).map((s) => [s.variant, s]));
  // Files written before runs with NaN weights were left out of the statistics counted every run (and have no
  // nonFinite): such a summary is what it was then, not a broken one.
  const everyRun = new Map(summarize(runs.map(({ nonFiniteWeights: _, ...r }) => r), chapters).map((s) => [s.variant, s]));
  const listed = new Set<string>();
  summary.forEach((s, i) => {
    const path = `summary[${i}]`;
    const counted = expected.get(s.variant);
    const want = s.nonFinite === undefined && counted?.nonFinite !== undefined && s.n === everyRun.get(s.variant)?.n ? everyRun.get(s.variant) : counted;
    if (!want) c.fail(`${path}.variant`, `is '${s.variant}', but no run has that variant`);
    if (listed.has(s.variant)) c.fail(`${path}.variant`, `'${s.variant}' is summarised twice`);
    listed.add(s.variant);
    if (s.n !== want.n) c.fail(`${path}.n`, `is ${s.n}, but there ${want.n === 1 ? 'is 1 run' : `are ${want.n} runs`} of '${s.variant}'${want.nonFinite === undefined ? '' : ` whose weights stayed finite`}`);
    // Files written before allNonFinite existed lack it: only a flag that is wrong is refused.
    if (s.allNonFinite && !want.allNonFinite) c.fail(`${path}.allNonFinite`, `is true, but not every run of '${s.variant}' ended with NaN weights`);
    if (s.nonFinite !== want.nonFinite) c.fail(`${path}.nonFinite`, `is ${s.nonFinite ?? 'absent'}, but ${want.nonFinite === undefined ? 'no runs' : formatCountOf(want.nonFinite, 'run')} of '${s.variant}' ended with NaN weights and ${want.nonFinite === 1 ? 'is' : 'are'} left out`);
    for (const k of ['mean', 'std', 'min', 'max', 'meanTrainSeconds'] as const) {
      c.close(s[k], want[k], `${path}.${k}`, `the runs of '${s.variant}'`);
    }
  });
  for (const variant of expected.keys()) {
    if (!listed.has(variant)) c.fail('summary', `has no entry for variant '${variant}', which has runs`);
  }
}

/**
 * Checks parsed JSON against the `results.json` schema and returns it typed (unknown keys are dropped).
 *
 * @param source how to name the input in messages (a file path, or 'results.json').
 * @throws ResultsError naming the first problem, e.g. `results.json: runs[0].confusion[3] has 9 entries, expected 10`.
 * @example
 * const results = validateResults(JSON.parse(readFileSync(path, 'utf8')), path);
 */
export function validateResults(json: unknown, source = 'results.json'): ResultsFile {
  const c = new Checker(source);
  const root = c.object(json, '(top level)');
  const runs = c.array(root['runs'], 'runs').map((r, i) => run(c, r, `runs[${i}]`));
  if (runs.length === 0) c.fail('runs', 'is empty, expected at least one run');
  const summary = c.array(root['summary'], 'summary').map((s, i) => summaryEntry(c, s, `summary[${i}]`));
  const m = meta(c, root['meta']);
  crossCheck(c, runs, summary);
  return { runs, summary, meta: m };
}

/** A `splitDigest`: 16 lowercase hex digits. */
function digest(c: Checker, v: unknown, path: string): string {
  const s = c.string(v, path);
  if (!/^[0-9a-f]{16}$/.test(s)) c.fail(path, `is ${c.describe(s)}, expected 16 hex digits (a data fingerprint)`);
  return s;
}
