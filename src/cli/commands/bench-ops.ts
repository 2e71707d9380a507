// `kindling bench --ops`: the hand-written patterns of bench/ops (training loops, tensor operations), each timed in
// fresh processes, Kindling's then PyTorch's, round after round; the table gives each side's median.
import { cpus } from 'node:os';
import { InvalidArgumentError } from 'commander';
import { median } from '../../../bench/median.js';
import { OPS_NAMES, findPattern, type OpsPattern } from '../../../bench/ops.js';
import { checksAgree } from '../../../bench/ops/check.js';
import { scaled } from '../../../bench/ops/harness.js';
import { kindlingOps, torchOps, type OpsRun } from '../../../bench/ops-run.js';
import { cutRatio, ratioRange } from '../../../bench/ratio.js';
import type { TorchMalloc } from '../../../bench/torch.js';
import { getBackend, wasmBuild } from '../../kernels/backend.js';
import { decimal, listItems } from '../options.js';
import { writeOrQuit } from '../write-or-quit.js';
import { benchHeader } from './bench-header.js';

/** Rounds of each pattern unless --rounds says otherwise (a round's processes take a few seconds, not the chapter bench's fraction of one). */
export const OPS_ROUNDS = 3;

export interface OpsOptions {
  readonly patterns: readonly OpsPattern[];
  readonly rounds: number;
  /** Multiplies each pattern's warm-up and timed steps (at least one of each). */
  readonly scale: number;
  readonly torch: boolean;
  readonly python: string;
  /** PyTorch's memory: see bench/torch.ts. */
  readonly torchMalloc: TorchMalloc;
  readonly json: boolean;
  /** `kindling --debug`: a failing Kindling child's stack trace, and a failing side's whole stderr, in the error. */
  readonly debug?: boolean;
}

/** `--ops-list`: some of the patterns' names, comma-separated. */
export function opsList(value: string): OpsPattern[] {
  const list = listItems(value, 'patterns');
  const unknown = list.filter((v) => findPattern(v) === undefined);
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown pattern${unknown.length > 1 ? 's' : ''} ${unknown.map((v) => `"${v}"`).join(', ')}; expected some of ${OPS_NAMES.join(', ')}`);
  if (list.length === 0) throw new InvalidArgumentError('give at least one pattern');
  if (new Set(list).size !== list.length) throw new InvalidArgumentError(`a pattern is listed twice in "${value}"`);
  return list.map((v) => findPattern(v)!);
}

/** `--ops-scale`: a number above 0, written in decimal (`0x2` is refused, as every number option refuses it). */
export function opsScale(value: string): number {
  const x = decimal(value);
  if (!Number.isFinite(x) || x <= 0) throw new InvalidArgumentError(`--ops-scale must be a number above 0, written in decimal (such as 0.01 or 2), got "${value}"`);
  return x;
}

interface Round {
  kindlingUs: number;
  torchUs: number | null;
  ratio: number | null;
}

interface Check {
  kindling: number | null;
  torch: number | null;
  /**
   * Whether the two agree to 1e-5 relative in every round; null when PyTorch was not measured. False when a side
   * gave no finite check (null: NaN or an infinity) in some round: see `noFiniteCheck`.
   */
  agree: boolean | null;
  /** |Kindling − PyTorch| ÷ the larger, the largest over the rounds; null unless both sides gave finite checks in every round. */
  relDiff: number | null;
  /** The side, or both, whose check was not finite in some round (only when PyTorch was measured). */
  noFiniteCheck?: 'Kindling' | 'PyTorch' | 'both';
}

export interface OpsRow {
  name: string;
  description: string;
  warm: number;
  steps: number;
  blocks: number;
  /** Medians over the rounds of each round's fastest block; `ratio` is PyTorch's median over Kindling's. */
  kindlingUs: number;
  torchUs: number | null;
  ratio: number | null;
  rounds: Round[];
  check: Check;
}

/** Compares the two sides' checks over every round. A side's check that is null (not finite) in any round is a difference, never a silent "—". */
export function compare(runs: readonly { k: OpsRun; t: OpsRun | null }[]): Check {
  const first = runs[0]!;
  if (runs.some((r) => r.t === null)) return { kindling: first.k.check, torch: first.t?.check ?? null, agree: null, relDiff: null };
  const kMissing = runs.some((r) => r.k.check === null);
  const tMissing = runs.some((r) => r.t!.check === null);
  if (kMissing || tMissing) {
    return { kindling: first.k.check, torch: first.t!.check, agree: false, relDiff: null, noFiniteCheck: kMissing && tMissing ? 'both' : kMissing ? 'Kindling' : 'PyTorch' };
  }
  const pairs = runs.map((r) => [r.k.check!, r.t!.check!] as const);
  const rel = Math.max(...pairs.map(([a, b]) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)))));
  return { kindling: first.k.check, torch: first.t!.check, agree: pairs.every(([a, b]) => checksAgree(a, b)), relDiff: rel };
}

/** The check column: "—" when PyTorch was not measured, "ok", or DIFFERS and why. */
function checkCell(c: Check): string {
  if (c.agree === null) return '—';
  if (c.agree) return 'ok';
  if (c.noFiniteCheck !== undefined) return `DIFFERS (no finite check from ${c.noFiniteCheck === 'both' ? 'either side' : c.noFiniteCheck}: ${c.kindling ?? 'null'} vs ${c.torch ?? 'null'})`;
  return `DIFFERS (${c.relDiff!.toExponential(1)}: ${c.kindling} vs ${c.torch})`;
}

const CHECK_NOTE = 'check: each side\'s 30th-step loss for a training loop (p1–p9, from manualSeed(0) and the same data), accuracy for p7, sum of squares in float64 of the result for a tensor op (manualSeed(1)); "ok" = within 1e-5 relative in every round; a side\'s check that is NaN or infinite is a difference ("no finite check")';

/** Runs the patterns and prints the table (or the JSON). */
export function runBenchOps(opts: OpsOptions, pythonGiven: boolean): void {
  const out = (line = ''): void => {
    if (!opts.json) writeOrQuit(`${line}\n`);
  };
  const { torch, runner, cpu } = benchHeader('kindling bench --ops', opts, pythonGiven, out);
  const hasTorch = 'version' in torch;
  const runs = new Map<string, { k: OpsRun; t: OpsRun | null }[]>(opts.patterns.map((p) => [p.name, []]));
  // Round after round, every pattern in each: a slow spell of the machine covers a round of several patterns rather
  // than every round of one. Within a round, PyTorch right after Kindling, so both see the same load; never at once.
  const progress = !opts.json && process.stderr.isTTY;
  // Every Kindling child runs the subnormal build this process chose (and the header names), not its own probe's.
  const child = { subnormals: wasmBuild()?.mode ?? null, debug: opts.debug === true };
  for (let r = 0; r < opts.rounds; r++) {
    for (const p of opts.patterns) {
      if (progress) process.stderr.write(`\r\x1b[K  round ${r + 1} of ${opts.rounds}: ${p.name}…`);
      const k = kindlingOps(p.name, opts.scale, child);
      const t = hasTorch ? torchOps(runner, p, opts.scale, opts.debug) : null;
      runs.get(p.name)!.push({ k, t });
    }
  }
  if (progress) process.stderr.write('\r\x1b[K');
  const rows: OpsRow[] = opts.patterns.map((p) => {
    const each = runs.get(p.name)!;
    const rounds = each.map(({ k, t }) => ({ kindlingUs: k.us, torchUs: t?.us ?? null, ratio: t === null ? null : t.us / k.us }));
    const kindlingUs = median(rounds.map((x) => x.kindlingUs));
    const torchUs = hasTorch ? median(rounds.map((x) => x.torchUs!)) : null;
    const plan = scaled(p.plan, opts.scale);
    return {
      name: p.name, description: p.description, warm: plan.warm, steps: plan.steps, blocks: plan.blocks,
      kindlingUs, torchUs, ratio: torchUs === null ? null : torchUs / kindlingUs, rounds, check: compare(each),
    };
  });
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({
      node: process.version, backend: getBackend(), subnormals: wasmBuild()?.mode ?? null, cpu, cores: cpus().length,
      torch: hasTorch ? torch.version : null, ...(hasTorch ? {} : { torchAbsent: torch.error }), blas: hasTorch ? torch.blas : null,
      torchMalloc: hasTorch ? { mode: runner.malloc, env: runner.mallocEnv } : null,
      rounds: opts.rounds, scale: opts.scale, rows,
    }, null, 1)}\n`);
    return;
  }
  printTable(rows, opts, hasTorch, out);
}

