// PyTorch's side of `kindling bench`: bench/torch_reference.py run through the system Python that has torch.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { exitOf, lastLine } from './child-process.js';

/** bench/torch_reference.py of this repository (compiled code runs from dist/bench/). */
export const TORCH_SCRIPT = fileURLToPath(new URL('../../bench/torch_reference.py', import.meta.url));

/**
 * One thread for PyTorch however its BLAS was built: torch.set_num_threads(1) (in the script) does not reach a
 * threaded OpenBLAS.
 */
const ONE_THREAD = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

/**
 * How PyTorch's process gets its memory. `kept` (the default): glibc's malloc keeps the memory PyTorch frees for
 * its next allocations, as the allocators PyTorch's performance guide recommends (jemalloc, TCMalloc) do. With
 * glibc's own settings (`default`) each Adam step's temporaries (tensors of the first layer's 156,800 floats) go back
 * to the kernel when freed and are faulted in again at the next step: 170–270 page faults a step here, which cost
 * this virtual machine's PyTorch from about 100 µs to over 3 ms a step, depending on the host (docs/speed.md,
 * "Session 68"). The bench measures arithmetic and per-call overhead, not that.
 */
export type TorchMalloc = 'kept' | 'default';
export const TORCH_MALLOCS: readonly TorchMalloc[] = ['kept', 'default'];

/**
 * glibc's tunables for `kept`: blocks under 32 MiB (the largest threshold glibc allows) come from the heap rather than
 * from mmap, and the heap's top is given back only past 256 MiB free. Both are needed: either alone, the temporaries
 * still fault (measured, "Session 68").
 */
export const KEPT_MALLOC: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: String(32 << 20), MALLOC_TRIM_THRESHOLD_: String(256 << 20) };

/** The Python that runs PyTorch, and the environment it runs in. */
export interface TorchProcess {
  readonly python: string;
  readonly env: NodeJS.ProcessEnv;
  readonly malloc: TorchMalloc;
  /** The glibc malloc variables PyTorch's process sees, this bench's and the user's own (which win). */
  readonly mallocEnv: Readonly<Record<string, string>>;
}

/**
 * PyTorch's process for the bench: one thread, and glibc's malloc as `malloc` says. Variables the user set keep
 * their values (a MALLOC_…_ of `base` wins over `kept`'s).
 */
export function torchProcess(python: string, malloc: TorchMalloc, base: NodeJS.ProcessEnv = process.env): TorchProcess {
  const env: NodeJS.ProcessEnv = { ...base, ...ONE_THREAD };
  if (malloc === 'kept') {
    for (const [name, value] of Object.entries(KEPT_MALLOC)) if (base[name] === undefined) env[name] = value;
  }
  const mallocEnv: Record<string, string> = {};
  for (const name of Object.keys(env).filter((k) => k.startsWith('MALLOC_')).sort()) mallocEnv[name] = env[name]!;
  if (base.GLIBC_TUNABLES !== undefined) mallocEnv.GLIBC_TUNABLES = base.GLIBC_TUNABLES;
  return { python, env, malloc, mallocEnv };
}

/** The header's line on PyTorch's memory. */
export function mallocLine(torch: TorchProcess): string {
  const vars = Object.entries(torch.mallocEnv).map(([k, v]) => `${k}=${v}`).join(' ');
  return torch.malloc === 'kept'
    ? `PyTorch's malloc keeps the memory it frees (${vars}), so its steps do not fault their buffers in again; --torch-malloc default runs it with glibc's own settings`
    : `PyTorch's malloc: glibc's own settings (--torch-malloc default${vars === '' ? '' : `; from the environment: ${vars}`})`;
}

/** The BLAS library file torch loaded (Debian's alternatives pick it), read from the process's own mappings. */
const PROBE = [
  'import torch',
  "libs = sorted({l.split()[-1] for l in open('/proc/self/maps') if len(l.split()) > 5 and 'blas' in l.split()[-1].rsplit('/', 1)[-1]})",
  'print(torch.__version__)',
  "print(libs[0] if libs else '')",
].join('\n');

