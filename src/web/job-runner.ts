/**
 * Runs a Train-page job with the lab's own code, in this process: the runs go to the lab's worker-thread pool
 * (`runPool`, as `kindling reproduce` does), progress comes back through its callbacks, and the finished runs are
 * written as an ordinary run folder (`results.json`, plots, `report.html`) under the runs folder.
 */
import { existsSync, mkdirSync, readdirSync, rmdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { invocation, shellArg } from '../cli/invocation.js';
import { startCheckpointsOnce, type PlannedCheckpoint } from '../cli/quit-training.js';
import { splitDigest } from '../data/digest.js';
import { KindlingError } from '../errors.js';
import { describeFsError, errorCode } from '../io/errors.js';
import { checkpointName, modelName, writeStartCheckpoint } from '../lab/checkpoint.js';
import { createStopFlag, resumableFailures, runPool, type Outcome, type PoolJob } from '../lab/pool.js';
import { buildResultsFile, writeResults } from '../lab/results-file.js';
import { CLAIM_NAME, claimRunDir, ownClaim } from '../lab/run-claim.js';
import type { RunSpec } from '../lab/trainer.js';
import { findVariant } from '../lab/variants.js';
import type { FailedRun, RunResult } from '../report/results.js';
import type { DataCache } from './data-cache.js';
import type { JobPlan } from './job-spec.js';
import { jobCommand } from './job-command.js';
import type { JobExecutor, JobOutcome } from './jobs.js';
import { webFailureMessage } from './run-failure.js';

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

/**
 * Makes a job's run folder under `root`: the next free name, also when another server (or a command) on the same
 * runs folder takes the same name between the look and the making, as the CLI's makeRunDir does.
 */
function makeJobFolder(root: string, started: Date): { name: string; dir: string } {
  for (let attempt = 1; ; attempt++) {
    const name = newRunFolderName(root, started);
    const dir = join(root, name);
    try {
      mkdirSync(root, { recursive: true });
      mkdirSync(dir);
      return { name, dir };
    } catch (err) {
      if (errorCode(err) !== 'EEXIST' || attempt >= 100) throw new KindlingError(`cannot make the run folder ${dir}: ${describeFsError(err)}`);
    }
  }
}

/** Whether `dir` is there and holds files (other than this process's claim): a failed job's message names it then. */
function holdsFiles(dir: string): boolean {
  try {
    return !isEmptyDir(dir) && readdirSync(dir).length > 0;
  } catch {
    return false;
  }
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

/** The command line that continues the runs of `dir`: `reproduce` for the chapter's variants, else `train`. */
function resumeCommand(plan: JobPlan, dir: string): string {
  const command = plan.planned.every((p) => findVariant(p.variant) !== undefined) ? 'reproduce' : 'train';
  return `${invocation()} ${command} --resume ${shellArg(dir)}`;
}

/**
 * After a stop: a start checkpoint for each run that never began (as the CLI does, so resuming the folder resumes
 * every run), and a sentence saying where things are and how to continue; `report` says what became of the
 * finished runs' report ('' when no run finished).
 */
function stoppedMessage(jobs: readonly PoolJob[], outcomes: readonly Outcome[], dir: string, resume: string, report: string): string {
  const parts: string[] = [];
  outcomes.forEach((o, i) => {
    const job = jobs[i]!;
    if (o.ok) parts.push(`${job.spec.variant} s${job.spec.seed} finished`);
    else if (o.kind === 'stopped') parts.push(`${job.spec.variant} s${job.spec.seed} stopped at step ${o.step.toLocaleString('en-US')} of ${o.totalSteps.toLocaleString('en-US')}`);
    else if (o.kind === 'error') parts.push(`${job.spec.variant} s${job.spec.seed} failed: ${webFailureMessage(o.message)}`);
    else {
      writeStartCheckpoint(job.files!.checkpoint!, job.spec, job.files);
      parts.push(`${job.spec.variant} s${job.spec.seed} not started`);
    }
  });
  return `Stopped: ${parts.join('; ')}.${report} The checkpoints are kept in ${dir}; continue with: ${resume}`;
}

/** True when the folder holds nothing (every run failed before its first checkpoint) but this process's claim on it. */
function isEmptyDir(dir: string): boolean {
  try {
    const names = readdirSync(dir);
    return names.length === 0 || (names.length === 1 && names[0] === CLAIM_NAME && ownClaim(dir));
  } catch {
    return false;
  }
}

/** A job training now: its run folder, the checkpoint each run starts from, and the command that resumes them. */
export interface TrainingNow {
  readonly dir: string;
  readonly planned: readonly PlannedCheckpoint[];
  readonly resume: string;
  /** The job's stop flag, behind which lies the gate its workers' writes pass (lab/pool.ts, writeGateOf). */
  readonly stop: Int32Array;
}

/** The jobs training now, by run folder (for a second Ctrl-C, which quits without waiting for them). */
const inTraining = new Map<string, TrainingNow>();

/** The jobs training now. */
export function jobsInTraining(): readonly TrainingNow[] {
  return [...inTraining.values()];
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
      // What results.json records as the command, and checkpoints too, so that a resume from the CLI keeps it.
      const command = jobCommand(plan, id, data);
      const { name, dir } = makeJobFolder(options.runsRoot, started);
      // Held while the job trains, as the CLI holds its run folder: a `--resume` of this folder meanwhile is refused.
      let release: () => void;
      try {
        release = claimRunDir(dir, `job ${id}: the run folder ${dir}`);
      } catch (err) {
        if (isEmptyDir(dir)) rmdirSync(dir);
        throw err;
      }
      inTraining.set(dir, { dir, planned: [], resume: resumeCommand(plan, dir), stop });
      try {
        return await trainInto(dir, name);
      } catch (err) {
        // A folder this job made and left empty (no run got as far as a checkpoint) is not left behind, as the
        // CLI leaves none: the Runs page would list it as a run in progress.
        release();
        if (isEmptyDir(dir)) rmdirSync(dir);
        throw err;
      } finally {
        release();
        inTraining.delete(dir);
      }


      async function trainInto(dir: string, name: string): Promise<JobOutcome> {
        const jobs: PoolJob[] = specsOf(plan).map((spec, index) => ({
          spec,
          files: {
            checkpoint: join(dir, checkpointName(spec)), models: [join(dir, modelName(spec))], ...(data === undefined ? {} : { data }), index,
            trainDigest: splitDigest(train, Math.min(train.count, spec.trainLimit ?? Infinity)),
            testDigest: splitDigest(test, Math.min(test.count, spec.testLimit ?? Infinity)),
            command,
            createdAt: started.toISOString(),
          },
        }));
        // Quitting at once leaves every run resumable, as the CLI's quit does: a run without a checkpoint gets the
        // one it starts from.
        const planned = jobs.map((job) => ({
          path: job.files!.checkpoint!,
          writeStart: (path: string): void => writeStartCheckpoint(path, job.spec, job.files),
        }));
        inTraining.set(dir, { dir, planned, resume: resumeCommand(plan, dir), stop });
        const placeStarts = startCheckpointsOnce(planned);
        const images = Math.min(train.count, plan.trainLimit ?? Infinity);
        const steps = Math.ceil(images / plan.batchSize) * plan.epochs;
        const workers = Math.min(options.workers ?? Math.max(1, cpus().length), jobs.length);
        const outcomes = await runPool(jobs, {
          workers,
          train,
          test,
          stop,
          // Every step for short runs (a few large batches still show their progress), about reportsPerRun in all.
          progressEvery: Math.max(1, Math.ceil(steps / (options.reportsPerRun ?? 500))),
          onStart: (i) => hooks.onRunStart(i),
          onProgress: (i, p) => {
            hooks.onProgress(i, p);
            // Past its first epoch, the run has written its checkpoint: every run gets one (see startCheckpointsOnce).
            if (p.epoch >= 1) placeStarts();
          },
          onDone: (i, r) => {
            placeStarts();
            hooks.onRunDone(i, r.accuracy);
          },
        });
        const runs: RunResult[] = [];
        const failures: string[] = [];
        // Recorded in results.json and the report, as the CLI records them: they outlive the job's card.
        const failed: FailedRun[] = [];
        outcomes.forEach((o, i) => {
          const spec = jobs[i]!.spec;
          if (o.ok) runs.push(o.result);
          else if (o.kind === 'error') {
            const message = webFailureMessage(o.message);
            failures.push(`${spec.variant} seed ${spec.seed}: ${message}`);
            failed.push({ variant: spec.variant, seed: spec.seed, message });
            hooks.onRunFailed(i, message);
          } else if (o.kind === 'stopped') {
            // The row shows the step the run stopped at (the checkpoint's), not the last progress report's.
            hooks.onRunStopped(i, { step: o.step, totalSteps: o.totalSteps, samples: o.step * spec.batchSize });
          }
        });
        // Runs that finished are written as any finished run is, stop or no stop: a Stop pressed while the last
        // run was being tested (after its last step) loses nothing, and in a job of several runs the finished
        // ones get their results and report while the others keep their checkpoints.
        const write = async (): Promise<void> => {
          const results = buildResultsFile(runs, { started, t0, data, dataDigest: { train: splitDigest(train), test: splitDigest(test) }, workers, command, failed });
          await writeResults(dir, results);
        };
        const cutShort = outcomes.some((o) => !o.ok && (o.kind === 'stopped' || o.kind === 'not-started'));
        if (Atomics.load(stop, 0) !== 0 && cutShort) {
          const resume = resumeCommand(plan, dir);
          let report = '';
          let written = false;
          if (runs.length > 0) {
            try {
              await write();
              written = true;
              report = ` The finished runs' results and report are written in ${join(dir, 'report.html')}.`;
            } catch (err) {
              // The checkpoints are what matter for a stopped job: it still ends "stopped", saying how to continue.
              report = ` The finished runs' report could not be written (${err instanceof Error ? err.message : String(err)}); resuming writes it.`;
            }
          }
          const message = stoppedMessage(jobs, outcomes, dir, resume, report);
          return { runFolder: name, stopped: true, message, resumeCommand: resume, ...(written ? { report: true } : {}) };
        }
        if (runs.length === 0) {
          // An empty folder is removed on the way out (see above), so the message names it only when it stays.
          // A run that failed after a checkpoint (a model file the disk had no room for) goes on from it.
          const kept = resumableFailures(jobs, outcomes) > 0;
          const where = kept ? ` (the checkpoints are in ${dir}; once the cause is fixed, continue with: ${resumeCommand(plan, dir)})` : holdsFiles(dir) ? ` (the checkpoints are in ${dir})` : '';
          throw new Error(`every run failed, no results were written${where}: ${failures.join('; ')}`);
        }
        await write();
        const message = failures.length > 0 ? `Some runs failed: ${failures.join('; ')}` : undefined;
        return { runFolder: name, stopped: false, ...(message === undefined ? {} : { message }) };
      }
    })();
    return {
      done,
      stop() {
        Atomics.store(stop, 0, 1);
      },
    };
  };
}
