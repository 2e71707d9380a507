// Kindling's peak memory per variant for `kindling bench`: bench/memory-probe.ts in a fresh Node process each.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { exitOf, lastLine } from './child-process.js';

const PROBE = fileURLToPath(new URL('./memory-probe.js', import.meta.url));

/** Peak resident memory (MB) of a process that trains `variant` for `steps` one-image steps and tests it. */
export function peakMemory(variant: string, steps: number): number {
  const r = spawnSync(process.execPath, [PROBE, variant, String(steps)], { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`bench: measuring ${variant}'s memory failed (${exitOf(r)}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  return (JSON.parse(lastLine(r.stdout)) as { maxRssMb: number }).maxRssMb;
}
