// The DataLoader options PyTorch's textbook code passes for worker processes and pinned memory: checked as PyTorch
// 1.13 checks them, and otherwise without effect, as Kindling loads the batches in the calling thread, on the CPU.
import { describeValue, shownValue } from '../options.js';
import { DataError } from './errors.js';
import { warnOnce } from '../warn.js';

/** The options of PyTorch's DataLoader that choose how batches are loaded, not which. */
export interface LoaderWorkerOptions {
  /**
   * PyTorch's worker processes (default 0). Accepted, a whole number ≥ 0; Kindling loads every batch in the calling
   * thread whatever it is (with more than 0 it warns once that it does).
   */
  readonly numWorkers?: number;
  /** PyTorch's pinned memory for copies to a GPU (default false): a boolean, with no effect on the CPU. */
  readonly pinMemory?: boolean;
  /**
   * Seconds to wait for a worker's batch (default 0, no limit): a number ≥ 0, and 0 without workers (PyTorch 1.13's
   * single-process loader asserts it when iterated; Kindling refuses it when the loader is made).
   */
  readonly timeout?: number;
  /** Called in each worker process as it starts: never called, as PyTorch never calls it with numWorkers 0. */
  readonly workerInitFn?: ((workerId: number) => void) | null;
  /** Batches each worker loads ahead (default 2): as in PyTorch, another value needs numWorkers > 0. */
  readonly prefetchFactor?: number;
  /** Keep the workers between epochs (default false): as in PyTorch, true needs numWorkers > 0. */
  readonly persistentWorkers?: boolean;
}

export const WORKER_OPTIONS = ['numWorkers', 'pinMemory', 'timeout', 'workerInitFn', 'prefetchFactor', 'persistentWorkers'] as const;

/** A boolean option, its default when left out (or null, Python's None); anything else refused. */
export function flagOption(name: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw new DataError(`DataLoader: ${name} should be a boolean value, but got ${name}=${describeValue(v)}`);
  return v;
}

/**
 * Checks the worker options as PyTorch 1.13's DataLoader does, in its order; they change nothing else. Null (Python's
 * None) is refused for `numWorkers`, `timeout` and `prefetchFactor`, as PyTorch 1.13 refuses None for them (it
 * compares them with numbers), and taken as the default for the others, as PyTorch takes it.
 */
export function checkWorkerOptions(o: LoaderWorkerOptions): void {
  const workers = o.numWorkers === undefined ? 0 : o.numWorkers;
  if (typeof workers !== 'number' || !Number.isInteger(workers)) throw new DataError(`DataLoader: num_workers must be a whole number, got ${shownValue(workers)}`);
  if (workers < 0) throw new DataError(`DataLoader: num_workers option should be non-negative; use num_workers=0 to disable multiprocessing (got ${workers})`);
  const timeout = o.timeout === undefined ? 0 : o.timeout;
  if (typeof timeout !== 'number' || Number.isNaN(timeout)) throw new DataError(`DataLoader: timeout must be a number of seconds, got ${shownValue(timeout)}`);
  if (timeout < 0) throw new DataError(`DataLoader: timeout option should be non-negative (got ${timeout})`);
  const prefetch = o.prefetchFactor === undefined ? 2 : o.prefetchFactor;
  if (typeof prefetch !== 'number' || !Number.isInteger(prefetch) || prefetch <= 0) throw new DataError(`DataLoader: prefetch_factor must be a positive whole number, got ${shownValue(prefetch)}`);
  if (workers === 0 && prefetch !== 2) {
    throw new DataError(`DataLoader: prefetch_factor option could only be specified in multiprocessing. let num_workers > 0 to enable multiprocessing (got prefetch_factor=${prefetch})`);
  }
  if (flagOption('persistent_workers', o.persistentWorkers, false) && workers === 0) throw new DataError('DataLoader: persistent_workers option needs num_workers > 0');
  flagOption('pin_memory', o.pinMemory, false);
  const init: unknown = o.workerInitFn;
  if (init !== undefined && init !== null && typeof init !== 'function') throw new DataError(`DataLoader: worker_init_fn must be a function of the worker's id, got ${describeValue(init)}`);
  // PyTorch 1.13 makes such a loader, then fails when it is iterated (`assert self._timeout == 0`, an AssertionError
  // without a message); refused here, once PyTorch's own checks have passed, with what to change.
  if (workers === 0 && timeout > 0) {
    throw new DataError(`DataLoader: timeout ${timeout} needs numWorkers > 0 (PyTorch 1.13's single-process loader asserts timeout == 0 when it is iterated); leave timeout at 0 without workers`);
  }
  if (workers > 0) {
    warnOnce(`DataLoader: numWorkers ${workers}: Kindling has no worker processes; it loads every batch in the calling thread, in the same order and with the same random draws as numWorkers 0 (workerInitFn is not called)`);
  }
}
