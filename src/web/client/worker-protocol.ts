/** Messages between the Draw page and its training Web Worker. */
import type { Progress } from '../../lab/trainer.js';

/** Page → worker: train `variant` on the slices (bytes in the `split-bytes` format, transferred, not copied). */
export interface TrainRequest {
  readonly type: 'train';
  readonly variant: string;
  readonly seed: number;
  readonly trainLimit: number;
  readonly testLimit: number;
  readonly train: ArrayBuffer;
  readonly test: ArrayBuffer;
  readonly progressEvery: number;
}

/** What the worker reports back: the same numbers `trainRun` gives Node. */
export interface TrainDone {
  readonly type: 'done';
  readonly losses: Array<number | null>;
  readonly lossEvery: number;
  readonly accuracy: number;
  readonly trainSeconds: number;
  readonly kernels: string;
  /** Images trained on and tested on: the slice the server sent, which a data set smaller than the fields asked for caps. */
  readonly trainSamples: number;
  readonly testSamples: number;
  /** The trained model as a model file (safetensors bytes, transferred), for the Draw page's picker. */
  readonly model: ArrayBuffer;
}

export type WorkerMessage =
  | { readonly type: 'progress'; readonly progress: Progress }
  | TrainDone
  | { readonly type: 'error'; readonly message: string };
