import { KindlingError } from '../errors.js';

/** Prints an error for a person: the message only, the stack trace only with --debug. Returns the exit code. */
export function reportError(err: unknown, debug: boolean): number {
  if (err instanceof KindlingError || err instanceof RangeError || err instanceof TypeError) {
    process.stderr.write(`kindling: ${err.message}\n`);
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
    return err instanceof KindlingError ? err.exitCode : 1;
  }
  if (err instanceof Error) {
    process.stderr.write(`kindling: ${err.message}\n`);
    process.stderr.write(debug && err.stack ? `${err.stack}\n` : '(run with --debug for the stack trace)\n');
    return 1;
  }
  process.stderr.write(`kindling: ${String(err)}\n`);
  return 1;
}
