import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { activationSpec, hiddenUnits, optimizerSpec, positiveInt, positiveNumber } from '../../src/cli/options.js';
import { formatBytes } from '../../src/format-bytes.js';
import { Generator } from '../../src/index.js';
import { batchProblem, MAX_HIDDEN, parameterBytes, stepBytes } from '../../src/lab/limits.js';
import { LIMITS } from '../../src/web/job-spec.js';
import { cliIn } from './run-cli.js';

const { work, kindling } = cliIn('options');

test('integer options take decimal digits only, and a number past the safe integers is called too large, not malformed', () => {
  for (const [text, value] of [['1', 1], [' 42 ', 42], ['007', 7], ['9007199254740991', 9007199254740991]] as const) assert.equal(positiveInt(text), value, text);
  for (const text of ['0', '-1', '1.5', '1e3', '0x10', 'abc', '', '+2']) assert.throws(() => positiveInt(text), /^InvalidArgumentError: expected a positive integer, got "/, text);
  for (const text of ['9007199254740992', '99999999999999999999']) {
    assert.throws(() => positiveInt(text), (e: unknown) => e instanceof Error && e.message === `"${text}" is too large: expected a positive integer up to 9,007,199,254,740,991.`, text);
  }
});

test('number options take decimal numbers only: not hex, binary, octal, Infinity or blanks, which Number() would take', () => {
  for (const [text, value] of [['0.01', 0.01], ['1e-3', 0.001], ['.5', 0.5], ['+2', 2], ['5.', 5], [' 0.1 ', 0.1], ['1E2', 100]] as const) {
    assert.equal(positiveNumber(text), value, text);
  }
  for (const text of ['0x10', '0b1', '0o7', 'Infinity', '', ' ', 'NaN', '1e', '-1', '0', '1,5', '1_000']) {
    assert.throws(() => positiveNumber(text), /expected a positive number/, text);
  }
  assert.deepEqual(activationSpec('leakyrelu:-0.5'), { name: 'leakyrelu', slope: -0.5 });
  assert.deepEqual(activationSpec('leakyrelu:1e-2'), { name: 'leakyrelu', slope: 0.01 });
  assert.throws(() => activationSpec('leakyrelu:0x10'), /slope must be a finite number written in decimal, got "0x10"/);
  assert.deepEqual(optimizerSpec('adam:5e-4'), { optimizer: 'adam', lr: 0.0005 });
  assert.throws(() => optimizerSpec('adam:0x10'), /expected a positive number written in decimal \(such as 0.01 or 1e-3\), got "0x10"/);
  assert.throws(() => positiveNumber('-1'), /^InvalidArgumentError: expected a positive number, got "-1"/);
  // Decimal, but beyond float64 either way: said so, instead of "expected a positive number" for a positive one.
  assert.throws(() => positiveNumber('1e400'), /^InvalidArgumentError: expected a finite positive number, got "1e400", which is too large for a number \(over 1\.8e308\)\.$/);
  assert.throws(() => positiveNumber('2e-400'), /^InvalidArgumentError: expected a positive number, got "2e-400", which is too small for a number \(it rounds to 0\)\.$/);
  assert.throws(() => positiveNumber('-1e-400'), /^InvalidArgumentError: expected a positive number, got "-1e-400"\.$/);
  assert.throws(() => positiveNumber('0e-400'), /^InvalidArgumentError: expected a positive number, got "0e-400"\.$/);
  assert.equal(positiveNumber('1e-300'), 1e-300);
});

test('a hex learning rate is refused on the command line before anything runs', () => {
  const out = join(work, 'hex');
  for (const args of [['--lr', '0x10'], ['--optimizer', 'sgd:0b1'], ['--activation', 'leakyrelu:0x10']]) {
    const r = kindling(['train', ...args, '--out', out, '--epochs', '1', '--train-limit', '50', '--test-limit', '10', '--quiet']);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /is invalid\. .*(positive number|must be a finite number written in decimal)/);
    assert.equal(existsSync(out), false);
  }
});

