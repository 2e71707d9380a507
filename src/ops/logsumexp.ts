// logsumexp, as PyTorch 1.13's: log Σ exp(x) over `dim` (a dimension or a list of them), computed stably as PyTorch
// computes it — the max m of each reduced slice is subtracted first, replaced by 0 where it is ±∞ (so a slice of −∞
// gives −∞, and one holding +∞ gives +∞; a NaN anywhere in it gives NaN), then log Σ exp(x − m) + m, each step rounded
// to float32. The gradient is PyTorch's g·exp(x − result) (LogsumexpBackward0): softmax-like, NaN where x and the
// result are the same infinity.
import { twice } from '../autograd/twice.js';
import { record } from '../autograd/record.js';
import { unary } from '../kernels/elementwise.js';
import { formatShape, numel } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkKeepdim, normalizeDims, outputIndex, reducedShape, sumDims } from './reduce.js';
import { checkTensor } from './util.js';

export function logsumexp(x: Tensor, dim: number | readonly number[], keepdim = false): Tensor {
  checkTensor(x, 'logsumexp');
  if (dim === undefined || dim === null) {
    throw new TypeError('logsumexp: dim is required, as in PyTorch (a dimension or a list of them: x.logsumexp(1), x.logsumexp([0, 1]))');
  }
  checkKeepdim(keepdim, 'logsumexp');
  // An empty list means every dimension (normalizeDims), but PyTorch 1.13 refuses it without keepdim on a tensor with
  // dimensions and values (its max keeps the dimensions, its sum drops them, and they do not add up): so does Kindling.
  if (Array.isArray(dim) && dim.length === 0 && !keepdim && x.ndim > 0 && x.numel() > 0) {
    throw new RangeError(`logsumexp: an empty list of dimensions is refused without keepdim for shape ${formatShape(x.shape)}, as PyTorch 1.13 refuses it; list the dimensions (x.logsumexp([${x.shape.map((_, i) => i).join(', ')}]))`);
  }
  const dims = normalizeDims(x, dim, 'logsumexp');
  const shape = reducedShape(x.shape, dims, keepdim);
  const count = numel(shape);
  const xv = x.values();
  const n = xv.length;
  const at = outputIndex(x.shape, dims);
  const out = new Float32Array(count);
  if (n === 0) {
    // log of an empty sum: −∞ for every result (there are none when a dimension kept is empty).
    out.fill(-Infinity);
  } else {
    const m = new Float32Array(count).fill(-Infinity);
    for (let i = 0; i < n; i++) {
      const v = xv[i]!;
      const o = at[i]!;
      if (v > m[o]! || v !== v) m[o] = v;
    }
    for (let o = 0; o < count; o++) if (Math.abs(m[o]!) === Infinity) m[o] = 0;
    const e = new Float32Array(n);
    for (let i = 0; i < n; i++) e[i] = xv[i]! - m[at[i]!]!;
    unary('exp', e, e);
    const s = sumDims(new Tensor(e, x.shape), dims, keepdim).values();
    for (let o = 0; o < count; o++) out[o] = Math.fround(Math.log(s[o]!)) + m[o]!;
  }
  const result = new Tensor(out, shape);
  const keptShape = reducedShape(x.shape, dims, true);
  const node = record(result, 'logsumexp', [x], (g) => {
    const G = g.values();
    const gx = new Float32Array(n);
    for (let i = 0; i < n; i++) gx[i] = xv[i]! - out[at[i]!]!;
    unary('exp', gx, gx);
    for (let i = 0; i < n; i++) gx[i] = G[at[i]!]! * gx[i]!;
    return [new Tensor(gx, x.shape)];
  }, [x, result]);
  // The gradient's graph (createGraph): PyTorch's logsumexp_backward with ops, g·exp(x − result), the result the
  // recorded one (so NaN only where x and the result are the same infinity, as the plain backward).
  return twice(node, (g) => [g.reshape(keptShape).mul(x.sub(node.reshape(keptShape)).exp())]);
}
