// The run folder: commands started in the same second each get a folder of their own.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { defaultRunDir, makeRunDir } from '../../src/cli/run-dir.js';

/** Runs `fn` in a fresh current folder (the default run folder is relative to it). */
function inTempCwd(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-run-dir-'));
  const before = process.cwd();
  process.chdir(dir);
  try {
    fn(dir);
  } finally {
    process.chdir(before);
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the default run folder another command made between the check and the mkdir is left to it: the next free name is made', () => {
  inTempCwd(() => {
    const chosen = defaultRunDir();
    assert.match(chosen, /^runs\/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d$/);
    const missing = [resolve('runs'), resolve(chosen)];
    // The other command got there first: it made runs/ and the folder, and wrote into it.
    mkdirSync(chosen, { recursive: true });
    writeFileSync(join(chosen, 'results.json'), '{}');
    const made = makeRunDir(chosen, missing, true);
    assert.notEqual(made, chosen);
    assert.match(made, /^runs\/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d(-\d+)?$/);
    assert.ok(existsSync(made));
    assert.deepEqual(readdirSync(made), []);
    assert.deepEqual(readdirSync(chosen), ['results.json'], "the other command's folder is untouched");
  });
});

test('a folder the user named that appears meanwhile is an error that says so; folders above it made meanwhile are used', () => {
  inTempCwd(() => {
    const mine = join('outer', 'mine');
    mkdirSync(mine, { recursive: true });
    assert.throws(() => makeRunDir(mine, [resolve('outer'), resolve(mine)], false), {
      message: `cannot create the run folder ${mine}: another process made a file or folder of that name meanwhile; give another --out`,
    });
    const fresh = join('outer', 'fresh');
    assert.equal(makeRunDir(fresh, [resolve('outer'), resolve(fresh)], false), fresh);
    assert.ok(existsSync(fresh));
    assert.equal(makeRunDir(fresh, [], false), fresh, 'nothing to make');
  });
});

test('without --out, a problem with the default run folder names it as the default, not as an --out the user never gave', () => {
  inTempCwd((dir) => {
    writeFileSync('runs', 'not a folder');
    const bin = fileURLToPath(new URL('../../../bin/kindling.js', import.meta.url));
    const r = spawnSync(process.execPath, [bin, 'train', '--epochs', '1', '--train-limit', '100', '--test-limit', '10', '--quiet'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^kindling: the default run folder runs\/\S+ \(give --out to write elsewhere\): \S+\/runs is not a folder\n$/);
  });
});