test('--hidden past what a run can hold is refused at parsing, naming the limit and the memory it would need', () => {
  assert.equal(hiddenUnits('32768'), MAX_HIDDEN);
  assert.equal(MAX_HIDDEN, 32768);
  assert.ok(LIMITS.hidden <= MAX_HIDDEN, "the web lab's cap stays within what a run can hold");
  // 784 → h → 10 with LayerNorm: 795h + 10 floats of 4 bytes, four copies (weights, gradients, Adam's moments).
  assert.equal(parameterBytes(1), 4 * (784 + 1 + 2 + 10 + 10));
  assert.equal(formatBytes(4 * parameterBytes(100_000_000)), '1.3 TB');
  assert.equal(formatBytes(4 * parameterBytes(1_500_000)), '19 GB');
  assert.deepEqual([0, 999, 999.6, 1500, 32_772, 3.6e9].map(formatBytes), ['0 bytes', '999 bytes', '1.0 kB', '1.5 kB', '33 kB', '3.6 GB']);
  const out = join(work, 'hidden');
  for (const [value, need] of [['100000000', '100,000,000 → 10 would need 1.3 TB'], ['1500000', '1,500,000 → 10 would need 19 GB'], ['32769', '32,769 → 10 would need 418 MB']]) {
    const r = kindling(['train', '--hidden', value, '--out', out, '--epochs', '1', '--train-limit', '50', '--test-limit', '10', '--quiet']);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(
      r.stderr,
      `kindling: option '--hidden <n>' argument '${value}' is invalid. --hidden must be at most 32768, the largest that trains within the kernels' 1 GiB of memory (with Adam, LayerNorm and batches of 1,000); 784 → ${need} for its weights, gradients and Adam's state alone, before a batch's activations, their gradients and the kernels' working copies, which take the rest. (run with --help for usage)\n`,
    );
    assert.equal(existsSync(out), false, 'nothing made');
  }
});

test('--batch-size and --hidden that would run out of kernel memory together are refused before training, with what fits', () => {
  // 4 copies of the parameters plus about three batch × hidden activations, within 80% of the kernels' 1 GiB.
  assert.equal(batchProblem(1121, 32768), null);
  assert.match(batchProblem(1122, 32768) ?? '', /give --batch-size 1,121 or less/);
  assert.equal(batchProblem(60000, 200), null, "the chapter's widths take any batch of MNIST");
  assert.equal(batchProblem(60000, 1150), null);
  assert.equal(stepBytes(1000, 200), 4 * 1000 * (784 + 200));
  assert.equal(stepBytes(1000, 32768), 4 * 1000 * 3 * 32768);
  const out = join(work, 'too-wide');
  const r = kindling(['train', '--hidden', '32768', '--batch-size', '3000', '--train-limit', '3000', '--test-limit', '10', '--epochs', '1', '--out', out, '--quiet']);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr, "kindling: batches of 3,000 images through 32,768 hidden units would need about 1.6 GB (four copies of the parameters, as weights, gradients and an optimizer's state, and a step's activations), 739 MB more than the 859 MB a run may plan on of the kernels' 1 GiB (the rest is the allocator's slack): with 32,768 hidden units, give --batch-size 1,121 or less, or fewer hidden units\n");
  assert.equal(existsSync(out), false, 'nothing made');
});

