// prod, cumprod and logcumsumexp written with ops whose gradients have graphs (mul, narrow, cat, exp, cumsum, log),
// for the gradient's graph of the fused kernels (autograd/twice.ts composedTwice: second derivatives). Products of
// slices one after another stay exact where an element is 0, as the fused kernels' gradients do.
import { noGrad } from '../autograd/grad-mode.js';
import { normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { cat } from './join.js';

/** x[…, 0, …]·…·x[…, k, …] along `dim`, as a chain of products of slices. */
export function cumprodComposed(x: Tensor, dim: number): Tensor {
  if (x.ndim === 0) return x.mul(1);
  const d = normalizeDim(dim, x.ndim, 'cumprod');
  const parts = [x.narrow(d, 0, 1)];
  for (let k = 1; k < x.shape[d]!; k++) parts.push(parts[k - 1]!.mul(x.narrow(d, k, 1)));
  return cat(parts, d);
}

/** The product of all elements, or along `dim`, as a chain of products of slices. */
export function prodComposed(x: Tensor, dim?: number, keepdim = false): Tensor {
  if (x.ndim === 0) return x.mul(1);
  if (dim === undefined) {
    const flat = x.reshape([-1]);
    if (flat.shape[0] === 0) return new Tensor(new Float32Array([1]), []);
    let acc = flat.select(0, 0);
    for (let k = 1; k < flat.shape[0]!; k++) acc = acc.mul(flat.select(0, k));
    return acc;
  }
  const d = normalizeDim(dim, x.ndim, 'prod');
  let acc = x.narrow(d, 0, 1);
  for (let k = 1; k < x.shape[d]!; k++) acc = acc.mul(x.narrow(d, k, 1));
  return keepdim ? acc : acc.squeeze(d);
}

/** log Σ exp along `dim`, running: each slice shifted by its largest finite value (a constant), then exp, cumsum, log. */
export function logcumsumexpComposed(x: Tensor, dim: number): Tensor {
  if (x.ndim === 0) return x.mul(1);
  const d = normalizeDim(dim, x.ndim, 'logcumsumexp');
  const shift = noGrad(() => {
    const m = x.amax(d, true);
    return m.where(m.isfinite(), 0);
  });
  return x.sub(shift).exp().cumsum(d).log().add(shift);
}
