/**
 * Atomic file replacement: a reader (or a crash) sees either the old file or the complete new one, never a torn
 * one. The bytes go to a temporary file in the target's folder (same file system, so `rename` is atomic), are
 * flushed with fsync, and the temporary file is renamed over the target; the folder is then fsynced so the rename
 * itself survives a power cut. On any failure the temporary file is removed and the target is left untouched. A
 * replaced file keeps its permission bits, and one that is not writable is refused. A symbolic link is written
 * through: its file is replaced, and the link stays.
 *
 * The functions call `fs.*` through the module object (not named imports) so tests can inject failures with
 * `mock.method(fs, 'writeSync', …)`.
 */
import fs from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { threadId } from 'node:worker_threads';
import { IoError, describeFsError, errorCode } from './errors.js';

// Names are unique per process *and* worker thread (workers share the pid but not this counter).
let counter = 0;
// Keeps the temporary name under the usual 255-byte limit even for very long target names.
const MAX_BASE = 100;
// A leftover temporary file from an older process with a recycled pid would collide; try the next name.
const MAX_ATTEMPTS = 16;

function tempPath(dir: string, target: string): string {
  const base = basename(target).slice(0, MAX_BASE);
  return join(dir, `.${base}.${process.pid}-${threadId}-${counter++}.tmp`);
}

/** Whether process `pid` of this host runs (EPERM: it runs, as another user). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The name of a temporary file an atomic write makes (`.<name>.<pid>-<thread>-<n>.tmp`), with the writer's pid: such a
 * file whose process no longer runs is removed by the next command that claims its folder.
 */
export const TEMP_FILE_NAME = /^\..*\.(\d+)-\d+-\d+\.tmp$/s;

/**
 * Removes the temporary files that processes which no longer run left half-written in `dir` (killed outright while
 * writing: a checkpoint's temporary file can be tens of MB). For a folder whose writer is known to be this process,
 * such as a claimed run folder: another host writing there would need the claim too. Returns how many it removed.
 */
export function removeDeadTempFiles(dir: string): number {
  const temp = TEMP_FILE_NAME;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const n of names) {
    const pid = Number(temp.exec(n)?.[1] ?? Number.NaN);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || processRuns(pid)) continue;
    removeQuietlySync(join(dir, n));
    removed++;
  }
  return removed;
}

/**
 * Removes the temporary files this process (any of its threads) left half-written in `dir`, for a process about to
 * quit at once while its workers may be writing. Returns how many it removed; a folder it cannot read is left alone.
 */
export function removeOwnTempFiles(dir: string): number {
  const ours = new RegExp(`^\\..*\\.${process.pid}-\\d+-\\d+\\.tmp$`, 's');
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  const mine = names.filter((n) => ours.test(n));
  for (const n of mine) removeQuietlySync(join(dir, n));
  return mine.length;
}

function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

/** Symbolic links followed at most this many times, as the kernel's own limit (ELOOP). */
const MAX_LINKS = 40;

/**
 * Where writing `path` lands: through symbolic links, to the file they name (a dangling link to the file it would
 * name), so that a user's link stays a link and its file gets the new bytes, as `cp` and editors write.
 */
function landingPath(path: string): string {
  let p = resolve(path);
  for (let hops = 0; hops < MAX_LINKS; hops++) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(p);
    } catch {
      return p;
    }
    if (!stat.isSymbolicLink()) return p;
    p = resolve(dirname(p), fs.readlinkSync(p));
  }
  throw new IoError(`cannot write ${path}: more than ${MAX_LINKS} symbolic links in a row (a loop?)`);
}

/** Fails early, naming the folder, when the target's folder is missing or is not a folder. */
function checkFolder(path: string, dir: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') {
      throw new IoError(`cannot write ${path}: the folder ${dir} does not exist`, { cause: err });
    }
    throw new IoError(`cannot write ${path}: cannot open the folder ${dir}: ${describeFsError(err)}`, { cause: err });
  }
  if (!stat.isDirectory()) throw new IoError(`cannot write ${path}: ${dir} is not a folder`);
}

/**
 * The permission bits of the file being replaced (the new file gets them too), or null when there is none yet.
 * A file its owner made read-only is refused, as `cp` refuses it: renaming over it would replace it anyway.
 */
function targetMode(path: string): number | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(path);
  } catch {
    return null;
  }
  if (!stat.isFile()) return null;
  try {
    fs.accessSync(path, fs.constants.W_OK);
  } catch (err) {
    throw new IoError(`cannot write ${path}: the file is write-protected (${describeFsError(err)}); make it writable or choose another name`, { cause: err });
  }
  return stat.mode & 0o7777;
}

/** File systems without Unix permissions (FAT, some network mounts) refuse chmod: the bits are then not theirs to keep. */
function chmodUnsupported(err: unknown): boolean {
  const code = errorCode(err);
  return code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EINVAL';
}

function writeFailure(path: string, err: unknown): IoError {
  return new IoError(`cannot write ${path}: ${describeFsError(err)}`, { cause: err });
}

/** Best effort: some platforms and file systems refuse to open or fsync a folder, which is not worth failing for. */
function fsyncFolderSync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // ignored on purpose (see above)
  } finally {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // nothing left to do
      }
    }
  }
}

function removeQuietlySync(tmp: string): void {
  try {
    fs.rmSync(tmp, { force: true });
  } catch {
    // the original failure is the one worth reporting
  }
}

