/**
 * At most a few tasks at a time, a few more waiting their turn in order, and beyond that a clear refusal: for work
 * that each takes a core and memory of its own (a training run in a worker thread), so that many requests at once
 * cannot start as many threads.
 */
import { formatCount, formatCountOf } from '../format-count.js';
import { WebError } from './errors.js';

export class WorkLimit {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  /**
   * @param maxRunning tasks that run at once (at least 1).
   * @param maxWaiting tasks that may wait for a turn; one more is refused with 503.
   * @param what what one task is, for the refusal ("reference run").
   * @param whatPlural what several are (default `what` and an `s`: "reference runs").
   */
  constructor(readonly maxRunning: number, readonly maxWaiting: number, private readonly what: string, private readonly whatPlural = `${what}s`) {
    if (!Number.isInteger(maxRunning) || maxRunning < 1) throw new RangeError(`maxRunning: expected a whole number of at least 1, got ${maxRunning}`);
    if (!Number.isInteger(maxWaiting) || maxWaiting < 0) throw new RangeError(`maxWaiting: expected a whole number of at least 0, got ${maxWaiting}`);
  }

  /** Tasks running now and waiting now. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /**
   * Runs `task` when a place is free.
   * @throws WebError 503 (as a rejection) when `maxRunning` tasks run and `maxWaiting` wait already.
   */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxRunning) {
      if (this.waiting.length >= this.maxWaiting) {
        const n = this.waiting.length;
        const queue = n === 0 ? ', the most it runs at once, and keeps none waiting' : ` and ${formatCount(n)} more ${n === 1 ? 'is' : 'are'} waiting, the most it keeps`;
        throw new WebError(503, `the server is busy: it is running ${formatCountOf(this.running, this.what, this.whatPlural)}${queue}; try again in a few seconds`);
      }
      // The place is handed over by the task that ends (see `release`), so `running` already counts this one.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next === undefined) this.running--;
    else next();
  }
}
