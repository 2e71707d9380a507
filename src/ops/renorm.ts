// renorm, as PyTorch 1.13's: each slice along `dim` whose p-norm is above `maxnorm` is scaled down to it (by
// maxnorm / (norm + 1e-7), in float32); RenormBackward0's gradient is PyTorch's renorm_backward, through the norm.
import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { composedTwice } from '../autograd/twice.js';
import { describeValue } from '../options.js';
import { normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { where } from './binary.js';
import { normBackward, vectorNorm } from './norm.js';
import { checkTensor } from './util.js';

const f = Math.fround;
const EPS = f(1e-7);

/**
 * Each slice `x.select(dim, i)` whose p-norm exceeds `maxnorm`, scaled to have that norm (the others unchanged), as
 * PyTorch's `torch.renorm(x, p, dim, maxnorm)` — the max-norm constraint of embeddings and dropout networks.
 *
 * @throws TypeError for a p or maxnorm that is not a number; RangeError for p ≤ 0, maxnorm < 0 (or NaN), fewer
 *   than 2 dimensions or a dim out of range.
 * @example renorm(w, 2, 0, 1) // every row of w has an L2 norm of at most 1
 */
export function renorm(x: Tensor, p: number, dim: number, maxnorm: number): Tensor {
  checkTensor(x, 'renorm');
  if (typeof p !== 'number') throw new TypeError(`renorm: p must be a number (the norm's order), got ${describeValue(p)}`);
  if (typeof maxnorm !== 'number') throw new TypeError(`renorm: maxnorm must be a number, got ${describeValue(maxnorm)}`);
  if (!(p > 0)) throw new RangeError(`renorm: p must be above 0 (PyTorch: "non-positive-norm not supported"), got ${p}`);
  if (!(maxnorm >= 0)) throw new RangeError(`renorm: maxnorm must be 0 or more, got ${maxnorm}`);
  if (x.ndim < 2) throw new RangeError(`renorm: the input needs at least 2 dimensions (slices along dim are normalized), got shape [${x.shape.join(', ')}]`);
  const d = normalizeDim(dim, x.ndim, 'renorm');
  const dims = x.shape.map((_, i) => i).filter((i) => i !== d);
  const max = f(maxnorm);
  const norm = noGrad(() => vectorNorm(x, p, dims, true, 'NormBackward1', 'renorm'));
  const nv = norm.values();
  const factor = new Float32Array(nv.length);
  for (let i = 0; i < nv.length; i++) factor[i] = nv[i]! > max ? f(max / f(nv[i]! + EPS)) : 1;
  const scale = new Tensor(factor, norm.shape);
  const out = noGrad(() => x.mul(scale));
  // Its gradient's graph: x times the factor, both written with ops (the norm's), differentiated.
  return composedTwice(record(out, 'renorm', [x], (g) => [renormBackward(g, x, p, dims, max, norm)], [x], 'RenormBackward0'), (t) => {
    const n = vectorNorm(t, p, dims, true, 'NormBackward1', 'renorm');
    return t.mul(n.add(EPS).reciprocal().mul(max).where(n.gt(max), 1));
  });
}

/** PyTorch 1.13's renorm_backward: where the norm exceeds maxnorm, factor·g − factor/(norm + 1e-7) · norm'(Σ x·g). */
function renormBackward(g: Tensor, x: Tensor, p: number, dims: readonly number[], max: number, norm: Tensor): Tensor {
  const summed = x.mul(g).sum(dims, true);
  const nb = normBackward(summed, x, p, norm, dims) ?? g.mul(0);
  const invnorm = norm.add(EPS).reciprocal();
  const factor = invnorm.mul(max);
  return where(norm.gt(max), factor.mul(g).sub(factor.mul(invnorm).mul(nb)), g);
}
