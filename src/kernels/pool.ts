import { activeWasm } from './backend.js';
import type { AvgPoolPlan, MaxPoolPlan } from './pool-plan.js';
import * as ref from './ref/pool.js';
import * as wasm from './wasm/pool.js';

// Pooling's kernels, dispatched to the active backend (the same maxima, positions and sums; see ref/pool.ts).
export type { AvgPoolPlan, MaxPoolPlan } from './pool-plan.js';

/** Y [planes, Ho, Wo] = each window's maximum of X [planes, H, W], and `arg` its flat position in X (−1: no tap). */
export function maxPoolForward(p: MaxPoolPlan, X: Float32Array, Y: Float32Array, arg: Int32Array): void {
  const w = activeWasm();
  if (w !== null) wasm.maxPoolForward(w, p, X, Y, arg);
  else ref.maxPoolForward(p, X, Y, arg);
}

/** GX[arg[o]] += G[o] for every o with arg[o] ≥ 0 (maxPoolForward's positions for plan `p`), in increasing o. */
export function scatterAdd(p: MaxPoolPlan, G: Float32Array, arg: Int32Array, GX: Float32Array): void {
  const w = activeWasm();
  if (w !== null) wasm.scatterAdd(w, p, G, arg, GX);
  else ref.scatterAdd(G, arg, GX);
}

/** Y [planes, n] = float32(each window's float64 sum / its divisor). */
export function avgPoolForward(p: AvgPoolPlan, X: Float32Array, Y: Float32Array): void {
  const w = activeWasm();
  if (w !== null) wasm.avgPool(w, p, false, X, Y);
  else ref.avgPoolForward(p, X, Y);
}

/** GX += each output's float32(G / divisor) on every element of its window. */
export function avgPoolBackward(p: AvgPoolPlan, G: Float32Array, GX: Float32Array): void {
  const w = activeWasm();
  if (w !== null) wasm.avgPool(w, p, true, G, GX);
  else ref.avgPoolBackward(p, G, GX);
}
