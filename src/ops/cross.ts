// The cross product of 3-vectors, as PyTorch 1.13's torch.cross (which runs torch.linalg.cross): the inputs have the
// same rank and broadcast; the dimension of length 3 is `dim` (default: the first dimension of length 3, which
// PyTorch deprecates). Its node is LinalgCrossBackward0: a's gradient is b × g, b's g × a,
// each summed back over the dimensions it was broadcast along.
// Each component is fmaf(a1, b2, −(a2·b1)): PyTorch's AVX2 build fuses the first product into the subtraction.
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { fmaf } from '../kernels/ref/fmaf.js';
import { broadcastShapes, contiguousStrides, normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { sumToShape } from './broadcast.js';
import { checkTensor } from './util.js';
import { expand } from './view.js';

function crossValues(a: Tensor, b: Tensor, shape: readonly number[], d: number): Float32Array {
  const av = expand(a, shape).toArray();
  const bv = expand(b, shape).toArray();
  const out = new Float32Array(av.length);
  const step = contiguousStrides(shape)[d]!;
  const outer = av.length / (3 * step);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < step; i++) {
      const k0 = o * 3 * step + i;
      const k1 = k0 + step;
      const k2 = k1 + step;
      out[k0] = fmaf(av[k1]!, bv[k2]!, -Math.fround(av[k2]! * bv[k1]!));
      out[k1] = fmaf(av[k2]!, bv[k0]!, -Math.fround(av[k0]! * bv[k2]!));
      out[k2] = fmaf(av[k0]!, bv[k1]!, -Math.fround(av[k1]! * bv[k0]!));
    }
  }
  return out;
}

function crossAt(a: Tensor, b: Tensor, dim: number, shown: number | string): Tensor {
  // The lengths along dim first, then the broadcast, as PyTorch checks them (both inputs have the same rank).
  const d = normalizeDim(dim, a.ndim, 'linalg.cross');
  if (a.shape[d] !== 3 || b.shape[d] !== 3) {
    throw new RangeError(`linalg.cross: inputs dimension ${shown} must have length 3. Got ${a.shape[d]} and ${b.shape[d]}`);
  }
  const shape = broadcastShapes(a.shape, b.shape, 'linalg.cross');
  const out = new Tensor(crossValues(a, b, shape, d), shape);
  // Written with ops (cross products again): with createGraph it records its own graph (second derivatives).
  const back = (g: Tensor): Tensor[] => [sumToShape(crossAt(b, g, d, shown), a.shape), sumToShape(crossAt(g, a, d, shown), b.shape)];
  return twice(record(out, 'cross', [a, b], back, [a, b], 'LinalgCrossBackward0'), back);
}

function checkPair(a: Tensor, b: Tensor, op: string): void {
  checkTensor(a, op);
  checkTensor(b, op, 'other');
  if (a.ndim !== b.ndim) throw new RangeError('linalg.cross: inputs must have the same number of dimensions.');
}

/**
 * a × b along `dim`, as `torch.cross`: without `dim`, along the first dimension of length 3 (PyTorch deprecates
 * that default; pass the dim, or use `linalg.cross`).
 */
export function cross(a: Tensor, b: Tensor, dim?: number): Tensor {
  checkPair(a, b, 'cross');
  if (dim === undefined) {
    const shape = broadcastShapes(a.shape, b.shape, 'cross');
    const d = shape.indexOf(3);
    if (d < 0) throw new RangeError('no dimension of size 3 in input');
    return crossAt(a, b, d, d);
  }
  return crossAt(a, b, dim, dim);
}
