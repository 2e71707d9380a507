import assert from 'node:assert/strict';
import fs from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeFileAtomic, writeFileAtomicAsync } from '../../src/io/atomic.js';
import { IoError } from '../../src/io/errors.js';
import { fsError, tempFiles, tempFolder } from './helpers.js';

const OLD = 'the old contents\n';

function folderWithOldFile(): { dir: string; path: string } {
  const dir = tempFolder();
  const path = join(dir, 'model.safetensors');
  fs.writeFileSync(path, OLD);
  return { dir, path };
}

function assertIoError(err: unknown, ...patterns: RegExp[]): true {
  assert.ok(err instanceof IoError, `expected an IoError, got ${String(err)}`);
  for (const p of patterns) assert.match(err.message, p);
  return true;
}

test('writeFileAtomic creates a file, then replaces it, leaving no temporary file', () => {
  const dir = tempFolder();
  const path = join(dir, 'results.json');
  writeFileAtomic(path, '{"a": 1}\n');
  assert.equal(fs.readFileSync(path, 'utf8'), '{"a": 1}\n');
  const bytes = new Uint8Array([0, 1, 2, 250, 255]);
  writeFileAtomic(path, bytes);
  assert.deepEqual(new Uint8Array(fs.readFileSync(path)), bytes);
  writeFileAtomic(path, '');
  assert.equal(fs.readFileSync(path).length, 0);
  assert.deepEqual(fs.readdirSync(dir), ['results.json']);
});

test('writeFileAtomic writes a subarray view exactly (byteOffset respected)', () => {
  const dir = tempFolder();
  const path = join(dir, 'view.bin');
  const backing = new Uint8Array([9, 9, 1, 2, 3, 9]);
  writeFileAtomic(path, backing.subarray(2, 5));
  assert.deepEqual([...fs.readFileSync(path)], [1, 2, 3]);
});

test('writeFileAtomic names the missing folder and creates nothing', () => {
  const dir = tempFolder();
  const missing = join(dir, 'no-such-folder');
  const path = join(missing, 'model.safetensors');
  assert.throws(() => writeFileAtomic(path, 'x'), (e) => assertIoError(e, /does not exist/, new RegExp(missing)));
  assert.equal(fs.existsSync(missing), false);
});

test('writeFileAtomic says when the parent is a file, not a folder', () => {
  const { dir, path } = folderWithOldFile();
  assert.throws(() => writeFileAtomic(join(path, 'inner.txt'), 'x'), (e) => assertIoError(e, /is not a folder/));
  assert.equal(fs.readFileSync(path, 'utf8'), OLD);
  assert.deepEqual(tempFiles(dir), []);
});

test('writeFileAtomic onto a folder fails at the rename; the folder survives and the temp file is removed', () => {
  const dir = tempFolder();
  const target = join(dir, 'runs');
  fs.mkdirSync(target);
  fs.writeFileSync(join(target, 'keep.txt'), 'keep');
  assert.throws(() => writeFileAtomic(target, 'new'), (e) => assertIoError(e, /cannot write/, /folder/));
  assert.equal(fs.readFileSync(join(target, 'keep.txt'), 'utf8'), 'keep');
  assert.deepEqual(tempFiles(dir), []);
});

test('a failure half-way through writing leaves the old file intact and no temporary file', (t) => {
  const { dir, path } = folderWithOldFile();
  const realWrite = fs.writeSync;
  let calls = 0;
  // First call really writes half of the bytes (so the temp file exists and is partly filled), then the disk "fills".
  t.mock.method(fs, 'writeSync', (fd: number, buf: Uint8Array, offset: number, length: number): number => {
    calls++;
    if (calls === 1) return realWrite(fd, buf, offset, Math.ceil(length / 2));
    throw fsError('ENOSPC', 'write');
  });
  const data = new Uint8Array(10_000).fill(7);
  assert.throws(() => writeFileAtomic(path, data), (e) => assertIoError(e, /no space left/, /ENOSPC/, /model\.safetensors/));
  assert.equal(calls, 2);
  assert.equal(fs.readFileSync(path, 'utf8'), OLD);
  assert.deepEqual(tempFiles(dir), []);
});

test('a failing fsync leaves the old file intact and no temporary file', (t) => {
  const { dir, path } = folderWithOldFile();
  t.mock.method(fs, 'fsyncSync', () => {
    throw fsError('EIO', 'fsync');
  });
  assert.throws(() => writeFileAtomic(path, 'new contents'), (e) => assertIoError(e, /input\/output error/));
  assert.equal(fs.readFileSync(path, 'utf8'), OLD);
  assert.deepEqual(tempFiles(dir), []);
});

test('a temporary file that cannot be created leaves the old file intact', (t) => {
  const { dir, path } = folderWithOldFile();
  const opened: string[] = [];
  t.mock.method(fs, 'openSync', (p: string) => {
    opened.push(p);
    throw fsError('EACCES', 'open');
  });
  assert.throws(() => writeFileAtomic(path, 'new contents'), (e) => assertIoError(e, /permission denied/));
  assert.equal(opened.length, 1);
  // The temporary file is in the target's folder (same file system, so rename is atomic) and is hidden.
  assert.equal(fs.realpathSync(join(opened[0]!, '..')), fs.realpathSync(dir));
  assert.match(opened[0]!, /\/\.model\.safetensors\.\d+-\d+-\d+\.tmp$/);
  assert.equal(fs.readFileSync(path, 'utf8'), OLD);
  assert.deepEqual(tempFiles(dir), []);
});

