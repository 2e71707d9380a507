/**
 * The live chart's loss points of a run. The server and every page keep them by the same rule from the same
 * progress reports, so they hold the same points and a job's news on the event stream need not carry them.
 */
import type { JobNews, JobSnapshot, LiveRun } from './api-types.js';

/** Most points kept per run; beyond it, every other one is dropped. */
export const LIVE_POINTS = 4000;

/**
 * Adds a progress report's loss (a non-finite one is not drawn, nor one of a step the points have passed: a report
 * that reaches a page after a snapshot holding it) and thins to every other point beyond `max`, counting back from
 * the newest so that the curve's end is always exact.
 * @returns the run's points: the same array, or a new thinned one.
 */
export function addLossPoint(points: Array<[number, number]>, step: number, loss: number, max = LIVE_POINTS): Array<[number, number]> {
  if (!Number.isFinite(loss) || step <= lastStep(points)) return points;
  points.push([step, loss]);
  return points.length > max ? points.filter((_, k, all) => (all.length - 1 - k) % 2 === 0) : points;
}

/** A job's news: the snapshot without its runs' points. */
export function jobNews(job: JobSnapshot): JobNews {
  return { ...job, runs: job.runs.map(({ points: _points, ...run }) => run) };
}

/** The step of a run's newest point; -1 with none. */
function lastStep(points: ReadonlyArray<[number, number]>): number {
  return points.length === 0 ? -1 : points[points.length - 1]![0];
}

/**
 * The job a page shows after `incoming`: news keeps the points the page has for each run; a whole snapshot (the
 * answer to a request) brings its own unless the page's are newer (progress that came on the stream after it).
 */
export function mergeJob(incoming: JobSnapshot | JobNews, before: JobSnapshot | undefined): JobSnapshot {
  const runs = incoming.runs.map((run, i): LiveRun => {
    const had = before?.runs[i]?.points ?? [];
    const own = 'points' in run ? (run as LiveRun).points : undefined;
    return { ...run, points: own !== undefined && lastStep(own) >= lastStep(had) ? own : had };
  });
  return { ...incoming, runs };
}