function printTable(rows: readonly OpsRow[], opts: OpsOptions, hasTorch: boolean, out: (line?: string) => void): void {
  const nameW = Math.max(7, ...rows.map((r) => r.name.length));
  const descW = Math.max(11, ...rows.map((r) => r.description.length));
  const howMeasured = opts.rounds === 1 ? 'one round' : `median of ${opts.rounds} rounds${hasTorch ? ', Kindling then PyTorch in each' : ''}, every pattern in each round`;
  out();
  out(`µs per step: the fastest of each pattern's timed blocks after its warm-up steps, each side in a fresh process; ${howMeasured}${opts.scale === 1 ? '' : `; steps × ${opts.scale} (--ops-scale)`}`);
  if (hasTorch) {
    out('ratio = PyTorch µs ÷ Kindling µs (above 1: Kindling is faster); rounds = the lowest and highest round\'s ratio');
    out(CHECK_NOTE);
  }
  out('Tensor ops: a, b, c, x are 512 × 512 tensors drawn by randn after manual_seed(1) (the same values on both sides); p7: µs per evaluation of the test set');
  out(`${'pattern'.padEnd(nameW)}  ${'description'.padEnd(descW)} ${'kindling µs'.padStart(12)} ${'pytorch µs'.padStart(11)} ${'ratio'.padStart(8)} ${'rounds'.padStart(13)}  check`);
  for (const r of rows) {
    const ratio = r.ratio === null ? '—' : cutRatio(r.ratio);
    const spread = ratioRange(r.rounds.map((x) => x.ratio).filter((x): x is number => x !== null));
    const check = checkCell(r.check);
    out(`${r.name.padEnd(nameW)}  ${r.description.padEnd(descW)} ${r.kindlingUs.toFixed(1).padStart(12)} ${(r.torchUs === null ? '—' : r.torchUs.toFixed(1)).padStart(11)} ${ratio.padStart(8)} ${spread.padStart(13)}  ${check}`);
  }
  // The plans, each with the patterns that follow it.
  const plans = new Map<string, string[]>();
  for (const r of rows) {
    const key = `${r.warm} + ${r.blocks} × ${r.steps}`;
    plans.set(key, [...(plans.get(key) ?? []), r.name]);
  }
  out();
  out(`Steps, warm-up + blocks × steps per block: ${[...plans].map(([plan, names]) => `${plan} (${names.join(', ')})`).join('; ')}`);
}
