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

/**
 * Refuses a bool tensor (a mask) where PyTorch needs floats, with its message: by default its dtype check's
 * (`<op>: Expected a floating point or complex tensor as input. Got Bool`), else the one given.
 */
export function checkFloat(a: Tensor, op: string, message = `${op}: Expected a floating point or complex tensor as input. Got Bool`): void {
  if (a.dtype === 'bool') throw new KindlingError(message);
}

/** PyTorch's refusal of a bool tensor by a kernel without a bool version (`"lu_cpu" not implemented for 'Bool'`). */
export const noBoolKernel = (kernel: string): string => `"${kernel}" not implemented for 'Bool'`;

/** Refuses anything but batches of square matrices, with PyTorch's messages. */
export function checkSquare(a: Tensor, op: string): number {
  if (a.ndim < 2) throw new KindlingError(`${op}: The input tensor A must have at least 2 dimensions.`);
  const n = a.shape[a.ndim - 1]!;
  const m = a.shape[a.ndim - 2]!;
  if (m !== n) throw new KindlingError(`${op}: A must be batches of square matrices, but they are ${m} by ${n} matrices`);
  return n;
}

/**
 * The LU factorisation of the row-major m × n matrix at `a[at…]` (n = m by default): min(m, n) steps, as LAPACK's
 * getrf (a zero pivot is recorded in `info` and its column left unscaled; NaN and infinities propagate as there).
 */
export function luFactor(a: ArrayLike<number>, at: number, m: number, n = m): Lu {
  const lu = new Float64Array(m * n);
  for (let i = 0; i < m * n; i++) lu[i] = a[at + i]!;
  const k = Math.min(m, n);
  const pivots = new Int32Array(k);
  let sign = 1;
  let info = 0;
  for (let c = 0; c < k; c++) {
    let p = c;
    let best = Math.abs(lu[c * n + c]!);
    for (let i = c + 1; i < m; i++) {
      const v = Math.abs(lu[i * n + c]!);
      // As BLAS's i?amax: a NaN is never larger, so it is the pivot only where it is the column's first entry.
      if (v > best) { best = v; p = i; }
    }
    pivots[c] = p;
    if (p !== c) {
      sign = -sign;
      for (let j = 0; j < n; j++) {
        const t = lu[c * n + j]!;
        lu[c * n + j] = lu[p * n + j]!;
        lu[p * n + j] = t;
      }
    }
    const d = lu[c * n + c]!;
    if (d === 0 && info === 0) info = c + 1;
    // No multiplier is skipped, not even a zero one (with a zero pivot, the column is left unscaled but still
    // updates the rest, as LAPACK's): 0·∞ and 0·NaN are NaN, so a NaN or an infinity of A reaches U as PyTorch's.
    for (let i = c + 1; i < m; i++) {
      const l = d === 0 ? lu[i * n + c]! : (lu[i * n + c] = lu[i * n + c]! / d);
      for (let j = c + 1; j < n; j++) lu[i * n + j] = lu[i * n + j]! - l * lu[c * n + j]!;
    }
  }
  return { lu, pivots, sign, info };
}

/**
 * Solves A·X = B in place for B (row-major n × m) with A's factorisation (a zero pivot gives infinities or NaN); no
 * zero factor is skipped, so an infinity or a NaN of B spreads as in LAPACK's substitutions (0·∞ is NaN).
 */
export function luSolve(f: Lu, n: number, b: Float64Array, m: number): void {
  const { lu, pivots } = f;
  for (let k = 0; k < n; k++) {
    const p = pivots[k]!;
    if (p !== k) for (let j = 0; j < m; j++) { const t = b[k * m + j]!; b[k * m + j] = b[p * m + j]!; b[p * m + j] = t; }
  }
  for (let i = 0; i < n; i++) for (let k = 0; k < i; k++) { const l = lu[i * n + k]!; for (let j = 0; j < m; j++) b[i * m + j] = b[i * m + j]! - l * b[k * m + j]!; }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) { const u = lu[i * n + k]!; for (let j = 0; j < m; j++) b[i * m + j] = b[i * m + j]! - u * b[k * m + j]!; }
    const d = lu[i * n + i]!;
    for (let j = 0; j < m; j++) b[i * m + j] = b[i * m + j]! / d;
  }
}

/**
 * The factorisation PyTorch 1.13's `linalg.solve` and `linalg.inv` compute for the n × n matrix at `a[at…]`: of its
 * transpose when the tensor is contiguous (`use_A_T`: LAPACK, column-major, then reads the row-major block as Aᵀ
 * without a copy), else of the matrix itself. Its `info` is the one PyTorch reports; solve with {@link luSolveAs}.
 */
export function luFactorAs(a: ArrayLike<number>, at: number, n: number, transposed: boolean): Lu {
  if (!transposed) return luFactor(a, at, n);
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = a[at + i * n + j]!;
  return luFactor(t, 0, n);
}

/** Solves A·X = B in place for B (row-major n × m) with what {@link luFactorAs} gave (no zero pivot). */
export function luSolveAs(f: Lu, transposed: boolean, n: number, b: Float64Array, m: number): void {
  if (!transposed) {
    luSolve(f, n, b, m);
    return;
  }
  // f factors M = Aᵀ as S·M = L·U (S the row swaps in order), so A = Mᵀ = Uᵀ·Lᵀ·S: solve Uᵀ·y = b, then Lᵀ·w = y,
  // then x = Sᵀ·w (the swaps in reverse order).
  const { lu, pivots } = f;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) { const u = lu[k * n + i]!; for (let j = 0; j < m; j++) b[i * m + j] = b[i * m + j]! - u * b[k * m + j]!; }
    const d = lu[i * n + i]!;
    for (let j = 0; j < m; j++) b[i * m + j] = b[i * m + j]! / d;
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) { const l = lu[k * n + i]!; for (let j = 0; j < m; j++) b[i * m + j] = b[i * m + j]! - l * b[k * m + j]!; }
  }
  for (let k = n - 1; k >= 0; k--) {
    const p = pivots[k]!;
    if (p !== k) for (let j = 0; j < m; j++) { const t = b[k * m + j]!; b[k * m + j] = b[p * m + j]!; b[p * m + j] = t; }
  }
}

/** The determinant from a factorisation: the sign of the permutation times U's diagonal. */
export function luDet(f: Lu, n: number): number {
  let d = f.sign;
  for (let i = 0; i < n; i++) d *= f.lu[i * n + i]!;
  return d;
}
