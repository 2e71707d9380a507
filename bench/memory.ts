// Kindling's peak memory per variant for `kindling bench`, and its lab loop's µs a step: bench/memory-probe.ts in a
// fresh Node process each.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { exitOf, lastLine } from './child-process.js';

const PROBE = fileURLToPath(new URL('./memory-probe.js', import.meta.url));

/** One-image steps the probe leaves out of its lab µs a step: the compiler's warm-up. */
export const PROBE_WARM = 2000;

/**
 * What the probe measured: the process's peak resident memory, and the lab loop's µs a step after its warm-up (the
 * median of its 1,000-step stretches).
 */
export interface ProbeResult {
  readonly maxRssMb: number;
  /** null when the run was too short to leave steps after the warm-up. */
  readonly labUs: number | null;
}

/** A process of its own trains `variant` for `steps` one-image steps with the lab's loop and tests it. */
export function probeVariant(variant: string, steps: number): ProbeResult {
  const r = spawnSync(process.execPath, [PROBE, variant, String(steps), String(PROBE_WARM)], { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`bench: measuring ${variant}'s memory and lab µs failed (${exitOf(r)}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  const { maxRssMb, labUs } = JSON.parse(lastLine(r.stdout)) as ProbeResult;
  return { maxRssMb, labUs };
}
