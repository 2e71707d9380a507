// Kindling's peak memory per variant for `kindling bench`: bench/memory-probe.ts in a fresh Node process each.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PROBE = fileURLToPath(new URL('./memory-probe.js', import.meta.url));

/** Peak resident memory (MB) of a process that trains `variant` for `steps` one-image steps and tests it. */
export function peakMemory(variant: string, steps: number): number {
  const r = spawnSync(process.execPath, [PROBE, variant, String(steps)], { encoding: 'utf8' });
  if (r.status !== 0) {
    const how = r.signal !== null ? `stopped by ${r.signal}` : `exit ${r.status}`;
    throw new Error(`bench: measuring ${variant}'s memory failed (${how}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  return (JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as { maxRssMb: number }).maxRssMb;
}
