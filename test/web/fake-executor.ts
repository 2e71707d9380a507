/** A job executor the test drives by hand: jobs run until the test finishes or fails them. */
import type { JobPlan } from '../../src/web/job-spec.js';
import type { JobExecutor, JobHooks, JobOutcome } from '../../src/web/jobs.js';

export interface ManualJob {
  readonly id: string;
  readonly plan: JobPlan;
  readonly hooks: JobHooks;
  stopCalls: number;
  finish(outcome: JobOutcome): void;
  fail(err: Error): void;
}

export function manualExecutor(): { executor: JobExecutor; started: ManualJob[] } {
  const started: ManualJob[] = [];
  const executor: JobExecutor = (id, plan, hooks) => {
    let finish!: (o: JobOutcome) => void;
    let fail!: (e: Error) => void;
    const done = new Promise<JobOutcome>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    const job: ManualJob = { id, plan, hooks, stopCalls: 0, finish, fail };
    started.push(job);
    return {
      done,
      stop() {
        job.stopCalls++;
        finish({ stopped: true, message: 'stopped by the test' });
      },
    };
  };
  return { executor, started };
}

/** Lets pending promise callbacks run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
