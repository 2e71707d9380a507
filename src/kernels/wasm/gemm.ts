import { transientFloat32, transientInt32 } from '../transient.js';
import { placeFactors } from './factors.js';
import type { WasmKernels } from './load.js';

/**
 * gemmColBT's conditions: at least this many rows of A, and B at most this many floats (transposed per call into
 * scratch that stays allocated: 1 MB here). At 8 rows it is faster than gemmColB up to 256×1024 and 512×512 (144
 * against 264 µs at 784×200, an F.linear layer's weight stored [out, in]), slower from 1024×1024 on, where the
 * transpose no longer fits the caches.
 */
const COL_T_ROWS = 8;
const COL_T_MAX = 1 << 18;

/**
 * gemmRowB packs B's columns into panels (rows4) for at least this many rows of A and a B of at most this many
 * floats (4 MB of scratch that stays allocated). The copy is made only if some four rows are dense; it costs about
 * what four dense rows' product does, and makes each further block about 15% faster.
 */
const PANEL_ROWS = 32;
const PANEL_MAX = 1 << 20;

/** The bytes of B's panels gemmRowB is given for an [M, K]·[K, N] product: 0 where they would not pay. */
export function panelBytes(M: number, N: number, K: number): number {
  return M >= PANEL_ROWS && N >= 8 && K * N <= PANEL_MAX ? K * (N & ~7) * 4 : 0;
}

/** Filled in by gemm when given: whether every float of B that the product reads is finite. */
export interface FiniteB {
  finite: boolean;
}

/**
 * gemm on the wasm kernels (same contract as ref/gemm.ts). Returns false for layouts it does not handle (B with
 * no unit stride), which the caller then runs on the reference kernel — bit-identical either way. With `check`,
 * also finds out whether B's K×N floats are all finite, while B is in the kernels' memory anyway.
 */
export function gemm(
  w: WasmKernels,
  M: number, N: number, K: number,
  A: Float32Array, aOff: number, aRs: number, aCs: number,
  B: Float32Array, bOff: number, bRs: number, bCs: number,
  C: Float32Array, cOff: number,
  accumulate: boolean,
  bias: Float32Array | null,
  check: FiniteB | null = null,
): boolean {
  const rowForm = bCs === 1;
  if (!rowForm && bRs !== 1) return false;
  if (M === 0 || N === 0) {
    if (check !== null) check.finite = true; // no product reads B
    return true;
  }
  const fr = w.frame.begin();
  const a = fr.in(A);
  const b = fr.in(B);
  const c = fr.out(C, accumulate);
  const bs = bias !== null && rowForm ? fr.in(bias) : -1;
  // The column form through B transposed (gemmColBT) for a batch through a narrow layer: B small, many rows.
  const viaT = !rowForm && M >= COL_T_ROWS && K * N <= COL_T_MAX;
  // gemmRowB keeps four rows' non-zeros at once (to choose between a block of four and one row at a time).
  const idx = rowForm ? fr.space(4 * K * 4) : -1;
  const val = rowForm ? fr.space(4 * K * 4) : -1;
  const panels = rowForm && panelBytes(M, N, K) > 0 ? fr.space(panelBytes(M, N, K)) : -1;
  const tmp = viaT ? fr.space((K * N + 2 * K) * 4) : -1;
  fr.open();
  const ap = fr.ptr(a) + aOff * 4;
  const bp = fr.ptr(b) + bOff * 4;
  const cp = fr.ptr(c) + cOff * 4;
  if (rowForm) {
    w.exports.gemmRowB(M, N, K, ap, aRs, aCs, bp, bRs, cp, N, bs < 0 ? 0 : fr.ptr(bs), accumulate ? 1 : 0, fr.ptr(idx), fr.ptr(val), panels < 0 ? 0 : fr.ptr(panels));
  } else if (viaT) {
    w.exports.gemmColBT(M, N, K, ap, aRs, aCs, bp, bCs, cp, N, accumulate ? 1 : 0, fr.ptr(tmp));
  } else {
    w.exports.gemmColB(M, N, K, ap, aRs, aCs, bp, bCs, cp, N, accumulate ? 1 : 0);
  }
  // B's K rows of N floats, or (column form) its N columns of K floats, each contiguous.
  if (check !== null) check.finite = (rowForm ? w.exports.allFinite(bp, K, N, bRs) : w.exports.allFinite(bp, N, K, bCs)) === 1;
  fr.finish(c, cOff, M * N);
  if (!rowForm && bias !== null && !accumulate) {
    // The column-form kernel has no bias input: add it to the finished sums, as the reference does.
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) C[cOff + i * N + j] = C[cOff + i * N + j]! + bias[j]!;
  }
  return true;
}

/**
 * grad[j, 0..outF) += Σ_r X[r, j]·G[r, 0..outF) for every input column j of X [rows, inF] that holds a non-zero;
 * returns those columns. `overwrite`: those rows of grad are known to be +0. Null when `grad` is not in the
 * WebAssembly memory (the caller uses the reference).
 */
