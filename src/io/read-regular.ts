/**
 * Reading a whole file that may be a pipe, refusing what could be read forever (devices, sockets). Its own module, so
 * that the error classes users import (errors.ts) need no Node.js type definitions.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { errorCode, NOT_A_FILE } from './errors.js';
import type { ReadOptions } from './read-options.js';

/** The most a pipe is read to (a file's size is known; a pipe could go on forever). */
const MAX_PIPE_BYTES = 2 ** 31 - 1;

/** The error readRegularFile gives for what it does not read (EISDIR for a folder, as readFileSync's). */
function notReadable(path: string, directory: boolean): Error {
  return Object.assign(new Error(`${path}: not a file`), { code: directory ? 'EISDIR' : NOT_A_FILE });
}

/** Whether a read error means "nothing yet": a pipe whose writer has not written. */
const notYet = (err: unknown): boolean => errorCode(err) === 'EAGAIN';

/**
 * Reads a whole file, refusing what it could read forever: a folder fails with EISDIR, as readFileSync does, and a
 * device or a socket (/dev/zero, say) with ENOTFILE (see describeFsError). A pipe (`/dev/stdin` fed by `cat`, a
 * shell's `<(zcat …)`, a FIFO) is read to its end; one nobody writes to reads as empty instead of waiting forever.
 */
export function readRegularFile(path: string, options: ReadOptions = {}): Buffer {
  // Without blocking: opening a FIFO for reading waits for a writer.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (st.isFIFO()) return readPipe(fd, path);
    if (!st.isFile()) throw notReadable(path, st.isDirectory());
    return options.shared === true ? readIntoShared(fd, st.size) : readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A file of `size` bytes (its size when opened) read into shared memory, with whatever it grew by since. */
function readIntoShared(fd: number, size: number): Buffer {
  const bytes = Buffer.from(new SharedArrayBuffer(size));
  let done = 0;
  while (done < size) {
    const n = readSync(fd, bytes, done, size - done, null);
    if (n === 0) return bytes.subarray(0, done);
    done += n;
  }
  const more = readFileSync(fd);
  return more.length === 0 ? bytes : Buffer.concat([bytes, more]);
}

/** The bytes of a pipe as they come, until its end (a read of 0 bytes). */
class PipeBytes {
  private readonly chunks: Buffer[] = [];
  private total = 0;
  constructor(private readonly path: string) {}

  /** Takes `n` bytes read into `chunk`; the whole pipe's bytes once `n` is 0 (its end), else null. */
  take(chunk: Buffer, n: number): Buffer | null {
    if (n === 0) return Buffer.concat(this.chunks, this.total);
    this.total += n;
    if (this.total > MAX_PIPE_BYTES) throw Object.assign(new Error(`${this.path}: more than ${MAX_PIPE_BYTES} bytes`), { code: 'EFBIG' });
    this.chunks.push(chunk.subarray(0, n));
    return null;
  }
}

/** A pipe opened without blocking, read to its end: while its writer has nothing yet, waits 5 ms and tries again. */
function readPipe(fd: number, path: string): Buffer {
  const bytes = new PipeBytes(path);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const chunk = Buffer.allocUnsafe(1 << 16);
    let n: number;
    try {
      n = readSync(fd, chunk, 0, chunk.length, null);
    } catch (err) {
      if (!notYet(err)) throw err;
      Atomics.wait(pause, 0, 0, 5);
      continue;
    }
    const whole = bytes.take(chunk, n);
    if (whole !== null) return whole;
  }
}

/** `readPipe` without blocking the thread. */
async function readPipeAsync(handle: FileHandle, path: string): Promise<Buffer> {
  const bytes = new PipeBytes(path);
  for (;;) {
    const chunk = Buffer.allocUnsafe(1 << 16);
    let n: number;
    try {
      n = (await handle.read(chunk, 0, chunk.length, null)).bytesRead;
    } catch (err) {
      if (!notYet(err)) throw err;
      await new Promise((r) => setTimeout(r, 5));
      continue;
    }
    const whole = bytes.take(chunk, n);
    if (whole !== null) return whole;
  }
}

/** The asynchronous twin of {@link readRegularFile}. */
export async function readRegularFileAsync(path: string): Promise<Buffer> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await handle.stat();
    if (st.isFIFO()) return await readPipeAsync(handle, path);
    if (!st.isFile()) throw notReadable(path, st.isDirectory());
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

