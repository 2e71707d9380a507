// F.localResponseNorm, as PyTorch 1.13's: each value divided by (k + alpha · the mean of the squares of `size`
// neighbouring channels)^beta. PyTorch composes it from mul, pad, avg_pool2d/3d, mul, add and pow, then a division;
// Kindling computes the divisor in one node (PowBackward0, PyTorch's last node of it) with PyTorch's float32 steps, and
// divides (DivBackward0, as PyTorch's output).
import { record } from '../autograd/record.js';
import { composedTwice } from '../autograd/twice.js';
import { describeValue } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { cat } from './join.js';
import { checkTensor, empty } from './util.js';

const f = Math.fround;

/** Checks LocalResponseNorm's hyperparameters. @internal */
export function checkLrnArguments(size: unknown, alpha: unknown, beta: unknown, k: unknown, where: string): void {
  if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0) throw new RangeError(`${where}: size must be a positive integer (channels in the window), got ${describeValue(size)}`);
  for (const [v, what] of [[alpha, 'alpha'], [beta, 'beta'], [k, 'k']] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${where}: ${what} must be a finite number, got ${describeValue(v)}`);
  }
}

/**
 * x's channels (dim 1) moved by `o`: channel c of the result is x's channel c + o, zeros past the ends — constant
 * zeros, as PyTorch's padding: x·0 would be NaN where the squares overflowed to ∞ (values near 1e25).
 */
function shiftChannels(x: Tensor, o: number, C: number): Tensor {
  if (o === 0) return x;
  const keep = C - Math.abs(o);
  const zerosOf = (channels: number): Tensor => {
    const shape = x.shape.map((d, i) => (i === 1 ? channels : d));
    return new Tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);
  };
  if (keep <= 0) return zerosOf(C);
  const zeros = zerosOf(Math.abs(o));
  return o > 0 ? cat([x.narrow(1, o, keep), zeros], 1) : cat([zeros, x.narrow(1, 0, keep)], 1);
}

/**
 * PyTorch's `F.local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0)` over an input [N, C, …] (3 or more
 * dimensions): y_c = x_c / (k + alpha/size · Σ x_j²)^beta, the sum over channels j from c − ⌊size/2⌋ to
 * c + ⌊(size − 1)/2⌋ (those outside [0, C) count as 0, the divisor stays `size`).
 *
 * @throws RangeError for an input of fewer than 3 dimensions (PyTorch's "Expected 3D or higher dimensionality input").
 * @example
 * const y = F.localResponseNorm(x, 2);   // x [N, C, H, W]
 */
export function localResponseNorm(input: Tensor, size: number, alpha = 1e-4, beta = 0.75, k = 1): Tensor {
  const where = 'localResponseNorm';
  checkTensor(input, where);
  checkLrnArguments(size, alpha, beta, k, where);
  if (input.ndim < 3) throw new RangeError(`${where}: Expected 3D or higher dimensionality input (got ${input.ndim} dimensions, shape ${formatShape(input.shape)})`);
  if (input.numel() === 0) return input;
  const [N, C] = input.shape as [number, number];
  const S = input.numel() / (N * C);
  const X = input.values();
  const den = empty(input.shape);
  const Dn = den.data;
  const before = Math.floor(size / 2);
  const after = Math.floor((size - 1) / 2);
  // PyTorch's steps, each rounded to float32: x·x, the window's sum in channel order over the zero-padded squares,
  // divided by size (avg_pool), times alpha, plus k, to the power beta.
  const sq = new Float32Array(X.length);
  for (let i = 0; i < X.length; i++) sq[i] = X[i]! * X[i]!;
  const base = new Float32Array(X.length);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      for (let s = 0; s < S; s++) {
        let sum = 0;
        for (let j = c - before; j <= c + after; j++) if (j >= 0 && j < C) sum = f(sum + sq[(n * C + j) * S + s]!);
        const at = (n * C + c) * S + s;
        base[at] = f(f(f(sum / size) * alpha) + k);
        Dn[at] = Math.pow(base[at]!, beta);
      }
    }
  }
  const divisor = record(den, where, [input], (g) => {
    // d den_c / d x_j = beta · base_c^(beta − 1) · alpha/size · 2·x_j for each c whose window holds j.
    const G = g.values();
    const gx = empty(input.shape);
    for (let n = 0; n < N; n++) {
      for (let j = 0; j < C; j++) {
        for (let s = 0; s < S; s++) {
          let acc = 0;
          for (let c = Math.max(0, j - after); c <= Math.min(C - 1, j + before); c++) {
            const at = (n * C + c) * S + s;
            acc += G[at]! * beta * Math.pow(base[at]!, beta - 1);
          }
          const at = (n * C + j) * S + s;
          gx.data[at] = (acc * alpha * 2 * X[at]!) / size;
        }
      }
    }
    return [gx];
  }, [input], 'PowBackward0');
  // Its gradient's graph: the divisor written with ops (the squares summed over the shifted channel windows, as the
  // kernel sums them, in channel order), differentiated.
  composedTwice(divisor, (t) => {
    const sq = t.mul(t);
    let sum: Tensor | null = null;
    for (let o = -before; o <= after; o++) {
      const shifted = shiftChannels(sq, o, C);
      sum = sum === null ? shifted : sum.add(shifted);
    }
    return sum!.div(size).mul(alpha).add(k).pow(beta);
  });
  return input.div(divisor);
}
