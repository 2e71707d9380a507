import { activeWasm } from './backend.js';
import * as ref from './ref/elementwise.js';
import { fmaf } from './ref/fmaf.js';
import * as act from './wasm/activation.js';
import * as flat from './wasm/binary.js';
import { exp, tanh } from './wasm/exp.js';
import * as wasm from './wasm/sigmoid.js';

// Elementwise kernels, dispatched to the active backend (bit-identical results; see ref/elementwise.ts). The
// sigmoid, e^x, tanh, ReLU and LeakyReLU have wasm kernels, and so do add, sub, mul and div over flat arrays; the
// other ops run on the reference loops under either backend.
export type { BinaryOp, UnaryOp } from './ref/elementwise.js';

/**
 * Below this many elements the reference loop runs: it is as quick as a kernel call there, and such arrays live on
 * V8's heap, where reading `.buffer` (for the wasm wrappers' overlap checks) would move them off it.
 */
const SMALL = 17;

/** out = op(x), elementwise (out may alias x). */
export function unary(op: ref.UnaryOp, x: Float32Array, out: Float32Array): void {
  const w = activeWasm();
  if (w !== null && out.length >= SMALL) {
    if (op === 'sigmoid' && wasm.sigmoid(w, x, out)) return;
    if (op === 'relu' && act.relu(w, x, out)) return;
    if (op === 'exp' && exp(w, x, out)) return;
    if (op === 'tanh' && tanh(w, x, out)) return;
  }
  ref.unary(op, x, out);
}

/** dx = g·op'(x), from x (the op's input) or y (its output), whichever the derivative needs. */
export function unaryBackward(op: ref.UnaryOp, x: Float32Array, y: Float32Array, g: Float32Array, out: Float32Array): void {
  const w = activeWasm();
  if (w !== null && out.length >= SMALL) {
    if (op === 'sigmoid' && wasm.sigmoidBackward(w, y, g, out)) return;
    if (op === 'relu' && act.reluBackward(w, y, g, out)) return;
  }
  ref.unaryBackward(op, x, y, g, out);
}

/** out = x > 0 ? x : x·slope, elementwise (out may alias x). */
export function leakyRelu(x: Float32Array, slope: number, out: Float32Array): void {
  const w = activeWasm();
  if (w !== null && out.length >= SMALL && act.leakyRelu(w, x, slope, out)) return;
  ref.leakyRelu(x, slope, out);
}

/** dx = x > 0 ? g : g·slope, x the LeakyReLU's input. */
export function leakyReluBackward(x: Float32Array, slope: number, g: Float32Array, out: Float32Array): void {
  const w = activeWasm();
  if (w !== null && out.length >= SMALL && act.leakyReluBackward(w, x, slope, g, out)) return;
  ref.leakyReluBackward(x, slope, g, out);
}

/**
 * out[i] = a[i] op b[i] over flat arrays of out.length elements, where an operand of one element stands for every i
 * (out may alias a or b).
 */
export function binaryFlat(op: ref.BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array): void {
  const w = activeWasm();
  if (w !== null && out.length >= FLAT_KERNEL && flat.binaryFlat(w, op, a, b, out)) return;
  ref.binary(op, a, a.length === 1 ? ONE_VALUE : FLAT, b, b.length === 1 ? ONE_VALUE : FLAT, out, [out.length]);
}

/**
 * out[i] = a[i] op (alpha·b[i]) over flat arrays of out.length elements (out may alias a or b): for add and sub rounded
 * once, as PyTorch's fused kernel; for mul and div the product rounded to float32 first.
 */
export function binaryScaledFlat(op: ref.BinaryOp, a: Float32Array, b: Float32Array, alpha: number, out: Float32Array): void {
  const w = activeWasm();
  if (w !== null && out.length >= FLAT_KERNEL && flat.binaryScaled(w, op, a, b, Math.fround(alpha), out)) return;
  if (op === 'add' || op === 'sub') {
    // PyTorch's add and sub with alpha round a ± alpha·b once (its kernel's FMA), as the WebAssembly kernel does.
    const s = Math.fround(op === 'add' ? alpha : -alpha);
    for (let i = 0; i < out.length; i++) out[i] = fmaf(b[i]!, s, a[i]!);
    return;
  }
  const scaled = new Float32Array(out.length);
  ref.binary('mul', b, FLAT, new Float32Array([alpha]), ONE_VALUE, scaled, [out.length]);
  ref.binary(op, a, FLAT, scaled, FLAT, out, [out.length]);
}

/**
 * out[r, j] = a[r, j] op b[r, j] over rows of `width` elements, where an operand of `width` elements is one row used
 * for every r (a bias added to a batch): the reference's broadcast loop, with a kernel from FLAT_KERNEL elements.
 */
export function binaryRows(op: ref.BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array, width: number): void {
  const w = activeWasm();
  if (w !== null && out.length >= FLAT_KERNEL && flat.binaryRows(w, op, a, b, out, width)) return;
  const rows = out.length / width;
  const strides = (x: Float32Array): number[] => (x.length === width && rows !== 1 ? [0, 1] : [width, 1]);
  ref.binary(op, a, strides(a), b, strides(b), out, [rows, width]);
}

/**
 * From this many elements the flat kernel beats the reference loop: below, its call and the copies into and out of
 * the WebAssembly memory cost more than the loop (measured: even at 256, 2× faster at 1024, 2.2× at 4096).
 */
const FLAT_KERNEL = 1024;

const FLAT = [1];
const ONE_VALUE = [0];
