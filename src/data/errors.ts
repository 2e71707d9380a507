import { KindlingError } from '../errors.js';

/**
 * A problem with a data file or a `--data` path that the user can fix: the message names the file and where it
 * went wrong. It is a `KindlingError`, so the CLI prints the message alone and exits 1.
 */
export class DataError extends KindlingError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'DataError';
  }
}
