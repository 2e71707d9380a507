/** `kindling serve` stopped with Ctrl-C while a job trains: the terminal says where the job was left and how to go on. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { JobSnapshot } from '../../src/web/shared/api-types.js';
import { repoRoot, tempDir } from './helpers.js';

/** `serve` with a job (`baseline`, 1 epoch, unless `job` says otherwise) training: once it has taken a step, `then` gets the process. */
async function withTrainingJob(
  then: (s: { child: ChildProcess; runs: string; url: string; exit: Promise<number | null>; signal: () => NodeJS.Signals | null; out: () => string; err: () => string }) => Promise<void>,
  job: Record<string, unknown> = { variants: 'baseline', epochs: 1 },
): Promise<void> {
  const base = tempDir();
  const runs = join(base, 'runs');
  const child = spawn(process.execPath, [join(repoRoot(), 'bin', 'kindling.js'), 'serve', '--port', '0', '--runs', runs, '--workers', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  let signal: NodeJS.Signals | null = null;
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code, by) => { signal = by; resolve(code); }));
  try {
    const deadline = Date.now() + 20_000;
    let url: string | undefined;
    while ((url = /Kindling lab at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out)?.[1]) === undefined) {
      if (child.exitCode !== null || Date.now() > deadline) assert.fail(`serve did not start: ${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const posted = await fetch(`${url}/api/jobs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(job) });
    assert.equal(posted.status, 202, await posted.clone().text());
    let snapshot: JobSnapshot;
    do {
      if (Date.now() > deadline) assert.fail('the job never reported progress');
      await new Promise((r) => setTimeout(r, 50));
      snapshot = (await (await fetch(`${url}/api/jobs/1`)).json()) as JobSnapshot;
    } while (snapshot.runs[0]!.step === 0);
    await then({ child, runs, url, exit, signal: () => signal, out: () => out, err: () => err });
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(base, { recursive: true, force: true });
  }
}

test('Ctrl-C during a job prints its run folder and the command that resumes it, and exits 130', async () => {
  await withTrainingJob(async ({ child, runs, exit, out: read, err }) => {
    child.kill('SIGINT');
    assert.equal(await exit, 130, err());
    const out = read();
    const folder = /^ {2}Run folder: (.*)$/m.exec(out)?.[1];
    assert.ok(folder !== undefined, `no run folder in: ${out}`);
    assert.ok(folder.startsWith(runs), folder);
    assert.ok(existsSync(join(folder, 'checkpoint-baseline-s0.safetensors')));
    assert.match(out, /Job 1 \(baseline × seed 0 · 1 epoch · all images\) was stopped; nothing trained so far is lost\.\n {2}baseline: stopped at step [\d,]+ of 60,000\n/);
    assert.match(out, /^ {2}Resume with: .*kindling\.js'? reproduce --resume '?.*runs\/[^/\n]+'?$/m);
  });
});

/** Two SIGINTs `gapMs` apart (0: back to back, with no timer between them that a loaded machine could stretch). */
async function sigintTwice(child: ChildProcess, gapMs: number): Promise<void> {
  child.kill('SIGINT');
  if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
  child.kill('SIGINT');
}

test('one SIGINT delivered twice at once (GNU timeout -s INT) is one stop, with its run folder and resume command', async () => {
  await withTrainingJob(async ({ child, exit, out, err }) => {
    await sigintTwice(child, 0);
    assert.equal(await exit, 130, err());
    assert.doesNotMatch(err(), /again: quitting/);
    assert.match(out(), /^ {2}Resume with: /m);
  });
});

test('Ctrl-C twice during a job quits at once, saying what is kept; a folder left empty is removed', async () => {
  // One step of 10,000 images through 1,000 hidden units takes seconds: the second Ctrl-C, 150 ms after the first,
  // comes while the step the first one waits for still runs (the second of the epoch's two: no checkpoint yet).
  const job = { custom: { hidden: 1000 }, batchSize: 10_000, trainLimit: 20_000, testLimit: 100, epochs: 1 };
  await withTrainingJob(async ({ child, runs, exit, err }) => {
    await sigintTwice(child, 150);
    assert.equal(await exit, 130, err());
    const quit = /kindling: SIGINT again: quitting without waiting \((.*)\)\n/.exec(err());
    assert.ok(quit !== null, `the second Ctrl-C did not quit at once: ${err()}`);
    assert.match(quit[1]!, /^no run had written a checkpoint yet, so nothing is kept; removed the empty folder /);
    assert.doesNotMatch(err(), /Resume with/);
    assert.deepEqual(existsSync(runs) ? readdirSync(runs) : [], []);
  }, job);
});

test('Ctrl-C with jobs waiting in the queue: each is named as cancelled, with nothing trained', async () => {
  await withTrainingJob(async ({ child, url, exit, out, err }) => {
    for (const seed of [1, 2]) {
      const posted = await fetch(`${url}/api/jobs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ variants: 'bce', seeds: String(seed), epochs: 1, trainLimit: 100 }) });
      assert.equal(posted.status, 202);
    }
    child.kill('SIGINT');
    assert.equal(await exit, 130, err());
    assert.match(out(), /Job 1 \(baseline .*\) was stopped; nothing trained so far is lost/);
    for (const id of [2, 3]) assert.match(out(), new RegExp(`^Job ${id} \\(bce × seed ${id - 1} .*\\) was waiting in the queue and is cancelled: nothing of it was trained`, 'm'));
  });
});
