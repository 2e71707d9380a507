import { cpus } from 'node:os';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { median } from '../../../bench/median.js';
import { cutRatio, ratioRange } from '../../../bench/ratio.js';
import { readMnist, type MnistSplit } from '../../../bench/mnist.js';
import { timeEvaluation, timeTraining, timeWholeRun, warmUp } from '../../../bench/timing.js';
import { PROBE_WARM, probeVariant } from '../../../bench/memory.js';
import { OPS_NAMES, OPS_PATTERNS, type OpsPattern } from '../../../bench/ops.js';
import { TORCH_MALLOCS, torchEvaluation, torchTiming, type TorchMalloc } from '../../../bench/torch.js';
import { VARIANTS, type Variant } from '../../../bench/variants.js';
import { KindlingError } from '../../errors.js';
import { getBackend, wasmBuild } from '../../kernels/backend.js';
import { listItems } from '../options.js';
import { writeOrQuit } from '../write-or-quit.js';
import { benchHeader } from './bench-header.js';
import { OPS_ROUNDS, opsList, opsScale, runBenchOps } from './bench-ops.js';

interface BenchOptions {
  readonly ops?: true;
  readonly opsList: OpsPattern[];
  readonly opsScale: number;
  readonly variants: Variant[];
  readonly steps: number;
  readonly batchSize: number;
  readonly batchSteps: number;
  readonly rounds: number;
  readonly torch: boolean;
  readonly python: string;
  readonly torchMalloc: TorchMalloc;
  readonly json: boolean;
  readonly whole: Variant[];
  readonly wholeImages: number;
}

/** The issue's targets: PyTorch µs ÷ Kindling µs per variant for one image per step, and for minibatches. */
const TARGET: Record<Variant, number> = { baseline: 10, bce: 10, leakyrelu: 10, layernorm: 10, adam: 6, combined: 6 };
/**
 * Steps each side trains, untimed, before its timed steps: one image per step, and minibatches. Right after
 * PyTorch's process has run, Kindling's first few thousand one-image steps are 10–25% slower than its steady pace
 * (measured on 2026-11-30 with 200 warm-up steps: bce 23.8, leakyrelu 28.1, layernorm 30.5 µs a step; with 3,000:
 * 21.6, 21.2 and 27.7, the figures of a bench without PyTorch), so both sides get 2,000. PyTorch takes the same.
 */
const WARMUP_ONE = 2000;
const WARMUP_BATCH = 200;
/** One-image steps a variant trains in the process that measures its peak memory (memory does not grow with steps). */
const MEMORY_STEPS = 10_000;
/** One-image steps trained before the evaluation is timed. */
const EVAL_AFTER = 2000;
/** The issue's target for evaluating the 10,000 test images (batched), ms. */
const EVAL_TARGET_MS = 100;
/**
 * Rounds per figure. Kindling's timed one-image steps take about 0.1 s a round (5,000 × 20 µs), PyTorch's about 1.1 s:
 * one of this virtual machine's slow phases (steps about 1.5× slower for 0.15–0.3 s at a time, a plain loop too) can
 * cover a whole Kindling round but only a slice of PyTorch's. With three rounds two such rounds moved a median below
 * its target twice on 2026-11-30 (docs/speed.md, "Why five rounds"); with five it takes three, and since every round
 * runs every variant (measure, below) those three must be a table's length apart.
 */
const ROUNDS = 5;

interface Row {
  mode: 'per-sample' | 'minibatch';
  variant: Variant;
  steps: number;
  /** Medians over the rounds; `ratio` is PyTorch's median over Kindling's. */
  kindlingUs: number;
  torchUs: number | null;
  ratio: number | null;
  target: number;
  /**
   * Each round's figures, in the order they were measured (Kindling, then PyTorch, round after round), with the page
   * faults PyTorch's process took a timed step (null without PyTorch, or from a script that does not count them).
   */
  rounds: { kindlingUs: number; torchUs: number | null; ratio: number | null; torchFaultsPerStep: number | null }[];
  /** One image per step: the peak resident memory of a process of its own training the variant (bench/memory-probe.ts). */
  peakMb?: number;
  /**
   * One image per step: µs a step of the lab's own loop (trainRun, as `kindling reproduce` runs it) in that process,
   * after its warm-up; null when the probe's run leaves no steps after it.
   */
  labUs?: number | null;
}

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < 1) throw new InvalidArgumentError(`${name} must be a whole number 1 or more, got "${value}"`);
    if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`${name}: "${value}" is too large: expected a whole number up to ${Number.MAX_SAFE_INTEGER.toLocaleString('en-US')}`);
    return n;
  };
}

