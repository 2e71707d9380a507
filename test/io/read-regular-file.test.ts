// Reading what a user names as a file: files and pipes are read whole; devices and folders are refused at once.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync, write, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readRegularFile, readRegularFileAsync } from '../../src/io/read-regular.js';

const dir = mkdtempSync(join(tmpdir(), 'kindling-read-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a pipe is read to its end, also when its writer writes late and in pieces (the asynchronous twin; the CLI tests read /dev/stdin)', async () => {
  const fifo = join(dir, 'late');
  execFileSync('mkfifo', [fifo]);
  // This process holds the writing end (opened read-write, so the open does not wait for a reader).
  const writer = openSync(fifo, constants.O_RDWR);
  const bytes = Buffer.from(Array.from({ length: 150_000 }, (_, i) => (i * 31) % 251));
  const read = readRegularFileAsync(fifo);
  for (let at = 0; at < bytes.length; at += 50_000) {
    await new Promise((r) => setTimeout(r, 30));
    // Written off the main thread: a synchronous write that fills the pipe would block the very loop whose reads
    // drain it (it did, once, in a process shared with other test files).
    await new Promise<void>((done, fail) => write(writer, bytes, at, 50_000, null, (err) => (err ? fail(err) : done())));
  }
  closeSync(writer);
  assert.deepEqual(await read, bytes);
});

test('a FIFO nobody writes to reads as empty at once; a device and a folder are refused, in both twins', async () => {
  const idle = join(dir, 'idle');
  execFileSync('mkfifo', [idle]);
  assert.equal(readRegularFile(idle).length, 0);
  assert.equal((await readRegularFileAsync(idle)).length, 0);
  assert.throws(() => readRegularFile('/dev/zero'), { code: 'ENOTFILE' });
  await assert.rejects(readRegularFileAsync('/dev/zero'), { code: 'ENOTFILE' });
  assert.throws(() => readRegularFile(dir), { code: 'EISDIR' });
  await assert.rejects(readRegularFileAsync(dir), { code: 'EISDIR' });
});

test('{ shared: true } reads a file into a SharedArrayBuffer, the same bytes; a pipe is read as ever', () => {
  const file = join(dir, 'bytes');
  const bytes = Buffer.from(Array.from({ length: 70_001 }, (_, i) => (i * 17) % 256));
  writeFileSync(file, bytes);
  const shared = readRegularFile(file, { shared: true });
  assert.ok(shared.buffer instanceof SharedArrayBuffer);
  assert.deepEqual(shared, bytes);
  assert.deepEqual(readRegularFile(file), readFileSync(file));
  assert.ok(!(readRegularFile(file).buffer instanceof SharedArrayBuffer));
  const empty = join(dir, 'empty');
  writeFileSync(empty, '');
  assert.equal(readRegularFile(empty, { shared: true }).length, 0);
  const idle = join(dir, 'idle-shared');
  execFileSync('mkfifo', [idle]);
  assert.equal(readRegularFile(idle, { shared: true }).length, 0);
});
