import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, test } from 'node:test';
import { quitTraining } from '../../src/cli/quit-training.js';
import { removeOwnTempFiles, writeFileAtomic } from '../../src/io/atomic.js';

const work = mkdtempSync(join(tmpdir(), 'kindling-quit-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A run folder `<case>/a/b` made by the command (both levels), as `makeRunDir` makes it. */
function madeFolders(name: string): { dir: string; made: string[] } {
  const top = join(work, name);
  mkdirSync(top);
  const made = [join(top, 'a'), join(top, 'a', 'b')];
  for (const p of made) mkdirSync(p);
  return { dir: made[1]!, made };
}

/** A temporary file as an atomic write of this process leaves it when the process dies mid-write. */
const ownTemp = (target: string, thread = 1): string => `.${target}.${process.pid}-${thread}-7.tmp`;

test('a second Ctrl-C before any checkpoint: the half-written files go, and so do the folders the command made', () => {
  const { dir, made } = madeFolders('first-epoch');
  writeFileSync(join(dir, ownTemp('checkpoint-adam-s0.safetensors')), 'half');
  writeFileSync(join(dir, ownTemp('checkpoint-combined-s0.safetensors', 2)), 'half');
  const said = quitTraining(dir, made);
  assert.equal(said, `no run had written a checkpoint yet, so nothing is kept; removed the empty folder ${dir}`);
  assert.equal(existsSync(made[0]!), false);
  assert.equal(existsSync(join(work, 'first-epoch')), true, 'a folder that was there before is kept');
});

test('a second Ctrl-C after checkpoints: they are kept with their folder; only this process\'s temporary files go', () => {
  const { dir, made } = madeFolders('later');
  writeFileAtomic(join(dir, 'checkpoint-adam-s0.safetensors'), 'ckpt');
  writeFileSync(join(dir, ownTemp('checkpoint-adam-s0.safetensors')), 'half');
  const foreign = `.checkpoint-adam-s0.safetensors.${process.pid + 1}-1-0.tmp`;
  writeFileSync(join(dir, foreign), 'another process');
  assert.equal(quitTraining(dir, made), `the checkpoints written so far are kept in ${dir}`);
  assert.deepEqual(readdirSync(dir).sort(), [foreign, 'checkpoint-adam-s0.safetensors'].sort());
});

test('a folder the user gave, or one holding other files, is never removed', () => {
  const given = join(work, 'given');
  mkdirSync(given);
  assert.equal(quitTraining(given, []), 'no run had written a checkpoint yet, so nothing is kept');
  assert.equal(existsSync(given), true);
  const { dir, made } = madeFolders('other');
  writeFileSync(join(dir, 'notes.txt'), 'mine');
  assert.equal(quitTraining(dir, made), 'no run had written a checkpoint yet, so nothing is kept');
  assert.deepEqual(readdirSync(dir), ['notes.txt']);
  // A folder that cannot be read (already gone) is no error: there is nothing to remove.
  assert.equal(removeOwnTempFiles(join(work, 'missing')), 0);
  assert.equal(quitTraining(join(work, 'missing'), []), 'no run had written a checkpoint yet, so nothing is kept');
});

test('a second Ctrl-C after a checkpoint: runs without one get the checkpoint they start from, and none is replaced', () => {
  const { dir, made } = madeFolders('placed');
  writeFileAtomic(join(dir, 'checkpoint-adam-s0.safetensors'), 'epoch 1 of adam');
  const writes: string[] = [];
  const planned = ['adam-s0', 'adam-s1', 'adam-s2'].map((run) => ({
    path: join(dir, `checkpoint-${run}.safetensors`),
    writeStart: (path: string): void => {
      writes.push(run);
      writeFileAtomic(path, `start of ${run}`);
    },
  }));
  // A run whose worker writes its checkpoint while the quit is under way keeps that one.
  writeFileAtomic(join(dir, 'checkpoint-adam-s2.safetensors'), 'epoch 1 of adam s2');
  assert.equal(quitTraining(dir, made, planned), `the checkpoints written so far are kept in ${dir}; the 1 run without one got the checkpoint it starts from`);
  assert.deepEqual(writes, ['adam-s1']);
  assert.deepEqual(readdirSync(dir).sort(), ['checkpoint-adam-s0.safetensors', 'checkpoint-adam-s1.safetensors', 'checkpoint-adam-s2.safetensors']);
  assert.equal(readFileSync(join(dir, 'checkpoint-adam-s1.safetensors'), 'utf8'), 'start of adam-s1');
  assert.equal(readFileSync(join(dir, 'checkpoint-adam-s2.safetensors'), 'utf8'), 'epoch 1 of adam s2');
  // Before any checkpoint, nothing is placed: the folder goes, as above.
  const first = madeFolders('placed-none');
  const none = planned.map((p) => ({ ...p, path: join(first.dir, basename(p.path)) }));
  writes.length = 0;
  assert.match(quitTraining(first.dir, first.made, none), /^no run had written a checkpoint yet/);
  assert.deepEqual(writes, []);
  assert.equal(existsSync(first.made[0]!), false);
});

test('a start checkpoint that cannot be placed does not stop the quit, and leaves nothing behind', () => {
  const { dir, made } = madeFolders('unplaced');
  writeFileAtomic(join(dir, 'checkpoint-a.safetensors'), 'a');
  const failing = [{ path: join(dir, 'checkpoint-b.safetensors'), writeStart: (): void => { throw new Error('disk full'); } }];
  assert.equal(quitTraining(dir, made, failing), `the checkpoints written so far are kept in ${dir}`);
  assert.deepEqual(readdirSync(dir), ['checkpoint-a.safetensors']);
});
