// The run folder of a lab command: the default name, and making it without taking another command's.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KindlingError } from '../errors.js';
import { describeFsError, errorCode } from '../io/errors.js';

/** `runs/<date-time>`, with `-2`, `-3`, … when that folder exists. */
export function defaultRunDir(): string {
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, '').replace(/:/g, '-');
  let dir = join('runs', stamp);
  for (let i = 2; existsSync(dir); i++) dir = join('runs', `${stamp}-${i}`);
  return dir;
}

/**
 * Makes the folders lab-command's checkRunDir listed, one level at a time (Node's recursive mkdir spins forever
 * under /proc). A folder above it that another process made meanwhile is used; the run folder itself must be new.
 * When it is the default `runs/<date-time>` and another command (started in the same second) made it first, the
 * next free name is taken instead. Returns the run folder and the folders this command made (what a quit may
 * remove when empty: never the other command's).
 */
export function makeRunDir(dir: string, missing: readonly string[], autoNamed: boolean): { dir: string; made: string[] } {
  const made: string[] = [];
  for (const p of missing.slice(0, -1)) {
    try {
      mkdirSync(p);
      made.push(p);
    } catch (err) {
      if (errorCode(err) === 'EEXIST' && statSync(p, { throwIfNoEntry: false })?.isDirectory()) continue;
      throw new KindlingError(`cannot create the run folder ${dir}: ${describeFsError(err)} at ${p}`);
    }
  }
  if (missing.length === 0) return { dir, made };
  for (let name = dir, attempt = 1; ; name = defaultRunDir(), attempt++) {
    try {
      mkdirSync(name);
      return { dir: name, made: [...made, resolve(name)] };
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') throw new KindlingError(`cannot create the run folder ${name}: ${describeFsError(err)}`);
      if (!autoNamed || attempt >= 100) throw new KindlingError(`cannot create the run folder ${name}: another process made a file or folder of that name meanwhile; give another --out`);
    }
  }
}
