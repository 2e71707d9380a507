import { closeSync, constants, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { KindlingError } from '../errors.js';

/**
 * A file could not be written or read (missing folder, disk full, permission denied). The message names the file
 * and the reason; the original Node.js error is kept as `cause`.
 */
export class IoError extends KindlingError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'IoError';
  }
}

/**
 * A safetensors file (or buffer) is malformed, uses something Kindling cannot read, or the tensors given to the
 * writer are inconsistent. The message starts with the file name (or `<buffer>`) and says what was expected.
 */
export class SafetensorsError extends KindlingError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'SafetensorsError';
  }
}

/** Node's `code` on a system error, if any (`ENOENT`, `ENOSPC`, …). */
export function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** The `code` of readRegularFile's error for a path that is neither a file, a folder nor a pipe. */
const NOT_A_FILE = 'ENOTFILE';
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
export function readRegularFile(path: string): Buffer {
  // Without blocking: opening a FIFO for reading waits for a writer.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (st.isFIFO()) return readPipe(fd, path);
    if (!st.isFile()) throw notReadable(path, st.isDirectory());
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
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

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
  EEXIST: 'the file already exists',
  ENOTEMPTY: 'it is a folder that is not empty',
  [NOT_A_FILE]: 'it is not a file but a device or a socket, whose reading might never end',
  ENXIO: 'it is not a file but a socket or a device with nothing behind it',
  EFBIG: 'it is larger than 2 GB',
};

/** A short human reason for a Node.js file-system error, e.g. `no space left on the device (ENOSPC)`. */
export function describeFsError(err: unknown): string {
  const code = errorCode(err);
  // ENOTFILE is Kindling's own code, not the system's: only the words are shown.
  if (code === NOT_A_FILE) return REASONS[code]!;
  if (code !== undefined && REASONS[code] !== undefined) return `${REASONS[code]} (${code})`;
  return err instanceof Error ? err.message : String(err);
}
