// logcumsumexp, as PyTorch 1.13's CPU kernel: the running log Σ exp along `dim`, each step log1p(exp(min − max)) + max
// in float64 (PyTorch's accumulator type on the CPU) and each output rounded once to float32; two equal infinities
// give that infinity, a NaN propagates. The gradient is PyTorch's (LogcumsumexpBackward0): the positive and negative
// parts of g taken through log, a reversed logcumsumexp of log|g| − result, + x, exp, and their difference, each
// step in float32.
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { logcumsumexpBackwardComposed } from './scan-compose.js';
import { unary } from '../kernels/elementwise.js';
import { Tensor } from '../tensor/tensor.js';
import { layout } from './softmax.js';
import { checkTensor } from './util.js';
import { checkArgumentCount } from '../options.js';

const LOWEST = -3.4028234663852886e38;

function logAddExp(x: number, y: number): number {
  const min = y !== y ? y : Math.min(x, y);
  const max = y !== y ? y : Math.max(x, y);
  if (min !== max || Number.isFinite(min)) return Math.log1p(Math.exp(min - max)) + max;
  return x;
}

/** The running log Σ exp along each [outer, n, inner] slice, forward or from the end (`reverse`). */
function scan(v: Float32Array, outer: number, n: number, inner: number, reverse: boolean): Float32Array {
  const out = new Float32Array(v.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let acc = -Infinity;
      for (let t = 0; t < n; t++) {
        const k = reverse ? n - 1 - t : t;
        const p = (o * n + k) * inner + i;
        acc = logAddExp(v[p]!, acc);
        out[p] = acc;
      }
    }
  }
  return out;
}

/** The running log Σ exp along `dim`, as PyTorch's `logcumsumexp(dim)`. */
export function logcumsumexp(x: Tensor, dim: number, ...extra: never[]): Tensor {
  checkTensor(x, 'logcumsumexp');
  checkArgumentCount('logcumsumexp', [dim, ...extra], 1, 'logcumsumexp(x, dim)');
  if (dim === undefined) throw new TypeError('logcumsumexp: dim is required, as in PyTorch (x.logcumsumexp(0))');
  const [outer, n, inner] = layout(x, dim, 'logcumsumexp');
  const xv = x.values();
  const out = scan(xv, outer, n, inner, false);
  const result = new Tensor(out, x.shape);
  return twice(record(result, 'logcumsumexp', [x], (g) => {
    const G = g.values();
    if (x.ndim === 0 || G.length === 0) return [new Tensor(G.slice(), x.shape)];
    const part = (sign: 1 | -1): Float32Array => {
      const lg = new Float32Array(G.length);
      for (let i = 0; i < G.length; i++) lg[i] = sign * G[i]! > 0 ? sign * G[i]! : 1;
      unary('log', lg, lg);
      for (let i = 0; i < G.length; i++) lg[i] = sign * G[i]! > 0 ? lg[i]! - out[i]! : LOWEST - out[i]!;
      const r = scan(lg, outer, n, inner, true);
      for (let i = 0; i < r.length; i++) r[i] = r[i]! + xv[i]!;
      unary('exp', r, r);
      return r;
    };
    const pos = part(1);
    const neg = part(-1);
    for (let i = 0; i < pos.length; i++) pos[i] = pos[i]! - neg[i]!;
    return [new Tensor(pos, x.shape)];
  }, [x, result], 'LogcumsumexpBackward0'), (g) => [logcumsumexpBackwardComposed(x, result, g, dim)]);
}
