/**
 * Runs a Train-page job with the lab's own code, in this process: the runs go to the lab's worker-thread pool
 * (`runPool`, as `kindling reproduce` does), progress comes back through its callbacks, and the finished runs are
 * written as an ordinary run folder (`results.json`, plots, `report.html`) under the runs folder.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { invocation, shellArg } from '../cli/invocation.js';
import { splitDigest } from '../data/digest.js';
import { checkpointName, modelName, writeStartCheckpoint } from '../lab/checkpoint.js';
import { createStopFlag, runPool, type Outcome, type PoolJob } from '../lab/pool.js';
import { buildResultsFile, writeResults } from '../lab/results-file.js';
import type { RunSpec } from '../lab/trainer.js';
import { findVariant } from '../lab/variants.js';
import type { RunResult } from '../report/results.js';
import type { DataCache } from './data-cache.js';
import type { JobPlan } from './job-spec.js';
import type { JobExecutor, JobOutcome } from './jobs.js';

export interface LabExecutorOptions {
  /** The runs folder; each job writes `<runsRoot>/<date-time>/`. */
  readonly runsRoot: string;
  readonly data: DataCache;
  /** Worker threads per job (default: one per core). */
  readonly workers?: number;
  /** About how many progress reports a run sends (the live chart's dots), default 500. */
  readonly reportsPerRun?: number;
}

/** A new folder name under `root`, the CLI's `runs/<date-time>` pattern, with `-2`, `-3`… when taken. */
export function newRunFolderName(root: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, '').replace(/:/g, '-');
  let name = stamp;
  for (let i = 2; existsSync(join(root, name)); i++) name = `${stamp}-${i}`;
  return name;
}

/** The lab's specs for a plan, in the order the job lists its runs (variant by variant, seed by seed). */
export function specsOf(plan: JobPlan): RunSpec[] {
  const specs: RunSpec[] = [];
  for (const p of plan.planned) {
    for (const seed of plan.seeds) {
      specs.push({
        variant: p.variant,
        label: p.label,
        config: p.config,
        seed,
        epochs: plan.epochs,
        batchSize: plan.batchSize,
        ...(plan.trainLimit === undefined ? {} : { trainLimit: plan.trainLimit }),
        ...(plan.testLimit === undefined ? {} : { testLimit: plan.testLimit }),
      });
    }
  }
  return specs;
}

/**
 * After a stop: a start checkpoint for each run that never began (as the CLI does, so resuming the folder resumes
 * every run), and a sentence saying where things are and how to continue.
 */
function stoppedMessage(plan: JobPlan, jobs: readonly PoolJob[], outcomes: readonly Outcome[], dir: string, data: string | undefined): string {
  const parts: string[] = [];
  outcomes.forEach((o, i) => {
    const job = jobs[i]!;
    if (o.ok) parts.push(`${job.spec.variant} s${job.spec.seed} finished`);
    else if (o.kind === 'stopped') parts.push(`${job.spec.variant} s${job.spec.seed} stopped at step ${o.step.toLocaleString('en-US')} of ${o.totalSteps.toLocaleString('en-US')}`);
    else if (o.kind === 'error') parts.push(`${job.spec.variant} s${job.spec.seed} failed: ${o.message}`);
    else {
      writeStartCheckpoint(job.files!.checkpoint!, job.spec, { ...(data === undefined ? {} : { data }), index: i, trainDigest: job.files!.trainDigest! });
      parts.push(`${job.spec.variant} s${job.spec.seed} not started`);
    }
  });
  const command = plan.planned.every((p) => findVariant(p.variant) !== undefined) ? 'reproduce' : 'train';
  return `Stopped: ${parts.join('; ')}. The checkpoints are kept in ${dir}; continue with: ${invocation()} ${command} --resume ${shellArg(dir)}`;
}

/** The executor the real server uses. */
export function createLabExecutor(options: LabExecutorOptions): JobExecutor {
  return (id, plan, hooks) => {
    const stop = createStopFlag();
    const done = (async (): Promise<JobOutcome> => {
      const t0 = performance.now();
      const started = new Date();
      const { train, test } = options.data.get();
      const data = options.data.dataPath === undefined ? undefined : resolve(options.data.dataPath);
      mkdirSync(options.runsRoot, { recursive: true });
      const name = newRunFolderName(options.runsRoot, started);
      const dir = join(options.runsRoot, name);
      mkdirSync(dir);
      const jobs: PoolJob[] = specsOf(plan).map((spec, index) => ({
        spec,
        files: {
          checkpoint: join(dir, checkpointName(spec)), models: [join(dir, modelName(spec))], ...(data === undefined ? {} : { data }), index,
          trainDigest: splitDigest(train, Math.min(train.count, spec.trainLimit ?? Infinity)),
        },
      }));
      const images = Math.min(train.count, plan.trainLimit ?? Infinity);
      const steps = Math.ceil(images / plan.batchSize) * plan.epochs;
      const workers = Math.min(options.workers ?? Math.max(1, cpus().length), jobs.length);
      const outcomes = await runPool(jobs, {
        workers,
        train,
        test,
        stop,
        progressEvery: Math.max(10, Math.ceil(steps / (options.reportsPerRun ?? 500))),
        onStart: (i) => hooks.onRunStart(i),
        onProgress: (i, p) => hooks.onProgress(i, p),
        onDone: (i, r) => hooks.onRunDone(i, r.accuracy),
      });
      if (Atomics.load(stop, 0) !== 0) {
        // Runs cut short by the stop end as the job does ('stopped'); only a run that failed is marked so.
        outcomes.forEach((o, i) => {
          if (!o.ok && o.kind === 'error') hooks.onRunFailed(i, o.message);
        });
        return { runFolder: name, stopped: true, message: stoppedMessage(plan, jobs, outcomes, dir, data) };
      }
      const runs: RunResult[] = [];
      const failures: string[] = [];
      outcomes.forEach((o, i) => {
        if (o.ok) {
          runs.push(o.result);
        } else {
          failures.push(`${jobs[i]!.spec.variant} seed ${jobs[i]!.spec.seed}: ${o.message}`);
          hooks.onRunFailed(i, o.message);
        }
      });
      if (runs.length === 0) throw new Error(`every run failed, no results were written (checkpoints, if any, are in ${dir}): ${failures.join('; ')}`);
      const results = buildResultsFile(runs, { started, t0, data, workers, command: `kindling serve (job ${id}: ${plan.title})` });
      await writeResults(dir, results);
      const message = failures.length > 0 ? `Some runs failed: ${failures.join('; ')}` : undefined;
      return { runFolder: name, stopped: false, ...(message === undefined ? {} : { message }) };
    })();
    return {
      done,
      stop() {
        Atomics.store(stop, 0, 1);
      },
    };
  };
}