function variantList(value: string): Variant[] {
  const list = listItems(value, 'variants');
  for (const v of list) {
    if (!(VARIANTS as readonly string[]).includes(v)) throw new InvalidArgumentError(`unknown variant "${v}"; expected some of ${VARIANTS.join(', ')}`);
  }
  if (list.length === 0) throw new InvalidArgumentError('give at least one variant');
  if (new Set(list).size !== list.length) throw new InvalidArgumentError(`a variant is listed twice in "${value}".`);
  return list as Variant[];
}

function loadData(): { train: MnistSplit; test: MnistSplit } {
  try {
    return { train: readMnist('train'), test: readMnist('t10k') };
  } catch (err) {
    throw new KindlingError((err as Error).message);
  }
}

/** `--torch-malloc`: kept or default. */
function torchMalloc(value: string): TorchMalloc {
  const mode = value.trim();
  if (!(TORCH_MALLOCS as readonly string[]).includes(mode)) throw new InvalidArgumentError(`expected ${TORCH_MALLOCS.map((m) => `"${m}"`).join(' or ')}, got "${value}"`);
  return mode as TorchMalloc;
}

/** `--whole`: like `--variants`, or "none". */
function wholeList(value: string): Variant[] {
  if (value.trim() === '') throw new InvalidArgumentError('give some of the variants, or none');
  return value.trim() === 'none' ? [] : variantList(value);
}

const fmt = (x: number | null, digits = 1): string => (x === null ? '—' : x.toFixed(digits));

/** Page faults a timed step from which PyTorch's figures are noted as memory traffic with the kernel, not arithmetic. */
const FAULTS_NOTED = 20;

/**
 * A line under a table whose PyTorch process took many page faults a step (the median of its rounds): its malloc
 * gives memory back to the kernel and takes it again, which this machine makes slow (bench/torch.ts, TorchMalloc).
 */
function faultNote(rows: readonly Row[]): string | null {
  const many = rows.flatMap((row) => {
    const counts = row.rounds.map((r) => r.torchFaultsPerStep).filter((x): x is number => x !== null);
    const faults = counts.length === 0 ? 0 : median(counts);
    return faults >= FAULTS_NOTED ? [`${row.variant} ${faults.toFixed(0)}`] : [];
  });
  if (many.length === 0) return null;
  return `Note: PyTorch's process took many page faults a timed step (${many.join(', ')}): its malloc gives memory back to the kernel and faults it in again, part of its µs above.`;
}

