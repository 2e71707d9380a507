import { activeWasm } from './backend.js';
import * as ref from './ref/gemm.js';
import * as wasm from './wasm/gemm.js';

// The matrix kernels the ops call: the wasm kernels when that backend is active and can take the layout, else the
// reference ones. Both follow the arithmetic contract written in ref/gemm.ts, so results are bit-identical.

/**
 * C[M,N] = A·B (+ bias) or C += A·B, operands read through (row stride, column stride). See ref/gemm.ts. C must not
 * overlap A or B: the wasm kernels may read B from a packed copy made before C is written.
 */
export function gemm(
  M: number, N: number, K: number,
  A: Float32Array, aOff: number, aRs: number, aCs: number,
  B: Float32Array, bOff: number, bRs: number, bCs: number,
  C: Float32Array, cOff: number,
  accumulate: boolean,
  bias: Float32Array | null = null,
): void {
  const w = activeWasm();
  if (w !== null && wasm.gemm(w, M, N, K, A, aOff, aRs, aCs, B, bOff, bRs, bCs, C, cOff, accumulate, bias)) return;
  ref.gemm(M, N, K, A, aOff, aRs, aCs, B, bOff, bRs, bCs, C, cOff, accumulate, bias);
}

/**
 * gemm (no bias), and whether every float of B that it read (K×N through its strides) is finite: found in the same
 * call on wasm, where B is in the kernels' memory for the product anyway.
 */
export function gemmCheckingB(
  M: number, N: number, K: number,
  A: Float32Array, aOff: number, aRs: number, aCs: number,
  B: Float32Array, bOff: number, bRs: number, bCs: number,
  C: Float32Array, cOff: number,
  accumulate: boolean,
): boolean {
  const w = activeWasm();
  const check = { finite: false };
  if (w !== null && wasm.gemm(w, M, N, K, A, aOff, aRs, aCs, B, bOff, bRs, bCs, C, cOff, accumulate, null, check)) return check.finite;
  ref.gemm(M, N, K, A, aOff, aRs, aCs, B, bOff, bRs, bCs, C, cOff, accumulate, null);
  return M === 0 || ref.allFinite(B, bOff, K, N, bRs, bCs);
}

/** Whether every float of the [rows, n] block of `a` (rows `stride` floats apart, from element `off`) is finite. */
export function allFinite(a: Float32Array, off: number, rows: number, n: number, stride: number): boolean {
  const w = activeWasm();
  return w !== null ? wasm.allFinite(w, a, off, rows, n, stride) : ref.allFinite(a, off, rows, n, stride, 1);
}

/**
 * The weight gradient of a linear layer whose weight is stored [in, out], added in place:
 * grad[j, 0..outF) += Σ_r X[r, j]·G[r, 0..outF) for every input column j of X [rows, inF] holding a non-zero.
 * Returns those columns (the only rows of `grad` it touched). `overwrite` says those rows are known to hold +0,
 * which lets the kernel store instead of add (the same values: +0 + s = s for a sum s that started at +0).
 */
export function addWeightGradRows(
  grad: Float32Array, X: Float32Array, rows: number, inF: number, G: Float32Array, outF: number, overwrite: boolean,
): Int32Array {
  const w = activeWasm();
  const done = w === null ? null : wasm.addWeightGradRows(w, grad, X, rows, inF, G, outF, overwrite);
  if (done !== null) return done;
  const list = ref.nonzeroColumns(X, rows, inF);
  ref.accumulateRows(grad, outF, list, outF, rows, X, 1, inF, G, outF);
  return list;
}

/**
 * out[0..N) = x·B (+ bias) for one row x of K values (x.length is K), B with contiguous rows `bRs` apart (gemm's row
 * form for one row: the same bits); returns x's non-zeros as `sparseVector` gives them, found on the way.
 */
export function sparseRowProduct(
  x: Float32Array, K: number, B: Float32Array, bRs: number, N: number, out: Float32Array, bias: Float32Array | null,
): { rows: Int32Array; vals: Float32Array } {
  const w = activeWasm();
  if (w !== null) return wasm.sparseRowProduct(w, x, K, B, bRs, N, out, bias);
  ref.gemm(1, N, K, x, 0, K, 1, B, 0, bRs, 1, out, 0, false, bias);
  return ref.sparseVector(x);
}

/** The positions and values of the non-zeros of `x` (NaN counts as non-zero), in increasing order. */
export function sparseVector(x: Float32Array): { rows: Int32Array; vals: Float32Array } {
  const w = activeWasm();
  return w === null ? ref.sparseVector(x) : wasm.sparseVector(w, x);
}

/**
 * grad[rows[t], 0..width) ← 0 + vals[t]·G for rows known to hold +0: one sample's weight gradient, the same bits
 * addWeightGradRows stores.
 */
export function setOuterRows(grad: Float32Array, width: number, rows: Int32Array, vals: Float32Array, G: Float32Array): void {
  const w = activeWasm();
  if (w !== null && wasm.setOuterRows(w, grad, width, rows, vals, G)) return;
  ref.setOuterRows(grad, width, rows, vals, G);
}

/** dst[j] += Σ_r G[r, j] over `rows` rows of length N. */
export function addColumnSums(dst: Float32Array, G: Float32Array, rows: number, N: number): void {
  const w = activeWasm();
  if (w !== null && wasm.addColumnSums(w, dst, G, rows, N)) return;
  ref.addColumnSums(dst, G, rows, N);
}
