/**
 * The job list as the event stream tells it, kept by the tab that holds the stream so that a tab joining later
 * gets the current state (what a new connection's hello would say) without a stream of its own.
 */
import type { JobSnapshot, ProgressEvent } from '../shared/api-types.js';
import { addLossPoint, mergeJob } from '../shared/live-points.js';
import type { FeedEvent, Hello } from './event-stream.js';

/**
 * Applies a progress report to the job's run (its status, counts and a loss point, thinned as the server thins
 * them); false if there is no such run.
 */
export function applyProgress(job: JobSnapshot, p: ProgressEvent): boolean {
  const run = job.runs[p.run];
  if (run === undefined) return false;
  // A report no newer than what the page shows (it came after a snapshot that holds it) changes nothing: not even
  // the status of a run that snapshot shows stopped or done at that step.
  if (p.step <= run.step) return true;
  run.status = 'running';
  run.step = p.step;
  run.totalSteps = p.totalSteps;
  run.samples = p.samples;
  run.elapsedSeconds = p.elapsedSeconds;
  run.points = addLossPoint(run.points, p.step, p.loss);
  return true;
}

/** Finished jobs the server keeps (JobQueue's keepFinished): a hello from the mirror lists no more. */
const KEEP_FINISHED = 20;
/** Job statuses of a job not yet finished. */
export const ACTIVE: ReadonlySet<string> = new Set(['queued', 'running', 'stopping']);

export class JobMirror {
  private hello: { server?: string } | null = null;
  private readonly jobs = new Map<string, JobSnapshot>();

  /** Drops the oldest finished jobs beyond what the server keeps, as it does. */
  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => !ACTIVE.has(j.status)).sort((a, b) => Number(b.id) - Number(a.id));
    for (const j of finished.slice(KEEP_FINISHED)) this.jobs.delete(j.id);
  }

  /** Follows one event. The mirror keeps what it is given: pass it objects nobody else changes. */
  apply(e: FeedEvent): void {
    if (e.type === 'hello') {
      this.hello = e.data.server === undefined ? {} : { server: e.data.server };
      this.jobs.clear();
      for (const j of e.data.jobs) this.jobs.set(j.id, j);
    } else if (e.type === 'job') {
      const before = this.jobs.get(e.data.id);
      if (before === undefined || e.data.revision >= before.revision) this.jobs.set(e.data.id, mergeJob(e.data, before));
      this.prune();
    } else if (e.type === 'progress') {
      const job = this.jobs.get(e.data.jobId);
      if (job !== undefined) applyProgress(job, e.data);
    }
  }

  /** What a hello would say now; null before the stream's own hello has come. */
  snapshot(): Hello | null {
    return this.hello === null ? null : { ...this.hello, jobs: [...this.jobs.values()] };
  }
}
