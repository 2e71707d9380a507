/**
 * 2-D convolution in plain TypeScript: im2col and a matrix product per sample and group, the arithmetic the
 * WebAssembly path (../wasm/conv.ts) reproduces bit for bit. Each product follows gemm.ts's contract (float32 sums
 * from +0 in increasing k); the weight gradient adds the samples' products in float64 and rounds once; the bias
 * gradient is a float64 sum over samples, then positions.
 */
import type { ConvPlan } from '../conv-plan.js';
import { allFinite, gemm } from './gemm.js';

const f = Math.fround;

/** The patches of one sample and group (`x` from the group's first channel) into `cols` [K, L], zeros elsewhere. */
export function im2col(p: ConvPlan, X: Float32Array, x: number, cols: Float32Array): void {
  const { rows, sw } = p;
  cols.fill(0);
  for (let r = 0; r < rows.length; r += 4) {
    const at = rows[r]!;
    const base = x + rows[r + 1]!;
    for (let c = rows[r + 2]!, c1 = rows[r + 3]!; c < c1; c++) cols[at + c] = X[base + c * sw]!;
  }
}

/** The reverse of im2col: adds each value of `cols` [K, L] onto the input element it came from (GX from `x`). */
export function col2imAdd(p: ConvPlan, cols: Float32Array, GX: Float32Array, x: number): void {
  const { rows, sw } = p;
  for (let r = 0; r < rows.length; r += 4) {
    const at = rows[r]!;
    const base = x + rows[r + 1]!;
    for (let c = rows[r + 2]!, c1 = rows[r + 3]!; c < c1; c++) GX[base + c * sw] = f(GX[base + c * sw]! + cols[at + c]!);
  }
}

/**
 * C[M, N] = A·B by gemm.ts's contract, operands read through (row stride, column stride): zeros of A skipped when
 * B is finite, else every product taken, so that 0·∞ gives NaN as in PyTorch.
 */
export function product(
  M: number, N: number, K: number, A: Float32Array, aOff: number, aRs: number, aCs: number,
  B: Float32Array, bOff: number, bRs: number, bCs: number, C: Float32Array,
): void {
  if (allFinite(B, bOff, K, N, bRs, bCs)) {
    gemm(M, N, K, A, aOff, aRs, aCs, B, bOff, bRs, bCs, C, 0, false);
    return;
  }
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s = f(s + f(A[aOff + i * aRs + k * aCs]! * B[bOff + k * bRs + j * bCs]!));
      C[i * N + j] = s;
    }
  }
}

/** Y [N, O, L] = the convolution of X [N, C, H·W] with Wt [O, K] (+ bias [O]). */
export function convForward(p: ConvPlan, X: Float32Array, Wt: Float32Array, bias: Float32Array | null, Y: Float32Array): void {
  const { N, C, HW, O, groups, Cg, Og, K, L } = p;
  const cols = new Float32Array(K * L);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      im2col(p, X, (n * C + g * Cg) * HW, cols);
      const to = (n * O + g * Og) * L;
      product(Og, L, K, Wt, g * Og * K, K, 1, cols, 0, L, 1, Y.subarray(to, to + Og * L));
    }
    if (bias !== null) {
      for (let o = 0; o < O; o++) {
        const b = bias[o]!;
        for (let l = 0, at = (n * O + o) * L; l < L; l++) Y[at + l] = f(Y[at + l]! + b);
      }
    }
  }
}

/** GX [N, C, H·W] (zeros) += the input gradient of the convolution, from G [N, O, L]. */
export function convInputGrad(p: ConvPlan, Wt: Float32Array, G: Float32Array, GX: Float32Array): void {
  const { N, C, HW, O, groups, Cg, Og, K, L } = p;
  const gcols = new Float32Array(K * L);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      // gcols [K, L] = W_gᵀ [K, Og] · G_ng [Og, L]
      const from = (n * O + g * Og) * L;
      product(K, L, Og, Wt, g * Og * K, 1, K, G, from, L, 1, gcols);
      col2imAdd(p, gcols, GX, (n * C + g * Cg) * HW);
    }
  }
}

/** GW [O, K] ← Σ over samples of G_ng [Og, L] · cols_ngᵀ [L, K], added in float64, rounded once. */
export function convWeightGrad(p: ConvPlan, X: Float32Array, G: Float32Array, GW: Float32Array): void {
  const { N, C, HW, O, groups, Cg, Og, K, L } = p;
  const cols = new Float32Array(K * L);
  const part = new Float32Array(Og * K);
  const acc = new Float64Array(O * K);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      im2col(p, X, (n * C + g * Cg) * HW, cols);
      product(Og, K, L, G, (n * O + g * Og) * L, L, 1, cols, 0, 1, L, part);
      const to = g * Og * K;
      for (let e = 0; e < Og * K; e++) acc[to + e] = acc[to + e]! + part[e]!;
    }
  }
  GW.set(acc);
}

/** GB [O] ← for each channel, the float64 sum of G [N, O, L] over samples, then positions. */
export function convBiasGrad(p: ConvPlan, G: Float32Array, GB: Float32Array): void {
  const { N, O, L } = p;
  for (let o = 0; o < O; o++) {
    let s = 0;
    for (let n = 0; n < N; n++) for (let l = 0, at = (n * O + o) * L; l < L; l++) s += G[at + l]!;
    GB[o] = s;
  }
}
