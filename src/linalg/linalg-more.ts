// linalg.matmul, linalg.diagonal, linalg.vecdot, linalg.tensorinv and linalg.tensorsolve, as PyTorch 1.13 composes
// them from other ops (the same values, gradients and last nodes: SumBackward1 for vecdot, the reshape's for the
// tensor ones).
import { KindlingError } from '../errors.js';
import { checkOptions } from '../options.js';
import { matmul as opsMatmul } from '../ops/matmul.js';
import { checkTensor } from '../ops/util.js';
import { normalizeDim } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { inv, solve } from './inverse.js';

/** `matmul`, as `torch.linalg.matmul`. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  return opsMatmul(a, b);
}

/** The diagonals of the last two dimensions (by default), as `torch.linalg.diagonal(A, offset, dim1, dim2)`: a view. */
export function diagonal(a: Tensor, options: { offset?: number; dim1?: number; dim2?: number } = {}): Tensor {
  checkTensor(a, 'linalg.diagonal', 'A');
  const { offset = 0, dim1 = -2, dim2 = -1 } = checkOptions('linalg.diagonal', options, ['offset', 'dim1', 'dim2']);
  return a.diagonal(offset, dim1, dim2);
}

/** Σ x·y along `dim` (the last by default), broadcasting, as `torch.linalg.vecdot(x, y, dim=-1)`. */
export function vecdot(x: Tensor, y: Tensor, options: { dim?: number } = {}): Tensor {
  checkTensor(x, 'linalg.vecdot', 'x');
  checkTensor(y, 'linalg.vecdot', 'y');
  const { dim = -1 } = checkOptions('linalg.vecdot', options, ['dim']);
  return x.mul(y).sum(dim);
}

/**
 * The inverse of A for `tensordot` over `ind` dimensions, as `torch.linalg.tensorinv(A, ind=2)`: A reshaped to a square
 * matrix (the first `ind` dimensions against the rest), inverted, reshaped to A's last dimensions then its first.
 */
export function tensorinv(a: Tensor, options: { ind?: number } = {}): Tensor {
  checkTensor(a, 'linalg.tensorinv', 'A');
  const { ind = 2 } = checkOptions('linalg.tensorinv', options, ['ind']);
  if (!Number.isInteger(ind) || ind <= 0) throw new KindlingError(`Expected a strictly positive integer for 'ind', but got ${ind}`);
  const lead = a.shape.slice(0, ind);
  const rest = a.shape.slice(ind);
  const rows = lead.reduce((p, d) => p * d, 1);
  const cols = rest.reduce((p, d) => p * d, 1);
  if (rows !== cols) throw new KindlingError(`Expected self to satisfy the requirement prod(self.shape[ind:]) == prod(self.shape[:ind]), but got ${cols} != ${rows}`);
  return inv(a.reshape([rows, cols])).reshape([...rest, ...lead]);
}

/**
 * X with tensordot(A, X, X.ndim) = B, as `torch.linalg.tensorsolve(A, B, dims)`: `dims` of A moved to the end first;
 * A's first B.ndim dimensions then match B's, and X has A's others.
 */
export function tensorsolve(a: Tensor, b: Tensor, options: { dims?: readonly number[] | null } = {}): Tensor {
  checkTensor(a, 'linalg.tensorsolve', 'A');
  checkTensor(b, 'linalg.tensorsolve', 'B');
  const { dims = null } = checkOptions('linalg.tensorsolve', options, ['dims']);
  let m = a;
  if (dims !== null) {
    const moved = dims.map((d) => normalizeDim(d, a.ndim, 'linalg.tensorsolve'));
    const kept = a.shape.map((_, i) => i).filter((i) => !moved.includes(i));
    m = a.permute([...kept, ...moved]);
  }
  const rest = m.shape.slice(b.ndim);
  const rows = b.numel();
  const cols = rest.reduce((p, d) => p * d, 1);
  if (rows !== cols || m.numel() !== rows * cols) throw new KindlingError(`Expected self to satisfy the requirement prod(self.shape[other.ndim:]) == prod(self.shape[:other.ndim]), but got ${cols} != ${rows}`);
  return solve(m.reshape([rows, cols]), b.reshape([rows])).reshape(rest);
}
