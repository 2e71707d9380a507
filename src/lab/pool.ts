import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { toShared, type MnistSplit } from '../data/mnist.js';
import type { RunResult } from '../report/results.js';
import type { WorkerInit, WorkerReply } from './protocol.js';
import type { Progress, RunFiles, RunSpec } from './trainer.js';

/** One run for the pool: what to train, which files it writes, and optionally the checkpoint it continues. */
export interface PoolJob {
  readonly spec: RunSpec;
  readonly files?: RunFiles;
  readonly resume?: string;
}

/** A lab worker's V8 heap limit: an eighth of it is the 1 GiB of kernel memory the lab's limits plan on. */
export const LAB_HEAP_MB = 8192;

export interface PoolOptions {
  readonly workers: number;
  readonly train: MnistSplit;
  readonly test: MnistSplit;
  readonly progressEvery?: number;
  /**
   * A stop flag over a `SharedArrayBuffer` (element 0). Once it is non-zero, running jobs finish their current
   * step, write their checkpoint and report `stopped`; jobs not yet started are reported `not-started`.
   */
  readonly stop?: Int32Array;
  readonly onStart?: (index: number) => void;
  readonly onProgress?: (index: number, p: Progress) => void;
  readonly onDone?: (index: number, r: RunResult) => void;
  /** A job that started ended without a result (it failed, or was stopped). */
  readonly onFailed?: (index: number, outcome: Outcome) => void;
  /**
   * Called when a worker slot has finished a job and another is waiting: work to do on that slot's core before it
   * starts the next one (the lab draws a finished variant's plots there). Not called once the runs are stopped. The
   * slot waits for the promise; a failure (a rejection, or a throw) is ignored here, and is the caller's to handle.
   */
  readonly beforeNextJob?: () => Promise<unknown> | undefined;
}

/** The outcome of one job. Every failure has a `message` for people. */
export type Outcome =
  | { ok: true; result: RunResult }
  | { ok: false; kind: 'error'; name: string; message: string; stack: string }
  | { ok: false; kind: 'stopped'; message: string; checkpoint: string | null; step: number; totalSteps: number }
  | { ok: false; kind: 'not-started'; message: string };

/**
 * How many runs failed after writing a checkpoint that a resume can go on from: not those whose loss became
 * non-finite (resumed, they would meet it again), and not those that wrote none.
 */
export function resumableFailures(jobs: readonly PoolJob[], outcomes: readonly Outcome[]): number {
  return jobs.filter((job, i) => {
    const o = outcomes[i];
    const checkpoint = job.files?.checkpoint;
    return o !== undefined && !o.ok && o.kind === 'error' && o.name !== 'NonFiniteLossError' && checkpoint !== undefined && existsSync(checkpoint);
  }).length;
}

/** Rough relative cost of a run, so the longest start first and the cores stay busy to the end. */
function cost(s: RunSpec): number {
  // Adam's kernels touch every weight at every step; the others' too, in plain TypeScript.
  const optimizer = { sgd: 1, adam: 3, rmsprop: 20, adagrad: 20, nadam: 20, adamax: 20, radam: 20, adadelta: 20, rprop: 20, asgd: 20 }[s.config.optimizer];
  return s.epochs * optimizer * (s.config.layerNorm ? 1.3 : 1);
}

/** A stop flag in shared memory, for {@link PoolOptions.stop}. */
export function createStopFlag(): Int32Array {
  // Two more words behind the flag: the gate the workers' atomic writes pass (see writeGateOf).
  return new Int32Array(new SharedArrayBuffer(12), 0, 1);
}

/**
 * The gate the workers' atomic writes pass, behind a flag of {@link createStopFlag} (null for another flag): a
 * process quitting at once closes it (io/atomic.ts, closeWriteGate) before removing its temporary files, so that no
 * worker starts or leaves one after that.
 */
export function writeGateOf(stop: Int32Array): Int32Array | null {
  return stop.buffer.byteLength >= 12 ? new Int32Array(stop.buffer, 4, 2) : null;
}

/**
 * Runs every job (a plain `RunSpec` is a job without files) on a pool of worker threads (the data set and the stop flag are shared with them, not copied)
 * and returns one outcome per job, in the order given. A failing run does not stop the others.
 */
