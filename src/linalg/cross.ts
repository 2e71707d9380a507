// linalg.cross: torch.cross with PyTorch's linalg default, the last dimension.
import { cross as crossAt } from '../ops/cross.js';
import type { Tensor } from '../tensor/tensor.js';

/** a × b along `dim` (default −1, of length 3), as `torch.linalg.cross`; other dimensions broadcast. */
export function cross(a: Tensor, b: Tensor, dim = -1): Tensor {
  return crossAt(a, b, dim);
}
