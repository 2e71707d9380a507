// `kindling bench --ops` as a user runs it: without PyTorch (it must work, and say so), with a stand-in for PyTorch
// whose canned figures make the ratios checkable, and at a tiny --ops-scale. The figures are timings, so only their
// presence, shape and arithmetic are checked, never their size.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { OPS_NAMES } from '../../bench/ops.js';
import { OPS_SCRIPT, failureOf, kindlingOps } from '../../bench/ops-run.js';
import { wasmBuild } from '../../src/kernels/backend.js';
import { PYTHON, pythonMissing } from '../models/helpers.js';

const bin = fileURLToPath(new URL('../../../bin/kindling.js', import.meta.url));

function kindling(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Cheap patterns: a training loop, two tensor ops and a small argmax. */
const CHEAP = ['p1_sgd_64', 'p10_mean', 'p10_view_add', 'p11_argmax_1000x10'];
const tiny = ['bench', '--ops', '--ops-list', CHEAP.join(','), '--ops-scale', '0.01'];

interface Row {
  name: string;
  kindlingUs: number;
  torchUs: number | null;
  ratio: number | null;
  rounds: { kindlingUs: number; torchUs: number | null; ratio: number | null }[];
  check: { kindling: number | null; torch: number | null; agree: boolean | null; relDiff: number | null };
}

test('bench --ops --no-torch: a row per chosen pattern with Kindling\'s figures, and says PyTorch was not measured', () => {
  const r = kindling([...tiny, '--no-torch', '--rounds', '1']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^kindling bench --ops — Node v\d+/);
  assert.match(r.stdout, /\nPyTorch not measured: skipped \(--no-torch\)\. Kindling's figures only\.\n/);
  assert.match(r.stdout, /each side in a fresh process; one round; steps × 0\.01 \(--ops-scale\)\n/);
  assert.doesNotMatch(r.stdout, /ratio =/);
  assert.match(r.stdout, /\npattern +description +kindling µs +pytorch µs +ratio +rounds +check\n/);
  const rows = [...r.stdout.matchAll(/\n(p\d+_\w+) {2,}(.+?) +(\d+\.\d) +— +— +—(?=\n)/g)];
  assert.deepEqual(rows.map((m) => m[1]), CHEAP, r.stdout);
  for (const [, name, description, us] of rows) {
    assert.ok(Number.isFinite(Number(us)) && Number(us) > 0, `${name}: ${us} µs`);
    assert.ok(description!.trim().length > 0, `${name} has a description`);
  }
  assert.match(r.stdout, /\nSteps, warm-up \+ blocks × steps per block: 2 \+ 5 × 3 \(p1_sgd_64\); 1 \+ 5 × 1 \(p10_mean, p10_view_add, p11_argmax_1000x10\)\n/);
});

test('bench --ops --json: the figures, Kindling\'s checks, and why PyTorch is absent', () => {
  const r = kindling([...tiny, '--no-torch', '--rounds', '1', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { torch: string | null; torchAbsent?: string; rounds: number; scale: number; rows: Row[] };
  assert.equal(out.torch, null);
  assert.equal(out.torchAbsent, 'skipped (--no-torch)');
  assert.match(r.stderr, /PyTorch not measured: skipped \(--no-torch\)/);
  assert.equal(out.rounds, 1);
  assert.equal(out.scale, 0.01);
  assert.deepEqual(out.rows.map((row) => row.name), CHEAP);
  for (const row of out.rows) {
    assert.ok(Number.isFinite(row.kindlingUs) && row.kindlingUs > 0);
    assert.equal(row.torchUs, null);
    assert.equal(row.ratio, null);
    assert.equal(row.rounds.length, 1);
    assert.equal(row.check.agree, null);
  }
  // The checks are what PyTorch 1.13 computes from the same seed and data (bench/ops_reference.py): the 30th step's
  // loss of p1_sgd_64 to 1e-5, and argmax's indices exactly (their sum of squares).
  const check = (name: string): number => out.rows.find((row) => row.name === name)!.check.kindling!;
  assert.ok(Math.abs(check('p1_sgd_64') - 2.2403526306152344) < 1e-5 * 2.24, `${check('p1_sgd_64')}`);
  assert.equal(check('p11_argmax_1000x10'), 28035);
});

test('bench --ops refuses an unknown pattern, naming it and the valid ones, without a stack trace', () => {
  const r = kindling(['bench', '--ops', '--no-torch', '--ops-list', 'p1_sgd_64,p99_nothing']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /unknown pattern "p99_nothing"; expected some of p1_sgd_1, p1_sgd_64, /);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(r.stdout, '');
});

test('bench: the options of --ops and of the chapter\'s bench do not mix', () => {
  const scale = kindling(['bench', '--no-torch', '--ops-scale', '0.1']);
  assert.equal(scale.code, 1);
  assert.equal(scale.stderr, 'kindling: --ops-scale goes with --ops\n');
  const variants = kindling(['bench', '--ops', '--no-torch', '--variants', 'adam']);
  assert.equal(variants.code, 1);
  assert.match(variants.stderr, /^kindling: --variants is an option of the chapter's bench, not of --ops/);
  const zero = kindling(['bench', '--ops', '--no-torch', '--ops-scale', '0']);
  assert.equal(zero.code, 1);
  assert.match(zero.stderr, /--ops-scale must be a number above 0, written in decimal \(such as 0\.01 or 2\), got "0"/);
  // As every number option: JavaScript's Number() would take these.
  for (const given of ['0x2', '0b1', '0o7']) {
    const r = kindling(['bench', '--ops', '--no-torch', '--ops-scale', given]);
    assert.equal(r.code, 1, given);
    assert.equal(r.stderr, `kindling: option '--ops-scale <x>' argument '${given}' is invalid. --ops-scale must be a number above 0, written in decimal (such as 0.01 or 2), got "${given}" (run with --help for usage)\n`);
  }
  // A list with an empty item is refused, as --seeds and reproduce's --variants refuse one (it was dropped).
  for (const [args, option, value, what] of [
    [['--ops'], '--ops-list <list>', 'p10_mean,', 'patterns'],
    [[], '--variants <list>', 'baseline,,adam', 'variants'],
    [[], '--whole <list>', 'adam,', 'variants'],
  ] as const) {
    const r = kindling(['bench', ...args, '--no-torch', option.split(' ')[0]!, value]);
    assert.equal(r.code, 1, value);
    assert.equal(r.stderr, `kindling: option '${option}' argument '${value}' is invalid. "${value}" has an empty item; give ${what} separated by single commas. (run with --help for usage)\n`);
  }
  const python = kindling(['bench', '--ops', '--python', '/nonexistent/python3', '--ops-list', 'p10_mean']);
  assert.equal(python.code, 1);
  assert.equal(python.stderr, 'kindling: --python: PyTorch is not usable: /nonexistent/python3: no such program\n');
});

test('bench --ops with a stand-in PyTorch: ratio = median PyTorch µs ÷ median Kindling µs, rounds alternate, checks compared', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-bench-ops-'));
  try {
    const calls = join(dir, 'calls');
    // Answers the BLAS probe; then, for each run, logs its arguments and prints a canned line: PyTorch's µs per step
    // is 3000, 1000, 2000 in the three rounds (median 2000). Its check agrees with Kindling's for the argmax (the
    // indices' sum of squares, 28035) and not for the mean.
    const python = join(dir, 'python');
    writeFileSync(python, [
      '#!/bin/sh',
      'if [ "$1" = "-c" ]; then echo 1.13.0; echo /usr/lib/x86_64-linux-gnu/openblas-serial/libblas.so.3; exit 0; fi',
      '[ "$OPENBLAS_NUM_THREADS" = 1 ] && [ "$OMP_NUM_THREADS" = 1 ] || { echo "threads not limited" >&2; exit 3; }',
      `shift; echo "$*" >> '${calls}'`,
      `n=$(wc -l < '${calls}'); r=$(( (n - 1) / 2 ))`,
      'case $r in 0) us=3000.0;; 1) us=1000.0;; *) us=2000.0;; esac',
      'case $1 in p11_argmax_1000x10) check=28035;; *) check=1.0;; esac',
      'echo "{\\"name\\": \\"$1\\", \\"us\\": $us, \\"blocks\\": [$us], \\"steps\\": 1, \\"warm\\": 1, \\"check\\": $check}"',
    ].join('\n'));
    chmodSync(python, 0o755);
    const args = ['bench', '--ops', '--ops-list', 'p11_argmax_1000x10,p10_mean', '--ops-scale', '0.01', '--python', python];
    const r = kindling([...args, '--json']);
    assert.equal(r.code, 0, r.stderr);
    // Round after round, each pattern in turn, each PyTorch run with the pattern's plan (scaled), its check, and --parent.
    const pid = `--parent \\d+$`;
    const lines = readFileSync(calls, 'utf8').trim().split('\n');
    assert.equal(lines.length, 6);
    lines.forEach((line, i) => {
      const name = i % 2 === 0 ? 'p11_argmax_1000x10' : 'p10_mean';
      assert.match(line, new RegExp(`^${name} --warm 1 --steps 1 --blocks 5 --check sumsq ${pid}`));
    });
    const out = JSON.parse(r.stdout) as { torch: string; blas: string; rounds: number; rows: Row[] };
    assert.equal(out.torch, '1.13.0');
    assert.match(out.blas, /^OpenBLAS/);
    assert.equal(out.rounds, 3, 'three rounds by default');
    for (const row of out.rows) {
      assert.deepEqual(row.rounds.map((x) => x.torchUs), [3000, 1000, 2000]);
      for (const x of row.rounds) assert.ok(Math.abs(x.ratio! - x.torchUs! / x.kindlingUs) < 1e-12 * x.ratio!);
      assert.equal(row.torchUs, 2000);
      assert.equal(row.kindlingUs, row.rounds.map((x) => x.kindlingUs).sort((a, b) => a - b)[1]);
      assert.ok(Math.abs(row.ratio! - 2000 / row.kindlingUs) < 1e-12 * row.ratio!);
    }
    const [argmax, mean] = out.rows;
    assert.deepEqual([argmax!.check.agree, argmax!.check.relDiff], [true, 0]);
    assert.equal(mean!.check.agree, false);
    // The table: the ratio cut (never rounded up) from the figures shown, the rounds' range, and the checks.
    writeFileSync(calls, '');
    const text = kindling([...args, '--rounds', '3']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /\nratio = PyTorch µs ÷ Kindling µs \(above 1: Kindling is faster\)/);
    const rows = [...text.stdout.matchAll(/\n(p\w+) {2,}.+? +(\d+\.\d) +2000\.0 +(\d+\.\d+)× +(\d+\.\d+)–(\d+\.\d+)× +(ok|DIFFERS \(.*\))(?=\n)/g)];
    assert.deepEqual(rows.map((m) => [m[1], m[6]!.split(' ')[0]]), [['p11_argmax_1000x10', 'ok'], ['p10_mean', 'DIFFERS']], text.stdout);
    for (const [, name, us, ratio, low, high] of rows) {
      const [highest, lowest] = [2000 / (Number(us) - 0.05), 2000 / (Number(us) + 0.05)];
      assert.ok(Number(ratio) <= highest && Number(ratio) > lowest - (Number(ratio) >= 10 ? 0.1 : 0.01), `${name}: ratio ${ratio} for ${us} µs`);
      assert.ok(Number(low) <= Number(ratio) && Number(ratio) <= Number(high), `${name}: ${ratio} within ${low}–${high}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * A stand-in Python in a fresh folder: it answers the BLAS probe, then runs `body` (shell lines, the pattern's name
 * in $1 after a shift) for each pattern. `f` gets its path; the folder is removed after.
 */
function withStandIn(body: readonly string[], f: (python: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-bench-ops-'));
  try {
    const python = join(dir, 'python');
    writeFileSync(python, [
      '#!/bin/sh',
      'if [ "$1" = "-c" ]; then echo 1.13.0; echo /usr/lib/x86_64-linux-gnu/openblas-serial/libblas.so.3; exit 0; fi',
      'shift',
      ...body,
    ].join('\n'));
    chmodSync(python, 0o755);
    f(python);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The stand-in's line for a pattern that runs: 1000 µs per step, and `check` (a JSON number or null). */
const ranLine = (check: string): string => `echo "{\\"name\\": \\"$1\\", \\"us\\": 1000.0, \\"blocks\\": [1000.0], \\"steps\\": 1, \\"warm\\": 1, \\"check\\": ${check}}"`;

test('bench --ops: a side that fails names the pattern, the side and its error message, with no stack trace', () => {
  withStandIn([
    'if [ "$1" = p10_mean ]; then',
    '  echo "/usr/lib/python3/dist-packages/torch/__init__.py:1: UserWarning: something harmless" >&2',
    '  echo "Traceback (most recent call last):" >&2',
    '  echo "  File \\"bench/ops_reference.py\\", line 293, in <module>" >&2',
    '  echo "    main(sys.argv[1:])" >&2',
    '  echo "RuntimeError: mat1 and mat2 shapes cannot be multiplied (64x784 and 512x10)" >&2',
    '  exit 1',
    'fi',
    ranLine('28035'),
  ], (python) => {
    const r = kindling(['bench', '--ops', '--ops-list', 'p11_argmax_1000x10,p10_mean', '--ops-scale', '0.01', '--rounds', '1', '--python', python]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /^kindling: bench --ops: PyTorch failed on p10_mean: RuntimeError: mat1 and mat2 shapes cannot be multiplied \(64x784 and 512x10\) \(exit 1; /);
    assert.doesNotMatch(r.stderr, /\n\s+at |Traceback|File "/, 'no stack trace, JS or Python');
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });
});

test('bench --ops: a check that is not finite (null in the JSON line) is a difference, never a silent "—"', () => {
  // The stand-in's check is null for p10_mean, as ops_reference.py prints a NaN check; PyTorch's run of the argmax agrees.
  withStandIn(['case $1 in p11_argmax_1000x10) check=28035;; *) check=null;; esac', ranLine('$check')], (python) => {
    const args = ['bench', '--ops', '--ops-list', 'p11_argmax_1000x10,p10_mean', '--ops-scale', '0.01', '--rounds', '1', '--python', python];
    const r = kindling([...args, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const [argmax, mean] = (JSON.parse(r.stdout) as { rows: (Row & { check: { noFiniteCheck?: string } })[] }).rows;
    assert.equal(argmax!.check.agree, true);
    assert.equal(argmax!.check.noFiniteCheck, undefined);
    assert.equal(mean!.check.torch, null);
    assert.ok(typeof mean!.check.kindling === 'number');
    assert.deepEqual([mean!.check.agree, mean!.check.relDiff, mean!.check.noFiniteCheck], [false, null, 'PyTorch']);
    const text = kindling(args);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /\np11_argmax_1000x10 .* ok\n/);
    assert.match(text.stdout, /\np10_mean .* DIFFERS \(no finite check from PyTorch: [-\d.e]+ vs null\)\n/);
  });
});

test('bench --ops: each Kindling child runs the subnormal build it is given (the parent\'s, which the header names)', (t) => {
  if (wasmBuild() === null) {
    t.skip('the reference kernels are active here: no subnormal build to pass on');
    return;
  }
  for (const mode of ['emulated', 'native'] as const) assert.equal(kindlingOps('p10_mean', 0.01, { subnormals: mode }).subnormals, mode);
  // The bench passes its own: its JSON's subnormals is the header's, and every child ran it (else the run stops).
  const r = spawnSync(process.execPath, [bin, 'bench', '--ops', '--no-torch', '--ops-list', 'p10_mean', '--ops-scale', '0.01', '--rounds', '1', '--json'], { encoding: 'utf8', env: { ...process.env, KINDLING_SUBNORMALS: 'emulated' } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { subnormals: string }).subnormals, 'emulated');
});

test('failureOf: a Kindling child\'s own line, or an uncaught error\'s message, never the stack\'s tail', () => {
  assert.equal(failureOf('ops-child p1_sgd_64: matmul: shapes [64, 784] and [200, 10] do not fit\n'), 'ops-child p1_sgd_64: matmul: shapes [64, 784] and [200, 10] do not fit');
  const uncaught = [
    'file:///work/dist/bench/ops/data.js:12',
    '    throw new Error(\'boom\');',
    '    ^',
    '',
    'Error: boom',
    '    at load (file:///work/dist/bench/ops/data.js:12:11)',
    '    at train (file:///work/dist/bench/ops/data.js:20:30)',
    '',
    'Node.js v20.11.0',
  ].join('\n');
  assert.equal(failureOf(uncaught), 'Error: boom');
  assert.equal(failureOf(uncaught, true), uncaught.split('\n').filter((l) => l !== '').join('\n'), 'with --debug, all of it');
  assert.equal(failureOf('ops_reference.py: cannot import torch: No module named \'torch\'\n'), 'ops_reference.py: cannot import torch: No module named \'torch\'');
  assert.equal(failureOf('something odd\n'), 'something odd', 'else the last line');
});

test('bench --ops against the real PyTorch: every kind of check agrees (a typo in a PyTorch pattern shows here)', (t) => {
  const missing = pythonMissing();
  if (missing !== undefined) {
    t.skip(`skipped: needs PyTorch: ${missing} (apt-get install python3-torch)`);
    return;
  }
  // A loss (p1_sgd_64, and p9 on one-hot targets), a value (p7's accuracy) and sums of squares (a gradient, and max's values).
  const chosen = ['p1_sgd_64', 'p7_eval_test_1000', 'p9_bcelogits_64', 'p10_max_dim1', 'p11_logsoftmax_backward'];
  const r = kindling(['bench', '--ops', '--ops-list', chosen.join(','), '--ops-scale', '0.01', '--rounds', '1', '--json', '--python', PYTHON]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { torch: string | null; rows: Row[] };
  assert.ok(out.torch !== null, 'PyTorch measured');
  assert.deepEqual(out.rows.map((row) => row.name), chosen);
  for (const row of out.rows) {
    assert.ok(row.torchUs !== null && row.torchUs > 0, `${row.name}: PyTorch timed`);
    assert.equal(row.check.agree, true, `${row.name}: Kindling ${row.check.kindling} vs PyTorch ${row.check.torch}`);
  }
});

test('bench/ops_reference.py has the same patterns as Kindling\'s side (its --list needs no torch)', (t) => {
  const r = spawnSync('python3', [OPS_SCRIPT, '--list'], { encoding: 'utf8' });
  if (r.error) {
    t.skip(`no python3 here: ${r.error.message}`);
    return;
  }
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), OPS_NAMES);
});
