import { activeWasm } from './backend.js';
import { keepMask as wasmKeepMask } from './wasm/random.js';

// Random draws in bulk, on the wasm kernels; the caller draws one at a time from its Generator when this declines.

/** From this many values the kernel beats drawing them one by one in JavaScript (copying the 2.5 KB state in and out). */
const KERNEL_FROM = 64;

/**
 * Dropout's keep mask from an mt19937 state as `Generator.uniform64` draws: out[i] = scale where the i-th draw is
 * below keep, else 0, advancing the words in place. Returns the state's new index, or −1 (nothing drawn) when the
 * kernels are not active or `out` is short.
 */
export function keepMask(mt: Uint32Array, index: number, keep: number, scale: number, out: Float32Array): number {
  const w = activeWasm();
  if (w === null || out.length < KERNEL_FROM) return -1;
  return wasmKeepMask(w, mt, index, keep, scale, out);
}
