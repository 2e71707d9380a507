/**
 * The server's training queue: one job runs at a time (training uses every core), a few more wait their turn,
 * and beyond that the server says it is busy. Every change is broadcast to subscribers (the pages' event
 * streams) as a full job snapshot, and every progress report as a small event between snapshots.
 */
import type { Progress } from '../lab/trainer.js';
import { WebError } from './errors.js';
import type { JobPlan } from './job-spec.js';
import type { JobNews, JobSnapshot, LiveRun, ProgressEvent } from './shared/api-types.js';
import { addLossPoint, jobNews, LIVE_POINTS } from './shared/live-points.js';

/** What an executor reports while it trains (run = index into the job's runs, in plan order). */
export interface JobHooks {
  onRunStart(run: number): void;
  onProgress(run: number, p: Progress): void;
  onRunDone(run: number, accuracy: number): void;
  onRunFailed(run: number, message: string): void;
  /** A run was cut short by a stop at `at.step` (its checkpoint's step): the row shows that step, not the last report's. */
  onRunStopped(run: number, at: { step: number; totalSteps: number; samples: number }): void;
}

/** How a job ended, as the executor saw it. */
export interface JobOutcome {
  /** The run folder written, as a name under the runs folder. */
  readonly runFolder?: string;
  /** True when the job ended because `stop()` was called. */
  readonly stopped: boolean;
  /** For a stopped job: true when the report of its finished runs was written. */
  readonly report?: boolean;
  /** A sentence for the page: where the checkpoints are, or why nothing was written. */
  readonly message?: string;
  /** For a stopped job: the command line that continues it (the server prints it when it is shut down). */
  readonly resumeCommand?: string;
}

/** A job in progress; `stop()` asks it to end soon, keeping what it can. */
export interface JobExecution {
  readonly done: Promise<JobOutcome>;
  stop(): void;
}

export type JobExecutor = (id: string, plan: JobPlan, hooks: JobHooks) => JobExecution;

/** A job's news (its snapshot without loss points), or one run's progress report. */
export type QueueEvent = { type: 'job'; job: JobNews } | { type: 'progress'; progress: ProgressEvent };

export interface JobQueueOptions {
  /** Jobs that may wait behind the running one; more are refused with 409 (default 3). */
  readonly maxQueued?: number;
  /** Finished jobs kept for the pages (default 20). */
  readonly keepFinished?: number;
  /** Most points kept per run for the live chart; older ones are thinned beyond it (default LIVE_POINTS, as the pages keep). */
  readonly maxPoints?: number;
}

const FINISHED = new Set(['done', 'stopped', 'failed', 'cancelled']);

/** The names a job's runs get, as the CLI names them: the variant, plus the seed when there are several. */
export function runNames(plan: JobPlan): Array<{ name: string; variant: string; seed: number }> {
  const out: Array<{ name: string; variant: string; seed: number }> = [];
  for (const p of plan.planned) {
    for (const seed of plan.seeds) out.push({ name: plan.seeds.length > 1 ? `${p.variant} s${seed}` : p.variant, variant: p.variant, seed });
  }
  return out;
}

export class JobQueue {
  private readonly jobs: JobSnapshot[] = [];
  private readonly plans = new Map<string, JobPlan>();
  private readonly listeners = new Set<(e: QueueEvent) => void>();
  private running: { id: string; execution: JobExecution } | null = null;
  /** Server-side only (not in the snapshots): how to continue each stopped job, by job id. */
  private readonly resumeCommands = new Map<string, string>();
  private nextId = 1;
  private idleWaiters: Array<() => void> = [];
  private readonly maxQueued: number;
  private readonly keepFinished: number;
  private readonly maxPoints: number;

  constructor(private readonly executor: JobExecutor, options: JobQueueOptions = {}) {
    this.maxQueued = options.maxQueued ?? 3;
    this.keepFinished = options.keepFinished ?? 20;
    this.maxPoints = options.maxPoints ?? LIVE_POINTS;
  }

  /** Every job the server remembers, oldest first. */
  list(): JobSnapshot[] {
    return this.jobs.map((j) => structuredClone(j));
  }

  get(id: string): JobSnapshot | undefined {
    const job = this.jobs.find((j) => j.id === id);
    return job === undefined ? undefined : structuredClone(job);
  }

  /**
   * Queues a job; it starts at once when nothing is running.
   * @returns the job and a sentence saying whether it started or waits behind another.
   * @throws WebError 409 when the queue is full.
   */
  submit(plan: JobPlan): { job: JobSnapshot; message: string } {
    const waiting = this.jobs.filter((j) => j.status === 'queued');
    if (this.running !== null && waiting.length >= this.maxQueued) {
      const current = this.jobs.find((j) => j.id === this.running!.id);
      throw new WebError(409, `The server is busy: job ${current?.id} (${current?.title}) is training and ${waiting.length} more ${waiting.length === 1 ? 'is' : 'are'} queued, the most this server keeps. Wait for one to finish, or stop one.`);
    }
    const id = String(this.nextId++);
    const job: JobSnapshot = {
      id,
      status: 'queued',
      title: plan.title,
      createdAt: new Date().toISOString(),
      runs: runNames(plan).map((r) => ({ ...r, status: 'waiting', totalSteps: 0, step: 0, samples: 0, elapsedSeconds: 0, points: [] })),
      revision: 0,
    };
    this.jobs.push(job);
    this.plans.set(id, plan);
    this.prune();
    this.pump();
    this.renumber();
    const busy = job.status === 'queued';
    const message = busy
      ? `Another run is training, so this one is queued (position ${job.position}); it starts by itself when the server is free.`
      : 'Training started.';
    return { job: structuredClone(job), message };
  }

