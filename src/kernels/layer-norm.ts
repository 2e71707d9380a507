import { activeWasm } from './backend.js';
import * as ref from './ref/layer-norm.js';
import * as wasm from './wasm/layer-norm.js';

// Layer normalisation's kernels, dispatched to the active backend (bit-identical results; see ref/layer-norm.ts).

/**
 * Y = (X − mean) · rstd · w + b over rows of `n` floats (biased variance; `w` and `b` may be null), with each row's
 * mean and rstd stored, and xhat when given (for the backward pass).
 */
export function layerNormForward(
  X: Float32Array, rows: number, n: number, w: Float32Array | null, b: Float32Array | null, eps: number,
  Y: Float32Array, xhat: Float32Array | null, mean: Float32Array, rstd: Float32Array,
): void {
  const k = activeWasm();
  if (k !== null && rows > 0 && n > 0) wasm.layerNormForward(k, X, rows, n, w, b, eps, Y, xhat, mean, rstd);
  else ref.layerNormForward(X, rows, n, w, b, eps, Y, xhat, mean, rstd);
}

/**
 * The gradients of layerNormForward for the output gradient G, each only when its array is given; with `into`, GW
 * and GB are added to what those arrays hold (a parameter's gradient buffer).
 */
export function layerNormBackward(
  G: Float32Array, xhat: Float32Array, rstd: Float32Array, rows: number, n: number, w: Float32Array | null,
  GX: Float32Array | null, GW: Float32Array | null, GB: Float32Array | null, into = false,
): void {
  const k = activeWasm();
  if (k !== null && rows > 0 && n > 0) wasm.layerNormBackward(k, G, xhat, rstd, rows, n, w, GX, GW, GB, into);
  else ref.layerNormBackward(G, xhat, rstd, rows, n, w, GX, GW, GB, into);
}
