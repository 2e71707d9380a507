// linalg.vector_norm, linalg.matrix_norm and linalg.norm, as PyTorch 1.13's: the vector norms on torch.norm's
// kernels (PyTorch's order of accumulation, LinalgVectorNormBackward0); the matrix norms 'fro' (a vector 2-norm over
// the two dims), 1, −1, ∞ and −∞ (sums of |A| along one dim, then amax or amin along the other, as PyTorch composes
// them); 'nuc', 2 and −2 from the singular values (svd.ts), as PyTorch's.
import { KindlingError } from '../errors.js';
import { svdvals } from './svd.js';
import { describeValue } from '../options.js';
import { vectorNorm as normKernel } from '../ops/norm.js';
import { normalizeDim } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor } from '../ops/util.js';

export interface VectorNormOptions {
  /** The dimensions reduced (default all). */
  dim?: number | readonly number[] | null;
  keepdim?: boolean;
}

export interface MatrixNormOptions {
  /** The two dimensions of the matrices (default [−2, −1]). */
  dim?: readonly [number, number];
  keepdim?: boolean;
}

/** (Σ|x|^ord)^(1/ord) over `dim`, as `torch.linalg.vector_norm(x, ord=2, dim=None, keepdim=False)`; ord ±∞ and 0 as PyTorch's. */
export function vectorNorm(x: Tensor, ord = 2, options: VectorNormOptions = {}): Tensor {
  checkTensor(x, 'linalg.vector_norm', 'x');
  if (typeof ord !== 'number' || Number.isNaN(ord)) throw new TypeError(`linalg_vector_norm(): argument 'ord' (position 2) must be Number, not ${describeValue(ord)}`);
  const { dim = null, keepdim = false } = options;
  if (ord < 0 || ord === Infinity) refuseEmpty(x, ord, dim);
  return normKernel(x, ord, dim ?? undefined, keepdim, 'LinalgVectorNormBackward0', 'linalg.vector_norm');
}

/**
 * PyTorch's refusal of a norm of order ∞ or below 0 over no values (a max, a min or a sum of 1/|x|^p has no value for
 * an empty set): an empty tensor without `dim` or with an empty list (every dimension in PyTorch 1.13, as `dim=()`),
 * or the first empty dimension of `dim` (named as given; PyTorch's message lacks the space after it).
 */
function refuseEmpty(x: Tensor, ord: number, dim: number | readonly number[] | null): void {
  const name = ord === Infinity ? 'inf' : ord === -Infinity ? '-inf' : String(ord);
  if (dim === null || (typeof dim !== 'number' && dim.length === 0)) {
    if (x.numel() === 0) throw new KindlingError(`linalg.vector_norm cannot compute the ${name} norm on an empty tensor because the operation does not have an identity`);
    return;
  }
  for (const d of typeof dim === 'number' ? [dim] : dim) {
    if (x.shape[normalizeDim(d, x.ndim, 'linalg.vector_norm')] === 0) {
      throw new KindlingError(`linalg.vector_norm cannot compute the ${name} norm on the dimension ${d} because this dimension is empty and the operation does not have an identity`);
    }
  }
}

/** The norm of each matrix over `dim`, as `torch.linalg.matrix_norm(A, ord='fro', dim=(-2, -1), keepdim=False)`. */
export function matrixNorm(a: Tensor, ord: number | 'fro' | 'nuc' = 'fro', options: MatrixNormOptions = {}): Tensor {
  checkTensor(a, 'linalg.matrix_norm', 'A');
  if (a.ndim < 2) throw new KindlingError('linalg.matrix_norm: The input tensor A must have at least 2 dimensions.');
  const { dim = [-2, -1], keepdim = false } = options;
  const d0 = normalizeDim(dim[0], a.ndim, 'linalg.matrix_norm');
  const d1 = normalizeDim(dim[1], a.ndim, 'linalg.matrix_norm');
  if (d0 === d1) throw new KindlingError(`linalg.matrix_norm: dims must be different. Got (${dim[0]}, ${dim[1]})`);
  if (ord === 'fro') return normKernel(a, 2, [d0, d1], keepdim, 'LinalgVectorNormBackward0', 'linalg.matrix_norm');
  if (ord === 'nuc' || ord === 2 || ord === -2) {
    // From the singular values, as PyTorch: their sum (SumBackward1), largest (AmaxBackward0) or smallest.
    const moved = a.movedim([d0, d1], [-2, -1]);
    const s = svdvals(moved);
    const r = ord === 'nuc' ? s.sum(-1) : ord === 2 ? s.amax(-1) : s.amin(-1);
    if (!keepdim) return r;
    const shape = a.shape.slice();
    shape[d0] = 1;
    shape[d1] = 1;
    return r.reshape(shape);
  }
  if (ord !== 1 && ord !== -1 && ord !== Infinity && ord !== -Infinity) throw new KindlingError(`linalg.matrix_norm: Order ${String(ord)} not supported.`);
  // ±1: the columns' sums of |A| (over dim 0), then the largest/smallest; ±∞: the rows' (over dim 1).
  const [sumDim, maxDim] = Math.abs(ord) === 1 ? [d0, d1] : [d1, d0];
  const sums = a.abs().sum(sumDim, keepdim);
  const at = !keepdim && sumDim < maxDim ? maxDim - 1 : maxDim;
  return ord > 0 ? sums.amax(at, keepdim) : sums.amin(at, keepdim);
}

/**
 * `torch.linalg.norm(A, ord=None, dim=None, keepdim=False)`: without ord and dim the 2-norm of every element; with a
 * number ord and no dim, a vector norm of a 1-D input or a matrix norm of a 2-D one; a dim of one dimension is a
 * vector norm, of two a matrix norm.
 */
export function norm(a: Tensor, ord: number | 'fro' | 'nuc' | null = null, options: { dim?: number | readonly [number, number] | null; keepdim?: boolean } = {}): Tensor {
  checkTensor(a, 'linalg.norm', 'A');
  const { dim = null, keepdim = false } = options;
  if (dim !== null && typeof dim !== 'number' && (!Array.isArray(dim) || dim.length > 2)) {
    throw new KindlingError(`linalg.norm: If dim is specified, it must be of length 1 or 2. Got ${Array.isArray(dim) ? `[${dim.join(', ')}]` : describeValue(dim)}`);
  }
  const dims = dim === null ? null : typeof dim === 'number' ? [dim] : [...dim];
  if (ord === null) {
    return dims !== null && dims.length === 2 ? matrixNorm(a, 'fro', { dim: dims as [number, number], keepdim }) : vectorNorm(a, 2, { dim: dims, keepdim });
  }
  if (dims === null) {
    if (a.ndim !== 1 && a.ndim !== 2) throw new KindlingError(`linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got ${a.ndim}D.`);
    // A named order is a matrix norm over (0, 1), which a 1-D input does not have, as PyTorch's.
    if (a.ndim === 1 && typeof ord === 'number') return vectorNorm(a, ord, { keepdim });
    return matrixNorm(a, ord, { dim: [0, 1], keepdim });
  }
  if (dims.length === 2) return matrixNorm(a, ord, { dim: dims as [number, number], keepdim });
  if (typeof ord !== 'number') throw new KindlingError(`linalg.matrix_norm: dim must be a 2-tuple. Got ${dims[0]}`);
  return vectorNorm(a, ord, { dim: dims, keepdim });
}
