import type { WasmKernels } from './load.js';
import { partlyOverlapping } from './overlap.js';

// add, sub, mul and div over flat arrays on wasm (assembly/elementwise.ts), the reference loops' bits. Arrays
// outside the WebAssembly memory are copied in and out around the call.

/** The ops the kernel has, by its op code. */
const CODES: Readonly<Record<string, number>> = { add: 0, sub: 1, mul: 2, div: 3 };

/**
 * out[i] = a[i] op b[i], an operand of one element standing for every i; false (nothing done) for another op, or
 * when out partly overlaps an input (the reference loop's order then decides).
 */
export function binaryFlat(w: WasmKernels, op: string, a: Float32Array, b: Float32Array, out: Float32Array): boolean {
  return placed(w, op, a, b, out, (code, pa, pb, po) => {
    w.exports.binaryFlat(code, pa, a.length === 1 ? 0 : 1, pb, b.length === 1 ? 0 : 1, po, out.length);
  });
}

/**
 * out[r, j] = a[r, j] op b[r, j] over out.length / width rows of `width`, where an operand of `width` elements is one
 * row used for every r; false (nothing done) as binaryFlat.
 */
export function binaryRows(w: WasmKernels, op: string, a: Float32Array, b: Float32Array, out: Float32Array, width: number): boolean {
  return placed(w, op, a, b, out, (code, pa, pb, po) => {
    const aRow = a.length === width && out.length !== width ? 1 : 0;
    const bRow = b.length === width && out.length !== width ? 1 : 0;
    w.exports.binaryRows(code, pa, aRow, pb, bRow, po, out.length / width, width);
  });
}

/**
 * out[i] = a[i] op (alpha·b[i]) over flat arrays of one length (add and sub rounded once, mul and div with the
 * product rounded to float32 first); false (nothing done) as binaryFlat.
 */
export function binaryScaled(w: WasmKernels, op: string, a: Float32Array, b: Float32Array, alpha: number, out: Float32Array): boolean {
  return placed(w, op, a, b, out, (code, pa, pb, po) => {
    w.exports.binaryScaled(code, pa, pb, alpha, po, out.length);
  });
}

/** Places a, b and out in the kernels' memory and runs `kernel` on their pointers; false as binaryFlat says. */
function placed(
  w: WasmKernels, op: string, a: Float32Array, b: Float32Array, out: Float32Array,
  kernel: (code: number, pa: number, pb: number, po: number) => void,
): boolean {
  const code = CODES[op];
  if (code === undefined || partlyOverlapping(a, out) || partlyOverlapping(b, out)) return false;
  const fr = w.frame.begin();
  const sa = fr.in(a);
  const sb = fr.in(b);
  const so = fr.out(out, false);
  fr.open();
  kernel(code, fr.ptr(sa), fr.ptr(sb), fr.ptr(so));
  fr.finish(so);
  return true;
}
