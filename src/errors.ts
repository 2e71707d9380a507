/**
 * An error a user can cause and fix (bad file, bad option, wrong shape). The CLI prints its message without a
 * stack trace (unless --debug) and exits with `exitCode`.
 */
export class KindlingError extends Error {
  readonly exitCode: number;
  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KindlingError';
    this.exitCode = options.exitCode ?? 1;
  }
}
