// The run folder: commands started in the same second each get a folder of their own.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { quitTraining } from '../../src/cli/quit-training.js';
import { defaultRunDir, makeRunDir } from '../../src/cli/run-dir.js';

const BIN = fileURLToPath(new URL('../../../bin/kindling.js', import.meta.url));

/** `kindling train …args --quiet` in `dir`. */
function trainIn(dir: string): (...args: string[]) => SpawnSyncReturns<string> {
  return (...args) => spawnSync(process.execPath, [BIN, 'train', ...args, '--quiet'], { cwd: dir, encoding: 'utf8' });
}

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
    // The other command got there first: it made runs/ and the folder (still empty, in its first epoch).
    mkdirSync(chosen, { recursive: true });
    const { dir, made } = makeRunDir(chosen, missing, true);
    assert.notEqual(dir, chosen);
    assert.match(dir, /^runs\/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d(-\d+)?$/);
    assert.deepEqual(made, [resolve(dir)], 'only our own folder is ours: not runs/, not the other command\'s');
    assert.ok(existsSync(dir));
    // A quit now removes our empty folder and leaves the other command's, empty as it is.
    assert.equal(quitTraining(dir, made), `no run had written a checkpoint yet, so nothing is kept; removed the empty folder ${dir}`);
    assert.equal(existsSync(dir), false);
    assert.ok(existsSync(chosen), "the other command's folder is untouched");
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
    assert.deepEqual(makeRunDir(fresh, [resolve('outer'), resolve(fresh)], false), { dir: fresh, made: [resolve(fresh)] }, 'outer was there already');
    assert.ok(existsSync(fresh));
    assert.deepEqual(makeRunDir(fresh, [], false), { dir: fresh, made: [] }, 'nothing to make');
    const deep = join('a', 'b');
    assert.deepEqual(makeRunDir(deep, [resolve('a'), resolve(deep)], false), { dir: deep, made: [resolve('a'), resolve(deep)] });
  });
});

test('without --out, a problem with the default run folder names it as the default, not as an --out the user never gave', () => {
  inTempCwd((dir) => {
    writeFileSync('runs', 'not a folder');
    const r = trainIn(dir)('--epochs', '1', '--train-limit', '100', '--test-limit', '10');
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^kindling: the default run folder runs\/\S+ \(give --out to write elsewhere\): \S+\/runs is not a folder\n$/);
  });
});

test('an --out that is a symbolic link to nothing is named as such before loading, not as a folder made meanwhile', () => {
  inTempCwd((dir) => {
    symlinkSync('gone', 'run-link');
    const r = trainIn(dir)('--epochs', '1', '--train-limit', '100', '--test-limit', '10', '--out', 'run-link/sub');
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, `kindling: --out run-link/sub: ${join(dir, 'run-link')} is a symbolic link to gone, which does not exist\n`);
    const direct = trainIn(dir)('--epochs', '1', '--train-limit', '100', '--test-limit', '10', '--out', 'run-link');
    assert.equal(direct.status, 1, direct.stderr);
    assert.equal(direct.stderr, `kindling: --out run-link: ${join(dir, 'run-link')} is a symbolic link to gone, which does not exist\n`);
    assert.ok(lstatSync('run-link').isSymbolicLink(), 'the link is left as it was');
    assert.equal(existsSync('gone'), false);
  });
});

test('a report that cannot be written says so and how to write it later; the trained run stays in its checkpoint', () => {
  inTempCwd((dir) => {
    const train = trainIn(dir);
    assert.equal(train('--epochs', '1', '--train-limit', '100', '--test-limit', '10', '--out', 'run').status, 0);
    // report.html made a folder that is not empty: the atomic rename onto it fails, as a full disk or a read-only
    // folder would fail the write.
    rmSync(join('run', 'report.html'));
    mkdirSync(join('run', 'report.html', 'x'), { recursive: true });
    const r = train('--resume', 'run');
    assert.equal(r.status, 1, String(r.stderr));
    assert.match(String(r.stderr), /\nkindling: cannot write run\/report\.html: [^\n]+\nThe trained runs are kept in their checkpoints\. Once that is fixed, test them again and write the results and the report with:\n {2}\S+ \S+ train --resume run\/checkpoint-custom-s0\.safetensors\n$/);
    assert.ok(existsSync(join('run', 'checkpoint-custom-s0.safetensors')));
    // Fixed, the command it gave writes them.
    rmSync(join('run', 'report.html'), { recursive: true });
    const again = train('--resume', join('run', 'checkpoint-custom-s0.safetensors'));
    assert.equal(again.status, 0, String(again.stderr));
    assert.ok(lstatSync(join('run', 'report.html')).isFile());
  });
});

test('when every run fails after its checkpoint (a model file that cannot be written), the error gives the command that resumes it', () => {
  inTempCwd((dir) => {
    const train = trainIn(dir);
    assert.equal(train('--epochs', '1', '--train-limit', '50', '--test-limit', '10', '--out', 'run').status, 0);
    rmSync(join('run', 'model-custom-s0.safetensors'));
    mkdirSync(join('run', 'model-custom-s0.safetensors'));
    const r = train('--resume', 'run', '--epochs', '2');
    assert.equal(r.status, 1, String(r.stderr));
    assert.match(String(r.stderr), /\nkindling: every run failed; no results were written\. A checkpoint is kept in run: once the cause is fixed, resume with:\n {2}\S+ \S+ train --resume run\/checkpoint-custom-s0\.safetensors --epochs 2\n$/);
    // Fixed, that command finishes the run.
    rmSync(join('run', 'model-custom-s0.safetensors'), { recursive: true });
    const again = train('--resume', join('run', 'checkpoint-custom-s0.safetensors'), '--epochs', '2');
    assert.equal(again.status, 0, String(again.stderr));
    assert.ok(lstatSync(join('run', 'model-custom-s0.safetensors')).isFile());
  });
});

test('a run whose loss became non-finite after its checkpoint is not offered a resume, which would meet it again', () => {
  inTempCwd((dir) => {
    // One image a pass and a huge rate: step 1 trains, the checkpoint of epoch 1 is written, and step 2's loss is ∞.
    const r = trainIn(dir)('--train-limit', '1', '--epochs', '2', '--lr', '1e30', '--activation', 'relu', '--output-activation', 'none', '--test-limit', '10', '--out', 'run');
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /the loss became Infinity at step 2 .* The last good checkpoint is run\/checkpoint-custom-s0\.safetensors/);
    assert.match(r.stderr, /\nkindling: every run failed; no results were written \(checkpoints, if any, are in run\)\n$/);
    assert.ok(existsSync(join('run', 'checkpoint-custom-s0.safetensors')));
  });
});

test('the closing line names the run folder once, with or without a trailing slash on --out', () => {
  inTempCwd((dir) => {
    for (const out of ['plain', 'slashed/']) {
      const r = trainIn(dir)('--epochs', '1', '--train-limit', '20', '--test-limit', '10', '--out', out);
      assert.equal(r.status, 0, r.stderr);
      const name = out.replace(/\/$/, '');
      assert.match(r.stdout, new RegExp(`Wrote \\d+ files to ${name}/ \\(models and checkpoints included\\) — open ${name}/report\\.html\\.\\n$`));
    }
  });
});
