// Norms, as PyTorch 1.13's `torch.norm` and `Tensor.norm` compute them on float32 (one thread, AVX2): a vector
// p-norm over the given dimensions (all by default), or for p = 'fro' over two dimensions √(Σ x·x), which PyTorch
// builds from its sum and square root (and whose gradient is NaN where the norm is 0, as there); for p = 'nuc' the
// sum of the singular values (linalg.matrixNorm's, as PyTorch's nuclear_norm).
import { refuseMaskReduction } from '../tensor/mask-arithmetic.js';
import { twice } from '../autograd/twice.js';
import { record } from '../autograd/record.js';
import { fmaf } from '../kernels/ref/fmaf.js';
import { matrixNorm } from '../linalg/norms.js';
import { describeValue } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { normalizeDims, outputIndex, reducedShape } from './reduce.js';
import { sign } from './sign.js';
import { checkTensor } from './util.js';

/** The order of a norm: a number (Infinity for the largest absolute value, 0 to count non-zeros), 'fro' or 'nuc'. */
export type NormOrder = number | 'fro' | 'nuc';

const f = Math.fround;

/**
 * The p-norm of `x` over `dim` (every dimension when undefined or null), as PyTorch's `torch.norm(x, p, dim,
 * keepdim)`: (Σ|x|^p)^(1/p); p = Infinity the largest |x|, −Infinity the smallest, 0 the count of non-zero values.
 * 'fro' (the default) is the 2-norm, over at most two dimensions; 'nuc' the sum of the singular values of a matrix
 * (over two dims, or of a 2-D x without dim), as `linalg.matrixNorm(x, 'nuc')`.
 *
 * @throws TypeError for a p that is neither a number, 'fro' nor 'nuc', a dim that is not a number, an array or null,
 *   a keepdim that is not a boolean; RangeError for 'fro' over more than two dimensions or the same one twice.
 * @example x.norm()                  // √(Σ x²) over everything
 * @example x.norm(1, 1, true)        // Σ|x| along dim 1, kept as size 1
 * @example norm(x, Infinity, [0, 2]) // the largest |x| over dims 0 and 2
 */
export function norm(x: Tensor, p: NormOrder = 'fro', dim?: number | readonly number[] | null, keepdim = false): Tensor {
  checkTensor(x, 'norm');
  refuseMaskReduction(x, 'norm');
  if (typeof keepdim !== 'boolean') throw new TypeError(`norm: keepdim must be true or false, got ${describeValue(keepdim)}`);
  if (dim !== undefined && dim !== null && typeof dim !== 'number' && !Array.isArray(dim)) {
    throw new TypeError(`norm: dim must be a number, an array of numbers or null, got ${describeValue(dim)}`);
  }
  const given = dim ?? undefined;
  if (p === 'nuc') {
    // PyTorch's nuclear_norm: the sum of the singular values of a matrix (linalg.matrixNorm's 'nuc'), over the two
    // dims given, or of a 2-D input without dims.
    if (given === undefined) {
      if (x.ndim !== 2) throw new RangeError(`norm: Expected a tensor with 2 dimensions, but got a tensor with ${x.ndim} dimension${x.ndim === 1 ? '' : 's'} instead (p = 'nuc' without dim is the nuclear norm of a matrix)`);
      return matrixNorm(x, 'nuc', { keepdim });
    }
    const dims = typeof given === 'number' ? [given] : given;
    if (dims.length !== 2) throw new RangeError(`norm: nuclear norm requires a 'dim' argument of size 2, got ${formatShape(dims)}`);
    return matrixNorm(x, 'nuc', { dim: [dims[0]!, dims[1]!], keepdim });
  }
  if (p === 'fro') {
    // PyTorch's frobenius_norm: the 2-norm for no or one dimension, √(Σ x·x) for two, and no more.
    const count = given === undefined ? 0 : typeof given === 'number' ? 1 : given.length;
    if (count > 2) throw new RangeError(`norm: p = 'fro' takes at most 2 dimensions, got ${count} ([${(given as readonly number[]).join(', ')}])`);
    if (count === 2) {
      const dims = normalizeDims(x, given, 'norm');
      return x.mul(x).sum(dims, keepdim).sqrt();
    }
    return vectorNorm(x, 2, given, keepdim);
  }
  if (typeof p !== 'number') throw new TypeError(`norm: p must be a number, 'fro' or 'nuc', got ${describeValue(p)}`);
  return vectorNorm(x, p, given, keepdim);
}

/** The p-norm over `dim` with torch.norm's kernels and backward; `torchName` the node (linalg.vector_norm's is LinalgVectorNormBackward0). */
export function vectorNorm(x: Tensor, p: number, dim: number | readonly number[] | undefined, keepdim: boolean, torchName = 'NormBackward1', op = 'norm'): Tensor {
  const dims = normalizeDims(x, dim, op);
  const kept = reducedShape(x.shape, dims, true);
  // PyTorch picks the reduction, and computes it, with p rounded to float32 (1e39 is the ∞-norm, 2.0000001 the
  // 2-norm); its gradient takes p as given. An empty reduction is 0, for every p.
  const out = x.numel() === 0 ? new Float32Array(kept.reduce((a, d) => a * d, 1)) : reduceNorm(x.values(), x.shape, dims, f(p));
  const result = new Tensor(out, keepdim ? kept : reducedShape(x.shape, dims, false));
  // The result is saved too: its values are the backward's norms, so changing it in place must be refused.
  const back = (g: Tensor): (Tensor | null)[] => [normBackward(g.reshape(kept), x, p, result.reshape(kept), dims)];
  // The gradient's graph (createGraph) is the same norm_backward with its ops recorded, as PyTorch differentiates it:
  // through x, the incoming gradient and the norm itself (this node again), every p, and 0 where the norm is 0.
  return twice(record(result, 'norm', [x], back, [x, result], torchName), back);
}

