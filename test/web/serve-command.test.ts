import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, tempDir } from './helpers.js';

const BIN = join(repoRoot(), 'bin', 'kindling.js');

function serve(args: string[]): { child: ReturnType<typeof spawn>; out: () => string; err: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

test('`kindling serve` prints its address, serves the pages, and stops cleanly on Ctrl-C', async () => {
  const base = tempDir();
  const runs = join(base, 'runs');
  const s = serve(['--port', '0', '--runs', runs]);
  let url: string | undefined;
  while (url === undefined) {
    const m = /Kindling lab at (http:\/\/127\.0\.0\.1:\d+)\//.exec(s.out());
    if (m) url = m[1];
    else if (s.child.exitCode !== null) assert.fail(`serve exited early: ${s.err()}`);
    else await new Promise((r) => setTimeout(r, 50));
  }
  assert.match(s.out(), new RegExp(`Run folders: ${runs.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.match(s.err(), /note: .*runs does not exist yet: the Runs page is empty until a run started from the Train page makes it/);
  const page = await fetch(`${url}/runs`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /No runs yet in <code>/);
  s.child.kill('SIGINT');
  assert.equal(await s.exit, 0);
  assert.match(s.out(), /Stopping the server/);
  rmSync(base, { recursive: true, force: true });
});

test('a port in use is a clear error, not a stack trace', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as { port: number }).port;
  try {
    // The server stops before it would create anything, so the runs folder need not exist.
    const s = serve(['--port', String(port), '--runs', join(tmpdir(), 'kindling-web-never-created')]);
    assert.equal(await s.exit, 1);
    assert.equal(s.err(), `kindling: port ${port} on 127.0.0.1 is already in use; pick another with --port\n`);
  } finally {
    blocker.close();
  }
});
