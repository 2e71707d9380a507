import { bracketed } from './bracketed.js';
import type { WasmKernels } from './load.js';

// e^x on wasm (assembly/exp.ts), bracketed as bracketed.ts says.

/**
 * out[i] = float32(Math.exp(x[i])), the same bits as the reference; out may be x itself. Returns false (nothing
 * done) when out and x partly overlap: the reference loop then decides.
 */
export function exp(w: WasmKernels, X: Float32Array, out: Float32Array): boolean {
  return bracketed(w, (x, n, y, redo) => w.exports.expForward(x, n, y, redo), Math.exp, X, out);
}
