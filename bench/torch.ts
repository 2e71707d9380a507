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
export const ONE_THREAD = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

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
export function torchInfo(python: string): TorchInfo | { error: string } {
  const r = spawnSync(python, ['-c', PROBE], { encoding: 'utf8', env: ONE_THREAD });
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
function runScript<T>(python: string, args: readonly string[]): T {
  const all = [TORCH_SCRIPT, ...args, '--parent', String(process.pid), '--json'];
  const r = spawnSync(python, all, { encoding: 'utf8', maxBuffer: 1 << 24, env: ONE_THREAD });
  if (r.error) throw new Error(`bench: ${python}: ${r.error.message}`);
  if (r.status !== 0) {
    const why = r.stderr.trim().split('\n').slice(-3).join(' | ');
    throw new Error(`bench: ${python} ${all.join(' ')} failed (${exitOf(r)})${why ? `: ${why}` : ''}`);
  }
  return JSON.parse(lastLine(r.stdout)) as T;
}

/** µs per step of one variant in PyTorch (one thread), with torch_reference.py's --timing-steps protocol, after `warmup` untimed steps. */
export function torchTiming(python: string, variant: string, steps: number, batch: number, warmup: number): { usPerStep: number; steps: number } {
  const run = runScript<{ us_per_step: number; steps: number }>(python, [
    '--variants', variant, '--seeds', '0', '--timing-steps', String(steps), '--warmup-steps', String(warmup), '--batch-size', String(batch), '--epochs', '1',
  ]);
  return { usPerStep: run.us_per_step, steps: run.steps };
}

/**
 * PyTorch's evaluation of every test image after `trainSteps` one-image steps (seed 0), in ms: one at a time and in
 * batches of 500, each the median of three after a warm-up (torch_reference.py --timing-eval).
 */
export function torchEvaluation(python: string, variant: string, trainSteps: number): { accuracy: number; msOneByOne: number; msBatched: number } {
  const run = runScript<{ accuracy: number; ms_one_by_one: number; ms_batched: number }>(python, [
    '--variants', variant, '--seeds', '0', '--timing-eval', '--warmup-steps', String(trainSteps),
  ]);
  return { accuracy: run.accuracy, msOneByOne: run.ms_one_by_one, msBatched: run.ms_batched };
}
