// prod, as PyTorch 1.13's: the product of all elements (ProdBackward0) or along one dimension (ProdBackward1), in
// float32, multiplied in PyTorch's order (see rowProduct). The gradient is PyTorch's prod_backward: g·result/x when the input holds no zero
// (anywhere: PyTorch checks the whole tensor), else the product of the other elements of the slice, made from
// exclusive running products from both ends (prod_safe_zeros_backward; for prod of everything, zeros for two zeros
// or more). With createGraph it is the same formula in recorded ops, as PyTorch's in grad mode (scan-compose.ts).
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { prodBackwardComposed } from './scan-compose.js';
import { normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkKeepdim, reducedShape } from './reduce.js';
import { checkTensor, coversStorage } from './util.js';

function split(shape: readonly number[], dim: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i]!;
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i]!;
  return [outer, shape[dim] ?? 1, inner];
}

/**
 * The float32 product of n values (the k-th at `at(k)`) in the order PyTorch 1.13's CPU kernel (AVX2) multiplies a
 * contiguous row: 32 at a time into four 8-lane accumulators (lane by lane over the blocks), the lanes combined as
 * (a0·a1)·(a2·a3) and then in order, and the values left over after the last full block multiplied in one by one.
 */
function rowProduct(at: (k: number) => number, n: number): number {
  const blocks = Math.floor(n / 32);
  let p = 1;
  if (blocks > 0) {
    const acc = new Float32Array(32);
    for (let j = 0; j < 32; j++) acc[j] = at(j);
    for (let b = 1; b < blocks; b++) for (let j = 0; j < 32; j++) acc[j] = acc[j]! * at(b * 32 + j);
    const lanes = new Float32Array(8);
    for (let l = 0; l < 8; l++) lanes[l] = Math.fround(acc[l]! * acc[8 + l]!) * Math.fround(acc[16 + l]! * acc[24 + l]!);
    let q = lanes[0]!;
    for (let l = 1; l < 8; l++) q = Math.fround(q * lanes[l]!);
    p = q;
  }
  for (let k = blocks * 32; k < n; k++) p = Math.fround(p * at(k));
  return p;
}

/**
 * g·(the product of the slice's other elements), over [outer, n, inner] slices: each factor the running product of
 * the elements before (or after) it, accumulated in float64 and rounded once as PyTorch's cumprod, their product
 * rounded, then times g.
 */
function safeZerosGrad(x: Float32Array, g: Float32Array, outer: number, n: number, inner: number, gx: Float32Array): void {
  const before = new Float32Array(n);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const gv = g[o * inner + i]!;
      const base = o * n * inner + i;
      if (n === 1) {
        gx[base] = gv;
        continue;
      }
      let acc = 1;
      for (let k = 0; k < n; k++) {
        before[k] = acc;
        acc *= x[base + k * inner]!;
      }
      acc = 1;
      for (let k = n - 1; k >= 0; k--) {
        gx[base + k * inner] = gv * Math.fround(before[k]! * Math.fround(acc));
        acc *= x[base + k * inner]!;
      }
    }
  }
}

/** The product of all elements, or along `dim` (keeping it as size 1 with `keepdim`), as PyTorch's `prod`. */
export function prod(x: Tensor, dim?: number, keepdim = false): Tensor {
  checkTensor(x, 'prod');
  checkKeepdim(keepdim, 'prod');
  if (dim !== undefined && typeof dim !== 'number') throw new TypeError(`prod: dim must be a number (one dimension, as PyTorch's prod takes), got ${Array.isArray(dim) ? 'an array' : typeof dim}`);
  const v = x.values();
  if (dim === undefined) {
    // PyTorch runs over a dense tensor's storage in memory order (a transposed view too), as one contiguous row.
    const mem = !x.isContiguous() && coversStorage(x) ? x.settled() : v;
    const p = rowProduct((k) => mem[k]!, mem.length);
    const out = new Tensor(new Float32Array([p]), []);
    return twice(record(out, 'prod', [x], (g) => {
      const G = g.data[0]!;
      const gx = new Float32Array(v.length);
      let zeros = 0;
      for (let i = 0; i < v.length; i++) if (v[i] === 0) zeros++;
      if (x.ndim === 0) gx[0] = G;
      else if (zeros === 0) for (let i = 0; i < v.length; i++) gx[i] = G * Math.fround(p / v[i]!);
      else if (zeros === 1) safeZerosGrad(v, g.data, 1, v.length, 1, gx);
      return [new Tensor(gx, x.shape)];
    }, [x, out], 'ProdBackward0'), (g) => [prodBackwardComposed(x, out, g)]);
  }
  const d = normalizeDim(dim, x.ndim, 'prod');
  const [outer, n, inner] = split(x.shape, d);
  const res = new Float32Array(outer * inner).fill(1);
  if (x.ndim > 0 && x.strides[d] === 1 && n >= 32) {
    // Along a dimension contiguous in memory: PyTorch's vectorized row product.
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) res[o * inner + i] = rowProduct((k) => v[(o * n + k) * inner + i]!, n);
    }
  } else {
    // Across rows, PyTorch multiplies each output's values in order.
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < n; k++) {
        for (let i = 0; i < inner; i++) res[o * inner + i] = Math.fround(res[o * inner + i]! * v[(o * n + k) * inner + i]!);
      }
    }
  }
  const out = new Tensor(res, reducedShape(x.shape, x.ndim === 0 ? [] : [d], keepdim));
  return twice(record(out, 'prod', [x], (g) => {
    const G = g.values();
    const gx = new Float32Array(v.length);
    if (x.ndim === 0) gx[0] = G[0]!;
    else if (!v.includes(0)) {
      for (let o = 0; o < outer; o++) {
        for (let k = 0; k < n; k++) {
          for (let i = 0; i < inner; i++) {
            const j = (o * n + k) * inner + i;
            gx[j] = G[o * inner + i]! * Math.fround(res[o * inner + i]! / v[j]!);
          }
        }
      }
    } else safeZerosGrad(v, G, outer, n, inner, gx);
    return [new Tensor(gx, x.shape)];
  }, [x, out], 'ProdBackward1'), (g) => [prodBackwardComposed(x, out, g, d, keepdim)]);
}
