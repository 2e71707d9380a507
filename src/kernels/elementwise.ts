import { activeWasm } from './backend.js';
import * as ref from './ref/elementwise.js';
import * as wasm from './wasm/sigmoid.js';

// Elementwise kernels, dispatched to the active backend (bit-identical results; see ref/elementwise.ts). The
// sigmoid has wasm kernels; the other ops run on the reference loops under either backend.
export type { UnaryOp } from './ref/elementwise.js';

/** Below this many elements the reference loop is quicker than a kernel call. */
const SMALL = 8;

/** out = op(x), elementwise (out may alias x). */
export function unary(op: ref.UnaryOp, x: Float32Array, out: Float32Array): void {
  const w = activeWasm();
  if (op === 'sigmoid' && w !== null && out.length >= SMALL) wasm.sigmoid(w, x, out);
  else ref.unary(op, x, out);
}

/** dx = g·op'(x), from x (the op's input) or y (its output), whichever the derivative needs. */
export function unaryBackward(op: ref.UnaryOp, x: Float32Array, y: Float32Array, g: Float32Array, out: Float32Array): void {
  const w = activeWasm();
  if (op === 'sigmoid' && w !== null && out.length >= SMALL) wasm.sigmoidBackward(w, y, g, out);
  else ref.unaryBackward(op, x, y, g, out);
}