  /**
   * Stops a job: a queued one is cancelled, a running one is asked to stop after its current step (keeping its
   * last checkpoint).
   * @throws WebError 404 for an unknown job, 409 for one that has already finished.
   */
  stop(id: string): JobSnapshot {
    const job = this.jobs.find((j) => j.id === id);
    if (job === undefined) throw new WebError(404, `there is no job ${id}`);
    if (FINISHED.has(job.status)) throw new WebError(409, `job ${id} has already finished (${job.status})`);
    if (job.status === 'queued') {
      job.status = 'cancelled';
      job.finishedAt = new Date().toISOString();
      job.message = 'Cancelled before it started.';
      delete job.position;
      this.plans.delete(id);
      this.renumber();
      this.emitJob(job);
    } else if (job.status === 'running' && this.running?.id === id) {
      job.status = 'stopping';
      job.message = 'Stopping after the current step…';
      this.emitJob(job);
      this.running.execution.stop();
    }
    return structuredClone(job);
  }

  /** The command line that continues a stopped job, or undefined (not stopped, or nothing to continue). */
  resumeCommand(id: string): string | undefined {
    return this.resumeCommands.get(id);
  }

  /** Calls `listener` on every change until the returned function is called. */
  subscribe(listener: (e: QueueEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when no job is running or queued. */
  idle(): Promise<void> {
    if (this.running === null && !this.jobs.some((j) => j.status === 'queued')) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancels the queue and stops the running job (for shutting the server down). */
  async close(): Promise<void> {
    for (const j of this.jobs) if (j.status === 'queued') this.stop(j.id);
    if (this.running !== null) this.stop(this.running.id);
    await this.idle();
  }

  private pump(): void {
    if (this.running !== null) return;
    const job = this.jobs.find((j) => j.status === 'queued');
    if (job === undefined) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
      return;
    }
    const plan = this.plans.get(job.id)!;
    job.status = 'running';
    job.startedAt = new Date().toISOString();
    delete job.position;
    this.renumber();
    let execution: JobExecution;
    try {
      execution = this.executor(job.id, plan, this.hooksFor(job));
    } catch (err) {
      execution = { done: Promise.reject(err), stop() {} };
    }
    this.running = { id: job.id, execution };
    this.emitJob(job);
    execution.done.then(
      (outcome) => this.finish(job, outcome.stopped ? 'stopped' : 'done', outcome),
      (err: unknown) => this.finish(job, 'failed', { stopped: false, message: err instanceof Error ? err.message : String(err) }),
    );
  }

  private finish(job: JobSnapshot, status: 'done' | 'stopped' | 'failed', outcome: JobOutcome): void {
    job.status = status;
    job.finishedAt = new Date().toISOString();
    if (outcome.runFolder !== undefined) job.runFolder = outcome.runFolder;
    if (outcome.resumeCommand !== undefined) this.resumeCommands.set(job.id, outcome.resumeCommand);
    if (outcome.message !== undefined) job.message = outcome.message;
    else delete job.message;
    if (outcome.report === true) job.report = true;
    // A run cut short by Stop was stopped (its checkpoint resumes it), not failed; one that never started stays
    // waiting, which pages and the Ctrl-C note show as "not started".
    for (const r of job.runs) if (r.status === 'running' || (r.status === 'waiting' && status !== 'stopped')) r.status = status;
    this.plans.delete(job.id);
    this.running = null;
    this.emitJob(job);
    this.prune();
    this.pump();
  }

  private hooksFor(job: JobSnapshot): JobHooks {
    const run = (i: number): LiveRun | undefined => job.runs[i];
    return {
      onRunStart: (i) => {
        const r = run(i);
        if (r === undefined) return;
        r.status = 'running';
        this.emitJob(job);
      },
      onProgress: (i, p) => {
        const r = run(i);
        if (r === undefined) return;
        r.step = p.step;
        r.totalSteps = p.totalSteps;
        r.samples = p.samples;
        r.elapsedSeconds = p.elapsedSeconds;
        r.points = addLossPoint(r.points, p.step, p.loss, this.maxPoints);
        this.emit({ type: 'progress', progress: { jobId: job.id, run: i, step: p.step, totalSteps: p.totalSteps, samples: p.samples, loss: p.loss, elapsedSeconds: p.elapsedSeconds } });
      },
      onRunDone: (i, accuracy) => {
        const r = run(i);
        if (r === undefined) return;
        r.status = 'done';
        r.accuracy = accuracy;
        this.emitJob(job);
      },
      onRunStopped: (i, at) => {
        const r = run(i);
        if (r === undefined) return;
        r.status = 'stopped';
        r.step = at.step;
        r.totalSteps = at.totalSteps;
        r.samples = at.samples;
        this.emitJob(job);
      },
      onRunFailed: (i, message) => {
        const r = run(i);
        if (r === undefined) return;
        r.status = 'failed';
        r.error = message;
        this.emitJob(job);
      },
    };
  }

  private renumber(): void {
    let position = 1;
    for (const j of this.jobs) {
      if (j.status !== 'queued') continue;
      if (j.position !== position) {
        j.position = position;
        this.emitJob(j);
      }
      position++;
    }
  }

  private prune(): void {
    const finished = this.jobs.filter((j) => FINISHED.has(j.status));
    for (const old of finished.slice(0, Math.max(0, finished.length - this.keepFinished))) {
      this.jobs.splice(this.jobs.indexOf(old), 1);
      this.resumeCommands.delete(old.id);
    }
  }

  private emitJob(job: JobSnapshot): void {
    job.revision++;
    // Without the points: pages keep them from the progress reports (a 63-run job's snapshots would be megabytes).
    this.emit({ type: 'job', job: jobNews(job) });
  }

  private emit(e: QueueEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // A broken subscriber (a closed connection) must not stop training or the other pages.
      }
    }
  }
}
