// Ctrl-C the moment the run folder appears, before the training's stop handler would be installed: a signal handler
// is in place from just before the folder is made, so the command exits with 130 (never killed by the signal, which
// left the folder holding only its claim) and leaves either no folder or a resumable one, never a stale claim.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../../bin/kindling.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'kindling-early-signal-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Starts a training into `<parent>/run` and sends SIGINT as soon as that folder is made; resolves with how it ended. */
function interruptAtFolder(parent: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  mkdirSync(parent);
  const out = join(parent, 'run');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'train', '--train-limit', '10000', '--test-limit', '50', '--epochs', '1', '--workers', '1', '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const watcher = watch(parent, () => {
      if (existsSync(out)) {
        watcher.close();
        child.kill('SIGINT');
      }
    });
    child.on('exit', (code, signal) => {
      watcher.close();
      resolve({ code, signal, stderr });
    });
  });
}

test('Ctrl-C as the run folder is made: exit 130, and no folder left holding only a claim', async () => {
  for (let i = 0; i < 4; i++) {
    const parent = join(work, `try-${i}`);
    const r = await interruptAtFolder(parent);
    assert.equal(r.signal, null, `try ${i}: killed by ${String(r.signal)} instead of exiting (stderr: ${r.stderr})`);
    assert.equal(r.code, 130, r.stderr);
    const out = join(parent, 'run');
    if (existsSync(out)) {
      // Stopped by the training's own handler: the checkpoint it starts from is kept, and the claim is gone.
      assert.deepEqual(readdirSync(out), ['checkpoint-custom-s0.safetensors'], r.stderr);
      assert.match(r.stderr, /Resume with:/);
    }
  }
});
