// `-` names standard input, as it does for most commands: a model or an image piped in
// (`cat m.safetensors | kindling eval --model -`). It is read through /dev/stdin, like any pipe, and can be read once.
import { KindlingError } from '../errors.js';

/** Where a file named `-` is read from. */
export const STDIN_PATH = '/dev/stdin';

/** The names that read standard input. */
const STDIN_NAMES = new Set(['-', STDIN_PATH, '/dev/fd/0', '/proc/self/fd/0']);

/** `given`, or /dev/stdin for `-`. */
export function stdinName(given: string): string {
  return given === '-' ? STDIN_PATH : given;
}

/** A file a command line names, and how the command's messages call it ("--model", "input 2"). */
export interface NamedFile {
  readonly what: string;
  readonly path: string;
}

/**
 * Refuses a command line that gives standard input to two of its files (the first would read it all and the
 * second find it empty), and `-` on a terminal, where reading would wait for typed bytes.
 */
export function checkStdinUse(files: readonly NamedFile[], stdinIsTTY = process.stdin.isTTY === true): void {
  const readers = files.filter((f) => STDIN_NAMES.has(f.path));
  if (readers.length > 1) {
    throw new KindlingError(
      `${readers.map((f) => `${f.what} (${f.path})`).join(', ').replace(/, ([^,]*)$/, ' and $1')} ${readers.length === 2 ? 'both' : 'all'} read standard input, which can be read only once: pipe in one of them and name the others' files`,
    );
  }
  const dash = readers.find((f) => f.path === '-');
  if (dash !== undefined && stdinIsTTY) {
    throw new KindlingError(`${dash.what} is "-", standard input, but that is this terminal: pipe the file in (cat FILE | kindling …) or give its name`);
  }
}
