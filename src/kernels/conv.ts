import { activeWasm } from './backend.js';
import type { ConvGrads, ConvPlan } from './conv-plan.js';
import * as ref from './ref/conv.js';
import * as wasm from './wasm/conv.js';

// 2-D convolution's kernels, dispatched to the active backend (bit-identical results; see ref/conv.ts). The wasm
// path takes finite operands only; with an ∞ or a NaN anywhere, the reference runs under either backend.
export type { ConvGrads, ConvPlan } from './conv-plan.js';

/** Y [N, O, L] = X [N, C, H·W] convolved with Wt [O, K] (+ bias [O]). */
export function convForward(p: ConvPlan, X: Float32Array, Wt: Float32Array, bias: Float32Array | null, Y: Float32Array): void {
  const w = activeWasm();
  if (w !== null && wasm.convForward(w, p, X, Wt, bias, Y)) return;
  ref.convForward(p, X, Wt, bias, Y);
}

/** Fills the gradients asked for in `into` (the input's must hold zeros) from the output gradient G [N, O, L]. */
export function convBackward(p: ConvPlan, X: Float32Array, Wt: Float32Array, G: Float32Array, into: ConvGrads): void {
  const w = activeWasm();
  if (w !== null && wasm.convBackward(w, p, X, Wt, G, into)) return;
  if (into.input !== null) ref.convInputGrad(p, Wt, G, into.input);
  if (into.weight !== null) ref.convWeightGrad(p, X, G, into.weight);
  if (into.bias !== null) ref.convBiasGrad(p, G, into.bias);
}

const NO_INPUT = new Float32Array(0);

/** GX [N, C, H·W] ← the input gradient of the convolution alone, from G [N, O, L] (a transposed convolution's forward). */
export function convInputGrad(p: ConvPlan, Wt: Float32Array, G: Float32Array, GX: Float32Array): void {
  GX.fill(0);
  convBackward(p, NO_INPUT, Wt, G, { input: GX, weight: null, bias: null });
}