test('seeds are below 2^32: a larger one would repeat the seed of its low 32 bits, as in PyTorch', () => {
  const out = join(work, 'big-seed');
  const r = kindling(['train', '--seeds', '0,4294967296', '--out', out, '--epochs', '1', '--train-limit', '50', '--test-limit', '10', '--quiet']);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr, "kindling: option '--seeds <list>' argument '0,4294967296' is invalid. seed 4294967296 is not below 2^32 (4294967296): the generator keeps a seed's low 32 bits, as PyTorch's does, so it would repeat seed 0. (run with --help for usage)\n");
  assert.equal(existsSync(out), false, 'nothing made');
  // What the message says: 2^32 + 5 draws what 5 draws (PyTorch 1.13 does the same: torch.manual_seed(2**32 + 5)).
  const draw = (seed: number): number[] => {
    const g = new Generator(seed);
    return [g.nextUint32(), g.nextUint32(), g.nextUint32()];
  };
  assert.deepEqual(draw(2 ** 32 + 5), draw(5));
  assert.notDeepEqual(draw(4294967295), draw(5));
  const top = kindling(['train', '--seeds', '4294967295', '--out', join(work, 'top-seed'), '--epochs', '1', '--train-limit', '50', '--test-limit', '10', '--quiet']);
  assert.equal(top.status, 0, top.stderr);
});

test('a list with an empty item is refused like an empty value; --version prints the package\'s version', () => {
  const out = join(work, 'empty-item');
  for (const [option, value, what] of [['--seeds', '0,,1', 'seeds'], ['--seeds', '0,1,', 'seeds'], ['--variants', 'baseline,,adam', 'variant names']] as const) {
    const r = kindling([option === '--variants' ? 'reproduce' : 'train', option, value, '--out', out, '--epochs', '1', '--train-limit', '50', '--test-limit', '10', '--quiet']);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, `kindling: option '${option} <list>' argument '${value}' is invalid. "${value}" has an empty item; give ${what} separated by single commas. (run with --help for usage)\n`);
    assert.equal(existsSync(out), false);
  }
  const version = kindling(['--version']);
  assert.equal(version.status, 0, version.stderr);
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.equal(version.stdout, `kindling ${pkg.version} (Node.js ${process.versions.node})\n`);
});

test('an option given twice, or given an empty value, is refused in one line before anything runs', () => {
  const out = join(work, 'twice');
  const base = ['--train-limit', '50', '--test-limit', '10', '--quiet'];
  for (const [args, pattern] of [
    [['--epochs', '1', '--epochs', '2', '--out', out], /^kindling: option '--epochs' is given twice \("1" and "2"\): give it once/],
    [['--seeds', '0', '--seeds=1', '--out', out], /^kindling: option '--seeds' is given twice \("0" and "1"\)/],
    [['--out', ''], /^kindling: option '--out' is given an empty value/],
    [['--data', ' ', '--out', out], /^kindling: option '--data' is given an empty value/],
  ] as const) {
    const r = kindling(['train', ...args, ...base]);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.equal(r.stderr.split('\n').length, 2, `one line: ${JSON.stringify(r.stderr)}`);
    assert.equal(existsSync(out), false);
  }
  // A flag given twice is harmless, and still allowed.
  const flags = kindling(['train', '--layernorm', '--layernorm', '--epochs', '1', '--out', join(work, 'flags'), ...base]);
  assert.equal(flags.status, 0, flags.stderr);
});

test('commander\'s own errors are one line too, with its suggestion and where to find help', () => {
  const r = kindling(['train', '--epoch', '1']);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, "kindling: unknown option '--epoch' (Did you mean --epochs?) (run with --help for usage)\n");
  const bench = kindling(['bench', '--variants', 'baseline,baseline']);
  assert.equal(bench.status, 1);
  assert.match(bench.stderr, /^kindling: option '--variants <list>' argument 'baseline,baseline' is invalid\. a variant is listed twice/);
  assert.equal(bench.stderr.split('\n').length, 2);
});

test('--epochs so many that the images seen could not be counted exactly is refused before anything is written', () => {
  const out = join(work, 'epochs-huge');
  const r = kindling(['train', '--epochs', '9007199254740991', '--train-limit', '1000', '--batch-size', '3', '--test-limit', '10', '--out', out]);
  assert.equal(r.status, 1);
  // 334 steps of up to 3 images an epoch: at most floor((2^53 − 1) / 1,002) epochs.
  assert.equal(r.stderr, `kindling: --epochs 9007199254740991: 9,007,199,254,740,991 epochs of 1,000 images are more than a run can count exactly (2^53); give --epochs ${Math.floor(Number.MAX_SAFE_INTEGER / 1002).toLocaleString('en-US')} or fewer\n`);
  assert.equal(existsSync(out), false);
});