export async function runPool(items: readonly (PoolJob | RunSpec)[], options: PoolOptions): Promise<Outcome[]> {
  const jobs: PoolJob[] = items.map((j) => ('spec' in j ? j : { spec: j }));
  const init: WorkerInit = { train: toShared(options.train), test: toShared(options.test), stop: options.stop ?? createStopFlag() };
  const stopped = (): boolean => Atomics.load(init.stop, 0) !== 0;
  const queue = jobs.map((_, i) => i).sort((a, b) => cost(jobs[b]!.spec) - cost(jobs[a]!.spec));
  const outcomes = new Array<Outcome>(jobs.length);
  const n = Math.max(1, Math.min(options.workers, jobs.length));
  const url = workerUrl();
  const workers: Worker[] = [];
  try {
    await Promise.all(Array.from({ length: n }, async () => {
      const spawn = (): Worker => {
        // A small young generation: a step's short-lived tensors are collected as it goes, which keeps each
        // worker some 20 MB smaller and costs no measurable time. A heap limit of 8 GiB (a limit, not memory taken)
        // gives the kernels their whole 1 GiB, which the lab's limits plan on (src/kernels/wasm/memory-size.ts).
        const w = new Worker(url, { workerData: init, resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: LAB_HEAP_MB } });
        workers.push(w);
        return w;
      };
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        if (stopped()) {
          outcomes[next] = { ok: false, kind: 'not-started', message: 'not started: the runs were stopped' };
          continue;
        }
        options.onStart?.(next);
        // A fresh worker per job: its WebAssembly memory and heap go back to the system when the job ends,
        // instead of piling up run after run (and a crashed worker is never reused).
        const w = spawn();
        const outcome = await runOne(w, next, jobs[next]!, options);
        outcomes[next] = outcome;
        await w.terminate();
        if (!outcome.ok) options.onFailed?.(next, outcome);
        if (queue.length > 0 && !stopped()) {
          try {
            await options.beforeNextJob?.();
          } catch {
            // The hook's work is its own: a failure there does not stop the runs.
          }
        }
      }
    }));
  } finally {
    for (const w of workers) void w.terminate();
  }
  return outcomes;
}

/**
 * The training thread's script: the build's bundle (dist/bundle/lab/worker.js, which starts in about half the time of
 * the compiled modules it holds), or those modules when there is none.
 */
function workerUrl(): URL {
  const bundle = new URL('../../bundle/lab/worker.js', import.meta.url);
  return (bundleExists ??= existsSync(fileURLToPath(bundle))) ? bundle : new URL('./worker.js', import.meta.url);
}
let bundleExists: boolean | undefined;

function runOne(w: Worker, id: number, job: PoolJob, options: PoolOptions): Promise<Outcome> {
  return new Promise((resolve) => {
    const finish = (o: Outcome): void => {
      w.off('message', onMessage);
      w.off('error', onError);
      resolve(o);
    };
    const onMessage = (msg: WorkerReply): void => {
      if (msg.id !== id) return;
      switch (msg.type) {
        case 'progress':
          options.onProgress?.(id, msg.progress);
          return;
        case 'done':
          options.onDone?.(id, msg.result);
          finish({ ok: true, result: msg.result });
          return;
        case 'stopped':
          finish({
            ok: false, kind: 'stopped', checkpoint: msg.checkpoint, step: msg.step, totalSteps: msg.totalSteps,
            message: `stopped at step ${msg.step} of ${msg.totalSteps}${msg.checkpoint === null ? '' : `; checkpoint ${msg.checkpoint}`}`,
          });
          return;
        case 'error':
          finish({ ok: false, kind: 'error', name: msg.name, message: msg.message, stack: msg.stack });
      }
    };
    const onError = (err: Error): void => {
      finish({ ok: false, kind: 'error', name: err.name, message: `worker crashed: ${err.message}`, stack: err.stack ?? '' });
    };
    w.on('message', onMessage);
    w.once('error', onError);
    w.postMessage({
      type: 'run', id, spec: job.spec, progressEvery: options.progressEvery ?? 1000,
      ...(job.files === undefined ? {} : { files: job.files }),
      ...(job.resume === undefined ? {} : { resume: job.resume }),
    });
  });
}
