// PyTorch's side of `kindling bench`: bench/torch_reference.py run through the system Python that has torch.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** bench/torch_reference.py of this repository (compiled code runs from dist/bench/). */
export const TORCH_SCRIPT = fileURLToPath(new URL('../../bench/torch_reference.py', import.meta.url));

/**
 * One thread for PyTorch however its BLAS was built: torch.set_num_threads(1) (in the script) does not reach a
 * threaded OpenBLAS.
 */
const ONE_THREAD = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

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
  if (r.status !== 0) return { error: `${python} cannot import torch (${r.stderr.trim().split('\n').pop() ?? 'exit ' + r.status})` };
  const [version = '', file = ''] = r.stdout.trim().split('\n');
  const blas = blasName(file.trim());
  return { version: version.trim(), blas: blas.name, slowBlas: blas.slow };
}

/** µs per step of one variant in PyTorch (one thread), with torch_reference.py's --timing-steps protocol, after `warmup` untimed steps. */
export function torchTiming(python: string, variant: string, steps: number, batch: number, warmup: number): { usPerStep: number; steps: number } {
  const args = [
    TORCH_SCRIPT, '--variants', variant, '--seeds', '0', '--timing-steps', String(steps), '--warmup-steps', String(warmup),
    '--batch-size', String(batch), '--epochs', '1', '--json',
  ];
  const r = spawnSync(python, args, { encoding: 'utf8', maxBuffer: 1 << 24, env: ONE_THREAD });
  if (r.status !== 0) throw new Error(`bench: ${python} ${args.join(' ')} failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  const run = JSON.parse(line) as { us_per_step: number; steps: number };
  return { usPerStep: run.us_per_step, steps: run.steps };
}
