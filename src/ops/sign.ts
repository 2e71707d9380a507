// sign, as PyTorch 1.13's: 1 for x > 0, −1 for x < 0, and +0 for everything else — zeros of either sign and NaN
// (PyTorch's CPU kernel computes (0 < x) − (x < 0), so sign(NaN) is 0 there, not NaN, and sign(−0) is +0). Its gradient is
// zeros, recorded as PyTorch records it (SignBackward0).
import { twice } from '../autograd/twice.js';
import { record } from '../autograd/record.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';

/** The sign of each element; `torchName` 'SgnBackward0' for PyTorch's `sgn`, the same op on real tensors. */
export function sign(x: Tensor, torchName?: string): Tensor {
  checkTensor(x, torchName === undefined ? 'sign' : 'sgn');
  const xv = x.values();
  const out = new Float32Array(xv.length);
  for (let i = 0; i < xv.length; i++) {
    const v = xv[i]!;
    out[i] = v > 0 ? 1 : v < 0 ? -1 : 0;
  }
  // The gradient is zeros, a constant: the same closure is the gradient's graph (createGraph).
  const zeros = (): Tensor[] => [new Tensor(new Float32Array(xv.length), x.shape)];
  return twice(record(new Tensor(out, x.shape), 'sign', [x], zeros, [], torchName), zeros);
}
