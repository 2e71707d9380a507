// A file to write, named with a final "/": that names a folder (cp and mv refuse it as "Not a directory"), so writing
// a file under the name without the "/" would put it where the user did not ask.
import { existsSync, statSync } from 'node:fs';
import { sep } from 'node:path';
import { KindlingError } from '../errors.js';

/**
 * Refuses `given`, the file an option names (`--save`, preview's `--out`), when it ends in "/" and is not an existing
 * folder (an existing folder is left to the caller, which says to name a file in it).
 */
export function checkNotFolderName(option: string, given: string): void {
  if (!given.endsWith('/') && !given.endsWith(sep)) return;
  if (existsSync(given) && statSync(given).isDirectory()) return;
  const stripped = given.replace(/[\\/]+$/, '');
  const file = stripped !== '' && existsSync(stripped);
  throw new KindlingError(
    file
      ? `${option} ${given}: the name ends in "/", so it names a folder, but ${stripped} is a file: leave out the "/" to name that file`
      : `${option} ${given}: the name ends in "/", so it names a folder, and there is no folder ${stripped}: make it and name a file in it, or leave out the "/" to write the file ${stripped}`,
  );
}
