// The first lines of `kindling bench` and `kindling bench --ops`: this machine, Kindling's kernels, and the PyTorch
// measured against (or why none is).
import { cpus } from 'node:os';
import { mallocLine, torchInfo, torchProcess, type TorchInfo, type TorchMalloc, type TorchProcess } from '../../../bench/torch.js';
import { KindlingError } from '../../errors.js';
import { getBackend, wasmBuild } from '../../kernels/backend.js';

export interface BenchSetup {
  /** PyTorch's version and BLAS, or why it is not measured. */
  readonly torch: TorchInfo | { error: string };
  /** How PyTorch's process is run (its Python, one thread, glibc's malloc). */
  readonly runner: TorchProcess;
  readonly cpu: string;
}

/**
 * Finds PyTorch (unless `--no-torch`) and prints the header through `out`. Without PyTorch at the default place the
 * bench says so and goes on; a Python named on purpose (`pythonGiven`) must work. With --json (`json`), where `out`
 * prints nothing, the reason PyTorch is not measured goes to stderr.
 */
export function benchHeader(command: string, opts: { torch: boolean; python: string; torchMalloc: TorchMalloc; json: boolean }, pythonGiven: boolean, out: (line?: string) => void): BenchSetup {
  const runner = torchProcess(opts.python, opts.torchMalloc);
  const torch = opts.torch ? torchInfo(runner) : { error: 'skipped (--no-torch)' };
  if (!('version' in torch) && opts.torch && pythonGiven) throw new KindlingError(`--python: PyTorch is not usable: ${torch.error}`);
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const build = wasmBuild();
  const kernels = build === null ? `${getBackend()} kernels` : `wasm kernels with ${build.mode} subnormals (${build.why})`;
  out(`${command} — Node ${process.version}, ${kernels}, ${cpu} (${cpus().length} cores)`);
  if ('version' in torch) {
    out(`PyTorch ${torch.version} via ${opts.python}, one thread (torch.set_num_threads(1), OMP/OPENBLAS_NUM_THREADS=1), BLAS: ${torch.blas ?? 'not found'}`);
    out(mallocLine(runner));
    if (torch.slowBlas) out('Note: this PyTorch runs on the reference BLAS, whose matrix products are slow; the ratios below flatter Kindling. `apt-get install libopenblas0-serial` gives it OpenBLAS.');
  } else {
    out(`PyTorch not measured: ${torch.error}. Kindling's figures only.`);
    // With --json the line above is not printed; the reason goes to stderr, and into the JSON as torchAbsent.
    if (opts.json) process.stderr.write(`${command}: PyTorch not measured: ${torch.error}. Kindling's figures only.\n`);
  }
  return { torch, runner, cpu };
}
