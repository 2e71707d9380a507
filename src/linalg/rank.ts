// linalg.matrix_rank and linalg.cond, as PyTorch 1.13's, from the singular values (svd.ts): the rank counts those
// above max(atol, rtol·σ₁) (rtol max(m, n)·ε by default; a float32 count, where PyTorch's is int64); the condition
// number in the 2-norm is σ₁/σₙ, other orders ‖A‖·‖A⁻¹‖.
import { checkOptions } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { inv } from './inverse.js';
import { matrixNorm } from './norms.js';
import { eigvalsh } from './eigh.js';
import { svdvals } from './svd.js';

export interface MatrixRankOptions { atol?: number; rtol?: number; hermitian?: boolean }

export function matrixRank(a: Tensor, options: MatrixRankOptions = {}): Tensor {
  const { atol, rtol, hermitian = false } = checkOptions('linalg.matrix_rank', options, ['atol', 'rtol', 'hermitian']);
  const s = hermitian ? eigvalsh(a).abs() : svdvals(a);
  const k = s.shape[s.ndim - 1]!;
  const m = a.shape[a.ndim - 2]!;
  const n = a.shape[a.ndim - 1]!;
  const r = rtol ?? (atol === undefined || atol === 0 ? Math.max(m, n) * 2 ** -23 : 0);
  const sv = s.values();
  const out = new Float32Array(k === 0 ? 0 : sv.length / k);
  for (let b = 0; b < out.length; b++) {
    let big = 0;
    for (let i = 0; i < k; i++) big = Math.max(big, sv[b * k + i]!);
    const tol = Math.max(atol ?? 0, r * big);
    for (let i = 0; i < k; i++) if (sv[b * k + i]! > tol) out[b] = out[b]! + 1;
  }
  return new Tensor(out, s.shape.slice(0, -1));
}

/** The condition number of each matrix in the order `p` (2 by default: σ₁/σₙ), as `torch.linalg.cond`. */
export function cond(a: Tensor, p: number | 'fro' | 'nuc' | null = null): Tensor {
  if (p === null || p === 2 || p === -2) {
    const s = svdvals(a);
    const k = s.shape[s.ndim - 1]!;
    const ratio = s.narrow(-1, 0, 1).div(s.narrow(-1, k - 1, 1));
    return (p === -2 ? ratio.reciprocal() : ratio).squeeze(-1);
  }
  return matrixNorm(a, p).mul(matrixNorm(inv(a), p));
}