function openTempSync(dir: string, path: string): { tmp: string; fd: number } {
  for (let attempt = 1; ; attempt++) {
    const tmp = tempPath(dir, path);
    try {
      return { tmp, fd: fs.openSync(tmp, 'wx') };
    } catch (err) {
      if (errorCode(err) !== 'EEXIST' || attempt >= MAX_ATTEMPTS) throw writeFailure(path, err);
    }
  }
}

/**
 * The gate this thread's atomic writes pass (null: none), shared with a process that may quit at once (a lab worker
 * thread's, see lab/pool.ts): [0] counts the writes under way, [1] is set by {@link closeWriteGate}.
 */
let gate: Int32Array | null = null;
const UNDER_WAY = 0;
const CLOSED = 1;

/** Makes this thread's {@link writeFileAtomic} calls pass `g` (an Int32Array of 2 over shared memory). */
export function passWritesThrough(g: Int32Array): void {
  gate = g;
}

function enterGate(): void {
  if (gate === null) return;
  Atomics.add(gate, UNDER_WAY, 1);
  if (Atomics.load(gate, CLOSED) === 0) return;
  Atomics.sub(gate, UNDER_WAY, 1);
  Atomics.notify(gate, UNDER_WAY);
  // The process is quitting at once: this write does not start, and the thread waits for the process to end.
  for (;;) Atomics.wait(gate, CLOSED, 1);
}

function leaveGate(): void {
  if (gate === null) return;
  Atomics.sub(gate, UNDER_WAY, 1);
  Atomics.notify(gate, UNDER_WAY);
}

/**
 * For a process about to quit at once: keeps the threads that pass `g` from starting a write, and waits (at most
 * `timeoutMs`) for their writes under way to end, renamed or removed, so that none leaves a temporary file behind the
 * process's cleanup. Returns whether they all ended in time.
 */
export function closeWriteGate(g: Int32Array, timeoutMs: number): boolean {
  Atomics.store(g, CLOSED, 1);
  const end = performance.now() + timeoutMs;
  for (;;) {
    const n = Atomics.load(g, UNDER_WAY);
    if (n === 0) return true;
    const left = end - performance.now();
    if (left <= 0) return false;
    Atomics.wait(g, UNDER_WAY, n, left);
  }
}

/**
 * Replaces the file at `path` with `data` atomically (see the module comment). The folder must exist: this does
 * not create it, and says which folder is missing.
 *
 * @throws IoError naming the file and the reason (missing folder, disk full, target is a folder, …).
 * @example
 * writeFileAtomic('runs/a/results.json', JSON.stringify(results, null, 2));
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const target = landingPath(path);
  const dir = dirname(target);
  checkFolder(path, dir);
  const mode = targetMode(target);
  const bytes = toBytes(data);
  enterGate();
  try {
    writeThroughTemp(path, target, dir, mode, bytes);
  } finally {
    leaveGate();
  }
}

function writeThroughTemp(path: string, target: string, dir: string, mode: number | null, bytes: Uint8Array): void {
  const { tmp, fd } = openTempSync(dir, target);
  let open = true;
  try {
    if (mode !== null) {
      try {
        fs.fchmodSync(fd, mode);
      } catch (err) {
        if (!chmodUnsupported(err)) throw err;
      }
    }
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
    fs.fsyncSync(fd);
    open = false;
    fs.closeSync(fd);
    fs.renameSync(tmp, target);
  } catch (err) {
    if (open) {
      try {
        fs.closeSync(fd);
      } catch {
        // the write error is the one worth reporting
      }
    }
    removeQuietlySync(tmp);
    throw writeFailure(path, err);
  }
  fsyncFolderSync(dir);
}

async function fsyncFolder(dir: string): Promise<void> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort, as in fsyncFolderSync
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

async function openTemp(dir: string, path: string): Promise<{ tmp: string; handle: fs.promises.FileHandle }> {
  for (let attempt = 1; ; attempt++) {
    const tmp = tempPath(dir, path);
    try {
      return { tmp, handle: await fs.promises.open(tmp, 'wx') };
    } catch (err) {
      if (errorCode(err) !== 'EEXIST' || attempt >= MAX_ATTEMPTS) throw writeFailure(path, err);
    }
  }
}

/**
 * The asynchronous twin of {@link writeFileAtomic}, with the same guarantees and errors. Concurrent calls for the
 * same target each use their own temporary file; the last rename wins.
 *
 * @example
 * await writeFileAtomicAsync('model.safetensors', bytes);
 */
export async function writeFileAtomicAsync(path: string, data: string | Uint8Array): Promise<void> {
  const target = landingPath(path);
  const dir = dirname(target);
  checkFolder(path, dir);
  const mode = targetMode(target);
  const bytes = toBytes(data);
  const { tmp, handle } = await openTemp(dir, target);
  let open = true;
  try {
    if (mode !== null) await handle.chmod(mode).catch((err: unknown) => {
      if (!chmodUnsupported(err)) throw err;
    });
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
      written += bytesWritten;
    }
    await handle.sync();
    open = false;
    await handle.close();
    await fs.promises.rename(tmp, target);
  } catch (err) {
    if (open) await handle.close().catch(() => undefined);
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    throw writeFailure(path, err);
  }
  await fsyncFolder(dir);
}