export function addWeightGradRows(
  w: WasmKernels, grad: Float32Array, X: Float32Array, rows: number, inF: number, G: Float32Array, outF: number, overwrite: boolean,
): Int32Array | null {
  if (!w.heap.isResident(grad)) return null;
  if (rows === 0) return transientInt32(0);
  const fr = w.frame.begin();
  const x = fr.in(X);
  const g = fr.in(G);
  const list = fr.space(inF * 4);
  // One sample: its non-zeros (positions, values). A batch: the non-zeros column by column (weightGradColumns).
  const mark = rows === 1 ? fr.space(inF * 4) : -1;
  const scratch = rows > 1 ? fr.space(inF * (1 + 2 * ((rows + 6) & ~3)) * 4) : -1;
  fr.open();
  const e = w.exports;
  const lp = fr.ptr(list);
  const ow = overwrite ? 1 : 0;
  let count: number;
  if (rows === 1) {
    // One sample: the non-zero inputs and their values, then one scaled copy of G per row.
    count = e.nonzeros(fr.ptr(x), inF, 1, lp, fr.ptr(mark));
    e.outerRows(lp, fr.ptr(mark), count, fr.ptr(g), outF, grad.byteOffset, outF, ow);
  } else {
    count = e.weightGradColumns(fr.ptr(x), rows, inF, fr.ptr(g), outF, grad.byteOffset, ow, lp, fr.ptr(scratch));
  }
  const rowList = transientInt32(count);
  rowList.set(w.heap.i32.subarray(lp >>> 2, (lp >>> 2) + count));
  return rowList;
}

/**
 * out[0..N) = x·B (+ bias) for one row x of K values, B with contiguous rows `bRs` apart: gemm's row form for one
 * row (the same bits), in one call that also returns x's non-zeros (`sparseVector`'s result).
 */
export function sparseRowProduct(
  w: WasmKernels, x: Float32Array, K: number, B: Float32Array, bRs: number, N: number, out: Float32Array, bias: Float32Array | null,
): { rows: Int32Array; vals: Float32Array } {
  const fr = w.frame.begin();
  const a = fr.in(x);
  const b = fr.in(B);
  const c = fr.out(out, false);
  const bs = bias === null ? -1 : fr.in(bias);
  const idx = fr.space(K * 4);
  const val = fr.space(K * 4);
  fr.open();
  const ip = fr.ptr(idx);
  const vp = fr.ptr(val);
  const count = w.exports.nonzeros(fr.ptr(a), K, 1, ip, vp);
  w.exports.rowAxpy(ip, vp, count, fr.ptr(b), bRs, N, fr.ptr(c), bs < 0 ? 0 : fr.ptr(bs), 0);
  fr.finish(c, 0, N);
  const rows = transientInt32(count);
  rows.set(w.heap.i32.subarray(ip >>> 2, (ip >>> 2) + count));
  const vals = transientFloat32(count);
  vals.set(w.heap.f32.subarray(vp >>> 2, (vp >>> 2) + count));
  return { rows, vals };
}

/** The positions and values of the non-zeros of `x` (NaN counts as non-zero), in increasing order. */
export function sparseVector(w: WasmKernels, x: Float32Array): { rows: Int32Array; vals: Float32Array } {
  const fr = w.frame.begin();
  const a = fr.in(x);
  const idx = fr.space(x.length * 4);
  const val = fr.space(x.length * 4);
  fr.open();
  const ip = fr.ptr(idx);
  const vp = fr.ptr(val);
  const count = w.exports.nonzeros(fr.ptr(a), x.length, 1, ip, vp);
  const rows = transientInt32(count);
  rows.set(w.heap.i32.subarray(ip >>> 2, (ip >>> 2) + count));
  const vals = transientFloat32(count);
  vals.set(w.heap.f32.subarray(vp >>> 2, (vp >>> 2) + count));
  return { rows, vals };
}

/**
 * grad[rows[t], 0..width) ← 0 + vals[t]·G for rows known to hold +0 (what addWeightGradRows stores for one
 * sample); false when grad is not in the WebAssembly memory.
 */
export function setOuterRows(
  w: WasmKernels, grad: Float32Array, width: number, rows: Int32Array, vals: Float32Array, G: Float32Array,
): boolean {
  if (!w.heap.isResident(grad)) return false;
  const f = placeFactors(w, rows, vals, G);
  w.exports.outerRows(f.rows, f.vals, rows.length, f.g, width, grad.byteOffset, width, 1);
  return true;
}

/** dst[j] += Σ_r G[r, j]; false when dst is not in the WebAssembly memory. */
export function addColumnSums(w: WasmKernels, dst: Float32Array, G: Float32Array, rows: number, N: number): boolean {
  if (!w.heap.isResident(dst)) return false;
  const fr = w.frame.begin();
  const g = fr.in(G);
  fr.open();
  w.exports.addColumnSums(dst.byteOffset, fr.ptr(g), rows, N);
  return true;
}

/** Whether every float of a [rows, n] block of `a` (rows `stride` floats apart, from element `off`) is finite. */
export function allFinite(w: WasmKernels, a: Float32Array, off: number, rows: number, n: number, stride: number): boolean {
  if (rows === 0 || n === 0) return true;
  const fr = w.frame.begin();
  const s = fr.in(a);
  fr.open();
  return w.exports.allFinite(fr.ptr(s) + off * 4, rows, n, stride) === 1;
}
