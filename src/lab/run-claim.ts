// A run folder is written by one command (or one server job) at a time: whoever trains into it holds a claim file
// there, made exclusively, so that a second command given the same --out, or resuming the same folder, while the
// first one runs is refused instead of writing over its files.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { KindlingError } from '../errors.js';
import { removeDeadTempFiles } from '../io/atomic.js';
import { describeFsError, errorCode } from '../io/errors.js';

/** The claim file's name in a run folder (removed when the command ends). */
export const CLAIM_NAME = '.kindling-busy';

/** What a claim file says: the process id, and the host it runs on (a folder may be on a shared disk). */
function claimText(): string {
  return `${process.pid} ${hostname()}\n`;
}

/**
 * Claims `dir` for this process, or refuses (naming `what`: "--out DIR", …) when another running process holds it.
 * A claim left by a process of this host that no longer runs (killed outright) is taken over; one from another host
 * is never presumed dead. Returns the release, which the process's exit also runs.
 *
 * Two processes taking over the same dead claim at the same moment could both go on: each takes it over only while it
 * says what was judged dead, and checks after writing its own that the file still holds it, which leaves a window of
 * microseconds. (Processes of two containers sharing a volume and a host name would each see the other's as dead.)
 */
export function claimRunDir(dir: string, what: string): () => void {
  const path = join(dir, CLAIM_NAME);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, claimText(), { flag: 'wx' });
    } catch (err) {
      if (errorCode(err) !== 'EEXIST' || attempt > 2) throw new KindlingError(`${what}: cannot claim the run folder: ${describeFsError(err)}`);
      const seen = readClaim(path);
      const holder = holderOf(seen);
      if (holder !== null) {
        throw new KindlingError(`${what}: another kindling command (${holder}) is writing a run into this folder: give another folder, or wait until it ends (if no such command runs, delete ${path})`);
      }
      // Taken over only while it still says what was judged dead (another process may have taken it over already).
      if (readClaim(path) === seen) rmSync(path, { force: true });
      continue;
    }
    if (ownClaim(dir)) break;
    // Another process took the same dead claim over at the same moment, and its claim replaced ours: it goes on.
    throw new KindlingError(`${what}: another kindling command (${holderOf(readClaim(path)) ?? 'another process'}) is writing a run into this folder: give another folder, or wait until it ends`);
  }
  // Half-written files of a command killed outright here (its claim was taken over above) are nobody's now.
  removeDeadTempFiles(dir);
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    if (ownClaim(dir)) rmSync(path, { force: true });
  };
  process.on('exit', release);
  return release;
}

/** Whether `dir`'s claim file is this process's. */
export function ownClaim(dir: string): boolean {
  try {
    return readFileSync(join(dir, CLAIM_NAME), 'utf8') === claimText();
  } catch {
    return false;
  }
}

/** Who holds `dir` now ("process 123", …), or null when no running process does. */
export function claimHolder(dir: string): string | null {
  return holderOf(readClaim(join(dir, CLAIM_NAME)));
}

/**
 * Whether `dir` holds a claim that nobody holds any more: left by a process of this host that no longer runs (killed
 * outright). This process's own claim is held (a server's job runs in its process), and so is one from another host.
 */
export function claimLeftBehind(dir: string): boolean {
  const text = readClaim(join(dir, CLAIM_NAME));
  return text !== null && text !== claimText() && holderOf(text) === null;
}

/** A claim file's text, or null when there is none. */
function readClaim(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Who holds a claim whose file says `text` ("process 123", "process 123 on host h"), or null when that process no
 * longer runs (or the file is gone). A file that says no process is held: its process may have made it and not yet
 * written it.
 */
function holderOf(text: string | null): string | null {
  if (text === null) return null;
  const [pidText = '', host = ''] = text.trim().split(/\s+/);
  const pid = Number.parseInt(pidText, 10);
  if (!/^\d+$/.test(pidText) || pid <= 0) return 'a process that has not written its claim yet';
  if (host !== '' && host !== hostname()) return `process ${pid} on host ${host}`;
  if (pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return `process ${pid}`;
  } catch (err) {
    // EPERM: it runs, as another user.
    return errorCode(err) === 'EPERM' ? `process ${pid}` : null;
  }
}