/** `kindling bench`: Kindling and PyTorch side by side on the chapter's protocol. */
function runBench(opts: BenchOptions, pythonGiven: boolean): void {
  const out = (line = ''): void => {
    if (!opts.json) writeOrQuit(`${line}\n`);
  };
  const { torch, runner, cpu } = benchHeader('kindling bench', opts, pythonGiven, out);
  const hasTorch = 'version' in torch;
  const build = wasmBuild();
  const { train, test } = loadData();
  const rows: Row[] = [];
  /**
   * One table: every variant, round after round. Each round runs every variant once (Kindling, then PyTorch, on the
   * same variant), so a variant's rounds are spread over the whole table instead of following one another: a slow
   * spell of this machine of half a minute, which used to cover every round of one variant, now covers a round or two
   * of each, and the medians of five leave them out.
   */
  const measure = (mode: Row['mode'], steps: number, batch: number): void => {
    const warm = Math.min(batch === 1 ? WARMUP_ONE : WARMUP_BATCH, steps);
    const rounds = new Map<Variant, Row['rounds']>(opts.variants.map((v) => [v, []]));
    const done = new Map<Variant, number>();
    for (let r = 0; r < opts.rounds; r++) {
      if (opts.rounds > 1 && !opts.json && process.stderr.isTTY) process.stderr.write(`\r  round ${r + 1} of ${opts.rounds}…`);
      for (const variant of opts.variants) {
        const k = timeTraining(variant, train, steps, batch, warm);
        // Alternating: PyTorch runs right after Kindling on the same variant, so both see the same machine load.
        const t = hasTorch ? torchTiming(runner, variant, steps, batch, warm) : null;
        done.set(variant, k.steps);
        rounds.get(variant)!.push({ kindlingUs: k.usPerStep, torchUs: t?.usPerStep ?? null, ratio: t === null ? null : t.usPerStep / k.usPerStep, torchFaultsPerStep: t?.faultsPerStep ?? null });
      }
    }
    if (opts.rounds > 1 && !opts.json && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    for (const variant of opts.variants) {
      const each = rounds.get(variant)!;
      // A round that a busy neighbour slowed on one side moves the median of neither.
      const kindlingUs = median(each.map((r) => r.kindlingUs));
      const torchUs = hasTorch ? median(each.map((r) => r.torchUs!)) : null;
      const row: Row = {
        mode, variant, steps: done.get(variant)!, kindlingUs, torchUs,
        ratio: torchUs === null ? null : torchUs / kindlingUs, target: mode === 'per-sample' ? TARGET[variant] : 1, rounds: each,
      };
      if (mode === 'per-sample') {
        const probe = probeVariant(variant, MEMORY_STEPS);
        row.peakMb = probe.maxRssMb;
        row.labUs = probe.labUs;
      }
      rows.push(row);
      // The ratio cut to its last digit (bench/ratio.ts), the rounds' own ratios, and whether the target is met.
      const ratio = row.ratio === null ? '—' : cutRatio(row.ratio);
      const spread = ratioRange(each.map((r) => r.ratio).filter((x): x is number => x !== null));
      const verdict = row.ratio === null ? '' : row.ratio >= row.target ? '  met' : '  MISSED';
      const memory = row.peakMb === undefined ? '' : ` ${row.peakMb.toFixed(0).padStart(8)} ${fmt(row.labUs ?? null).padStart(8)}`;
      out(`${variant.padEnd(10)} ${fmt(row.kindlingUs).padStart(10)} ${fmt(row.torchUs).padStart(10)} ${ratio.padStart(8)} ${spread.padStart(13)} ${`≥${row.target}×`.padStart(7)}${memory}${verdict}`);
    }
    const faulting = faultNote(rows.filter((r) => r.mode === mode));
    if (faulting !== null) out(faulting);
  };
  out();
  const header = `${'variant'.padEnd(10)} ${'kindling'.padStart(10)} ${'pytorch'.padStart(10)} ${'ratio'.padStart(8)} ${'rounds'.padStart(13)} ${'target'.padStart(7)}`;
  const sides = hasTorch ? 'each side' : 'Kindling';
  const howMeasured = opts.rounds === 1 ? 'one round' : `median of ${opts.rounds} rounds${hasTorch ? ', each side in turn' : ''}, every variant in each round`;
  if (hasTorch) out('ratio = PyTorch µs ÷ Kindling µs (above 1: Kindling is faster); rounds = the lowest and highest round\'s ratio.');
  // Each side makes at most one pass over the data: the steps that take place.
  const oneSteps = Math.min(opts.steps, train.count);
  out(`One image per step (the chapter's protocol): ${oneSteps} steps${oneSteps < opts.steps ? ' (one pass over the data)' : ''} after ${Math.min(WARMUP_ONE, oneSteps)} warm-up steps (${sides}), µs per step, ${howMeasured}; peak MB: a process of its own training the variant with the lab's loop (${MEMORY_STEPS.toLocaleString('en-US')} images, then the test set), the data set's bytes included; lab µs: that loop's µs per step, the median of its 1,000-step stretches after the first ${PROBE_WARM.toLocaleString('en-US')}`);
  out(`${header} ${'peak MB'.padStart(8)} ${'lab µs'.padStart(8)}`);
  warmUp(opts.variants, train, 1);
  measure('per-sample', opts.steps, 1);
  out();
  const batchSteps = Math.min(opts.batchSteps, Math.ceil(train.count / opts.batchSize));
  const covered = Math.min(batchSteps * opts.batchSize, train.count);
  const allOfThem = opts.batchSize > train.count ? ` (all ${train.count} images)` : '';
  const batchWarm = Math.min(WARMUP_BATCH, batchSteps);
  out(`Minibatches of ${opts.batchSize}${allOfThem}: ${batchSteps} step${batchSteps === 1 ? '' : 's'} (${covered >= train.count ? 'one epoch' : `${covered} images`}) after ${batchWarm} warm-up step${batchWarm === 1 ? '' : 's'} (${sides}), µs per step, ${howMeasured}`);
  out(header);
  warmUp(opts.variants, train, opts.batchSize);
  measure('minibatch', opts.batchSteps, opts.batchSize);
  out();
  const evals = opts.variants.map((v) => {
    const k = timeEvaluation(v, train, test, EVAL_AFTER);
    const t = hasTorch ? torchEvaluation(runner, v, EVAL_AFTER) : null;
    return { ...k, torch: t };
  });
  out(`Evaluation of the ${test.count} test images after ${EVAL_AFTER} training steps, ms per model, each the median of 3 after a warm-up: one image at a time (as the chapter), and batched (the lab's evaluate: batches of 500${hasTorch ? '; PyTorch: the same batches' : ''}); target for Kindling batched < ${EVAL_TARGET_MS} ms`);
  const pytorchCol = hasTorch ? ` ${'pytorch'.padStart(8)}` : '';
  out(`${'variant'.padEnd(10)} ${'one by one'.padStart(11)}${pytorchCol} ${'batched'.padStart(8)}${pytorchCol} ${'accuracy'.padStart(9)}`);
  for (const e of evals) {
    const torchOne = e.torch === null ? '' : ` ${e.torch.msOneByOne.toFixed(0).padStart(8)}`;
    const torchBatched = e.torch === null ? '' : ` ${e.torch.msBatched.toFixed(0).padStart(8)}`;
    const verdict = e.msBatched < EVAL_TARGET_MS ? '  met' : '  MISSED';
    out(`${e.variant.padEnd(10)} ${e.msOneByOne.toFixed(0).padStart(11)}${torchOne} ${e.msBatched.toFixed(0).padStart(8)}${torchBatched} ${(e.accuracy * 100).toFixed(1).padStart(8)}%${verdict}`);
  }
  const epochs = 3;
  const images = Math.min(opts.wholeImages, train.count);
  const whole = opts.whole.map((v) => timeWholeRun(v, train, epochs, images));
  if (whole.length > 0) {
    out();
    const capped = opts.wholeImages > train.count ? ` (--whole-images ${opts.wholeImages}: the training set has ${train.count})` : '';
    out(`The chapter's whole protocol (${epochs} epochs of ${images} images${capped}, one per step), Kindling only, µs per step by epoch:`);
    out(`${'variant'.padEnd(10)} ${Array.from({ length: epochs }, (_, e) => `epoch ${e + 1}`.padStart(9)).join(' ')} ${'whole run'.padStart(10)}`);
    for (const w of whole) out(`${w.variant.padEnd(10)} ${w.epochUs.map((us) => fmt(us).padStart(9)).join(' ')} ${`${w.seconds.toFixed(w.seconds < 10 ? 2 : 1)} s`.padStart(10)}`);
  }
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  out(`This bench process's own peak memory (maxRSS; its float32 copy of the data set included): ${maxRssMb.toFixed(0)} MB`);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({
      node: process.version, backend: getBackend(), subnormals: build?.mode ?? null, cpu, cores: cpus().length,
      torch: hasTorch ? torch.version : null, ...(hasTorch ? {} : { torchAbsent: torch.error }), blas: hasTorch ? torch.blas : null,
      torchMalloc: hasTorch ? { mode: runner.malloc, env: runner.mallocEnv } : null,
      rows, evaluation: evals, whole, maxRssMb,
    }, null, 1)}\n`);
  }
}

/** Registers `kindling bench`. */
export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('time Kindling against PyTorch (bench/torch_reference.py, one thread) on the chapter\'s protocol, or with --ops on hand-written loops and tensor ops (bench/ops_reference.py)')
    .addOption(new Option('--variants <list>', `comma-separated, from ${VARIANTS.join(',')}`).argParser(variantList).default([...VARIANTS], VARIANTS.join(',')))
    .option('--steps <n>', 'one-image steps timed per variant', positiveInt('--steps'), 5000)
    .option('--batch-size <n>', 'images per step for the minibatch table', positiveInt('--batch-size'), 64)
    .option('--batch-steps <n>', 'minibatch steps timed per variant (938 × 64 = one epoch)', positiveInt('--batch-steps'), 938)
    .addOption(new Option('--rounds <n>', 'times each side is measured, in turns; the tables give the medians').argParser(positiveInt('--rounds')).default(ROUNDS, `${ROUNDS}, or ${OPS_ROUNDS} with --ops`))
    .option('--no-torch', 'time Kindling only')
    .option('--python <path>', 'a Python with PyTorch', '/usr/bin/python3')
    .addOption(new Option('--torch-malloc <mode>', 'PyTorch\'s memory: "kept" (glibc\'s malloc keeps what PyTorch frees, as jemalloc or TCMalloc would) or "default" (glibc\'s own settings, which fault each Adam step\'s buffers in again)').argParser(torchMalloc).default('kept'))
    .addOption(new Option('--whole <list>', 'variants also timed over the chapter\'s whole protocol, Kindling only (or "none")').argParser(wholeList).default(['adam'] as Variant[], 'adam'))
    .option('--whole-images <n>', 'training images per epoch for --whole', positiveInt('--whole-images'), 60000)
    .option('--json', 'print the figures as JSON instead of tables')
    .option('--ops', 'time the hand-written patterns of bench/ops (training loops, tensor ops) instead of the chapter\'s variants')
    .addOption(new Option('--ops-list <list>', `with --ops: comma-separated, from ${OPS_NAMES.join(', ')}`).argParser(opsList).default([...OPS_PATTERNS], 'all'))
    .option('--ops-scale <x>', 'with --ops: multiply each pattern\'s warm-up and timed steps by X (at least 1 of each)', opsScale, 1)
    .action((opts: BenchOptions, cmd: Command) => {
      const given = (name: string): boolean => cmd.getOptionValueSource(name) === 'cli';
      const pythonGiven = given('python');
      if (opts.ops === undefined) {
        const opsOnly = (['opsList', 'opsScale'] as const).find(given);
        if (opsOnly !== undefined) throw new KindlingError(`--${kebab(opsOnly)} goes with --ops`);
        runBench(opts, pythonGiven);
        return;
      }
      const chapterOnly = (['variants', 'steps', 'batchSize', 'batchSteps', 'whole', 'wholeImages'] as const).find(given);
      if (chapterOnly !== undefined) throw new KindlingError(`--${kebab(chapterOnly)} is an option of the chapter's bench, not of --ops (its patterns are chosen with --ops-list)`);
      runBenchOps({ patterns: opts.opsList, rounds: given('rounds') ? opts.rounds : OPS_ROUNDS, scale: opts.opsScale, torch: opts.torch, python: opts.python, torchMalloc: opts.torchMalloc, json: opts.json === true, debug: cmd.optsWithGlobals<{ debug?: boolean }>().debug === true }, pythonGiven);
    });
}

/** An option's name as it is typed: batchSteps → batch-steps. */
function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
