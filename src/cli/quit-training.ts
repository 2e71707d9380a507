/** Quitting at once on a second Ctrl-C: what is left in the run folder, and what the message says about it. */
import { readdirSync, rmdirSync } from 'node:fs';
import { removeOwnTempFiles } from '../io/atomic.js';

/** Removes the folders this command made (innermost first) as long as they are empty. */
export function removeEmptyDirs(made: readonly string[]): boolean {
  for (const p of [...made].reverse()) {
    if (readdirSync(p).length > 0) return false;
    rmdirSync(p);
  }
  return made.length > 0;
}

/**
 * Quitting at once while training: the half-written temporary files of checkpoints go, and so does a run folder
 * this command made when no checkpoint made it into it (a stop in the first epoch). Says what is kept.
 */
export function quitTraining(dir: string, made: readonly string[]): string {
  removeOwnTempFiles(dir);
  let kept = 0;
  try {
    kept = readdirSync(dir).filter((n) => n.startsWith('checkpoint-') && n.endsWith('.safetensors')).length;
    if (kept === 0 && removeEmptyDirs(made)) return `no run had written a checkpoint yet, so nothing is kept; removed the empty folder ${dir}`;
  } catch {
    // Quitting anyway: the message below is the best that can be said.
  }
  return kept === 0 ? 'no run had written a checkpoint yet, so nothing is kept' : `the checkpoints written so far are kept in ${dir}`;
}
