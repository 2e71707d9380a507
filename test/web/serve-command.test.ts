import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { listenProblem } from '../../src/cli/commands/serve.js';
import { repoRoot, tempDir } from './helpers.js';

const BIN = join(repoRoot(), 'bin', 'kindling.js');

function serve(args: string[], runner: string[] = [process.execPath]): { child: ReturnType<typeof spawn>; out: () => string; err: () => string; exit: Promise<number | null> } {
  const [exe, ...pre] = runner;
  const child = spawn(exe!, [...pre, BIN, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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
  const note = /note: .*runs does not exist yet: the Runs page is empty until a run started from the Train page makes it/;
  try {
    // stdout and stderr are two pipes: the address and the note may arrive in either order, so wait for both.
    let url: string | undefined;
    const deadline = Date.now() + 20_000;
    while (url === undefined || !note.test(s.err())) {
      url ??= /Kindling lab at (http:\/\/127\.0\.0\.1:\d+)\//.exec(s.out())?.[1];
      if (s.child.exitCode !== null) assert.fail(`serve exited early: ${s.err()}`);
      if (Date.now() > deadline) assert.fail(`serve printed neither its address and the note in 20 s: stdout ${JSON.stringify(s.out())}, stderr ${JSON.stringify(s.err())}`);
      if (url === undefined || !note.test(s.err())) await new Promise((r) => setTimeout(r, 50));
    }
    assert.match(s.out(), new RegExp(`Run folders: ${runs.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const page = await fetch(`${url}/runs`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /No runs yet in <code>/);
    s.child.kill('SIGINT');
    assert.equal(await s.exit, 0);
    assert.match(s.out(), /Stopping the server/);
  } finally {
    // A failed assertion must not leave the server running: the test file would never end.
    if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    rmSync(base, { recursive: true, force: true });
  }
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

/**
 * How to run Node as a user who may not bind port 80: this user when it is not root; root through setpriv as
 * nobody, when nobody can read the repository; otherwise null.
 */
function unprivileged(): string[] | null {
  if (process.getuid?.() !== 0) return [process.execPath];
  const nobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath];
  const probe = spawnSync(nobody[0]!, [...nobody.slice(1), '-e', `require('fs').accessSync(${JSON.stringify(BIN)})`], { encoding: 'utf8' });
  return probe.status === 0 ? nobody : null;
}

test('each way listening can fail has its own message', () => {
  assert.equal(listenProblem('EACCES', 80, '127.0.0.1'), 'port 80 on 127.0.0.1 needs privileges this user does not have (ports below 1024 usually do); pick another with --port, e.g. --port 8080');
  assert.equal(listenProblem('EADDRINUSE', 8080, '127.0.0.1'), 'port 8080 on 127.0.0.1 is already in use; pick another with --port');
  assert.equal(listenProblem('EADDRNOTAVAIL', 8080, '10.9.9.9'), 'cannot listen on 10.9.9.9: no such local address');
  assert.equal(listenProblem('EMFILE', 8080, '127.0.0.1'), null, 'an unexpected failure keeps its own error');
});

test('a port this user may not bind is a clear error, naming another port', async (t) => {
  const run = unprivileged();
  if (run === null) {
    t.skip('running as root, and nobody cannot read the repository to run as nobody');
    return;
  }
  const r = spawnSync(run[0]!, [...run.slice(1), BIN, 'serve', '--port', '80', '--runs', join(tmpdir(), 'kindling-web-never-created')], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr, 'kindling: port 80 on 127.0.0.1 needs privileges this user does not have (ports below 1024 usually do); pick another with --port, e.g. --port 8080\n');
});

test('--runs naming a file, or --data naming one file (a server trains, so it needs both splits), is refused up front', async () => {
  const dir = tempDir('kindling-serve-file-');
  const file = join(dir, 'notes.txt');
  writeFileSync(file, 'mine');
  const s = serve(['--port', '0', '--runs', file]);
  assert.equal(await s.exit, 1);
  assert.equal(s.err(), `kindling: --runs ${file}: that is a file, not a folder\n`);
  const d = serve(['--port', '0', '--runs', join(dir, 'runs'), '--data', file]);
  assert.equal(await d.exit, 1);
  assert.match(d.err(), /^kindling: --data \S+notes\.txt: training needs both splits/);
  assert.equal(readFileSync(file, 'utf8'), 'mine');
  const under = serve(['--port', '0', '--runs', join(file, 'runs')]);
  assert.equal(await under.exit, 1);
  assert.equal(under.err(), `kindling: --runs ${join(file, 'runs')}: ${file} is a file, not a folder\n`);
});

test('--runs naming a folder the jobs cannot write into is served for browsing, with a note that jobs will fail', async (t) => {
  const run = unprivileged();
  if (run === null) {
    t.skip('running as root, and nobody cannot read the repository to run as nobody');
    return;
  }
  const dir = tempDir('kindling-serve-ro-');
  chmodSync(dir, 0o755);
  const locked = join(dir, 'locked');
  mkdirSync(locked, { mode: 0o555 });
  chmodSync(locked, 0o555);
  const s = serve(['--port', '0', '--runs', locked], run);
  try {
    for (let i = 0; i < 300 && !(/Kindling lab at/.test(s.out()) && /note: --runs/.test(s.err())); i++) await new Promise((r) => setTimeout(r, 50));
    assert.match(s.out(), /Kindling lab at http:\/\/127\.0\.0\.1:\d+\//, s.err());
    assert.match(s.err(), new RegExp(`kindling: note: --runs ${locked.replace(/[/\\.-]/g, '.')}: cannot write into the folder \\S+: permission denied \\(EACCES\\); its runs can be browsed and drawn with, but a job started from the Train page will fail\\n`));
  } finally {
    s.child.kill('SIGINT');
    await s.exit;
  }
});
