// PyTorch's process settings that a script ported from it calls, with what they mean for Kindling: it computes on
// one thread per run, always deterministically (same seed, same bits), in float32 only.
import { DTYPE } from './device.js';
import { describeValue } from './options.js';

let threads = 1;
let deterministic = false;

/** The threads PyTorch's ops may use (`torch.get_num_threads()`): what `setNumThreads` last set, 1 by default. Kindling's ops run on one thread whatever it is (the lab runs several runs at once instead). */
export function getNumThreads(): number {
  return threads;
}

/** PyTorch's `torch.set_num_threads(n)`: accepted (a whole number ≥ 1) and remembered; Kindling's ops use one thread regardless. */
export function setNumThreads(n: number): void {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: Number of threads must be positive, got ${describeValue(n)}`);
  threads = n;
}

/** PyTorch's `torch.use_deterministic_algorithms(mode)`: remembered; Kindling's ops are deterministic either way. */
export function useDeterministicAlgorithms(mode: boolean): void {
  if (typeof mode !== 'boolean') throw new TypeError(`useDeterministicAlgorithms: mode must be true or false, got ${describeValue(mode)}`);
  deterministic = mode;
}

/** What `useDeterministicAlgorithms` last set (false by default, as PyTorch's). */
export function areDeterministicAlgorithmsEnabled(): boolean {
  return deterministic;
}

/** 'float32': Kindling's one dtype (PyTorch's `torch.get_default_dtype()`). */
export function getDefaultDtype(): typeof DTYPE {
  return DTYPE;
}

/** PyTorch's `torch.set_default_dtype`: float32 is accepted (it is already the default); any other dtype is refused. */
export function setDefaultDtype(dtype: string): void {
  if (dtype === DTYPE || dtype === 'float' || dtype === 'torch.float32' || dtype === 'torch.float') return;
  throw new TypeError(`setDefaultDtype: Kindling computes in float32 only, so the default dtype cannot be ${describeValue(dtype)}`);
}
