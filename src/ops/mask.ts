import { markMask } from '../tensor/mask-mark.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * A constant mask of `shape` (outside the graph): 1 where `test` holds for the value, 0 elsewhere. The condition of
 * a `where` in a gradient written with recorded ops (autograd/twice.ts), where a branch is chosen by the input (a
 * mask, as `where` takes PyTorch's bool conditions only).
 */
export function maskOf(values: ArrayLike<number>, shape: readonly number[], test: (v: number) => boolean): Tensor {
  const m = new Float32Array(values.length);
  for (let i = 0; i < m.length; i++) m[i] = test(values[i]!) ? 1 : 0;
  return markMask(new Tensor(m, shape));
}
