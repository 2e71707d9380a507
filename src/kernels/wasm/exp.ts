import { bracketed } from './bracketed.js';
import type { WasmKernels } from './load.js';

// e^x and tanh on wasm (assembly/exp.ts, assembly/tanh.ts), bracketed as bracketed.ts says.

/**
 * out[i] = float32(Math.exp(x[i])), the same bits as the reference; out may be x itself. Returns false (nothing
 * done) when out and x partly overlap: the reference loop then decides.
 */
export function exp(w: WasmKernels, X: Float32Array, out: Float32Array): boolean {
  return bracketed(w, (x, n, y, redo) => w.exports.expForward(x, n, y, redo), Math.exp, X, out);
}

/** out[i] = float32(Math.tanh(x[i])), the same bits as the reference; false as `exp`. */
export function tanh(w: WasmKernels, X: Float32Array, out: Float32Array): boolean {
  return bracketed(w, (x, n, y, redo) => w.exports.tanhForward(x, n, y, redo), Math.tanh, X, out);
}
