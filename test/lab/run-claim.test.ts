// The claim a command (or a server job) holds on the run folder it trains into: made exclusively, refused while its
// process runs, taken over once that process is gone (on this host only), and removed when released.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { findCheckpoints } from '../../src/lab/checkpoint.js';
import { CLAIM_NAME, claimHolder, claimRunDir, ownClaim } from '../../src/lab/run-claim.js';

const dir = mkdtempSync(join(tmpdir(), 'kindling-claim-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const claim = join(dir, CLAIM_NAME);

function refused(fn: () => unknown, holder: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Error);
    assert.equal(e.message, `--out ${dir}: another kindling command (${holder}) is writing a run into this folder: give another folder, or wait until it ends (if no such command runs, delete ${claim})`);
    return true;
  });
}

test('a claim names this process and host, is this process\'s own, and goes when released', () => {
  const release = claimRunDir(dir, `--out ${dir}`);
  assert.equal(readFileSync(claim, 'utf8'), `${process.pid} ${hostname()}\n`);
  assert.ok(ownClaim(dir));
  release();
  assert.equal(existsSync(claim), false);
  release();
});

test('a claim of a running process, of another host, or not yet written is refused; a dead process\'s is taken over', () => {
  // A process that runs: the test runner's parent.
  writeFileSync(claim, `${process.ppid} ${hostname()}\n`);
  refused(() => claimRunDir(dir, `--out ${dir}`), `process ${process.ppid}`);
  // Another host's: never presumed dead, whatever its process id.
  writeFileSync(claim, `1 some-other-host\n`);
  refused(() => claimRunDir(dir, `--out ${dir}`), 'process 1 on host some-other-host');
  // Made but not yet written.
  writeFileSync(claim, '');
  refused(() => claimRunDir(dir, `--out ${dir}`), 'a process that has not written its claim yet');
  assert.equal(readFileSync(claim, 'utf8'), '', 'a refused claim is left as it was');
  // A process that has ended (one just run and gone), with or without the host.
  const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
  for (const text of [`${gone}\n`, `${gone} ${hostname()}\n`]) {
    writeFileSync(claim, text);
    const release = claimRunDir(dir, `--out ${dir}`);
    assert.ok(ownClaim(dir), `taken over from ${JSON.stringify(text)}`);
    release();
  }
});

test('claiming a folder removes the temporary files of writers that no longer run, and only theirs', () => {
  const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
  const names = {
    dead: `.checkpoint-custom-s0.safetensors.${gone}-1-0.tmp`,
    deadMain: `.results.json.${gone}-0-3.tmp`,
    mine: `.checkpoint-custom-s1.safetensors.${process.pid}-0-0.tmp`,
    running: `.report.html.${process.ppid}-0-0.tmp`,
    other: '.notes.tmp',
    model: 'model-custom-s0.safetensors',
  };
  for (const n of Object.values(names)) writeFileSync(join(dir, n), 'x');
  const release = claimRunDir(dir, `--out ${dir}`);
  release();
  for (const [what, n] of Object.entries(names)) {
    assert.equal(existsSync(join(dir, n)), !what.startsWith('dead'), `${what}: ${n}`);
    rmSync(join(dir, n), { force: true });
  }
});

test('resuming a folder a running command holds, before its first checkpoint, says the folder is in use', () => {
  const busy = mkdtempSync(join(tmpdir(), 'kindling-busy-'));
  try {
    writeFileSync(join(busy, CLAIM_NAME), `${process.ppid} ${hostname()}\n`);
    assert.equal(claimHolder(busy), `process ${process.ppid}`);
    assert.throws(() => findCheckpoints(busy), new RegExp(`another kindling command \\(process ${process.ppid}\\) is writing a run into this folder, and has written no checkpoint yet`));
    // Without a live claim, the folder simply holds nothing to resume.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(busy, CLAIM_NAME), `${gone} ${hostname()}\n`);
    assert.equal(claimHolder(busy), null);
    assert.throws(() => findCheckpoints(busy), /holds no checkpoint-\*\.safetensors file to resume from/);
  } finally {
    rmSync(busy, { recursive: true, force: true });
  }
});

test('resuming the folder that holds the run folders (--resume runs) names the run folders to give instead', () => {
  const runs = mkdtempSync(join(tmpdir(), 'kindling-runs-'));
  try {
    assert.throws(() => findCheckpoints(runs), (e: unknown) => e instanceof Error && e.message === `${runs} holds no checkpoint-*.safetensors file to resume from`);
    for (const [name, when] of [['2026-12-07T19-38-21', 1_000], ['mine', 3_000], ['2026-12-07T20-01-02', 2_000]] as const) {
      mkdirSync(join(runs, name));
      writeFileSync(join(runs, name, 'checkpoint-custom-s0.safetensors'), 'x');
      utimesSync(join(runs, name), when, when);
    }
    mkdirSync(join(runs, 'empty'));
    assert.throws(() => findCheckpoints(runs), (e: unknown) => e instanceof Error && e.message === `${runs} holds no checkpoint-*.safetensors file to resume from; it holds 3 run folders that do: give one of them, such as the latest, ${join(runs, 'mine')}`);
    rmSync(join(runs, 'mine'), { recursive: true });
    rmSync(join(runs, '2026-12-07T20-01-02'), { recursive: true });
    assert.throws(() => findCheckpoints(runs), (e: unknown) => e instanceof Error && e.message === `${runs} holds no checkpoint-*.safetensors file to resume from; it holds a run folder that does: give it, ${join(runs, '2026-12-07T19-38-21')}`);
  } finally {
    rmSync(runs, { recursive: true, force: true });
  }
});
