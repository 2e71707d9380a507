// `kindling bench` as a user runs it, without PyTorch (the bench must work, and say so, where it is absent), with a
// stand-in for it, and with small sizes: the tables' figures are timings, so only their presence and shape are checked.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { median } from '../../bench/median.js';
import { blasName, torchProcess } from '../../bench/torch.js';
import { PYTHON, pythonMissing } from '../models/helpers.js';

const bin = fileURLToPath(new URL('../../../bin/kindling.js', import.meta.url));

function kindling(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** An executable stand-in for PyTorch's Python in `dir`: a shell script of `lines`. */
function standInPython(dir: string, lines: readonly string[]): string {
  const python = join(dir, 'python');
  writeFileSync(python, ['#!/bin/sh', ...lines].join('\n'));
  chmodSync(python, 0o755);
  return python;
}

const small = ['--no-torch', '--variants', 'baseline,adam', '--steps', '30', '--batch-steps', '3', '--whole-images', '250'];

test('bench --no-torch says PyTorch was not measured and prints every table, the whole-protocol one included', () => {
  const r = kindling(['bench', ...small, '--whole', 'adam']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /PyTorch not measured: skipped \(--no-torch\)/);
  // Without PyTorch the headers speak of Kindling alone, and there is no ratio to explain.
  assert.match(r.stdout, /One image per step \(the chapter's protocol\): 30 steps after 30 warm-up steps \(Kindling\), µs per step, median of 5 rounds, every variant/);
  assert.match(r.stdout, /Minibatches of 64: 3 steps \(192 images\) after 3 warm-up steps \(Kindling\)/);
  assert.doesNotMatch(r.stdout, /each side|ratio =/);
  // Each variant's peak memory, measured in a process of its own: more than Node and the data's bytes (about 100 MB),
  // and far below the bench's own process, which holds a float32 copy of the data (188 MB).
  // Beside it, the µs a step of the lab's own loop in that process (after 2,000 steps, the median of 1,000-step
  // stretches): a measured time, so only its presence is checked here (no test is timed).
  assert.match(r.stdout, /peak MB: a process of its own training the variant with the lab's loop \(10,000 images, then the test set\), the data set's bytes included; lab µs: that loop's µs per step, the median of its 1,000-step stretches after the first 2,000/);
  assert.match(r.stdout, /\nvariant +kindling +pytorch +ratio +rounds +target +peak MB +lab µs\n/);
  const probed = [...r.stdout.matchAll(/\n(baseline|adam) +\d+\.\d +— +— +≥(?:10|6)× +(\d+) +(\d+\.\d)(?=\n)/g)];
  assert.equal(probed.length, 2, r.stdout);
  const peaks = probed.map((m) => Number(m[2]));
  const own = Number(/This bench process's own peak memory \(maxRSS; its float32 copy of the data set included\): (\d+) MB/.exec(r.stdout)![1]);
  for (const mb of peaks) assert.ok(mb > 60 && mb < own, `${mb} MB against the bench's own ${own} MB`);
  const [baselineUs, adamUs] = probed.map((m) => Number(m[3]));
  for (const us of [baselineUs!, adamUs!]) assert.ok(Number.isFinite(us) && us > 0, `lab µs: baseline ${baselineUs}, adam ${adamUs}`);
  // The evaluation table: Kindling's figures, with the verdict against 100 ms.
  assert.match(r.stdout, /\nvariant +one by one +batched +accuracy\n/);
  assert.match(r.stdout, /\nadam +\d+ +\d+ +\d+\.\d%  (met|MISSED)\n/);
  assert.match(r.stdout, /Minibatches of 64: 3 steps/);
  assert.match(r.stdout, /The chapter's whole protocol \(3 epochs of 250 images, one per step\)/);
  // A short whole run keeps two decimals (0.09 s, not 0.1 s or 0.0 s).
  assert.match(r.stdout, /\nadam +\d+\.\d +\d+\.\d +\d+\.\d +\d\.\d\d s\n/);
});

test('bench: the minibatch table names the steps that take place, one pass over the data at most', () => {
  const r = kindling(['bench', '--no-torch', '--variants', 'baseline', '--steps', '30', '--rounds', '1', '--whole', 'none', '--batch-size', '30000', '--batch-steps', '3']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Minibatches of 30000: 2 steps \(one epoch\)/);
  const small = kindling(['bench', '--no-torch', '--variants', 'baseline', '--steps', '30', '--rounds', '1', '--whole', 'none', '--batch-size', '64', '--batch-steps', '3']);
  assert.match(small.stdout, /Minibatches of 64: 3 steps \(192 images\)/);
});

test('bench --json: per-sample and minibatch rows for each variant, three epochs for each whole run', () => {
  const r = kindling(['bench', ...small, '--whole', 'baseline,adam', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as {
    torch: string | null;
    torchAbsent?: string;
    rows: { mode: string; variant: string; steps: number; kindlingUs: number; torchUs: number | null; peakMb?: number; labUs?: number | null }[];
    whole: { variant: string; epochUs: number[]; seconds: number }[];
  };
  assert.equal(out.torch, null);
  assert.deepEqual(out.rows.map((row) => `${row.mode} ${row.variant} ${row.steps}`), [
    'per-sample baseline 30', 'per-sample adam 30', 'minibatch baseline 3', 'minibatch adam 3',
  ]);
  assert.ok(out.rows.every((row) => row.kindlingUs > 0 && row.torchUs === null));
  assert.deepEqual(out.whole.map((w) => w.variant), ['baseline', 'adam']);
  for (const w of out.whole) {
    assert.equal(w.epochUs.length, 3);
    assert.ok(w.epochUs.every((us) => us > 0));
    // The epochs' µs per step times the steps add up to the whole run's time.
    const sum = w.epochUs.reduce((a, us) => a + (us * 250) / 1e6, 0);
    assert.ok(Math.abs(sum - w.seconds) < 1e-6 * Math.max(1, w.seconds), `${sum} vs ${w.seconds}`);
  }
  assert.ok(out.rows.every((row) => (row.mode === 'per-sample') === (typeof row.peakMb === 'number')), 'a peak for each one-image row');
  assert.ok(out.rows.every((row) => (row.mode === 'per-sample') === (typeof row.labUs === 'number' && row.labUs > 0)), 'the lab µs for each one-image row');
  // Without PyTorch, --json says why in the JSON and on stderr (stdout holds the JSON alone).
  assert.equal(out.torchAbsent, 'skipped (--no-torch)');
  assert.match(r.stderr, /PyTorch not measured: skipped \(--no-torch\)/);
  const none = JSON.parse(kindling(['bench', ...small, '--whole', 'none', '--json']).stdout) as { whole: unknown[] };
  assert.deepEqual(none.whole, []);
});

test('bench | head: the bench stops, quietly, once its reader is gone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-bench-pipe-'));
  try {
    // A stand-in PyTorch that logs each timing run, to see how far the bench went.
    const python = standInPython(dir, [
      'if [ "$1" = "-c" ]; then echo 1.13.0; echo; exit 0; fi',
      `echo "$3 \${11}" >> '${join(dir, 'calls')}'`,
      'echo \'{"us_per_step": 1000.0, "steps": 30, "accuracy": 0.5, "ms_one_by_one": 300.0, "ms_batched": 40.0}\'',
    ]);
    const child = spawn(process.execPath, [bin, 'bench', '--variants', 'baseline', '--steps', '3000', '--batch-steps', '20', '--whole', 'none', '--python', python], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // Read the first line, then go, as `head -1` does.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
    // The one-image rounds may have run before its first row was written, but nothing after: no minibatch run.
    const calls = existsSync(join(dir, 'calls')) ? readFileSync(join(dir, 'calls'), 'utf8') : '';
    assert.doesNotMatch(calls, /baseline 64/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bench refuses an unknown variant for --whole, naming it', () => {
  const r = kindling(['bench', '--no-torch', '--whole', 'adamw']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /unknown variant "adamw"/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

test('bench with a stand-in PyTorch: names its BLAS, warns about the reference BLAS, one thread, ratio = PyTorch µs / Kindling µs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-bench-'));
  try {
    // Answers the BLAS probe, then times every run at 1000 µs per step, but only when asked for one thread.
    const python = standInPython(dir, [
      'if [ "$1" = "-c" ]; then echo 1.13.0; echo /usr/lib/x86_64-linux-gnu/blas/libblas.so.3; exit 0; fi',
      '[ "$OPENBLAS_NUM_THREADS" = 1 ] && [ "$OMP_NUM_THREADS" = 1 ] || { echo "threads not limited" >&2; exit 3; }',
      // glibc's malloc keeps what PyTorch frees (--torch-malloc kept, the default).
      '[ "$MALLOC_MMAP_THRESHOLD_" = 33554432 ] && [ "$MALLOC_TRIM_THRESHOLD_" = 268435456 ] || { echo "malloc not kept" >&2; exit 5; }',
      // It ends with the bench (--parent, the bench's pid, before --json at the end).
      '[ "$(eval echo \\${$(($# - 1))})" = "$PPID" ] || { echo "no --parent $PPID" >&2; exit 4; }',
      // The evaluation: 300 ms one by one, 40 ms in batches.
      `case " $* " in *" --timing-eval "*) echo "$3 eval" >> '${join(dir, 'calls')}'; echo '{"accuracy": 0.5, "ms_one_by_one": 300.0, "ms_batched": 40.0}'; exit 0;; esac`,
      // Logs each run's variant and batch size ("--variants V ... --batch-size B" are its 2nd-3rd and 10th-11th arguments).
      `echo "$3 \${11}" >> '${join(dir, 'calls')}'`,
      'echo \'{"us_per_step": 1000.0, "steps": 30}\'',
    ]);
    const args = small.filter((a) => a !== '--no-torch');
    const text = kindling(['bench', ...args, '--whole', 'none', '--python', python]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /PyTorch 1\.13\.0 via .*BLAS: the reference BLAS \(\/usr\/lib\/x86_64-linux-gnu\/blas\/libblas\.so\.3\)/);
    assert.match(text.stdout, /the ratios below flatter Kindling/);
    assert.match(text.stdout, /\nPyTorch's malloc keeps the memory it frees \(MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=268435456\), so its steps do not fault their buffers in again; --torch-malloc default runs it with glibc's own settings\n/);
    // A stand-in that does not count page faults: no note about them.
    assert.doesNotMatch(text.stdout, /page faults/);
    // Each row says whether its target is met, and gives the ratio with one decimal from 10× up, two below. (Which
    // it is depends on the timing of 30 steps, which a loaded machine can make slow: both are checked for consistency.)
    // Between the ratio and the target, the lowest and highest of the five rounds' ratios.
    assert.match(text.stdout, /µs per step, median of 5 rounds, each side in turn, every variant in each round\n/);
    // Round after round, every variant in each: a variant's rounds do not follow one another.
    const calls = readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n');
    const round = (batch: number): string[] => [`baseline ${batch}`, `adam ${batch}`];
    assert.deepEqual(calls, [...Array.from({ length: 5 }, () => round(1)).flat(), ...Array.from({ length: 5 }, () => round(64)).flat(), 'baseline eval', 'adam eval']);
    assert.match(text.stdout, /\nratio = PyTorch µs ÷ Kindling µs \(above 1: Kindling is faster\)/);
    // PyTorch's evaluation beside Kindling's: one by one, then batched.
    assert.match(text.stdout, /\nvariant +one by one +pytorch +batched +pytorch +accuracy\n/);
    assert.match(text.stdout, /\nbaseline +\d+ +300 +\d+ +40 +\d+\.\d%  (met|MISSED)\n/);
    const rows = [...text.stdout.matchAll(/\nbaseline +(\d+\.\d) +1000\.0 +(\d+\.(\d+))× +(\d+\.\d+)–(\d+\.\d+)× +≥(10|1)×(?: +\d+ +\d+\.\d)? +(met|MISSED)\n/g)];
    assert.equal(rows.length, 2, text.stdout);
    for (const [, us, ratio, decimals, low, high, target, verdict] of rows) {
      // The ratio is cut, not rounded: never above PyTorch's µs over Kindling's (shown rounded to 0.1 µs), and less
      // than one last digit below it.
      const [highest, lowest] = [1000 / (Number(us) - 0.05), 1000 / (Number(us) + 0.05)];
      assert.ok(Number(ratio) <= highest && Number(ratio) > lowest - (Number(ratio) >= 10 ? 0.1 : 0.01), `ratio ${ratio} for ${us} µs`);
      assert.equal(decimals!.length, Number(ratio) >= 10 ? 1 : 2, `decimals of ${ratio}`);
      assert.ok(Number(low) <= Number(ratio) + 0.05 && Number(ratio) <= Number(high) + 0.05, `${ratio} within ${low}–${high}`);
      assert.equal(verdict, Number(ratio) >= Number(target) ? 'met' : 'MISSED', `${ratio} against ≥${target}×`);
    }
    const r = kindling(['bench', ...args, '--whole', 'none', '--python', python, '--json']);
    assert.equal(r.code, 0, r.stderr);
    type Round = { kindlingUs: number; torchUs: number; ratio: number };
    const out = JSON.parse(r.stdout) as { torch: string; blas: string; torchMalloc: unknown; rows: (Round & { rounds: Round[] })[] };
    assert.equal(out.torch, '1.13.0');
    assert.deepEqual(out.torchMalloc, { mode: 'kept', env: { MALLOC_MMAP_THRESHOLD_: '33554432', MALLOC_TRIM_THRESHOLD_: '268435456' } });
    assert.match(out.blas, /reference BLAS/);
    assert.equal(out.rows.length, 4);
    for (const row of out.rows) {
      assert.equal(row.torchUs, 1000);
      assert.ok(Math.abs(row.ratio - 1000 / row.kindlingUs) < 1e-9 * row.ratio);
      // Five rounds by default, each with its own ratio; the row's Kindling figure is the middle one of the five.
      assert.equal(row.rounds.length, 5);
      for (const round of row.rounds) assert.ok(round.torchUs === 1000 && Math.abs(round.ratio - 1000 / round.kindlingUs) < 1e-9 * round.ratio);
      assert.equal(row.kindlingUs, row.rounds.map((x) => x.kindlingUs).sort((a, b) => a - b)[2]);
    }
    const one = JSON.parse(kindling(['bench', ...args, '--whole', 'none', '--python', python, '--json', '--rounds', '1']).stdout) as { rows: (Round & { rounds: Round[] })[] };
    assert.ok(one.rows.every((row) => row.rounds.length === 1 && row.kindlingUs === row.rounds[0]!.kindlingUs));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('median: the middle value, or the mean of the middle two; the list is left as it was', () => {
  const xs = [5, 1, 4];
  assert.equal(median(xs), 4);
  assert.deepEqual(xs, [5, 1, 4]);
  assert.equal(median([3, 1, 10, 2]), 2.5);
  assert.equal(median([7]), 7);
  assert.throws(() => median([]), /empty/);
});

test('bench --rounds must be a whole number 1 or more', () => {
  const r = kindling(['bench', '--no-torch', '--rounds', '0']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /--rounds must be a whole number 1 or more, got "0"/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

test('blasName tells OpenBLAS from the reference BLAS by Debian\'s folders', () => {
  assert.deepEqual(blasName('/usr/lib/x86_64-linux-gnu/openblas-serial/libblas.so.3'), { name: 'OpenBLAS (/usr/lib/x86_64-linux-gnu/openblas-serial/libblas.so.3)', slow: false });
  assert.deepEqual(blasName('/usr/lib/x86_64-linux-gnu/blas/libblas.so.3'), { name: 'the reference BLAS (/usr/lib/x86_64-linux-gnu/blas/libblas.so.3)', slow: true });
  assert.deepEqual(blasName('/opt/intel/libmkl_blas.so'), { name: '/opt/intel/libmkl_blas.so', slow: false });
  assert.deepEqual(blasName(''), { name: null, slow: false });
});

test('bench --python naming a program that is not there is an error before anything runs', () => {
  const r = kindling(['bench', '--python', '/nonexistent/python3', '--variants', 'baseline', '--steps', '5']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'kindling: --python: PyTorch is not usable: /nonexistent/python3: no such program\n');
  assert.equal(r.stdout, '');
});

test('bench --torch-malloc default: PyTorch runs with glibc\'s own malloc settings (and the user\'s), and many page faults a step are noted', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-bench-malloc-'));
  try {
    // Refuses to time anything when the bench set malloc variables; reports 250 page faults a step for adam, 3 for baseline.
    const python = standInPython(dir, [
      'if [ "$1" = "-c" ]; then echo 1.13.0; echo /usr/lib/x86_64-linux-gnu/openblas-serial/libblas.so.3; exit 0; fi',
      '[ -z "$MALLOC_MMAP_THRESHOLD_" ] || { echo "malloc variables set" >&2; exit 5; }',
      `case " $* " in *" --timing-eval "*) echo '{"accuracy": 0.5, "ms_one_by_one": 300.0, "ms_batched": 40.0}'; exit 0;; esac`,
      'case "$3" in adam) f=250;; *) f=3;; esac',
      'echo "{\\"us_per_step\\": 1000.0, \\"steps\\": 30, \\"minor_faults_per_step\\": $f}"',
    ]);
    const args = ['bench', '--variants', 'baseline,adam', '--steps', '30', '--batch-steps', '3', '--whole', 'none', '--rounds', '1', '--python', python, '--torch-malloc', 'default'];
    const r = kindling(args);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\nPyTorch's malloc: glibc's own settings \(--torch-malloc default\)\n/);
    // Under each table, the variants whose PyTorch faulted 20 times a step or more, with the count.
    const notes = r.stdout.match(/\nNote: PyTorch's process took many page faults a timed step \(adam 250\): its malloc gives memory back to the kernel and faults it in again, part of its µs above\.\n/g);
    assert.equal(notes?.length, 2, r.stdout);
    const json = JSON.parse(kindling([...args, '--json']).stdout) as { torchMalloc: unknown; rows: { variant: string; rounds: { torchFaultsPerStep: number }[] }[] };
    assert.deepEqual(json.torchMalloc, { mode: 'default', env: {} });
    assert.deepEqual(json.rows.map((row) => [row.variant, row.rounds[0]!.torchFaultsPerStep]), [['baseline', 3], ['adam', 250], ['baseline', 3], ['adam', 250]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bench --torch-malloc takes kept or default, naming them', () => {
  const r = kindling(['bench', '--no-torch', '--torch-malloc', 'jemalloc']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /option '--torch-malloc <mode>' argument 'jemalloc' is invalid\. expected "kept" or "default", got "jemalloc"/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

test('torchProcess: one thread; kept adds glibc\'s malloc variables unless the user set them; default adds none', () => {
  const kept = torchProcess('py', 'kept', { PATH: '/bin' });
  assert.deepEqual(kept.env, { PATH: '/bin', OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1', MALLOC_MMAP_THRESHOLD_: '33554432', MALLOC_TRIM_THRESHOLD_: '268435456' });
  assert.deepEqual(kept.mallocEnv, { MALLOC_MMAP_THRESHOLD_: '33554432', MALLOC_TRIM_THRESHOLD_: '268435456' });
  const mine = torchProcess('py', 'kept', { MALLOC_TRIM_THRESHOLD_: '5', OMP_NUM_THREADS: '8' });
  assert.equal(mine.env.MALLOC_TRIM_THRESHOLD_, '5');
  assert.equal(mine.env.MALLOC_MMAP_THRESHOLD_, '33554432');
  assert.equal(mine.env.OMP_NUM_THREADS, '1', 'one thread whatever the environment says');
  const plain = torchProcess('py', 'default', { MALLOC_ARENA_MAX: '2', GLIBC_TUNABLES: 'glibc.malloc.tcache_count=0' });
  assert.equal(plain.env.MALLOC_MMAP_THRESHOLD_, undefined);
  assert.deepEqual(plain.mallocEnv, { MALLOC_ARENA_MAX: '2', GLIBC_TUNABLES: 'glibc.malloc.tcache_count=0' });
});

test('real PyTorch: with the bench\'s malloc settings an Adam step takes few page faults (the count, not the time)', (t) => {
  const missing = pythonMissing();
  if (missing !== undefined) {
    t.skip(`skipped: needs PyTorch: ${missing} (apt-get install python3-torch)`);
    return;
  }
  const script = fileURLToPath(new URL('../../../bench/torch_reference.py', import.meta.url));
  const faults = (malloc: 'kept' | 'default'): number => {
    const r = spawnSync(PYTHON, [script, '--variants', 'adam', '--seeds', '0', '--timing-steps', '300', '--warmup-steps', '100', '--batch-size', '1', '--epochs', '1', '--json'], { encoding: 'utf8', env: torchProcess(PYTHON, malloc).env });
    assert.equal(r.status, 0, r.stderr);
    return (JSON.parse(r.stdout.trim().split('\n').pop()!) as { minor_faults_per_step: number }).minor_faults_per_step;
  };
  const kept = faults('kept');
  const plain = faults('default');
  // Kept: the step's buffers come from memory the process already has. glibc's own settings: on this machine
  // 170–270 a step (its temporaries of 156,800 floats go back to the kernel); elsewhere perhaps fewer.
  assert.ok(kept < 5, `kept: ${kept} page faults a step (default: ${plain})`);
  t.diagnostic(`page faults a timed Adam step: kept ${kept.toFixed(1)}, default ${plain.toFixed(1)}`);
});
