import { writeSync } from 'node:fs';

/**
 * Writes to stdout at once, and quits quietly when its reader is gone (`kindling bench | head -3`): the bench runs
 * synchronously for minutes, so the stream's own EPIPE event (see main.ts) would come only at its end.
 */
export function writeOrQuit(text: string): void {
  try {
    writeSync(1, text);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EPIPE') process.exit(0);
    // A non-blocking stdout that is full: the stream queues it instead.
    if ((err as NodeJS.ErrnoException).code === 'EAGAIN') process.stdout.write(text);
    else throw err;
  }
}
