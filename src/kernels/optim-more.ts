import { activeWasm } from './backend.js';
import * as ref from './ref/optim-more.js';
import * as wasm from './wasm/optim-more.js';

// RMSprop's and Adagrad's kernels, dispatched to the active backend (bit-identical results; see ref/optim-more.ts
// for the arithmetic, PyTorch 1.13's with its fused multiply-adds).
export type { AdagradScalars, RmspropScalars } from './ref/optim-more.js';

/**
 * One RMSprop step over flat arrays (`buf` read with momentum, `gradAvg` when centered). `rows`, when given, lists
 * the only storage rows of `width` floats where g may be non-zero (a gradient's `rowSupport`); it changes speed,
 * never results.
 */
export function rmsprop(
  p: Float32Array, g: Float32Array, squareAvg: Float32Array, buf: Float32Array | null, gradAvg: Float32Array | null, o: ref.RmspropScalars,
  rows: Int32Array | null = null, width = 0,
): void {
  const w = activeWasm();
  if (w !== null && rows !== null && wasm.rmspropRows(w, p, g, squareAvg, o, rows, width)) return;
  if (w !== null && wasm.rmsprop(w, p, g, squareAvg, buf, gradAvg, o)) return;
  ref.rmsprop(p, g, squareAvg, buf, gradAvg, o);
}

/** One Adagrad step over flat arrays with the step's rate `clr`; `rows` and `width` as for `rmsprop`. */
export function adagrad(
  p: Float32Array, g: Float32Array, sum: Float32Array, clr: number, o: ref.AdagradScalars, rows: Int32Array | null = null, width = 0,
): void {
  const w = activeWasm();
  if (w !== null && rows !== null && wasm.adagradRows(w, p, g, sum, clr, o, rows, width)) return;
  if (w !== null && wasm.adagrad(w, p, g, sum, clr, o)) return;
  ref.adagrad(p, g, sum, clr, o);
}
