import type { WasmKernels } from './load.js';
import { partlyOverlapping } from './overlap.js';

// The kernels that bracket their float32 results (assembly/exp-lanes.ts: the sigmoid, e^x) cover whole vectors of
// four and leave out the lanes they cannot vouch for, storing those lanes' x in the output and listing them. Those,
// and the last n mod 4 elements, are computed here with the reference's own formula. Arrays outside the WebAssembly
// memory are copied in and out around the call.

/** A bracketed kernel: (x, n, y, redo) → how many lanes it listed in redo. */
export type BracketedKernel = (x: number, n: number, y: number, redo: number) => number;

/**
 * out[i] = float32(scalar(x[i])), the reference's bits, by `kernel`; out may be x itself. Returns false (nothing
 * done) when out and x partly overlap: the reference loop then decides.
 */
export function bracketed(w: WasmKernels, kernel: BracketedKernel, scalar: (x: number) => number, X: Float32Array, out: Float32Array): boolean {
  if (partlyOverlapping(X, out)) return false;
  const n = out.length;
  const body = n & ~3;
  const fr = w.frame.begin();
  const x = fr.in(X);
  const y = fr.out(out, false);
  const redo = fr.space(body * 4);
  fr.open();
  const xs = fr.ptr(x) >>> 2;
  const ys = fr.ptr(y) >>> 2;
  const count = kernel(fr.ptr(x), n, fr.ptr(y), fr.ptr(redo));
  // Read before anything else can touch the scratch block.
  const f32 = w.heap.f32;
  const i32 = w.heap.i32;
  const r = fr.ptr(redo) >>> 2;
  for (let t = 0; t < count; t++) {
    const at = ys + i32[r + t]!;
    f32[at] = scalar(f32[at]!);
  }
  for (let i = body; i < n; i++) f32[ys + i] = scalar(f32[xs + i]!);
  fr.finish(y);
  return true;
}
