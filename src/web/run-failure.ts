/**
 * A run's error as a Train-page user should read it. The lab's messages are written for the command line; where
 * one points at a CLI option that the page and the API do not have, that pointer is dropped (the rest of the
 * advice stands).
 */

/** The trainer's hint for a loss that stopped being finite: `--allow-nonfinite` has no field in a web job. */
const ALLOW_NONFINITE_HINT = /, or pass --allow-nonfinite to keep going(?=\.)/;

/** `message` without advice a web job cannot follow. */
export function webFailureMessage(message: string): string {
  return message.replace(ALLOW_NONFINITE_HINT, '');
}
