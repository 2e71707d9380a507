/**
 * The JSON the lab server sends and the page reads. Plain data only: this file is imported by both the Node
 * server and the browser bundle.
 */

/** One variant × seed of a job, as the live view draws it. */
export interface LiveRun {
  readonly name: string;
  readonly variant: string;
  readonly seed: number;
  status: 'waiting' | 'running' | 'done' | 'stopped' | 'failed';
  totalSteps: number;
  step: number;
  samples: number;
  elapsedSeconds: number;
  /** `[step, loss]` at each progress report: the loss of that one step (a faint dot on the chart). */
  points: Array<[number, number]>;
  accuracy?: number;
  error?: string;
}

export type JobStatus = 'queued' | 'running' | 'stopping' | 'done' | 'stopped' | 'failed' | 'cancelled';

/** Everything the page needs to draw a job from scratch. */
export interface JobSnapshot {
  readonly id: string;
  status: JobStatus;
  /** What the job trains, for people ("baseline, adam × seeds 0,1 · 1 epoch · 2,000 images"). */
  readonly title: string;
  /** 1-based place in the queue while queued. */
  position?: number;
  readonly createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** The run folder's name under the runs folder, once written. */
  runFolder?: string;
  /** Why the job failed or stopped, or where its checkpoints are. */
  message?: string;
  /** True when a stopped job's folder holds the report of the runs that finished (a finished job's always does). */
  report?: boolean;
  runs: LiveRun[];
  /**
   * Grows with every change the server makes to the job. Snapshots can arrive out of order (the answer to a stop
   * request may come after the event stream's later news), so a page keeps the one with the highest revision.
   */
  revision: number;
}

/** A run as a job's news on the event stream gives it: without its loss points, which the progress reports carry. */
export type RunNews = Omit<LiveRun, 'points'>;

/**
 * A job as the event stream's `job` messages give it: a snapshot without the runs' loss points. A page has those
 * already (from the hello and the progress reports since, thinned by the same rule as the server's: live-points.ts),
 * so a change of status does not send every point of every run again.
 */
export type JobNews = Omit<JobSnapshot, 'runs'> & { runs: RunNews[] };

/** A progress report of one run of a job (sent on the event stream between snapshots). */
export interface ProgressEvent {
  readonly jobId: string;
  readonly run: number;
  readonly step: number;
  readonly totalSteps: number;
  readonly samples: number;
  readonly loss: number;
  readonly elapsedSeconds: number;
}

/** One variant's line of a finished run folder's table. */
export interface RunSummaryLine {
  readonly variant: string;
  readonly label: string;
  readonly n: number;
  readonly mean: number;
  readonly std: number;
  readonly chapter: number | null;
  readonly meanTrainSeconds: number;
  /** Runs with NaN weights left out of n, mean and std (see VariantSummary). */
  readonly nonFinite?: number;
  /** Every run had NaN weights: the accuracy means nothing (see VariantSummary). */
  readonly allNonFinite?: true;
}

/** A run folder under the runs folder. */
export interface RunListing {
  /** Folder name (the only part of the path the page ever sees). */
  readonly name: string;
  readonly createdAt: string | null;
  readonly command: string | null;
  readonly summary: readonly RunSummaryLine[];
  /** Files the server will serve from this folder, by name. */
  readonly files: readonly string[];
  /** Why results.json could not be read, if it could not (the folder is still listed). */
  readonly problem?: string;
}

/** A saved model the Draw page can load. */
export interface ModelListing {
  /** `<run folder>/<file>`: the path under `/files/`. */
  readonly path: string;
  readonly run: string;
  readonly file: string;
  readonly bytes: number;
  readonly variant: string | null;
  readonly seed: number | null;
  readonly accuracy: number | null;
  /** How many test images that accuracy counts; null when not recorded (files of older versions). */
  readonly testSamples: number | null;
  /** The training step it holds (a checkpoint stopped part-way shows how far it got); null when not recorded. */
  readonly step: number | null;
}

/** What the server answers for Node's own losses of a small training run (to compare with the browser's). */
export interface ReferenceLosses {
  readonly losses: Array<number | null>;
  readonly lossEvery: number;
  readonly accuracy: number;
  readonly trainSeconds: number;
  /** Which kernels Node used ("reference TypeScript" or "WebAssembly SIMD"). */
  readonly kernels: string;
}
