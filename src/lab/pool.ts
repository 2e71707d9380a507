import { Worker } from 'node:worker_threads';
import { toShared, type MnistSplit } from '../data/mnist.js';
import type { RunResult } from '../report/results.js';
import type { WorkerReply } from './protocol.js';
import type { Progress, RunSpec } from './trainer.js';

export interface PoolOptions {
  readonly workers: number;
  readonly train: MnistSplit;
  readonly test: MnistSplit;
  readonly progressEvery?: number;
  readonly onStart?: (index: number) => void;
  readonly onProgress?: (index: number, p: Progress) => void;
  readonly onDone?: (index: number, r: RunResult) => void;
}

/** The outcome of one job: its result, or the error that stopped it. */
export type Outcome = { ok: true; result: RunResult } | { ok: false; name: string; message: string; stack: string };

/** Rough relative cost of a run, so the longest start first and the cores stay busy to the end. */
function cost(s: RunSpec): number {
  return s.epochs * (s.config.optimizer === 'adam' ? 3 : 1) * (s.config.layerNorm ? 1.3 : 1);
}

/**
 * Runs every spec on a pool of worker threads (the data set is shared with them, not copied) and returns one
 * outcome per spec, in the order given. A failing run does not stop the others.
 */
export async function runPool(specs: readonly RunSpec[], options: PoolOptions): Promise<Outcome[]> {
  const train = toShared(options.train);
  const test = toShared(options.test);
  const queue = specs.map((_, i) => i).sort((a, b) => cost(specs[b]!) - cost(specs[a]!));
  const outcomes = new Array<Outcome>(specs.length);
  const n = Math.max(1, Math.min(options.workers, specs.length));
  const url = new URL('./worker.js', import.meta.url);
  const workers: Worker[] = [];
  try {
    await Promise.all(Array.from({ length: n }, async () => {
      const spawn = (): Worker => {
        const w = new Worker(url, { workerData: { train, test } });
        workers.push(w);
        return w;
      };
      let w = spawn();
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        options.onStart?.(next);
        const outcome = await runOne(w, next, specs[next]!, options);
        outcomes[next] = outcome;
        // A worker that crashed (rather than reporting an error) is replaced before the next job.
        if (!outcome.ok && outcome.message.startsWith('worker crashed')) w = spawn();
      }
      await w.terminate();
    }));
  } finally {
    for (const w of workers) void w.terminate();
  }
  return outcomes;
}

function runOne(w: Worker, id: number, spec: RunSpec, options: PoolOptions): Promise<Outcome> {
  return new Promise((resolve) => {
    const onMessage = (msg: WorkerReply): void => {
      if (msg.id !== id) return;
      if (msg.type === 'progress') {
        options.onProgress?.(id, msg.progress);
        return;
      }
      w.off('message', onMessage);
      w.off('error', onError);
      if (msg.type === 'done') {
        options.onDone?.(id, msg.result);
        resolve({ ok: true, result: msg.result });
      } else {
        resolve({ ok: false, name: msg.name, message: msg.message, stack: msg.stack });
      }
    };
    const onError = (err: Error): void => {
      w.off('message', onMessage);
      resolve({ ok: false, name: err.name, message: `worker crashed: ${err.message}`, stack: err.stack ?? '' });
    };
    w.on('message', onMessage);
    w.once('error', onError);
    w.postMessage({ type: 'run', id, spec, progressEvery: options.progressEvery ?? 1000 });
  });
}
