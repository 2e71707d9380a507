import type { MnistSplit } from '../data/mnist.js';
import type { RunResult } from '../report/results.js';
import type { Progress, RunFiles, RunSpec } from './trainer.js';

/** Messages between the lab's main thread and its workers. */
export type WorkerRequest = {
  type: 'run';
  id: number;
  spec: RunSpec;
  progressEvery: number;
  files?: RunFiles;
  /** A checkpoint to continue from (the worker reads it). */
  resume?: string;
};

export type WorkerReply =
  | { type: 'progress'; id: number; progress: Progress }
  | { type: 'done'; id: number; result: RunResult }
  | { type: 'stopped'; id: number; checkpoint: string | null; step: number; totalSteps: number }
  | { type: 'error'; id: number; name: string; message: string; stack: string };

/** What the main thread gives each worker once, at start. */
export interface WorkerInit {
  readonly train: MnistSplit;
  readonly test: MnistSplit;
  /** Element 0 non-zero: stop after the current step (set by the main thread's signal handler). */
  readonly stop: Int32Array;
}
