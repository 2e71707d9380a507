// linalg.matrix_power, as PyTorch 1.13's: n = 0 the identity (a copy), n = 1 a clone, otherwise repeated squaring
// by matmul (MmBackward0 for 2-D), of the inverse for a negative n.
import { KindlingError } from '../errors.js';
import { eye } from '../tensor/integers.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor } from '../ops/util.js';
import { inv } from './inverse.js';
import { checkSquare } from './lu.js';

/** A^n for each square matrix of A, as `torch.linalg.matrix_power(A, n)`; a negative n powers the inverse. */
export function matrixPower(a: Tensor, n: number): Tensor {
  checkTensor(a, 'linalg.matrix_power', 'A');
  if (!Number.isInteger(n)) throw new TypeError(`linalg.matrix_power: n must be an integer, got ${n}`);
  const size = checkSquare(a, 'linalg.matrix_power');
  // The identity copied into a clone of A, as PyTorch's (CopyBackwards: A gets a zero gradient).
  if (n === 0) return a.clone().copy_(eye(size).expand(a.shape));
  if (n < 0) return matrixPower(inv(a), -n);
  if (n === 1) return a.clone();
  // PyTorch's order: square z = a, a², a⁴…; multiply the result by z at each set bit of n.
  let result: Tensor | null = null;
  let z: Tensor | null = null;
  let k = n;
  while (k > 0) {
    z = z === null ? a : z.matmul(z);
    if (k & 1) result = result === null ? z : result.matmul(z);
    k >>= 1;
  }
  if (result === null) throw new KindlingError('linalg.matrix_power: internal error');
  return result;
}
