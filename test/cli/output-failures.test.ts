// A failed write to stdout or stderr other than a closed pipe (here /dev/full: ENOSPC, as a log file on a full disk
// gives it): stderr's loss stops nothing (the files and the exit status are what they would have been), stdout's is
// said in one line on stderr, without a stack trace, and the command exits 1 once its files are written.
import assert from 'node:assert/strict';
import { spawnSync, type StdioOptions } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../../bin/kindling.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'kindling-output-failures-'));
after(() => rmSync(work, { recursive: true, force: true }));
const full = existsSync('/dev/full');
const skip = full ? false : 'this system has no /dev/full to fail writes with';
const LOST = 'kindling: could not write to standard output: no space left on the device (ENOSPC); what the command printed there is lost\n';

/** Runs kindling with stdout (1) or stderr (2) sent to /dev/full, capturing the other stream. */
function withFull(fd: 1 | 2, args: readonly string[]): { status: number | null; other: string } {
  const sink = openSync('/dev/full', 'w');
  try {
    const stdio: StdioOptions = fd === 1 ? ['ignore', sink, 'pipe'] : ['ignore', 'pipe', sink];
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, stdio, encoding: 'utf8' });
    return { status: r.status, other: (fd === 1 ? r.stderr : r.stdout) ?? '' };
  } finally {
    closeSync(sink);
  }
}

const TRAIN = ['train', '--train-limit', '200', '--test-limit', '50', '--epochs', '1', '--workers', '1'];

test('stderr on a full disk: training writes every file, prints its table and exits 0', { skip }, () => {
  const out = join(work, 'stderr-full');
  const r = withFull(2, [...TRAIN, '--out', out]);
  assert.equal(r.status, 0);
  assert.match(r.other, /custom {3}200 hidden, Sigmoid → Sigmoid, MSE, SGD 0\.01/);
  assert.deepEqual(readdirSync(out).sort(), [
    'checkpoint-custom-s0.safetensors', 'loss-custom.png', 'loss-custom.svg', 'model-custom-s0.safetensors', 'report.html', 'results.json',
  ]);
  const e = withFull(2, ['eval', '--model', join(out, 'model-custom-s0.safetensors'), '--test-limit', '5']);
  assert.equal(e.status, 0);
  assert.match(e.other, /^Accuracy: [\d.]+% \(\d of 5\)$/m);
});

test('stdout on a full disk: one line on stderr, no stack trace, exit 1, and the run\'s files are still written', { skip }, () => {
  const v = withFull(1, ['--version']);
  assert.deepEqual(v, { status: 1, other: LOST });
  const out = join(work, 'stdout-full');
  const r = withFull(1, [...TRAIN, '--quiet', '--out', out]);
  assert.deepEqual(r, { status: 1, other: LOST });
  assert.ok(existsSync(join(out, 'results.json')));
  assert.ok(existsSync(join(out, 'report.html')));
  const e = withFull(1, ['eval', '--model', join(out, 'model-custom-s0.safetensors'), '--test-limit', '50']);
  assert.deepEqual(e, { status: 1, other: LOST });
});