test('a stale temporary file with the same name (recycled pid) is skipped, not overwritten', (t) => {
  const { dir, path } = folderWithOldFile();
  const realOpen = fs.openSync;
  const tried: string[] = [];
  t.mock.method(fs, 'openSync', (p: string, flags: string) => {
    if (p.endsWith('.tmp')) {
      tried.push(p);
      // Someone else's leftover, present under the first name we try.
      if (tried.length === 1) fs.writeFileSync(p, 'stale');
    }
    return realOpen(p, flags);
  });
  writeFileAtomic(path, 'new contents');
  assert.equal(fs.readFileSync(path, 'utf8'), 'new contents');
  assert.equal(tried.length, 2);
  assert.notEqual(tried[0], tried[1]);
  assert.equal(fs.readFileSync(tried[0]!, 'utf8'), 'stale');
  fs.rmSync(tried[0]!);
  assert.deepEqual(tempFiles(dir), []);
});

test('writeFileAtomicAsync creates and replaces files like the sync version', async () => {
  const dir = tempFolder();
  const path = join(dir, 'a.txt');
  await writeFileAtomicAsync(path, 'first');
  await writeFileAtomicAsync(path, new Uint8Array([104, 105]));
  assert.equal(fs.readFileSync(path, 'utf8'), 'hi');
  // Concurrent writes to one target: each has its own temporary file, the result is one of them, whole.
  await Promise.all(['x'.repeat(5000), 'y'.repeat(7000), 'z'.repeat(3000)].map((s) => writeFileAtomicAsync(path, s)));
  assert.match(fs.readFileSync(path, 'utf8'), /^(x{5000}|y{7000}|z{3000})$/);
  assert.deepEqual(fs.readdirSync(dir), ['a.txt']);
});

test('writeFileAtomicAsync: missing folder and failed rename give IoError; old file intact, no temp file', async (t) => {
  const { dir, path } = folderWithOldFile();
  await assert.rejects(writeFileAtomicAsync(join(dir, 'nope', 'f'), 'x'), (e) => assertIoError(e, /does not exist/));
  t.mock.method(fs.promises, 'rename', async () => {
    throw fsError('EXDEV', 'rename');
  });
  await assert.rejects(writeFileAtomicAsync(path, 'new'), (e) => assertIoError(e, /EXDEV/, /model\.safetensors/));
  assert.equal(fs.readFileSync(path, 'utf8'), OLD);
  assert.deepEqual(tempFiles(dir), []);
});

test('a replaced file keeps its permission bits (sync and async)', async () => {
  const { path } = folderWithOldFile();
  fs.chmodSync(path, 0o600);
  writeFileAtomic(path, 'new');
  assert.equal(fs.statSync(path).mode & 0o777, 0o600);
  fs.chmodSync(path, 0o640);
  await writeFileAtomicAsync(path, 'newer');
  assert.equal(fs.statSync(path).mode & 0o777, 0o640);
  assert.equal(fs.readFileSync(path, 'utf8'), 'newer');
});

test('a write-protected file is refused, not replaced (sync and async)', async (t) => {
  const { dir, path } = folderWithOldFile();
  // As root, access() grants everything: simulate what an ordinary user gets for a read-only file.
  t.mock.method(fs, 'accessSync', (p: string) => {
    if (p === path) throw fsError('EACCES', 'access');
  });
  assert.throws(() => writeFileAtomic(path, 'x'), (e) => assertIoError(e, /write-protected/, /permission denied/, new RegExp(path)));
  await assert.rejects(writeFileAtomicAsync(path, 'x'), (e) => assertIoError(e, /write-protected/));
  assert.equal(fs.readFileSync(path, 'utf8'), OLD);
  assert.deepEqual(tempFiles(dir), []);
});

test('a symbolic link is written through: its file gets the bytes and the link stays a link', async () => {
  const dir = tempFolder();
  const real = join(dir, 'real.safetensors');
  fs.writeFileSync(real, 'old');
  const link = join(dir, 'link.safetensors');
  fs.symlinkSync('real.safetensors', link);
  writeFileAtomic(link, 'new');
  assert.ok(fs.lstatSync(link).isSymbolicLink(), 'still a link');
  assert.equal(fs.readFileSync(real, 'utf8'), 'new');
  await writeFileAtomicAsync(link, 'newer');
  assert.ok(fs.lstatSync(link).isSymbolicLink());
  assert.equal(fs.readFileSync(real, 'utf8'), 'newer');
  // A link to a file not made yet makes it; a link through a link is followed to the end.
  fs.symlinkSync(join(dir, 'later.txt'), join(dir, 'dangling'));
  fs.symlinkSync('dangling', join(dir, 'chain'));
  writeFileAtomic(join(dir, 'chain'), 'made');
  assert.equal(fs.readFileSync(join(dir, 'later.txt'), 'utf8'), 'made');
  assert.ok(fs.lstatSync(join(dir, 'chain')).isSymbolicLink() && fs.lstatSync(join(dir, 'dangling')).isSymbolicLink());
  // A loop of links is an error naming the path, and writes nothing.
  fs.symlinkSync('loop-b', join(dir, 'loop-a'));
  fs.symlinkSync('loop-a', join(dir, 'loop-b'));
  assert.throws(() => writeFileAtomic(join(dir, 'loop-a'), 'x'), (err: unknown) => err instanceof IoError && /loop-a: more than 40 symbolic links in a row/.test(err.message));
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
});
