// cumsum and cumprod along a dimension, as PyTorch 1.13's CPU kernels compute them: the running sum (product) is kept
// in float64 and each output rounded to float32 (at::acc_type<float> is double on the CPU), so the results are
// PyTorch's bit for bit, however long the dimension. A 0-d tensor is its own cumsum and cumprod.
//
// The gradients are PyTorch's formulas, in its order of float32 roundings: cumsum's is the reversed running sum of
// the output gradient (CumsumBackward0); cumprod's (CumprodBackward0) is, before the first zero z1 of each slice,
// (reversed running sum of y·g) / x; at z1, prod(x[:z1]) · Σ_{z1 ≤ j < z2} g[j]·prod(x[z1+1..j]) (z2 the second zero,
// or the end); after z1, 0 — PyTorch's O(n) formula for inputs with zeros, which without zeros is its y·g / x one.
// With createGraph the gradient is PyTorch's grad-mode formula in recorded ops (scan-compose.ts), as there.
import { linearTwice, twice } from '../autograd/twice.js';
import { record } from '../autograd/record.js';
import { cumprodBackwardComposed } from './scan-compose.js';
import { Tensor } from '../tensor/tensor.js';
import { layout as alongDim } from './softmax.js';
import { checkTensor } from './util.js';
import { checkFactoryKwargs } from '../device.js';
import { checkOptions } from '../options.js';

/** PyTorch's `dtype` keyword of cumsum and cumprod: float32, Kindling's one dtype, (or null) changes nothing; any other is refused. */
export interface ScanOptions {
  dtype?: string | null;
}

function checkScanOptions(op: string, options: ScanOptions | undefined): void {
  if (options === undefined) return;
  checkFactoryKwargs(op, { dtype: checkOptions(op, options, ['dtype']).dtype });
}

/** [outer, n, inner] of x viewed along `dim`, which must be given (PyTorch's cumsum and cumprod have no default). */
function layout(x: Tensor, dim: number, op: string): [number, number, number] {
  if (dim === undefined) throw new TypeError(`${op}: dim is required, as in PyTorch (x.${op}(0) runs along dimension 0, x.${op}(-1) along the last)`);
  return alongDim(x, dim, op);
}

/** The running sum along `dim`: out[…, k, …] = x[…, 0, …] + … + x[…, k, …]. */
export function cumsum(x: Tensor, dim: number, options?: ScanOptions): Tensor {
  checkTensor(x, 'cumsum');
  checkScanOptions('cumsum', options);
  const [outer, n, inner] = layout(x, dim, 'cumsum');
  const xv = x.values();
  // PyTorch copies a 0-d tensor (its −0 stays −0, where 0 + −0 would be +0).
  const out = x.ndim === 0 ? xv.slice() : new Float32Array(xv.length);
  if (x.ndim > 0) {
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let acc = 0;
        for (let k = 0, p = o * n * inner + i; k < n; k++, p += inner) {
          acc += xv[p]!;
          out[p] = acc;
        }
      }
    }
  }
  return linearTwice(record(new Tensor(out, x.shape), 'cumsum', [x], (g) => {
    if (xv.length <= 1 || n === 1) return [g];
    const G = g.values();
    const gx = new Float32Array(xv.length);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let acc = 0;
        for (let k = n - 1, p = o * n * inner + (n - 1) * inner + i; k >= 0; k--, p -= inner) {
          acc += G[p]!;
          gx[p] = acc;
        }
      }
    }
    return [new Tensor(gx, x.shape)];
  }), (h) => cumsum(h, dim));
}

/** The running product along `dim`: out[…, k, …] = x[…, 0, …] · … · x[…, k, …]. */
export function cumprod(x: Tensor, dim: number, options?: ScanOptions): Tensor {
  checkTensor(x, 'cumprod');
  checkScanOptions('cumprod', options);
  const [outer, n, inner] = layout(x, dim, 'cumprod');
  const xv = x.values();
  const y = x.ndim === 0 ? xv.slice() : new Float32Array(xv.length);
  if (x.ndim > 0) {
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let acc = 1;
        for (let k = 0, p = o * n * inner + i; k < n; k++, p += inner) {
          acc *= xv[p]!;
          y[p] = acc;
        }
      }
    }
  }
  const out = new Tensor(y, x.shape);
  return twice(record(out, 'cumprod', [x], (g) => {
    if (xv.length <= 1 || n === 1) return [g];
    const G = g.values();
    const gx = new Float32Array(xv.length);
    const w = new Float32Array(xv.length);
    for (let p = 0; p < w.length; p++) w[p] = y[p]! * G[p]!;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) cumprodSliceGrad(xv, y, G, w, gx, o * n * inner + i, n, inner);
    }
    return [new Tensor(gx, x.shape)];
  }, [x, out]), (g) => [cumprodBackwardComposed(x, out, g, dim)]);
}

/**
 * The gradient of one slice of cumprod (elements base, base + step, …, n of them) into gx (zero-filled), as PyTorch
 * 1.13's cumprod_backward computes it without create_graph; w = y·g, rounded to float32.
 */
function cumprodSliceGrad(x: Float32Array, y: Float32Array, g: Float32Array, w: Float32Array, gx: Float32Array, base: number, n: number, step: number): void {
  const at = (k: number): number => base + k * step;
  let z1 = 0;
  while (z1 < n && x[at(z1)] !== 0) z1++;
  // Before the first zero: the reversed running sum of w (float64, rounded once per element) over [k, z1), / x[k].
  let acc = 0;
  for (let k = z1 - 1; k >= 0; k--) {
    acc += w[at(k)]!;
    gx[at(k)] = Math.fround(acc) / x[at(k)]!;
  }
  if (z1 === n) return;
  let z2 = z1 + 1;
  while (z2 < n && x[at(z2)] !== 0) z2++;
  // At the first zero: Σ_j c[j]·g[j] over [z1, z2), with c the running product of x over (z1, j] (1 at z1), rounded
  // as PyTorch's cumprod of the input with 1 outside (z1, z2); past z2 its g is masked to 0, but the product is still
  // multiplied in (an ∞ there makes the sum NaN, as in PyTorch). Then times y[z1 − 1] (1 for z1 = 0).
  let prod = 1;
  let sum = 0;
  for (let j = z1; j < n; j++) {
    if (j > z1 && j < z2) prod *= x[at(j)]!;
    sum += Math.fround(Math.fround(prod) * (j < z2 ? g[at(j)]! : 0));
  }
  gx[at(z1)] = Math.fround(sum) * (z1 === 0 ? 1 : y[at(z1 - 1)]!);
}
