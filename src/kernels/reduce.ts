import { activeWasm } from './backend.js';
import * as ref from './ref/reduce.js';
import * as wasm from './wasm/reduce.js';

// Reductions, dispatched to the active backend (bit-identical results; see ref/reduce.ts). The sum over one
// dimension has a wasm kernel; the others run on the reference loops under either backend.

/** Below this many input values the reference loop runs: a kernel call and its copies cost more there. */
const KERNEL_FROM = 2048;

/**
 * out[o·inner + i] = the sum over k of x[(o·n + k)·inner + i], each in float64 in k order and rounded once to float32.
 */
export function sumDim(x: Float32Array, outer: number, n: number, inner: number, out: Float32Array): void {
  const w = activeWasm();
  if (w !== null && outer * n * inner >= KERNEL_FROM && wasm.sumDim(w, x.subarray(0, outer * n * inner), outer, n, inner, out)) return;
  ref.sumDim(x, outer, n, inner, out);
}
