import { activeWasm } from './backend.js';
import * as ref from './ref/batch-norm.js';
import * as wasm from './wasm/batch-norm.js';

// Batch normalisation's two passes over an input [N, C, S], dispatched to the active backend (bit-identical
// results; see ref/batch-norm.ts for the order of the sums).
export type { BatchNormStats } from './ref/batch-norm.js';

/**
 * The forward pass (N·S > 0): with `training` the statistics (mean, sum of squared deviations, invstd) into `st`,
 * else `st`'s mean and invstd used; Y = float32((x − mean)·invstd·w + b).
 */
export function batchNormForward(
  X: Float32Array, N: number, C: number, S: number, training: boolean, eps: number,
  w: Float32Array | null, b: Float32Array | null, st: ref.BatchNormStats, Y: Float32Array,
): void {
  const k = activeWasm();
  if (k !== null) wasm.batchNormForward(k, X, N, C, S, training, eps, w, b, st, Y);
  else ref.batchNormForward(X, N, C, S, training, eps, w, b, st, Y);
}

/** The backward pass: each channel's sums of g and (x − mean)·g, and the input's gradient into GX when given. */
export function batchNormBackward(
  G: Float32Array, X: Float32Array, N: number, C: number, S: number, mean: Float64Array, invstd: Float64Array,
  w: Float32Array | null, training: boolean, sumG: Float64Array, dot: Float64Array, GX: Float32Array | null,
): void {
  const k = activeWasm();
  if (k !== null) wasm.batchNormBackward(k, G, X, N, C, S, mean, invstd, w, training, sumG, dot, GX);
  else ref.batchNormBackward(G, X, N, C, S, mean, invstd, w, training, sumG, dot, GX);
}
