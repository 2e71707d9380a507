// The ops bench's two sides, each pattern in a fresh process: bench/ops-child.ts for Kindling, bench/ops_reference.py
// for PyTorch (one thread). Each prints one JSON line, parsed here.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { exitOf, lastLine } from './child-process.js';
import { scaled, type OpsPattern } from './ops/harness.js';
import { ONE_THREAD } from './torch.js';

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
}

function parse(side: string, command: string, r: SpawnSyncReturns<string>): OpsRun {
  if (r.error) throw new Error(`bench --ops: ${command}: ${r.error.message}`);
  if (r.status !== 0) {
    const why = r.stderr.trim().split('\n').slice(-3).join(' | ');
    throw new Error(`bench --ops: ${side} failed (${command}, ${exitOf(r)})${why ? `: ${why}` : ''}`);
  }
  let run: OpsRun;
  try {
    run = JSON.parse(lastLine(r.stdout)) as OpsRun;
  } catch {
    throw new Error(`bench --ops: ${side} printed no JSON line (${command}): ${JSON.stringify(lastLine(r.stdout).slice(0, 200))}`);
  }
  if (!(typeof run.us === 'number' && Number.isFinite(run.us) && run.us > 0)) throw new Error(`bench --ops: ${side} gave no µs per step (${command}): ${lastLine(r.stdout)}`);
  return { ...run, check: typeof run.check === 'number' ? run.check : null };
}

/** Kindling's run of `name` in a fresh Node process. */
export function kindlingOps(name: string, scale: number): OpsRun {
  const args = [CHILD, name, '--scale', String(scale)];
  return parse('Kindling', `node ${args.join(' ')}`, spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 }));
}

/**
 * PyTorch's run of `pattern` (ops_reference.py, one thread) with the same plan as Kindling's, `scale`d, and the same
 * check; it ends with this process (--parent).
 */
export function torchOps(python: string, pattern: OpsPattern, scale: number): OpsRun {
  const plan = scaled(pattern.plan, scale);
  const args = [OPS_SCRIPT, pattern.name, '--warm', String(plan.warm), '--steps', String(plan.steps), '--blocks', String(plan.blocks), '--check', pattern.check, '--parent', String(process.pid)];
  return parse('PyTorch', `${python} ${args.join(' ')}`, spawnSync(python, args, { encoding: 'utf8', maxBuffer: 1 << 20, env: ONE_THREAD }));
}
