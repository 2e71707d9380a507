import type { RunResult } from '../report/results.js';
import type { Progress, RunSpec } from './trainer.js';

/** Messages between the lab's main thread and its workers. */
export type WorkerRequest = { type: 'run'; id: number; spec: RunSpec; progressEvery: number };

export type WorkerReply =
  | { type: 'progress'; id: number; progress: Progress }
  | { type: 'done'; id: number; result: RunResult }
  | { type: 'error'; id: number; name: string; message: string; stack: string };
