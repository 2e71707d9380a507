// torch.logdet, as PyTorch 1.13 composes it: log|det| where the determinant is positive, NaN where it is negative
// (−∞ where it is 0), through slogdet and a where (WhereBackward0).
import { where } from '../ops/binary.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor } from '../ops/util.js';
import { checkFloat, checkSquare } from './lu.js';
import { slogdet } from './det.js';

/** log(det A) of each square matrix: NaN for a negative determinant, as `torch.logdet`. */
export function logdet(a: Tensor): Tensor {
  checkTensor(a, 'logdet', 'A');
  checkFloat(a, 'logdet');
  checkSquare(a, 'logdet');
  const [sign, logabsdet] = slogdet(a);
  return where(sign.lt(0), Number.NaN, logabsdet);
}
