// A run folder is written by one command at a time: the command that trains into it holds a claim file there, made
// exclusively, so that a second command given the same --out (or resuming the same folder) while the first one runs
// is refused instead of writing over its files.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KindlingError } from '../errors.js';
import { describeFsError, errorCode } from '../io/errors.js';

/** The claim file's name in a run folder (removed when the command ends). */
export const CLAIM_NAME = '.kindling-busy';

/**
 * Claims `dir` for this process, or refuses when another running process holds it. A claim left by a process that
 * no longer runs (killed outright) is taken over. Returns the release, which the process's exit also runs.
 */
export function claimRunDir(dir: string, option: string): () => void {
  const path = join(dir, CLAIM_NAME);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if (errorCode(err) !== 'EEXIST' || attempt > 0) throw new KindlingError(`${option} ${dir}: cannot claim the run folder: ${describeFsError(err)}`);
      const holder = holderOf(path);
      if (holder !== null) {
        throw new KindlingError(`${option} ${dir}: another kindling command (process ${holder}) is writing a run into this folder: give another folder, or wait until it ends (if no such command runs, delete ${path})`);
      }
      rmSync(path, { force: true });
    }
  }
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    rmSync(path, { force: true });
  };
  process.on('exit', release);
  return release;
}

/** The process holding a claim file, or null when it no longer runs (or the file says no process). */
function holderOf(path: string): number | null {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    // EPERM: it runs, as another user.
    return errorCode(err) === 'EPERM' ? pid : null;
  }
}