export interface TorchInfo {
  readonly version: string;
  /** The BLAS library torch runs on, by name ("OpenBLAS", "reference BLAS", or the file), or null if unseen. */
  readonly blas: string | null;
  /** True for the reference (netlib) BLAS Debian installs by default: torch's matrix products are slow on it. */
  readonly slowBlas: boolean;
}

/** Names a BLAS library file: Debian keeps each implementation in its own folder (blas/, openblas-serial/, …). */
export function blasName(file: string): { name: string | null; slow: boolean } {
  if (file === '') return { name: null, slow: false };
  if (/openblas/i.test(file)) return { name: `OpenBLAS (${file})`, slow: false };
  if (/\/blas\/libblas\.so/.test(file)) return { name: `the reference BLAS (${file})`, slow: true };
  return { name: file, slow: false };
}

/** torch's version and BLAS when `python` can import it, else the reason it cannot. */
export function torchInfo(torch: TorchProcess): TorchInfo | { error: string } {
  const { python } = torch;
  const r = spawnSync(python, ['-c', PROBE], { encoding: 'utf8', env: torch.env });
  if (r.error) return { error: `${python}: ${(r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such program' : r.error.message}` };
  if (r.status !== 0) return { error: `${python} cannot import torch (${lastLine(r.stderr) || exitOf(r)})` };
  const [version = '', file = ''] = r.stdout.trim().split('\n');
  const blas = blasName(file.trim());
  return { version: version.trim(), blas: blas.name, slowBlas: blas.slow };
}

/**
 * Runs torch_reference.py with `args` and returns its last line of output, parsed. `--parent` makes it end with
 * this process: a bench stopped by a signal (not only Ctrl-C at a terminal, which reaches both) leaves no PyTorch
 * training on its own.
 */
function runScript<T>(torch: TorchProcess, args: readonly string[]): T {
  const { python } = torch;
  const all = [TORCH_SCRIPT, ...args, '--parent', String(process.pid), '--json'];
  const r = spawnSync(python, all, { encoding: 'utf8', maxBuffer: 1 << 24, env: torch.env });
  if (r.error) throw new Error(`bench: ${python}: ${r.error.message}`);
  if (r.status !== 0) {
    const why = r.stderr.trim().split('\n').slice(-3).join(' | ');
    throw new Error(`bench: ${python} ${all.join(' ')} failed (${exitOf(r)})${why ? `: ${why}` : ''}`);
  }
  return JSON.parse(lastLine(r.stdout)) as T;
}

/**
 * µs per step of one variant in PyTorch (one thread), with torch_reference.py's --timing-steps protocol, after `warmup`
 * untimed steps; and the page faults its process took a step while timed (null from a script that does not say).
 */
export function torchTiming(torch: TorchProcess, variant: string, steps: number, batch: number, warmup: number): { usPerStep: number; steps: number; faultsPerStep: number | null } {
  const run = runScript<{ us_per_step: number; steps: number; minor_faults_per_step?: number }>(torch, [
    '--variants', variant, '--seeds', '0', '--timing-steps', String(steps), '--warmup-steps', String(warmup), '--batch-size', String(batch), '--epochs', '1',
  ]);
  return { usPerStep: run.us_per_step, steps: run.steps, faultsPerStep: run.minor_faults_per_step ?? null };
}

/**
 * PyTorch's evaluation of every test image after `trainSteps` one-image steps (seed 0), in ms: one at a time and in
 * batches of 500, each the median of three after a warm-up (torch_reference.py --timing-eval).
 */
export function torchEvaluation(torch: TorchProcess, variant: string, trainSteps: number): { accuracy: number; msOneByOne: number; msBatched: number } {
  const run = runScript<{ accuracy: number; ms_one_by_one: number; ms_batched: number }>(torch, [
    '--variants', variant, '--seeds', '0', '--timing-eval', '--warmup-steps', String(trainSteps),
  ]);
  return { accuracy: run.accuracy, msOneByOne: run.ms_one_by_one, msBatched: run.ms_batched };
}
