/** Quitting at once on a second Ctrl-C: what is left in the run folder, and what the message says about it. */
import { existsSync, linkSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { constants } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { closeWriteGate, removeOwnTempFiles } from '../io/atomic.js';
import { isCheckpointName } from '../lab/checkpoint.js';
import { writeGateOf } from '../lab/pool.js';
import { CLAIM_NAME, ownClaim } from '../lab/run-claim.js';

/**
 * A second signal sooner than this after the first is the same one delivered twice, not a second Ctrl-C: GNU
 * `timeout -s INT` sends it to the command and then to its whole process group, and a shell's kill of a job may too.
 * Nobody presses Ctrl-C twice within 100 ms.
 */
export const SAME_SIGNAL_MS = 100;

/** How long quitting at once waits for the workers' file writes under way (a checkpoint of a large model) to end. */
const QUIT_WRITE_WAIT_MS = 3000;

/**
 * Before quitting at once: no worker of the pool behind `stop` starts a write from here on, and those under way end
 * first (up to QUIT_WRITE_WAIT_MS), so that none leaves a temporary file behind the removal of this process's ones.
 */
export function holdWorkerWrites(stop: Int32Array): void {
  const gate = writeGateOf(stop);
  if (gate !== null) closeWriteGate(gate, QUIT_WRITE_WAIT_MS);
}

/**
 * The signals that stop a training command as Ctrl-C does (finish the step, write checkpoints, say how to resume):
 * Ctrl-C, a `kill`, and a closed terminal or dropped SSH session (SIGHUP), which would otherwise end the process at
 * once and lose the epoch under way.
 */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The exit status of a command stopped by `signal`, as a shell reports one killed by it: 128 + its number (130 for SIGINT). */
export function signalStatus(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
}

/** Installs `handler` for every stop signal; returns its uninstaller. */
export function onEachStopSignal(handler: (signal: NodeJS.Signals) => void): () => void {
  for (const s of STOP_SIGNALS) process.on(s, handler);
  return () => {
    for (const s of STOP_SIGNALS) process.off(s, handler);
  };
}

/**
 * Removes the folders this command made (innermost first) as long as they are empty but for this command's own claim
 * (never another command's, which then keeps the folder).
 */
export function removeEmptyDirs(made: readonly string[]): boolean {
  for (const p of [...made].reverse()) {
    const names = readdirSync(p);
    if (names.length > 0 && !(names.length === 1 && names[0] === CLAIM_NAME && ownClaim(p))) return false;
    rmSync(join(p, CLAIM_NAME), { force: true });
    rmdirSync(p);
  }
  return made.length > 0;
}

/** A run's checkpoint file, and how to write the one it starts from (for a run that has none yet). */
export interface PlannedCheckpoint {
  readonly path: string;
  readonly writeStart: (path: string) => void;
}

/**
 * Quitting at once while training: the half-written temporary files of checkpoints go, and so does a run folder
 * this command made when no checkpoint made it into it (a stop in the first epoch). When some run has a checkpoint,
 * every run without one gets the checkpoint it starts from, so that resuming the folder resumes every run planned
 * (a run still in its first epoch starts over) instead of leaving them out unsaid. Says what is kept.
 */
export function quitTraining(dir: string, made: readonly string[], planned: readonly PlannedCheckpoint[] = []): string {
  removeOwnTempFiles(dir);
  let kept = 0;
  const count = (): number => readdirSync(dir).filter(isCheckpointName).length;
  try {
    kept = count();
    if (kept === 0 && removeEmptyDirs(made)) return `no run had written a checkpoint yet, so nothing is kept; removed the empty folder ${dir}`;
    // The folder was not empty: a worker finishing the first stop's checkpoint may have just put it in place.
    if (kept === 0) kept = count();
  } catch {
    // Quitting anyway: the message below is the best that can be said.
  }
  if (kept === 0) return 'no run had written a checkpoint yet, so nothing is kept';
  let placed = 0;
  for (const p of planned) if (placeIfAbsent(p)) placed++;
  const fresh = placed === 0 ? '' : `; the ${placed} run${placed === 1 ? '' : 's'} without one got the checkpoint ${placed === 1 ? 'it starts' : 'they start'} from`;
  return `the checkpoints written so far are kept in ${dir}${fresh}`;
}

/**
 * Once a run has written its first checkpoint, the folder is one to resume: from then on every planned run has a
 * checkpoint too (the one it starts from, never written over one a worker wrote), so that a crash or a `kill -9`
 * leaves every run resumable, as a Ctrl-C does, instead of a resume that silently trains only some of them. Returns
 * the function to call when a run's progress or end says it has a checkpoint (at most once it does anything).
 */
export function startCheckpointsOnce(planned: readonly PlannedCheckpoint[]): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    for (const p of planned) placeIfAbsent(p);
  };
}

/**
 * Writes a run's start checkpoint where it has none, never over one: a worker may be writing that run's first
 * checkpoint at this moment, and its file must win. The bytes go to a file of their own, which is then linked to the
 * checkpoint's name (a link fails where the name exists), and removed. False when the run has a checkpoint, or
 * when it could not be placed (quitting goes on regardless).
 */
export function placeIfAbsent(p: PlannedCheckpoint): boolean {
  if (existsSync(p.path)) return false;
  const staging = join(dirname(p.path), `.${basename(p.path)}.start-${process.pid}`);
  try {
    p.writeStart(staging);
    linkSync(staging, p.path);
    return true;
  } catch {
    return false;
  } finally {
    rmSync(staging, { force: true });
  }
}
