/**
 * `linalg.householderProduct(A, tau)`, PyTorch's `torch.linalg.householder_product` (LAPACK's orgqr): the first n
 * columns of H₀·H₁·…·H_{k−1}, where Hᵢ = I − τᵢ·vᵢ·vᵢᵀ and vᵢ is column i of A [m, n] below the diagonal with a 1 on
 * it (zeros above). Composed of differentiable ops, so the gradient reaches A and τ; within float32 rounding of
 * LAPACK's product. On batches of matrices too.
 */
import { record } from '../autograd/record.js';
import { KindlingError } from '../errors.js';
import { checkTensor } from '../ops/util.js';
import { tensor } from '../tensor/creation.js';
import { eye } from '../tensor/integers.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

export function householderProduct(a: Tensor, tau: Tensor): Tensor {
  checkTensor(a, 'householderProduct');
  checkTensor(tau, 'householderProduct', 'tau');
  if (a.ndim < 2) throw new KindlingError(`torch.linalg.householder_product: input must have at least 2 dimensions.`);
  const [m, n] = [a.shape[a.ndim - 2]!, a.shape[a.ndim - 1]!];
  const k = tau.shape[tau.ndim - 1] ?? 1;
  if (m < n) throw new KindlingError('torch.linalg.householder_product: input.shape[-2] must be greater than or equal to input.shape[-1]');
  if (n < k) throw new KindlingError('torch.linalg.householder_product: input.shape[-1] must be greater than or equal to tau.shape[-1]');
  if (tau.ndim !== a.ndim - 1) throw new KindlingError(`torch.linalg.householder_product: Expected tau to have one dimension less than input, but got tau.ndim equal to ${tau.ndim} and input.ndim is equal to ${a.ndim}`);
  // PyTorch does not broadcast tau: its batch must be A's.
  const batch = a.shape.slice(0, -2);
  if (tau.shape.slice(0, -1).some((d, i) => d !== batch[i])) {
    throw new KindlingError(`torch.linalg.householder_product: Expected batch dimensions of tau to be equal to input.shape[:-2], but got ${formatShape(tau.shape.slice(0, -1))}`);
  }
  if (k === 0) {
    // No reflection: the first n columns of the identity (for each matrix of the batch), with a node whose gradients
    // are none, as PyTorch's (LinalgHouseholderProductBackward0 gives undefined ones).
    const out = eye(m, n).expand(a.shape).contiguous();
    return record(out, 'householderProduct', [a, tau], () => [null, null], [], 'LinalgHouseholderProductBackward0');
  }
  let q = eye(m);
  for (let i = 0; i < k; i++) {
    // vᵢ: rows below i of column i, 1 at row i, 0 above.
    const below = tensor(Array.from({ length: m }, (_, r) => (r > i ? 1 : 0)), [m, 1]);
    const unit = tensor(Array.from({ length: m }, (_, r) => (r === i ? 1 : 0)), [m, 1]);
    const v = a.narrow(-1, i, 1).mul(below).add(unit);
    const t = tau.narrow(-1, i, 1).unsqueeze(-1);
    q = q.sub(q.matmul(v).matmul(v.transpose(-2, -1)).mul(t));
  }
  return q.narrow(-1, 0, n);
}
