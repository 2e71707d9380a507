import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { splitDigest } from '../data/digest.js';
import { checkBothSplits } from '../data/locate.js';
import { loadSplit, type MnistSplit } from '../data/mnist.js';
import { KindlingError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { describeFsError } from '../io/errors.js';
import { kernelsFallback } from '../kernels/backend.js';
import { checkpointName, checkResumable, findCheckpoints, isCheckpointName, modelName, writeStartCheckpoint } from '../lab/checkpoint.js';
import { batchProblem } from '../lab/limits.js';
import { createStopFlag, resumableFailures, runPool, type Outcome, type PoolJob } from '../lab/pool.js';
import { buildResultsFile, writeResults } from '../lab/results-file.js';
import type { RunSpec } from '../lab/trainer.js';
import { labelWithLr } from '../lab/variants.js';
import { EarlyPlots } from '../report/early-plots.js';
import { formatTable } from '../report/table.js';
import { reportFileNames } from '../report/write.js';
import type { RunResult } from '../report/results.js';
import type { LabContext, LabOptions, PlannedRun } from './lab-options.js';
import { invocation, shellArg } from './invocation.js';
import { createProgressView } from './progress.js';
import { labJson } from './lab-json.js';
import { holdWorkerWrites, onEachStopSignal, quitTraining, removeEmptyDirs, SAME_SIGNAL_MS, signalStatus, startCheckpointsOnce } from './quit-training.js';
import { claimRunDir } from '../lab/run-claim.js';
import { defaultRunDir, makeRunDir } from './run-dir.js';
import { checkSavePath, checkWritable } from './save-path.js';
import { formatCountOf, formatPartOf, formatPercent } from '../report/format.js';

/** Options that define what a run trains: with --resume they come from the checkpoint. */
const RUN_DEFINING = ['variants', 'seeds', 'lr', 'batchSize', 'trainLimit', 'activation', 'outputActivation', 'loss', 'optimizer', 'layernorm', 'hidden', 'name'];
const flag = (name: string): string => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

interface Plan {
  /**
   * `resumedAt`: the step the resumed checkpoint was written at; `resumedSamples`: its images per epoch;
   * `resumedDigest`: its training data's `splitDigest`.
   */
  jobs: Array<{ spec: RunSpec; resume?: string; resumedAt?: number; resumedSamples?: number | undefined; resumedDigest?: string | undefined }>;
  data: string | undefined;
  dir: string;
  /** The run folder is the resumed runs' own folder (the only folder holding a run that may be written into). */
  ownDir: boolean;
  /** The run folder is the default `runs/<date-time>`, not one the user named: another free name will do. */
  autoNamed?: boolean;
  /** The command line that started resumed runs, as their checkpoints record it (all the same), if they do. */
  command?: string;
  /** When the resumed runs were first started: the earliest time their checkpoints record, if any does. */
  createdAt?: string;
}

function planFresh(planned: readonly PlannedRun[], opts: LabOptions): Plan {
  const jobs: Plan['jobs'] = [];
  for (const p of planned) {
    for (const seed of opts.seeds) {
      jobs.push({ spec: {
        variant: p.variant,
        label: opts.lr === undefined ? p.label : labelWithLr(p.label, p.config.lr, opts.lr),
        config: opts.lr === undefined ? p.config : { ...p.config, lr: opts.lr },
        seed,
        epochs: opts.epochs,
        batchSize: opts.batchSize,
        ...(opts.trainLimit === undefined ? {} : { trainLimit: opts.trainLimit }),
        ...(opts.testLimit === undefined ? {} : { testLimit: opts.testLimit }),
        ...(opts.allowNonfinite ? { allowNonFinite: true } : {}),
      } });
    }
  }
  const data = opts.data === undefined ? undefined : resolve(opts.data);
  return { jobs, data, ...(opts.out === undefined ? { dir: defaultRunDir(), autoNamed: true } : { dir: opts.out }), ownDir: false };
}

/** The runs of `--resume PATH`: their specs come from the checkpoints; --epochs and --test-limit may change. */
function planResume(path: string, opts: LabOptions, ctx: LabContext): Plan {
  if (path === '-') throw new KindlingError('--resume -: a run is resumed from its checkpoint file or its run folder (where it goes on writing), not from standard input; give the path');
  const clash = RUN_DEFINING.filter((o) => ctx.given.has(o));
  if (clash.length > 0) {
    throw new KindlingError(`${clash.map(flag).join(', ')} cannot be combined with --resume: a resumed run keeps the settings in its checkpoint (only --epochs, --test-limit, --data and the output options may be given)`);
  }
  const checkpoints = findCheckpoints(path);
  for (const c of checkpoints) checkResumable(c, c.spec.allowNonFinite === true || ctx.given.has('allowNonfinite'));
  // Two checkpoints of one run (a copy kept as a backup) would train it twice, into the same files.
  const seen = new Map<string, string>();
  for (const c of checkpoints) {
    const key = `${c.spec.variant} ${c.spec.seed}`;
    const other = seen.get(key);
    if (other !== undefined) {
      throw new KindlingError(`${path} holds two checkpoints of the same run (${c.spec.variant}, seed ${c.spec.seed}): ${basename(other)} and ${basename(c.path)}; keep a copy in another folder, or resume one of them alone with --resume <file> --out <new folder>`);
    }
    seen.set(key, c.path);
  }
  const datas = new Set(checkpoints.map((c) => c.data ?? ''));
  if (opts.data === undefined && datas.size > 1) throw new KindlingError(`the checkpoints in ${path} were trained on different data; resume them one at a time`);
  const jobs = checkpoints.map((c) => {
    const spec: RunSpec = {
      ...c.spec,
      ...(ctx.given.has('epochs') ? { epochs: opts.epochs } : {}),
      ...(ctx.given.has('testLimit') ? { testLimit: opts.testLimit! } : {}),
      ...(ctx.given.has('allowNonfinite') ? { allowNonFinite: true } : {}),
    };
    return { spec, resume: c.path, resumedAt: c.position.step, resumedSamples: c.position.trainSamples, resumedDigest: c.position.trainDigest };
  });
  const recorded = checkpoints[0]!.data;
  if (opts.data === undefined && recorded !== undefined && !existsSync(recorded)) {
    throw new KindlingError(`the data path ${recorded}, where the checkpoint says the run's data was, does not exist: if the data has moved, resume with --resume ${shellArg(path)} --data <where it is now> (the images must be the same)`);
  }
  const data = opts.data === undefined ? recorded : resolve(opts.data);
  const isFolder = statSync(path).isDirectory();
  const folder = isFolder ? path : dirname(path);
  const dir = opts.out ?? folder;
  const ownDir = resolve(dir) === resolve(folder);
  if (!isFolder && ownDir) {
    // Its folder's results.json and report would then hold this run alone, dropping the others.
    const others = readdirSync(folder).filter((n) => isCheckpointName(n) && resolve(folder, n) !== resolve(path));
    if (others.length > 0) {
      throw new KindlingError(`${folder} holds other runs too (${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''}), whose results its report would lose: resume them all with --resume ${shellArg(folder)}, or write this run elsewhere with --out <new folder>`);
    }
  }
  const commands = new Set(checkpoints.map((c) => c.command));
  const started = commands.size === 1 ? checkpoints[0]!.command : undefined;
  const times = checkpoints.flatMap((c) => (c.createdAt === undefined ? [] : [c.createdAt])).sort();
  return { jobs, data, dir, ownDir, ...(started === undefined ? {} : { command: started }), ...(times.length === 0 ? {} : { createdAt: times[0]! }) };
}

/** Whether `path` is a symbolic link (false when nothing is there, or a file stands in the way). */
function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Checks the run folder before anything is loaded: a file is not a folder, the folder is writable, and a run's
 * folder is not shared with another run or with files of the same names (a fresh run, or a resumed one written
 * elsewhere, would replace them or mix its files with them). Returns the folders that will have to be made,
 * outermost first.
 */
function checkRunDir(dir: string, ownRun: boolean, variants: readonly string[], autoNamed: boolean): string[] {
  const path = resolve(dir);
  // The default folder (runs/<date-time>) is named as such: the user gave no --out; a resumed run's own folder by
  // --resume.
  const option = autoNamed ? `the default run folder ${dir} (give --out to write elsewhere)` : ownRun ? '--resume' : '--out';
  if (existsSync(path)) {
    if (!statSync(path).isDirectory()) throw new KindlingError(`--out ${dir}: that is a file, not a folder`);
    const report = reportFileNames(variants);
    const all = ownRun ? [] : readdirSync(path).filter((f) => report.has(f) || f.endsWith('.safetensors'));
    // The files that show a run come first in the message.
    const marks = (f: string): boolean => f === 'results.json' || f.startsWith('checkpoint-');
    const held = [...all.filter(marks), ...all.filter((f) => !marks(f))];
    if (held.length > 0) {
      const run = held.some(marks);
      // A model file of another name is not replaced, but a run folder holds its own runs' files only (the lab lists
      // every model file of a run folder as one of its runs).
      const replaced = held.some((f) => report.has(f) || f.startsWith('model-'));
      const what = run ? 'already holds a run' : replaced ? 'holds files a run would replace' : 'holds model files of its own';
      const why = run || replaced ? '' : ', which the lab would list among the runs\' models';
      throw new KindlingError(`--out ${dir} ${what} (${held.slice(0, 3).join(', ')}${held.length > 3 ? ', …' : ''})${why}: give a new folder${run ? `, or continue that run with --resume ${dir}` : ''}`);
    }
    checkWritable(option, path);
    return [];
  }
  const missing: string[] = [];
  for (let p = path; !existsSync(p) && dirname(p) !== p; p = dirname(p)) missing.unshift(p);
  // A symbolic link to nothing is not there for existsSync, but its name is taken: making the folder would fail.
  const broken = missing.find(isLink);
  if (broken !== undefined) throw new KindlingError(`${autoNamed ? option : `--out ${dir}`}: ${broken} is a symbolic link to ${readlinkSync(broken)}, which does not exist`);
  const parent = dirname(missing[0] ?? path);
  if (!existsSync(parent) || !statSync(parent).isDirectory()) throw new KindlingError(`${autoNamed ? option : `--out ${dir}`}: ${parent} is not a folder`);
  checkWritable(option, parent);
  return missing;
}

/**
 * Ctrl-C, SIGTERM and SIGHUP set the stop flag; a second signal quits at once, through `quit` (which says what is
 * kept). Returns the uninstaller.
 */
function onStopSignals(stop: Int32Array, stopView: () => void, quit: () => { said: string; resume?: string }): () => void {
  let firstAt = 0;
  const handler = (signal: NodeJS.Signals): void => {
    const code = signalStatus(signal);
    if (Atomics.load(stop, 0) !== 0) {
      if (performance.now() - firstAt < SAME_SIGNAL_MS) return;
      const { said, resume } = quit();
      process.stderr.write(`\nkindling: ${signal} again: quitting without waiting (${said})\n${resume === undefined ? '' : `Resume with:\n  ${resume}\n`}`);
      process.exit(code);
    }
    Atomics.store(stop, 0, code);
    firstAt = performance.now();
    stopView();
    process.stderr.write(`\nkindling: ${signal}: finishing the current step and writing checkpoints… (press Ctrl-C again to quit at once)\n`);
  };
  return onEachStopSignal(handler);
}

/**
 * Ctrl-C, SIGTERM or SIGHUP while the results and report are written: quits, saying how to write them; once `written()`
 * has been called, quits without a word (everything is on disk). Call `uninstall()` when the command ends.
 */
function onSignalsWhileReporting(resume: string): { written: () => void; uninstall: () => void } {
  let done = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (!done) {
      process.stderr.write(`\nkindling: ${signal}: stopped while writing the results and the report; the trained runs are kept in their checkpoints. Test them again and write the report with:\n  ${resume}\n`);
    }
    process.exit(signalStatus(signal));
  };
  const uninstall = onEachStopSignal(handler);
  return {
    written: () => {
      done = true;
    },
    uninstall,
  };
}

