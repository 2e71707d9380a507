import { activeWasm } from './backend.js';
import * as ref from './ref/batch-norm.js';
import * as wasm from './wasm/batch-norm.js';

// Batch normalisation's passes over an input [N, C, S], dispatched to the active backend (bit-identical results;
// see ref/batch-norm.ts for the order of the sums).

/** mean[c] = channel c's sum / (N·S), sq[c] = the sum of (x − mean[c])², float64. */
export function channelStats(X: Float32Array, N: number, C: number, S: number, mean: Float64Array, sq: Float64Array): void {
  const w = activeWasm();
  if (w !== null) wasm.channelStats(w, X, N, C, S, mean, sq);
  else ref.channelStats(X, N, C, S, mean, sq);
}

/** Y = float32((x − mean[c])·scale[c] + shift[c]). */
export function normalizeChannels(
  X: Float32Array, N: number, C: number, S: number, mean: Float64Array, scale: Float64Array, shift: Float64Array, Y: Float32Array,
): void {
  const w = activeWasm();
  if (w !== null) wasm.normalizeChannels(w, X, N, C, S, mean, scale, shift, Y);
  else ref.normalizeChannels(X, N, C, S, mean, scale, shift, Y);
}

/** sumG[c] = the sum of G over channel c, dot[c] = the sum of (x − mean[c])·g, float64. */
export function channelGradSums(
  G: Float32Array, X: Float32Array, N: number, C: number, S: number, mean: Float64Array, sumG: Float64Array, dot: Float64Array,
): void {
  const w = activeWasm();
  if (w !== null) wasm.channelGradSums(w, G, X, N, C, S, mean, sumG, dot);
  else ref.channelGradSums(G, X, N, C, S, mean, sumG, dot);
}

/** GX = float32((g − gMean[c] − (x − mean[c])·k[c])·wr[c]) with `training`, else float32(g·wr[c]). */
export function normalizeBackward(
  G: Float32Array, X: Float32Array, N: number, C: number, S: number,
  mean: Float64Array, gMean: Float64Array, k: Float64Array, wr: Float64Array, training: boolean, GX: Float32Array,
): void {
  const w = activeWasm();
  if (w !== null) wasm.normalizeBackward(w, G, X, N, C, S, mean, gMean, k, wr, training, GX);
  else ref.normalizeBackward(G, X, N, C, S, mean, gMean, k, wr, training, GX);
}
