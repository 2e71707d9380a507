// `kindling bench` as a user runs it, without PyTorch (the bench must work, and say so, where it is absent) and
// with small sizes: the tables' figures are timings, so only their presence and shape are checked.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const bin = fileURLToPath(new URL('../../../bin/kindling.js', import.meta.url));

function kindling(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const small = ['--no-torch', '--variants', 'baseline,adam', '--steps', '30', '--batch-steps', '3', '--whole-images', '250'];

test('bench --no-torch says PyTorch was not measured and prints every table, the whole-protocol one included', () => {
  const r = kindling(['bench', ...small, '--whole', 'adam']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /PyTorch not measured: skipped \(--no-torch\)/);
  assert.match(r.stdout, /One image per step/);
  assert.match(r.stdout, /Minibatches of 64: 3 steps/);
  assert.match(r.stdout, /The chapter's whole protocol \(3 epochs of 250 images, one per step\)/);
  assert.match(r.stdout, /\nadam +\d+\.\d +\d+\.\d +\d+\.\d +\d+\.\d s\n/);
});

test('bench --json: per-sample and minibatch rows for each variant, three epochs for each whole run', () => {
  const r = kindling(['bench', ...small, '--whole', 'baseline,adam', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as {
    torch: string | null;
    rows: { mode: string; variant: string; steps: number; kindlingUs: number; torchUs: number | null }[];
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
  const none = JSON.parse(kindling(['bench', ...small, '--whole', 'none', '--json']).stdout) as { whole: unknown[] };
  assert.deepEqual(none.whole, []);
});

test('bench refuses an unknown variant for --whole, naming it', () => {
  const r = kindling(['bench', '--no-torch', '--whole', 'adamw']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /unknown variant "adamw"/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});
