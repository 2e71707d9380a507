import type { WasmKernels } from './load.js';

/** Byte offsets of a one-sample weight gradient's factors placed for one kernel call. */
export interface PlacedFactors {
  rows: number;
  vals: number;
  g: number;
}

/**
 * Opens a frame holding a one-sample weight gradient's factors — the rows of its non-zero inputs, their values, and
 * the output gradient G — and returns where they are (valid until the next kernel call).
 */
export function placeFactors(w: WasmKernels, rows: Int32Array, vals: Float32Array, G: Float32Array): PlacedFactors {
  const fr = w.frame.begin();
  const r = fr.in(rows);
  const x = fr.in(vals);
  const g = fr.in(G);
  fr.open();
  return { rows: fr.ptr(r), vals: fr.ptr(x), g: fr.ptr(g) };
}
