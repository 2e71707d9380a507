// nansum, nanmean and count_nonzero, as PyTorch 1.13's. nansum is the sum with NaNs counted as 0 (the sum's float64
// accumulation, rounded once; NansumBackward0: the gradient is g where x is not NaN, 0 at the NaNs); nanmean is
// nansum divided by the number of values that are not NaN (PyTorch computes it so: its node is DivBackward0), NaN for
// a slice of NaNs only or an empty one; count_nonzero counts the values that are not 0 (NaN counts), as float32 whole
// numbers, without gradient.
import { refuseMaskReduction } from '../tensor/mask-arithmetic.js';
import { record } from '../autograd/record.js';
import { linearTwice } from '../autograd/twice.js';
import { sumAllRounded } from '../kernels/reduce.js';
import { Tensor } from '../tensor/tensor.js';
import { checkKeepdim, normalizeDims, reducedShape, sumDims } from './reduce.js';
import { checkTensor } from './util.js';
import { checkArgumentCount } from '../options.js';

/** x with its NaNs replaced by 0, and 1 where x is not NaN (0 at the NaNs). */
function withoutNans(x: Tensor): { clean: Tensor; kept: Float32Array } {
  const v = x.values();
  const clean = new Float32Array(v.length);
  const kept = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const e = v[i]!;
    if (e === e) {
      clean[i] = e;
      kept[i] = 1;
    }
  }
  return { clean: new Tensor(clean, x.shape), kept };
}

function sumOf(t: Tensor, dims: number[], keepdim: boolean, all: boolean): Tensor {
  return all && !keepdim ? new Tensor(new Float32Array([sumAllRounded(t.values(), 1)]), []) : sumDims(t, dims, keepdim);
}

/** The sum over `dim` (a dimension or a list; all by default) with NaN counted as 0, as PyTorch's `nansum`. */
export function nansum(x: Tensor, dim?: number | readonly number[] | null, keepdim = false): Tensor {
  checkTensor(x, 'nansum');
  checkKeepdim(keepdim, 'nansum');
  const dims = normalizeDims(x, dim, 'nansum');
  const { clean, kept } = withoutNans(x);
  const out = sumOf(clean, dims, keepdim, dims.length === x.ndim);
  const spread = reducedShape(x.shape, dims, true);
  // Linear: the gradient's graph is recorded with its adjoint, the sum of the entries that are not NaN (autograd/twice.ts).
  return linearTwice(record(out, 'nansum', [x], (g) => {
    const G = g.reshape(spread).expand(...x.shape).toArray();
    for (let i = 0; i < G.length; i++) G[i] = G[i]! * kept[i]!;
    return [new Tensor(G, x.shape)];
  }, [x], 'NansumBackward0'), (h) => {
    const masked = h.mul(new Tensor(kept, x.shape));
    return dims.length === x.ndim && !keepdim ? masked.sum() : masked.sum(dims, keepdim);
  });
}

/** The mean of the values that are not NaN over `dim` (all by default), as PyTorch's `nanmean`. */
export function nanmean(x: Tensor, dim?: number | readonly number[] | null, keepdim = false): Tensor {
  checkTensor(x, 'nanmean');
  refuseMaskReduction(x, 'nanmean');
  checkKeepdim(keepdim, 'nanmean');
  const dims = normalizeDims(x, dim, 'nanmean');
  const { kept } = withoutNans(x);
  const count = sumOf(new Tensor(kept, x.shape), dims, keepdim, dims.length === x.ndim);
  return nansum(x, dim, keepdim).div(count);
}

/** How many values are not 0 (NaN counts) over `dim` (a dimension or a list; all by default), as PyTorch's `count_nonzero`. */
export function countNonzero(x: Tensor, dim?: number | readonly number[] | null, ...extra: never[]): Tensor {
  checkTensor(x, 'countNonzero');
  // PyTorch's count_nonzero takes no keepdim (count_nonzero(x, 0, True) is a TypeError there), nor anything else.
  checkArgumentCount('countNonzero', [dim, ...extra], 1, 'countNonzero(x, dim?)');
  const dims = normalizeDims(x, dim, 'countNonzero');
  const v = x.values();
  const nz = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) nz[i] = v[i] === 0 ? 0 : 1;
  return sumOf(new Tensor(nz, x.shape), dims, false, dims.length === x.ndim);
}
