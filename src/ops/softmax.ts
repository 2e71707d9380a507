import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import * as k from '../kernels/reduce.js';
import { normalizeDim } from '../tensor/shape.js';
import { warnOnce } from '../warn.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor, empty } from './util.js';

/** [outer, n, inner] of x viewed along `dim`: the sizes before it multiplied, its own, and the sizes after it multiplied. */
export function layout(x: Tensor, dim: number, op: string): [number, number, number] {
  const d = normalizeDim(dim, x.ndim, op);
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < d; i++) outer *= x.shape[i]!;
  for (let i = d + 1; i < x.ndim; i++) inner *= x.shape[i]!;
  return [outer, x.shape[d] ?? 1, inner];
}

/**
 * The dimension `nn.Softmax()` and `F.softmax(x)` take when given none, as PyTorch's do (its legacy
 * `_get_softmax_dim`): 0 for 0-, 1- and 3-D inputs, else 1. Warns as PyTorch does, since passing `dim` is clearer:
 * its text names the function (`name`: PyTorch's softmax, log_softmax or softmin), so each warns once.
 */
export function implicitSoftmaxDim(ndim: number, name: 'softmax' | 'log_softmax' | 'softmin'): number {
  warnOnce(`${name}: Implicit dimension choice for ${name} has been deprecated. Change the call to include dim=X as an argument ` +
    '(PyTorch\'s warning; without one, dim 0 is taken for 0-, 1- and 3-D inputs, else 1)', 'implicitSoftmaxDim');
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

/** exp(x) / sum(exp(x)) along `dim` (the last by default, as for tensors). */
export function softmax(x: Tensor, dim = -1): Tensor {
  checkTensor(x, 'softmax');
  const [outer, n, inner] = layout(x, dim, 'softmax');
  const out = empty(x.shape);
  k.softmax(x.values(), outer, n, inner, out.data, false);
  const y = out.data;
  const d = normalizeDim(dim, x.ndim, 'softmax');
  return twice(record(out, 'softmax', [x], (g) => {
    // dx = y ⊙ (g − Σ g⊙y)
    const gx = empty(x.shape);
    const G = g.data;
    const GX = gx.data;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let dot = 0;
        for (let j = 0, p = base; j < n; j++, p += inner) dot += G[p]! * y[p]!;
        for (let j = 0, p = base; j < n; j++, p += inner) GX[p] = y[p]! * (G[p]! - dot);
      }
    }
    return [gx];
  }, [out]), (g) => [out.mul(g.sub(g.mul(out).sum(d, true)))]);
}

/** log(softmax(x)) along `dim` (the last by default), computed stably. */
export function logSoftmax(x: Tensor, dim = -1): Tensor {
  checkTensor(x, 'logSoftmax');
  const [outer, n, inner] = layout(x, dim, 'logSoftmax');
  const out = empty(x.shape);
  k.softmax(x.values(), outer, n, inner, out.data, true);
  const y = out.data;
  const d = normalizeDim(dim, x.ndim, 'logSoftmax');
  return twice(record(out, 'logSoftmax', [x], (g) => {
    // dx = g − exp(y) · Σ g
    const gx = empty(x.shape);
    k.logSoftmaxBackward(y, g.values(), outer, n, inner, gx.data);
    return [gx];
  }, [out]), (g) => [g.sub(out.exp().mul(g.sum(d, true)))]);
}
