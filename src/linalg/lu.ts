// LU factorisation with partial pivoting in float64, as LAPACK's getrf chooses its pivots (the first largest |value|
// in the column), for the linalg functions: each [n, n] matrix of a batch factorised on its own.
import { KindlingError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';

export interface Lu {
  /** L below the diagonal (unit diagonal implied) and U on and above it, row-major n × n. */
  lu: Float64Array;
  /** The row swapped with row k at step k. */
  pivots: Int32Array;
  /** +1 or −1: the sign of the row permutation. */
  sign: number;
  /** The first zero pivot (1-based, LAPACK's info), or 0 when there is none. */
  info: number;
}

/** Refuses anything but batches of square matrices, with PyTorch's messages. */
export function checkSquare(a: Tensor, op: string): number {
  if (a.ndim < 2) throw new KindlingError(`${op}: The input tensor A must have at least 2 dimensions.`);
  const n = a.shape[a.ndim - 1]!;
  const m = a.shape[a.ndim - 2]!;
  if (m !== n) throw new KindlingError(`${op}: A must be batches of square matrices, but they are ${m} by ${n} matrices`);
  return n;
}

/** The LU factorisation of the row-major n × n matrix at `a[at…]`. */
export function luFactor(a: ArrayLike<number>, at: number, n: number): Lu {
  const lu = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) lu[i] = a[at + i]!;
  const pivots = new Int32Array(n);
  let sign = 1;
  let info = 0;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(lu[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + k]!);
      if (v > best || Number.isNaN(v)) { best = v; p = i; if (Number.isNaN(v)) break; }
    }
    pivots[k] = p;
    if (p !== k) {
      sign = -sign;
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j]!;
        lu[k * n + j] = lu[p * n + j]!;
        lu[p * n + j] = t;
      }
    }
    const d = lu[k * n + k]!;
    if (d === 0) {
      if (info === 0) info = k + 1;
      continue;
    }
    for (let i = k + 1; i < n; i++) {
      const l = (lu[i * n + k] = lu[i * n + k]! / d);
      if (l === 0) continue;
      for (let j = k + 1; j < n; j++) lu[i * n + j] = lu[i * n + j]! - l * lu[k * n + j]!;
    }
  }
  return { lu, pivots, sign, info };
}

/** Solves A·X = B in place for B (row-major n × m) with A's factorisation (which must have no zero pivot). */
export function luSolve(f: Lu, n: number, b: Float64Array, m: number): void {
  const { lu, pivots } = f;
  for (let k = 0; k < n; k++) {
    const p = pivots[k]!;
    if (p !== k) for (let j = 0; j < m; j++) { const t = b[k * m + j]!; b[k * m + j] = b[p * m + j]!; b[p * m + j] = t; }
  }
  for (let i = 0; i < n; i++) for (let k = 0; k < i; k++) { const l = lu[i * n + k]!; if (l !== 0) for (let j = 0; j < m; j++) b[i * m + j] = b[i * m + j]! - l * b[k * m + j]!; }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) { const u = lu[i * n + k]!; if (u !== 0) for (let j = 0; j < m; j++) b[i * m + j] = b[i * m + j]! - u * b[k * m + j]!; }
    const d = lu[i * n + i]!;
    for (let j = 0; j < m; j++) b[i * m + j] = b[i * m + j]! / d;
  }
}

/** The determinant from a factorisation: the sign of the permutation times U's diagonal. */
export function luDet(f: Lu, n: number): number {
  let d = f.sign;
  for (let i = 0; i < n; i++) d *= f.lu[i * n + i]!;
  return d;
}