/**
 * The norm of each output, in PyTorch's order of accumulation for a contiguous tensor (a view PyTorch sums in its
 * memory order, Kindling in row-major order, which can differ in the last bits).
 */
function reduceNorm(x: Float32Array, shape: readonly number[], dims: readonly number[], p: number): Float32Array {
  // The 2-norm over trailing dimensions (size-1 ones aside) takes PyTorch's vectorised path over contiguous blocks.
  const big = shape.map((d, i) => ({ reduced: dims.includes(i), size: d })).filter((d) => d.size !== 1);
  const firstReduced = big.findIndex((d) => d.reduced);
  if (p === 2 && firstReduced >= 0 && big.slice(firstReduced).every((d) => d.reduced)) {
    const n = big.slice(firstReduced).reduce((a, d) => a * d.size, 1);
    const out = new Float32Array(x.length / n);
    for (let o = 0; o < out.length; o++) out[o] = twoNormLanes(x, o * n, n);
    return out;
  }
  const index = outputIndex(shape, dims);
  const count = reducedShape(shape, dims, true).reduce((a, d) => a * d, 1);
  const acc = new Float32Array(count).fill(p === -Infinity ? Infinity : 0);
  const step = reduceStep(p);
  for (let i = 0; i < x.length; i++) acc[index[i]!] = step(acc[index[i]!]!, x[i]!);
  if (p === 2) for (let o = 0; o < count; o++) acc[o] = Math.sqrt(acc[o]!);
  else if (p !== 0 && p !== 1 && Math.abs(p) !== Infinity) {
    const inverse = f(1 / p);
    for (let o = 0; o < count; o++) acc[o] = Math.pow(acc[o]!, inverse);
  }
  return acc;
}

/**
 * Σ x² of x[at, at + n) as PyTorch's AVX2 kernel sums it: eight float32 lanes, each a chain of fused multiply-adds
 * over every eighth value, added lane after lane; then the last n mod 8 values in the scalar loop after them, which
 * GCC vectorises four wide (four squares, each rounded, added in order) with a fused multiply-add for each value left
 * over; and the square root.
 */
function twoNormLanes(x: Float32Array, at: number, n: number): number {
  const lanes = new Float32Array(8);
  const whole = n - (n % 8);
  for (let d = 0; d < whole; d++) lanes[d & 7] = fmaf(x[at + d]!, x[at + d]!, lanes[d & 7]!);
  let sum = lanes[0]!;
  for (let j = 1; j < 8; j++) sum = f(sum + lanes[j]!);
  let d = whole;
  if (n - d >= 4) for (const end = d + 4; d < end; d++) sum = f(sum + f(x[at + d]! * x[at + d]!));
  for (; d < n; d++) sum = fmaf(x[at + d]!, x[at + d]!, sum);
  return f(Math.sqrt(sum));
}

/** One value's step of PyTorch's serial norm reduction (its NormZeroOps, NormOneOps, NormTwoOps, AbsMax, AbsMin, NormOps). */
function reduceStep(p: number): (acc: number, v: number) => number {
  if (p === 0) return (acc, v) => f(acc + (v === 0 ? 0 : 1));
  if (p === 1) return (acc, v) => f(acc + Math.abs(v));
  if (p === 2) return (acc, v) => fmaf(v, v, acc);
  if (p === Infinity) return (acc, v) => (Number.isNaN(acc) || Number.isNaN(v) ? NaN : Math.max(acc, Math.abs(v)));
  if (p === -Infinity) return (acc, v) => (Number.isNaN(acc) || Number.isNaN(v) ? NaN : Math.min(acc, Math.abs(v)));
  return (acc, v) => f(acc + f(Math.pow(Math.abs(v), p)));
}

/** PyTorch 1.13's norm_backward, op for op in float32; `g` and `n` (the norms) have x's rank, reduced dims of size 1 (renorm's backward uses it too). */
export function normBackward(g: Tensor, x: Tensor, p: number, n: Tensor, dims: readonly number[]): Tensor | null {
  if (p === 0) return null; // PyTorch returns no gradient
  if (p === 1) return sgn(x).mul(g);
  if (p === 2) return g.mul(x.div(n).maskedFill(n.eq(0), 0));
  if (Math.abs(p) === Infinity) {
    // An equal share of the gradient for every element whose |x| is the norm (or is NaN), with x's sign.
    const a = x.abs();
    const mask = a.eq(n).add(isNan(a)).gt(0);
    return sgn(x).mul(g.div(mask.sum(dims, true)).mul(mask));
  }
  if (p < 1) return sgn(x).mul(x.abs().pow(p - 1).maskedFill(x.eq(0), 0)).mul(g).mul(n.pow(1 - p));
  const scaled = p < 2 ? sgn(x).mul(x.abs().pow(p - 1)) : x.mul(x.abs().pow(p - 2));
  return scaled.mul(g.div(n.pow(p - 1)).maskedFill(n.eq(0), 0));
}

/**
 * PyTorch's `sgn` of real values, as its vectorised kernel: 1, −1, or 0 (for ±0 and NaN); recorded (SgnBackward0, a
 * zero gradient) when the backward's graph is taken, so x is reached as in PyTorch's double backward.
 */
function sgn(x: Tensor): Tensor {
  return sign(x, 'SgnBackward0');
}

function isNan(x: Tensor): Tensor {
  const v = x.values();
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = Number.isNaN(v[i]!) ? 1 : 0;
  return new Tensor(out, x.shape);
}