/**
 * Once the command has said all it will say, a signal in the moment before the process ends (workers shutting down)
 * exits with the signal's status (130, 143 or 129) at once and without a word: everything is on disk. Without a handler,
 * Node's default would kill the process by the signal instead of exiting with a status. (Once the event loop is done,
 * Node's own shutdown, some 15–20 ms here, runs no handler: a signal then still ends the process by itself, which a
 * shell reports as the same status.) Signal handlers do not keep the process alive, so this one is never removed
 * (`runLab` is a command's last act, once per process).
 */
function exitOnLateSignals(): void {
  if (process.listeners('SIGINT').includes(exitAtOnce)) return;
  onEachStopSignal(exitAtOnce);
}

function exitAtOnce(signal: NodeJS.Signals): void {
  process.exit(signalStatus(signal));
}

/**
 * Runs that trained on through a NaN or infinite loss (`--allow-nonfinite`) may end with such weights: their accuracy
 * is then the argmax of NaN outputs, and `eval` and `predict` refuse their model files. Says so under the table (the
 * results and the report record it too).
 */
function warnNonFiniteModels(runs: readonly RunResult[]): void {
  for (const r of runs) {
    if (r.nonFiniteWeights === undefined) continue;
    const n = r.nonFiniteWeights;
    process.stderr.write(`kindling: note: ${r.variant} s${r.seed} ended with ${formatCountOf(n, 'NaN or infinite weight')} (it trained on with --allow-nonfinite): its accuracy means nothing, and eval and predict refuse its model\n`);
  }
}

