// linalg.matrix_rank and linalg.cond, as PyTorch 1.13's, from the singular values (svd.ts): the rank counts those
// above max(atol, rtol·σ₁) (tolerance.ts: numbers or tensors broadcast against the batch; a float32 count, where
// PyTorch's is int64); the condition number in the 2-norm is σ₁/σₙ, 'nuc' Σσ·Σ(1/σ), other orders ‖A‖·‖A⁻¹‖ (∞ for a
// singular matrix); an empty matrix's is 0.
import { KindlingError } from '../errors.js';
import { where } from '../ops/binary.js';
import { checkTensor } from '../ops/util.js';
import { checkOptions, describeValue } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { batchCount } from './batches.js';
import { invEx } from './inverse.js';
import { checkFloat, checkSquare } from './lu.js';
import { matrixNorm } from './norms.js';
import { eigvalsh } from './eigh.js';
import { svdvals } from './svd.js';
import { tolerances, type Tolerance } from './tolerance.js';

export interface MatrixRankOptions {
  /** Absolute tolerance (a number, or a tensor broadcast against the batch). */
  atol?: Tolerance | null;
  /** Relative tolerance, times the largest singular value (default max(m, n)·ε, or 0 where atol is positive). */
  rtol?: Tolerance | null;
  /** Takes A as symmetric (its lower triangle): |eigenvalues| for the singular values. */
  hermitian?: boolean;
  /** PyTorch's older form, `matrix_rank(A, tol)`: atol = tol with rtol 0; not with atol or rtol. */
  tol?: Tolerance | null;
}

/** The number of singular values of each matrix above max(atol, rtol·σ₁), as `torch.linalg.matrix_rank`. */
export function matrixRank(a: Tensor, options: MatrixRankOptions = {}): Tensor {
  const op = 'linalg.matrix_rank';
  const { atol, rtol, hermitian = false, tol } = checkOptions(op, options, ['atol', 'rtol', 'hermitian', 'tol']);
  const given = (t: unknown): boolean => t !== undefined && t !== null;
  if (given(tol) && (given(atol) || given(rtol))) throw new TypeError(`${op}: tol (the older form: atol with rtol 0) cannot be combined with atol or rtol`);
  if (typeof hermitian !== 'boolean') throw new TypeError(`${op}: hermitian must be true or false, got ${describeValue(hermitian)}`);
  checkTensor(a, `torch.${op}`, 'input');
  checkFloat(a, op, "This function doesn't handle types other than float and double");
  if (a.ndim < 2) throw new KindlingError(`torch.${op}: The input tensor input must have at least 2 dimensions.`);
  const s = hermitian ? eigvalsh(a).abs() : svdvals(a);
  const tols = given(tol) ? tolerances(op, a, tol, 0) : tolerances(op, a, atol, rtol);
  const k = s.shape[s.ndim - 1]!;
  const sv = s.expand([...tols.batch, k]).toArray();
  const out = new Float32Array(tols.atol.length);
  for (let b = 0; b < out.length; b++) {
    let big = 0;
    for (let i = 0; i < k; i++) big = Math.max(big, sv[b * k + i]!);
    const limit = Math.max(tols.atol[b]!, tols.rtol[b]! * big);
    for (let i = 0; i < k; i++) if (sv[b * k + i]! > limit) out[b] = out[b]! + 1;
  }
  return new Tensor(out, tols.batch);
}

const ORDERS: readonly unknown[] = [null, 1, -1, 2, -2, Infinity, -Infinity, 'fro', 'nuc'];
const orderName = (p: number | string): string => (p === Infinity ? 'inf' : p === -Infinity ? '-inf' : String(p));

/**
 * The condition number of each matrix in the order `p` (2 by default: σ₁/σₙ), as `torch.linalg.cond`: 'nuc' is
 * Σσ·Σ(1/σ) from the singular values, ±1, ±∞ and 'fro' ‖A‖·‖A⁻¹‖ with PyTorch's inverse (linalg.inv_ex's, all ∞ for
 * a singular matrix, so its number is ∞, 0·∞ included). Orders other than ±2 need square matrices; an empty
 * matrix's number is 0.
 */
export function cond(a: Tensor, p: number | 'fro' | 'nuc' | null = null): Tensor {
  checkTensor(a, 'linalg.cond', 'A');
  if (!ORDERS.includes(p)) throw new KindlingError(`linalg.cond got an invalid norm type: ${typeof p === 'number' || typeof p === 'string' ? orderName(p) : describeValue(p)}`);
  if (a.ndim < 2) throw new KindlingError('linalg.cond: The input tensor must have at least 2 dimensions.');
  // PyTorch checks the shape of a named order's matrices before it returns zeros for empty ones, a number's after.
  if (typeof p === 'string') checkSquare(a, `linalg.cond(ord=${p})`);
  if (a.numel() === 0) return new Tensor(new Float32Array(batchCount(a.shape)), a.shape.slice(0, -2));
  if (p === null || p === 2 || p === -2) {
    const s = svdvals(a);
    const k = s.shape[s.ndim - 1]!;
    const ratio = s.narrow(-1, 0, 1).div(s.narrow(-1, k - 1, 1));
    return (p === -2 ? ratio.reciprocal() : ratio).squeeze(-1);
  }
  if (p === 'nuc') {
    // As PyTorch's: from the singular values rather than the inverse (a singular matrix's number is then finite or NaN).
    const s = svdvals(a);
    return s.sum(-1).mul(s.reciprocal().sum(-1));
  }
  if (typeof p === 'number') checkSquare(a, `linalg.cond(ord=${orderName(p)})`);
  const [inverse, info] = invEx(a);
  const filled = where(info.gt(0).unsqueeze(-1).unsqueeze(-1), Infinity, inverse);
  // PyTorch's nan_to_num(∞, ∞, −∞) of the product: the 0·∞ of a zero matrix is ∞ too.
  return matrixNorm(a, p).mul(matrixNorm(filled, p)).nanToNum(Infinity, Infinity, -Infinity);
}