test('help of a command that does not exist says so, with a suggestion when one is close; help of one that does prints its help', () => {
  const typo = kindling(['help', 'trian']);
  assert.equal(typo.status, 1);
  assert.equal(typo.stdout, '');
  assert.equal(typo.stderr, "kindling: unknown command 'trian' (Did you mean train?) (run with --help for usage)\n");
  const unknown = kindling(['help', 'nonexist']);
  assert.equal(unknown.status, 1);
  assert.equal(unknown.stderr, "kindling: unknown command 'nonexist' (run with --help for usage)\n");
  const known = kindling(['help', 'eval']);
  assert.equal(known.status, 0, known.stderr);
  assert.match(known.stdout, /^Usage: kindling eval \[options\]/);
});

test('--lr shows in a variant\'s label: the rate the label names is replaced, or the new one is added', async () => {
  const { labelWithLr } = await import('../../src/lab/variants.js');
  assert.equal(labelWithLr('MSE, Sigmoid, SGD 0.01', 0.01, 3), 'MSE, Sigmoid, SGD 3');
  assert.equal(labelWithLr('Adam (lr 0.001) instead of SGD', 0.001, 0.0005), 'Adam (lr 0.0005) instead of SGD');
  assert.equal(labelWithLr('BCELoss instead of MSE', 0.01, 0.1), 'BCELoss instead of MSE, lr 0.1');
  // A number that is not the rate (LeakyReLU's slope) is left alone.
  assert.equal(labelWithLr('LeakyReLU(0.02) for both Sigmoids', 0.01, 0.02), 'LeakyReLU(0.02) for both Sigmoids, lr 0.02');
  assert.equal(labelWithLr('MSE, Sigmoid, SGD 0.01', 0.01, 0.01), 'MSE, Sigmoid, SGD 0.01');
});

test('--activation takes gelu, silu and elu[:alpha], --optimizer rmsprop and adagrad; other names and numbers are refused', () => {
  assert.deepEqual(activationSpec('GELU'), { name: 'gelu' });
  assert.deepEqual(activationSpec('silu'), { name: 'silu' });
  assert.deepEqual(activationSpec('elu'), { name: 'elu', alpha: 1 });
  assert.deepEqual(activationSpec('elu:0.5'), { name: 'elu', alpha: 0.5 });
  assert.deepEqual(activationSpec('leakyrelu'), { name: 'leakyrelu', slope: 0.01 });
  assert.throws(() => activationSpec('elu:x'), /ELU alpha must be a finite number written in decimal, got "x"/);
  assert.throws(() => activationSpec('elu:1e400'), /ELU alpha must be a finite number written in decimal, got "1e400"/);
  assert.throws(() => activationSpec('gelu:2'), /expected sigmoid, relu, tanh, leakyrelu\[:slope\], gelu, silu or elu\[:alpha\], got "gelu:2" \(gelu takes no number\)/);
  assert.throws(() => activationSpec('softplus'), /expected sigmoid, relu, tanh, leakyrelu\[:slope\], gelu, silu or elu\[:alpha\], got "softplus"/);
  assert.deepEqual(optimizerSpec('rmsprop'), { optimizer: 'rmsprop' });
  assert.deepEqual(optimizerSpec('Adagrad:0.05'), { optimizer: 'adagrad', lr: 0.05 });
  assert.throws(() => optimizerSpec('lbfgs'), /expected sgd, adam, rmsprop, adagrad, nadam, adamax, radam, adadelta, rprop or asgd, optionally with :lr/);
});
