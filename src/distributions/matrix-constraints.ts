// PyTorch 1.13's constraints on matrices (torch.distributions.constraints), one verdict per matrix of the last two
// dimensions: LowerCholesky (lower triangular, positive diagonal), CorrCholesky (and rows of unit norm), Symmetric
// (isclose to the transpose) and PositiveDefinite (symmetric, and cholesky_ex's info 0). The Cholesky test is the
// float32 one of PyTorch's LAPACK here (OpenBLAS's unblocked potf2: float32 dot products and gemv, each product and
// sum rounded, the column scaled by the reciprocal of the pivot), so that matrices singular in float32 get PyTorch's
// verdict (a float64 factorization disagrees on about a quarter of such matrices; this one on none of the fixture's).
import type { Tensor } from '../tensor/tensor.js';

const f = Math.fround;
const FLT_EPSILON = 2 ** -23;

/** The flat values of `t` and its matrix order n (t is [..., n, n]). */
function matrices(t: Tensor): { v: Float32Array | number[]; n: number; count: number } {
  const n = t.shape[t.ndim - 1]!;
  const v = t.contiguous().values();
  return { v, n, count: n === 0 ? 0 : v.length / (n * n) };
}

/** c + a·b in float32: the product rounded, then the sum. */
const madd32 = (a: number, b: number, c: number): number => f(c + f(a * b));

/**
 * 0 when OpenBLAS's float32 potf2 (lower) factors the n × n matrix at `off` of `v`, else the order of the minor where
 * it stops (a pivot ≤ 0), as torch.linalg.cholesky_ex's info.
 */
export function choleskyInfo32(v: ArrayLike<number>, off: number, n: number): number {
  const a = Float32Array.from({ length: n * n }, (_, k) => v[off + k]!);
  for (let j = 0; j < n; j++) {
    let dot = 0;
    for (let k = 0; k < j; k++) dot = madd32(a[j * n + k]!, a[j * n + k]!, dot);
    const ajj = f(a[j * n + j]! - dot);
    if (ajj <= 0) return j + 1;
    const root = f(Math.sqrt(ajj));
    a[j * n + j] = root;
    const r = f(1 / root);
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = 0; k < j; k++) s = madd32(a[i * n + k]!, a[j * n + k]!, s);
      a[i * n + j] = f(f(a[i * n + j]! - s) * r);
    }
  }
  return 0;
}

/** LowerCholesky(): lower triangular with a positive diagonal, for each matrix. */
export function lowerCholeskyCheck(t: Tensor): boolean[] {
  const { v, n, count } = matrices(t);
  return Array.from({ length: count }, (_, b) => {
    const o = b * n * n;
    for (let i = 0; i < n; i++) {
      if (!(v[o + i * n + i]! > 0)) return false;
      for (let j = i + 1; j < n; j++) if (v[o + i * n + j] !== 0) return false;
    }
    return true;
  });
}

/** CorrCholesky(): LowerCholesky() and every row of norm 1 within 10·n·ε (float32's ε), for each matrix. */
export function corrCholeskyCheck(t: Tensor): boolean[] {
  const { v, n } = matrices(t);
  const tol = FLT_EPSILON * n * 10;
  return lowerCholeskyCheck(t).map((ok, b) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += v[b * n * n + i * n + j]! ** 2;
      if (!(Math.abs(f(Math.sqrt(s)) - 1) <= tol)) return false;
    }
    return ok;
  });
}

/** Symmetric(): each element close to its mirror image (PyTorch's isclose, rtol 1e-5, atol 1e-6), for each matrix. */
export function symmetricCheck(t: Tensor): boolean[] {
  const { v, n, count } = matrices(t);
  return Array.from({ length: count }, (_, b) => {
    const o = b * n * n;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const x = v[o + i * n + j]!;
        const y = v[o + j * n + i]!;
        if (!(x === y || Math.abs(x - y) <= 1e-6 + 1e-5 * Math.abs(y))) return false;
      }
    }
    return true;
  });
}

/**
 * PositiveDefinite(), as PyTorch 1.13 checks it: when some matrix is not symmetric, the symmetry verdicts (so a
 * symmetric matrix passes even when it is not positive-definite, as in PyTorch); otherwise cholesky_ex's info is 0.
 */
export function positiveDefiniteCheck(t: Tensor): boolean[] {
  const symmetric = symmetricCheck(t);
  if (!symmetric.every((s) => s)) return symmetric;
  const { v, n } = matrices(t);
  return symmetric.map((_, b) => choleskyInfo32(v, b * n * n, n) === 0);
}
