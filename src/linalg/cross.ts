// linalg.cross: torch.cross with PyTorch's linalg default, the last dimension.
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import { cross as crossAt } from '../ops/cross.js';
import type { Tensor } from '../tensor/tensor.js';

/** linalg.cross's options: PyTorch's keyword argument `dim`. */
export interface LinalgCrossOptions {
  dim?: number;
}

/**
 * a × b along `dim` (default −1, of length 3), as `torch.linalg.cross`; other dimensions broadcast. `dim` is given
 * as a number or as `{ dim }`, as the other linalg functions take their keyword arguments.
 */
export function cross(a: Tensor, b: Tensor, dim: number | LinalgCrossOptions = -1): Tensor {
  const d = isPlainObject(dim) ? (checkOptions('linalg.cross', dim, ['dim']).dim ?? -1) : dim;
  if (typeof d !== 'number' || !Number.isInteger(d)) throw new TypeError(`linalg.cross: dim must be an integer (or { dim }), got ${describeValue(d)}`);
  return crossAt(a, b, d);
}
