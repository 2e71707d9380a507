// Helpers for the decompositions: a tensor's matrices one by one in float64, and float64 matrices back to float32.
import type { Tensor } from '../tensor/tensor.js';

/** The number of matrices in a tensor of `shape` ([..., m, n]): the product of its batch dimensions, empty ones included. */
export const batchCount = (shape: readonly number[]): number => shape.slice(0, -2).reduce((p, d) => p * d, 1);

/**
 * The matrices of `a` ([..., m, n]), row-major, as float64 arrays: one per batch element, also when m or n is 0 (an
 * empty matrix still has its factors, such as the identity of an SVD's or a QR's completed basis).
 */
export function matricesOf(a: Tensor): Float64Array[] {
  const v = a.toArray();
  const size = a.ndim < 2 ? v.length : a.shape[a.ndim - 2]! * a.shape[a.ndim - 1]!;
  const count = batchCount(a.shape);
  const out: Float64Array[] = [];
  for (let b = 0; b < count; b++) out.push(Float64Array.from(v.subarray(b * size, (b + 1) * size)));
  return out;
}

/** float64 matrices joined into one float32 array (each rounded once). */
export function joined(parts: readonly Float64Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** C = A·B for row-major float64 matrices (A m × k, B k × n); `ta`/`tb` read A or B transposed. */
export function mul64(a: Float64Array, b: Float64Array, m: number, k: number, n: number, ta = false, tb = false): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (ta ? a[p * m + i]! : a[i * k + p]!) * (tb ? b[j * k + p]! : b[p * n + j]!);
      c[i * n + j] = s;
    }
  }
  return c;
}

/** The transpose of the n × n matrix `a`. */
export const transpose64 = (a: Float64Array, n: number): Float64Array => {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = a[i * n + j]!;
  return t;
};

/** X with Lᴴ·X = B (L lower triangular). */
export function solveLeftUpperT(l: Float64Array, b: Float64Array, n: number): Float64Array {
  const x = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i * n + c]!;
      for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k * n + c]!;
      x[i * n + c] = s / l[i * n + i]!;
    }
  }
  return x;
}

/** X with X·L = B (L n × n lower triangular, X and B `rows` × n; `rows` defaults to n). */
export function solveRight(l: Float64Array, b: Float64Array, n: number, rows = n): Float64Array {
  const x = Float64Array.from(b);
  for (let r = 0; r < rows; r++) {
    for (let j = n - 1; j >= 0; j--) {
      let s = x[r * n + j]!;
      for (let k = j + 1; k < n; k++) s -= x[r * n + k]! * l[k * n + j]!;
      x[r * n + j] = s / l[j * n + j]!;
    }
  }
  return x;
}
