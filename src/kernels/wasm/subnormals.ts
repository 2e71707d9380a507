/**
 * Which of the two builds of the kernels runs (see assembly/subnormals.ts). Both compute the same bits; they differ
 * in speed only, by the core:
 * - `'emulated'` (dist/kernels.wasm) keeps float32 subnormals off the float unit with exact float64 paths for tiny
 *   values, behind checks: fast on every core, and needed where subnormal arithmetic costs a microcode assist
 *   (many x86 cores: about 100 times slower);
 * - `'native'` (dist/kernels-native.wasm) has neither the checks nor the emulation: float32 arithmetic takes
 *   subnormals itself. Faster (late in Adam training above all) on cores that compute subnormals at full speed, as
 *   AMD Zen 4 does for most operations (it keeps one shortcut, for tiny gradients' squares: see litRow).
 *
 * The loader times both kinds of arithmetic (subnormalProbe) and picks; KINDLING_SUBNORMALS=native|emulated forces
 * a build.
 */
import { KindlingError } from '../../errors.js';

export type SubnormalMode = 'native' | 'emulated';

/** What the loader chose, and why. */
export interface SubnormalChoice {
  readonly mode: SubnormalMode;
  /** Time of subnormal products over normal ones, when the probe ran. */
  readonly ratio?: number;
  /** How the mode was chosen, for the bench's header. */
  readonly why: string;
}

/** Subnormal products at most this many times slower than normal ones count as full speed. */
export const FULL_SPEED_RATIO = 2;

/** KINDLING_SUBNORMALS, checked: 'native', 'emulated', or undefined when unset, empty or 'auto'. */
export function subnormalsFromEnv(): SubnormalMode | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.['KINDLING_SUBNORMALS'];
  if (env === undefined || env === '' || env === 'auto') return undefined;
  if (env !== 'native' && env !== 'emulated') {
    throw new KindlingError(`KINDLING_SUBNORMALS must be 'auto', 'native' or 'emulated', got ${JSON.stringify(env)}`);
  }
  return env;
}

/**
 * How many times longer float32 products with subnormal inputs and results take than normal ones on this core,
 * timed on the kernels' `subnormalProbe` (8 × `rounds` four-lane products per timing). Up to three alternated
 * pairs of timings; it stops at the first pair within FULL_SPEED_RATIO (noise only ever slows a timing down).
 * `now` is the clock (milliseconds).
 */
export function probeSubnormals(probe: (scale: number, rounds: number) => number, rounds = 8192, now = (): number => performance.now()): number {
  const time = (scale: number): number => {
    const t0 = now();
    probe(scale, rounds);
    return now() - t0;
  };
  time(1);
  let normal = Infinity;
  let sub = Infinity;
  for (let i = 0; i < 3; i++) {
    normal = Math.min(normal, time(1));
    sub = Math.min(sub, time(2 ** -140));
    if (sub <= FULL_SPEED_RATIO * normal) break;
  }
  return sub / Math.max(normal, 1e-6);
}

/** The kernels' `abort` import: AssemblyScript calls it on a failed assertion (the builds have none). */
export function abort(): never {
  throw new Error('kernels.wasm aborted');
}

/** A memory of the 16 pages the kernels' builds ask for at least, for a throwaway instance that only probes. */
export function probeMemory(): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: 16, maximum: 16 });
}

/**
 * The probe of a compiled kernels module, on a throwaway instance of it (where the kernels are handed over as bytes,
 * as a browser page fetches them, before choosing which build to hand over).
 */
export function moduleProbe(module: WebAssembly.Module): (scale: number, rounds: number) => number {
  const instance = new WebAssembly.Instance(module, { env: { memory: probeMemory(), abort } });
  const probe = instance.exports['subnormalProbe'];
  if (typeof probe !== 'function') throw new Error('kernels.wasm has no export "subnormalProbe" (rebuild with npm run build)');
  return probe as (scale: number, rounds: number) => number;
}

/**
 * The build to run: KINDLING_SUBNORMALS when set, else 'native' when the probe finds subnormals at full speed.
 * `now` is the probe's clock (milliseconds).
 */
export function chooseSubnormals(probe: (scale: number, rounds: number) => number, now = (): number => performance.now()): SubnormalChoice {
  const forced = subnormalsFromEnv();
  if (forced !== undefined) return { mode: forced, why: `KINDLING_SUBNORMALS=${forced}` };
  const ratio = probeSubnormals(probe, 8192, now);
  const mode = ratio <= FULL_SPEED_RATIO ? 'native' : 'emulated';
  return { mode, ratio, why: `subnormal float32 products ${ratio.toFixed(1)}× the time of normal ones` };
}