/**
 * After a stop: checkpoints for runs that never started, then where everything is and how to resume (with the
 * same `--save`, when one was given).
 */
function reportStopped(plan: Plan, jobs: PoolJob[], outcomes: Outcome[], names: string[], ctx: LabContext, code: number, opts: LabOptions, made: readonly string[]): number {
  const lines: string[] = [];
  outcomes.forEach((o, i) => {
    const job = jobs[i]!;
    const ckpt = job.files!.checkpoint!;
    if (o.ok) lines.push(`  ${names[i]}: finished (${formatPercent(o.result.accuracy)}); checkpoint ${ckpt}`);
    else if (o.kind === 'stopped') lines.push(`  ${names[i]}: stopped at step ${o.step.toLocaleString('en-US')} of ${o.totalSteps.toLocaleString('en-US')}; checkpoint ${o.checkpoint ?? ckpt}`);
    else if (o.kind === 'error') lines.push(`  ${names[i]}: failed: ${o.message}`);
    else {
      // Not started: leave a checkpoint in the run folder anyway, so resuming the folder resumes every run.
      try {
        if (job.resume === undefined) writeStartCheckpoint(ckpt, job.spec, job.files);
        else if (resolve(job.resume) !== resolve(ckpt)) writeFileAtomic(ckpt, readFileSync(job.resume));
        lines.push(`  ${names[i]}: not started; checkpoint ${ckpt}`);
      } catch (err) {
        lines.push(`  ${names[i]}: not started; its checkpoint could not be written: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  });
  // A checkpoint that could not be written (a full disk) loses that run's training: said so, and no command is
  // given that would not find it.
  const lost = jobs.filter((j) => !existsSync(j.files!.checkpoint!)).length;
  if (lost === jobs.length) {
    const empty = removeEmptyDirs(made);
    process.stderr.write(`kindling: stopped; no checkpoint could be written, so what was trained is lost${empty ? '' : ` (the folder ${plan.dir} is kept)`}.\n${lines.join('\n')}\n`);
    return code;
  }
  const head = lost === 0 ? 'nothing trained so far is lost' : `${formatPartOf(lost, jobs.length, 'run')} ${lost === 1 ? 'has' : 'have'} no checkpoint (see below), and what ${lost === 1 ? 'it' : 'they'} trained is lost`;
  process.stderr.write(`kindling: stopped; ${head}.\n${lines.join('\n')}\nResume ${lost === 0 ? '' : 'the others '}with:\n  ${resumeCommand(plan, jobs, ctx, opts)}\n`);
  return code;
}

/**
 * What resumes stopped runs: the run's checkpoint, or the folder of several, with the same `--save` when one was
 * given. A command that was itself a resume repeats what it was given beyond the checkpoints (`--epochs`,
 * `--test-limit`, `--data`, `--allow-nonfinite`): runs it had not started yet still hold their old checkpoints.
 */
function resumeCommand(plan: Plan, jobs: readonly PoolJob[], ctx: LabContext, opts: LabOptions): string {
  const more: string[] = [];
  if (opts.resume !== undefined) {
    if (ctx.given.has('epochs')) more.push(`--epochs ${opts.epochs}`);
    if (ctx.given.has('testLimit')) more.push(`--test-limit ${opts.testLimit!}`);
    if (opts.data !== undefined) more.push(`--data ${shellArg(opts.data)}`);
    if (ctx.given.has('allowNonfinite')) more.push('--allow-nonfinite');
  }
  if (opts.save !== undefined) more.push(`--save ${shellArg(opts.save)}`);
  return [`${invocation()} ${ctx.command} --resume ${shellArg(resumeTarget(plan, jobs))}`, ...more].join(' ');
}

/** Copies the run folder's model to the --save path (atomically); returns why it could not, or null. */
function copyModel(model: string, save: string, given: string): string | null {
  try {
    writeFileAtomic(save, readFileSync(model));
    return null;
  } catch (err) {
    return `--save ${given}: the model could not be written there (${describeFsError(err)}); the run's results and report are written, and the model is in ${model}`;
  }
}

function resumeTarget(plan: Plan, jobs: readonly PoolJob[]): string {
  return jobs.length === 1 ? jobs[0]!.files!.checkpoint! : plan.dir;
}

/** A --train-limit or --test-limit the user gave that is more than the data holds: all of it is used, said once. */
function noteLimitsPastData(opts: LabOptions, ctx: LabContext, trainCount: number, testCount: number): void {
  const limits = [['trainLimit', '--train-limit', trainCount, 'training'], ['testLimit', '--test-limit', testCount, 'test']] as const;
  for (const [key, option, count, split] of limits) {
    const given = opts[key];
    if (ctx.given.has(key) && given !== undefined && given > count) {
      process.stderr.write(`kindling: note: ${option} ${given} is more than the ${count.toLocaleString('en-US')} ${split} images: all of them are used\n`);
    }
  }
}

/**
 * A --batch-size the user gave that is more than the images a run trains on: each epoch is one short batch, as a
 * DataLoader's last batch is short (the run records the batch size asked for, as PyTorch's loader keeps its own).
 */
function noteBatchPastData(opts: LabOptions, ctx: LabContext, trainCount: number): void {
  const count = Math.min(trainCount, opts.trainLimit ?? Infinity);
  if (ctx.given.has('batchSize') && opts.resume === undefined && opts.batchSize > count) {
    const images = formatCountOf(count, 'training image');
    process.stderr.write(`kindling: note: --batch-size ${opts.batchSize} is more than the ${images}: each epoch is one batch of ${count.toLocaleString('en-US')}\n`);
  }
}

/** Trains every planned run for every seed (or resumes checkpoints), prints the table, writes the run folder. Returns the exit code. */
export async function runLab(planned: readonly PlannedRun[], opts: LabOptions, ctx: LabContext): Promise<number> {
  const releases: (() => void)[] = [];
  try {
    return await runClaimed(planned, opts, ctx, releases);
  } finally {
    for (const release of releases) release();
  }
}

/** runLab, which pushes the release of its run folder's claim (see run-claim.ts) onto `releases` once it holds one. */
async function runClaimed(planned: readonly PlannedRun[], opts: LabOptions, ctx: LabContext, releases: (() => void)[]): Promise<number> {
  const started = new Date();
  const t0 = performance.now();
  const plan = opts.resume === undefined ? planFresh(planned, opts) : planResume(opts.resume, opts, ctx);
  if (plan.data !== undefined) checkBothSplits(plan.data);
  const saveTo = opts.save === undefined ? undefined : checkSavePath(opts.save, plan.jobs.map((j) => j.spec), plan.dir);
  const save = saveTo?.path;
  // A resumed run may write into its own folder; anywhere else, as a fresh run does, the folder must hold no run.
  const missing = checkRunDir(plan.dir, plan.ownDir, plan.jobs.map((j) => j.spec.variant), plan.autoNamed === true);
  // The folders this command made, once it has made them (a quit removes them only if they are empty).
  let made: string[] = [];
  // Loaded into shared memory (plain IDX files read straight into it): the workers read these bytes, and no second
  // copy is made. Held in a box that is emptied once training is over, so that the report is drawn without the data
  // set in memory.
  let data: { train: MnistSplit; test: MnistSplit } | null = {
    train: loadSplit(plan.data, 'train', { shared: true }),
    test: loadSplit(plan.data, 'test', { shared: true }),
  };
  const { source, count: trainCount } = data.train;
  const dataDigest = { train: splitDigest(data.train), test: splitDigest(data.test) };
  noteLimitsPastData(opts, ctx, trainCount, data.test.count);
  noteBatchPastData(opts, ctx, trainCount);
  for (const j of plan.jobs) {
    const count = Math.min(trainCount, j.spec.trainLimit ?? Infinity);
    const trainDigest = splitDigest(data.train, count);
    if (j.resumedSamples !== undefined && j.resumedSamples !== count) {
      throw new KindlingError(`cannot resume from ${j.resume}: it trained on ${j.resumedSamples.toLocaleString('en-US')} images per epoch, but this data gives ${count.toLocaleString('en-US')} (${source})`);
    }
    if (j.resumedDigest !== undefined && j.resumedDigest !== trainDigest) {
      throw new KindlingError(`cannot resume from ${j.resume}: it was trained on other data than ${source} (the training images or labels differ); resume it with the data it started on`);
    }
    const memory = batchProblem(Math.min(count, j.spec.batchSize), j.spec.config.hidden);
    if (memory !== null) throw new KindlingError(`${j.resume === undefined ? '' : `cannot resume from ${j.resume}: `}${memory}`);
    const perEpoch = Math.ceil(count / j.spec.batchSize);
    // Steps and images are counted in doubles (progress, checkpoints, results): past 2^53 they would no longer be exact.
    if (perEpoch * j.spec.epochs * Math.min(count, j.spec.batchSize) > Number.MAX_SAFE_INTEGER) {
      const most = Math.floor(Number.MAX_SAFE_INTEGER / (perEpoch * Math.min(count, j.spec.batchSize)));
      throw new KindlingError(`--epochs ${j.spec.epochs}: ${j.spec.epochs.toLocaleString('en-US')} epochs of ${count.toLocaleString('en-US')} images are more than a run can count exactly (2^53); give --epochs ${most.toLocaleString('en-US')} or fewer`);
    }
    if (j.resumedAt !== undefined && j.resumedAt > perEpoch * j.spec.epochs) {
      const done = Math.ceil(j.resumedAt / perEpoch);
      throw new KindlingError(`cannot resume from ${j.resume}: it is at step ${j.resumedAt.toLocaleString('en-US')} (epoch ${done}), past the ${j.spec.epochs} epoch(s) asked for: give --epochs ${done} or more`);
    }
  }
  // Made once the data has loaded: a bad data set leaves nothing behind. From here until the stop handler below is in
  // place, a signal is held by this one (without a handler, Node's default would end the process at once and leave
  // the folder with its claim). The code in between does not wait, so the signal reaches the stop handler; should this
  // one run, it removes the folder the command made.
  let release: (() => void) | undefined;
  const untilStopHandler = onEachStopSignal((signal) => {
    release?.();
    removeEmptyDirs(made);
    process.stderr.write(`\nkindling: ${signal}: stopped before training started; nothing was kept\n`);
    process.exit(signalStatus(signal));
  });
  try {
    ({ dir: plan.dir, made } = makeRunDir(plan.dir, missing, plan.autoNamed === true));
    release = claimRunDir(plan.dir, `${opts.resume === undefined ? '--out' : '--resume'} ${plan.dir}`);
    releases.push(release);
    // Checked again now that the folder is this command's: another command may have written a run into it while the
    // data loaded.
    checkRunDir(plan.dir, plan.ownDir, plan.jobs.map((j) => j.spec.variant), plan.autoNamed === true);
  } catch (err) {
    untilStopHandler();
    removeEmptyDirs(made);
    release?.();
    throw err;
  }
  const jobs: PoolJob[] = plan.jobs.map(({ spec, resume }, index) => ({
    spec,
    files: {
      checkpoint: join(plan.dir, checkpointName(spec)),
      // --save gets a copy of this file once the results are written (a failure there then loses nothing).
      models: [join(plan.dir, modelName(spec))],
      ...(plan.data === undefined ? {} : { data: plan.data }),
      trainDigest: splitDigest(data!.train, Math.min(trainCount, spec.trainLimit ?? Infinity)),
      testDigest: splitDigest(data!.test, Math.min(data!.test.count, spec.testLimit ?? Infinity)),
      index,
      // Resumed runs keep the command that started them, and when (when their checkpoints recorded it).
      command: plan.command ?? ctx.commandLine,
      createdAt: plan.createdAt ?? started.toISOString(),
    },
    ...(resume === undefined ? {} : { resume }),
  }));
  const specs = jobs.map((j) => j.spec);
  const workers = opts.workers ?? Math.max(1, cpus().length);
  const seeds = new Set(specs.map((s) => s.seed));
  const names = specs.map((s) => (seeds.size > 1 ? `${s.variant} s${s.seed}` : s.variant));
  const counts = specs.map((s) => Math.min(trainCount, s.trainLimit ?? Infinity));
  const totals = specs.map((s, i) => Math.ceil(counts[i]! / s.batchSize) * s.epochs);
  const mode = opts.quiet ? 'quiet' : process.stderr.isTTY ? 'tty' : 'lines';
  if (!opts.json) {
    plan.jobs.forEach((j, i) => {
      if (j.resumedAt !== undefined && j.resumedAt === totals[i]!) {
        process.stderr.write(`kindling: note: ${names[i]} was already trained to the end (step ${j.resumedAt.toLocaleString('en-US')} of ${totals[i]!.toLocaleString('en-US')}): it is only tested again and its files written again (--epochs N trains it further)\n`);
      }
    });
  }
  const fallback = kernelsFallback();
  if (fallback !== null) {
    process.stderr.write(`kindling: note: the WebAssembly kernels did not load (${fallback}); training runs on the reference kernels, the same numbers about ten times slower${fallback.includes('npm run build') ? '' : ' (run npm run build)'}\n`);
  }
  const view = createProgressView(names, totals, mode);
  let viewStopped = false;
  // Stopped once only: stopping cli-progress again would draw the bars a second time.
  const stopView = (): void => {
    if (!viewStopped) view.stop();
    viewStopped = true;
  };
  const stop = createStopFlag();
  // Quitting at once leaves every planned run resumable: a run without a checkpoint gets the one it starts from.
  const starts = jobs.map((job) => ({
    path: job.files!.checkpoint!,
    writeStart: (path: string): void => {
      if (job.resume === undefined) writeStartCheckpoint(path, job.spec, job.files);
      else writeFileAtomic(path, readFileSync(job.resume));
    },
  }));
  const placeStarts = startCheckpointsOnce(starts);
  const uninstall = onStopSignals(stop, stopView, () => {
    holdWorkerWrites(stop);
    const said = quitTraining(plan.dir, made, starts);
    return existsSync(resumeTarget(plan, jobs)) ? { said, resume: resumeCommand(plan, jobs, ctx, opts) } : { said };
  });
  untilStopHandler();
  // Said once Ctrl-C is handled: from this line on, a stop finishes the current step and keeps the checkpoints.
  if (!opts.quiet && !opts.json) {
    const what = opts.resume === undefined ? 'Training' : 'Resuming';
    process.stderr.write(`${what} ${specs.length} run(s) on ${Math.max(...counts).toLocaleString('en-US')} images × ${Math.max(...specs.map((s) => s.epochs))} epoch(s) with ${Math.min(workers, specs.length)} worker(s); data: ${source}; folder: ${plan.dir}\n`);
  }
  // The finished variants' plots are drawn while other runs train (see EarlyPlots).
  const early = new EarlyPlots(specs.map((s) => s.variant), workers);
  let outcomes: Outcome[];
  try {
    outcomes = await runPool(jobs, {
      workers,
      train: data.train,
      test: data.test,
      stop,
      progressEvery: mode === 'tty' ? 500 : 2000,
      onStart: (i) => {
        early.jobStarted();
        view.start(i);
      },
      onProgress: (i, p) => {
        view.update(i, p);
        // Past its first epoch, the run has written its checkpoint.
        if (p.epoch >= 1) placeStarts();
      },
      onDone: (i, r) => {
        placeStarts();
        view.finish(i, `${names[i]}: ${formatPercent(r.accuracy)} test accuracy, trained in ${r.trainSeconds.toFixed(1)} s`);
        early.jobFinished(i, r);
      },
      onFailed: (i) => early.jobFinished(i),
      beforeNextJob: () => early.betweenJobs(),
    });
  } catch (err) {
    uninstall();
    throw err;
  } finally {
    data = null;
    stopView();
  }
  const stopCode = Atomics.load(stop, 0);
  // A stop that came once every run had trained (while the last one was tested) changes nothing but this note. The
  // stop signals' handler stays while the stop is reported (it writes the checkpoints of runs that never started):
  // a second Ctrl-C then quits as it would while training, instead of killing the process half-way.
  if (stopCode !== 0 && !outcomes.every((o) => o.ok)) {
    try {
      return reportStopped(plan, jobs, outcomes, names, ctx, stopCode, opts, made);
    } finally {
      uninstall();
      exitOnLateSignals();
    }
  }
  uninstall();
  if (stopCode !== 0 && !opts.json) process.stderr.write('kindling: every run had finished training, so the results and the report are written (Ctrl-C again quits without them, and prints how to write them later)\n');

  // Training is over and every run that finished has its checkpoint at the end: a stop now loses only the report,
  // which resuming the runs writes.
  const rewrite = resumeCommand(plan, jobs, ctx, opts);
  const reporting = onSignalsWhileReporting(rewrite);
  try {
    const runs: RunResult[] = [];
    const failures: string[] = [];
    outcomes.forEach((o, i) => {
      if (o.ok) runs.push(o.result);
      // The trainer's messages start "variant adam (seed 0): …"; others get the run's name.
      else failures.push(o.message.startsWith(`variant ${specs[i]!.variant} (seed ${specs[i]!.seed})`) ? o.message : `${names[i]}: ${o.message}`);
    });
    for (const f of failures) process.stderr.write(`kindling: run failed — ${f}\n`);
    if (runs.length === 0) {
      // A folder this command made and left empty (no run got as far as a checkpoint) is not left behind.
      const empty = removeEmptyDirs(made);
      // A script reading --json gets its answer too: no summary, no models, and why each run failed.
      if (opts.json) {
        const wall = (performance.now() - t0) / 1000;
        process.stdout.write(`${JSON.stringify({ summary: [], runFolder: empty ? null : plan.dir, models: [], wallSeconds: wall, commandSeconds: wall, failures }, null, 2)}\n`);
      }
      // A run that failed after a checkpoint (a model file the disk had no room for) goes on from it.
      const kept = resumableFailures(jobs, outcomes);
      if (kept === 0) throw new KindlingError(`every run failed; no results were written${empty ? '' : ` (checkpoints, if any, are in ${plan.dir})`}`);
      throw new KindlingError(`every run failed; no results were written. ${kept === 1 ? 'A checkpoint is' : `${kept} checkpoints are`} kept in ${plan.dir}: once the cause is fixed, resume with:\n  ${rewrite}`);
    }
    const failed = outcomes.flatMap((o, i) => (o.ok ? [] : [{ variant: specs[i]!.variant, seed: specs[i]!.seed, message: o.message }]));
    const resumedWith = plan.command === undefined ? {} : { resumedWith: ctx.commandLine };
    const results = buildResultsFile(runs, { started: plan.createdAt === undefined ? started : new Date(plan.createdAt), t0, data: plan.data, dataDigest, workers: Math.min(workers, specs.length), command: plan.command ?? ctx.commandLine, ...resumedWith, failed });
    if (!opts.quiet && !opts.json) process.stderr.write('Writing the results and the report…\n');
    await early.close();
    const { files, pytorch, written } = await writeResults(plan.dir, results, early.rendered()).catch((err: unknown) => {
      // A full disk, a folder made read-only: the runs are trained and kept in their checkpoints, so say how to write
      // the results and the report once the cause is fixed, as a stop while writing them does.
      if (!(err instanceof KindlingError)) throw err;
      throw new KindlingError(`${err.message}\nThe trained runs are kept in their checkpoints. Once that is fixed, test them again and write the results and the report with:\n  ${rewrite}`, { cause: err, exitCode: err.exitCode });
    });
    reporting.written();
    const saveFailed = save === undefined || !outcomes[0]!.ok ? null : copyModel(jobs[0]!.files!.models![0]!, save, opts.save!);
    const wall = (performance.now() - t0) / 1000;
    const models = jobs.flatMap((j, i) => (outcomes[i]!.ok ? [...j.files!.models!, ...(save === undefined || saveFailed !== null ? [] : [save])] : []));
    if (opts.json) {
      // wallSeconds as results.json records it (training and testing); commandSeconds the whole command, as the
      // terminal's "Wall time".
      const wallSeconds = results.meta.wallSeconds ?? wall;
      // Runs that ended with NaN or infinite weights (--allow-nonfinite): their accuracy means nothing, and eval and
      // predict refuse their models, so a script is told, as the table's reader is.
      const nonFinite = runs.flatMap((r) => (r.nonFiniteWeights === undefined ? [] : [{ variant: r.variant, seed: r.seed, nonFiniteWeights: r.nonFiniteWeights }]));
      // PyTorch's figures as the table shows them and results.json records them (meta.pytorch).
      process.stdout.write(`${JSON.stringify(labJson(written, { runFolder: plan.dir, models, wallSeconds, commandSeconds: wall, failures, nonFinite }), null, 2)}\n`);
    } else {
      const table = formatTable(results.summary, { color: Boolean(process.stdout.isTTY), ...(pytorch ? { pytorch } : {}) });
      const saved = save === undefined || saveFailed !== null ? '' : ` Saved the model to ${save}${saveTo?.replaces === true ? ', replacing the model file that was there' : ''}.`;
      const checkpoints = jobs.filter((j) => existsSync(j.files!.checkpoint!)).length;
      const inFolder = files.length + models.filter((m) => m !== save).length + checkpoints;
      const training = results.meta.wallSeconds ?? wall;
      process.stdout.write(`\n${table}\n\nWall time ${wall.toFixed(1)} s (${training.toFixed(1)} s of training and testing, as results.json records it, then the results and the report). Wrote ${inFolder} files to ${plan.dir.endsWith('/') ? plan.dir : `${plan.dir}/`} (models and checkpoints included) — open ${join(plan.dir, 'report.html')}.${saved}\n`);
    }
    warnNonFiniteModels(runs);
    if (saveFailed !== null) process.stderr.write(`kindling: ${saveFailed}\n`);
    if (failures.length === 0) return saveFailed === null ? 0 : 1;
    // Exit 1 even though results were written: a script must not take a partial table for the whole experiment.
    const shown = runs.length === 1 ? 'the 1 run that finished' : `the ${runs.length} runs that finished`;
    process.stderr.write(`kindling: ${failures.length} of ${jobs.length} runs failed (see "run failed" above); the results and the report hold ${shown}\n`);
    return 1;
  } finally {
    reporting.uninstall();
    exitOnLateSignals();
  }
}
