/**
 * What `reproduce` and `train` share before they run: their options and the shape of a planned run. The running
 * itself (`runLab`, in lab-command.ts) loads the lab, the report and the plots, so the commands import it only when
 * they run, and `--help`, `--version` and the other commands start without it.
 */
import { Option, type Command } from 'commander';
import type { RunConfig } from '../report/results.js';
import { positiveInt, positiveNumber, seedList } from './options.js';

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
  save?: string;
  resume?: string;
}

export interface PlannedRun {
  readonly variant: string;
  readonly label: string;
  readonly config: RunConfig;
}

/** Which command runs the lab, how it was called, and which options the user gave (not defaults). */
export interface LabContext {
  readonly command: 'train' | 'reproduce';
  readonly commandLine: string;
  readonly given: ReadonlySet<string>;
}

export function addLabOptions(cmd: Command, defaults: { seeds: string }, kind: 'train' | 'reproduce' = 'reproduce'): Command {
  const perRun = kind === 'reproduce' ? 'each seed is one run per variant' : 'one run per seed';
  const lr = kind === 'reproduce' ? "learning rate (overrides the variant's)" : 'learning rate (overrides the one given with --optimizer)';
  return cmd
    .addOption(new Option('--seeds <list>', `comma-separated seeds; ${perRun}`).argParser(seedList).default(seedList(defaults.seeds), defaults.seeds))
    .option('--epochs <n>', 'passes over the training images', positiveInt, 3)
    .option('--batch-size <n>', 'images per step (the chapter uses 1)', positiveInt, 1)
    .option('--lr <x>', lr, positiveNumber)
    .option('--train-limit <n>', 'use only the first N training images', positiveInt)
    .option('--test-limit <n>', 'test on only the first N test images', positiveInt)
    .option('--data <path>', 'IDX folder (optionally .gz) or CSV folder holding both splits (default: the embedded MNIST)')
    .option('--out <dir>', 'run folder to write (default: runs/<date-time>; with --resume: the checkpoint\'s folder)')
    .option('--workers <n>', 'parallel worker threads (default: one per core)', positiveInt)
    .option('--save <file>', 'also save the final model to this file (one run only; every model is saved in the run folder)')
    .option('--resume <checkpoint>', 'continue a stopped run from its checkpoint, or every run of a run folder (--epochs may extend it)')
    .option('--json', 'print a machine-readable summary on stdout')
    .option('--quiet', 'no progress output')
    .option('--allow-nonfinite', 'keep training when the loss becomes NaN or infinite');
}

/** The options the user typed (as opposed to defaults), by their camelCase names. */
export function givenOptions(cmd: Command): Set<string> {
  return new Set(cmd.options.map((o) => o.attributeName()).filter((name) => cmd.getOptionValueSource(name) === 'cli'));
}
