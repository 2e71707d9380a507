import { Tensor } from '../tensor/tensor.js';

/**
 * A constant tensor of `shape` (outside the graph): 1 where `test` holds for the value, 0 elsewhere. The condition of
 * a `where` in a gradient written with recorded ops (autograd/twice.ts), where a branch is chosen by the input.
 */
export function maskOf(values: ArrayLike<number>, shape: readonly number[], test: (v: number) => boolean): Tensor {
  const m = new Float32Array(values.length);
  for (let i = 0; i < m.length; i++) m[i] = test(values[i]!) ? 1 : 0;
  return new Tensor(m, shape);
}
