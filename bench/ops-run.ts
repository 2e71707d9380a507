// The ops bench's two sides, each pattern in a fresh process: bench/ops-child.ts for Kindling, bench/ops_reference.py
// for PyTorch (one thread). Each prints one JSON line, parsed here.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KindlingError } from '../src/errors.js';
import { exitOf, lastLine } from './child-process.js';
import { scaled, type OpsPattern } from './ops/harness.js';
import type { TorchProcess } from './torch.js';

const CHILD = fileURLToPath(new URL('./ops-child.js', import.meta.url));
/** bench/ops_reference.py of this repository (compiled code runs from dist/bench/). */
export const OPS_SCRIPT = fileURLToPath(new URL('../../bench/ops_reference.py', import.meta.url));

/** One side's run of one pattern. */
export interface OpsRun {
  name: string;
  /** The fastest block's µs per step. */
  us: number;
  blocks: number[];
  steps: number;
  warm: number;
  /** The pattern's check (bench/ops/check.ts), or null if it could not be computed. */
  check: number | null;
  /** Kindling's side only: the subnormal build its kernels ran (null under the reference kernels). */
  subnormals?: 'native' | 'emulated' | null;
}

/**
 * Why a child failed, from its stderr: the last line that reads as an error message (ops-child's own line, or
 * Python's traceback's last line, `RuntimeError: …`), with the stack lines and Node's "Node.js v20…" left out; with
 * `debug`, all of it.
 */
export function failureOf(stderr: string, debug = false): string {
  const lines = stderr.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  if (debug) return lines.join('\n');
  const kept = lines.filter((l) => !/^\s+at /.test(l) && !/^Node\.js v\d/.test(l) && !/^\s*File ".*", line \d+/.test(l));
  const message = [...kept].reverse().find((l) => /^(ops-child\b|ops_reference\.py: |([A-Za-z_][\w.]*)?(Error|Exception|Interrupt|Exit)\b)/.test(l.trim()));
  return (message ?? kept.at(-1) ?? '').trim();
}

function parse(side: string, name: string, command: string, r: SpawnSyncReturns<string>, debug = false): OpsRun {
  if (r.error) throw new KindlingError(`bench --ops: ${side} could not run ${name} (${command}): ${r.error.message}`);
  if (r.status !== 0) {
    const why = failureOf(r.stderr, debug);
    throw new KindlingError(`bench --ops: ${side} failed on ${name}${why ? `: ${why}` : ''} (${exitOf(r)}; ${command})`);
  }
  let run: OpsRun;
  try {
    run = JSON.parse(lastLine(r.stdout)) as OpsRun;
  } catch {
    throw new KindlingError(`bench --ops: ${side} printed no JSON line for ${name} (${command}): ${JSON.stringify(lastLine(r.stdout).slice(0, 200))}`);
  }
  if (!(typeof run.us === 'number' && Number.isFinite(run.us) && run.us > 0)) throw new KindlingError(`bench --ops: ${side} gave no µs per step for ${name} (${command}): ${lastLine(r.stdout)}`);
  return { ...run, check: typeof run.check === 'number' ? run.check : null };
}

/** How `kindlingOps` starts its child. */
export interface KindlingChild {
  /**
   * The subnormal build of the WebAssembly kernels the child must run (KINDLING_SUBNORMALS): the parent's, so that
   * the header it prints holds for every child, rather than each child's own timing probe choosing (null: leave it).
   */
  readonly subnormals?: 'native' | 'emulated' | null;
  /** A failing child prints its stack trace (KINDLING_DEBUG=1), and the error shows all of its stderr. */
  readonly debug?: boolean;
}

/** Kindling's run of `name` in a fresh Node process. */
export function kindlingOps(name: string, scale: number, child: KindlingChild = {}): OpsRun {
  const args = [CHILD, name, '--scale', String(scale)];
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (child.subnormals != null) env['KINDLING_SUBNORMALS'] = child.subnormals;
  if (child.debug === true) env['KINDLING_DEBUG'] = '1';
  const command = `node ${args.join(' ')}`;
  const run = parse('Kindling', name, command, spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20, env }), child.debug);
  if (child.subnormals != null && run.subnormals !== child.subnormals) {
    throw new KindlingError(`bench --ops: Kindling ran ${name} with ${run.subnormals ?? 'no'} subnormal build, not the ${child.subnormals} one asked for (${command})`);
  }
  return run;
}

/**
 * PyTorch's run of `pattern` (ops_reference.py, one thread) with the same plan as Kindling's, `scale`d, and the same
 * check; it ends with this process (--parent).
 */
export function torchOps(torch: TorchProcess, pattern: OpsPattern, scale: number, debug = false): OpsRun {
  const { python } = torch;
  const plan = scaled(pattern.plan, scale);
  const args = [OPS_SCRIPT, pattern.name, '--warm', String(plan.warm), '--steps', String(plan.steps), '--blocks', String(plan.blocks), '--check', pattern.check, '--parent', String(process.pid)];
  return parse('PyTorch', pattern.name, `${python} ${args.join(' ')}`, spawnSync(python, args, { encoding: 'utf8', maxBuffer: 1 << 20, env: torch.env }), debug);
}
