// Variance and standard deviation over dimensions, as PyTorch 1.13's `var` and `std`: each output's mean and sum of
// squared deviations taken in float64 (PyTorch's CPU kernel accumulates floats in double too), rounded once.
import { refuseMaskReduction } from '../tensor/mask-arithmetic.js';
import { twice } from '../autograd/twice.js';
import { record } from '../autograd/record.js';
import { describeValue, isPlainObject } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { mean, normalizeDims, outputIndex, reducedShape } from './reduce.js';
import { checkTensor } from './util.js';

/**
 * The options after `dim`: PyTorch's `unbiased` (true: divide by n − 1), or `correction` (n − correction), and
 * `keepdim`; given in place of dim, they may hold `dim` too (PyTorch's `x.var(dim=1, correction=0)`).
 */
export interface VarianceOptions {
  dim?: number | readonly number[] | null;
  unbiased?: boolean;
  correction?: number;
  keepdim?: boolean;
}

/**
 * The arguments after `dim`, in either of PyTorch's forms: positional `(unbiased, keepdim)`, as `x.var(1, False,
 * True)`, or an options object, as `x.var(1, correction=0, keepdim=True)`.
 */
export function varianceArguments(op: string, second: unknown, third: unknown, withDim = false): { correction: number; keepdim: boolean; dim?: number | readonly number[] | undefined } {
  if (isPlainObject(second)) {
    if (third !== undefined) throw new TypeError(`${op}: nothing may follow the options object, got ${describeValue(third)}`);
    const known = withDim ? ['dim', 'unbiased', 'correction', 'keepdim'] : ['unbiased', 'correction', 'keepdim'];
    for (const k of Object.keys(second)) {
      if (known.includes(k)) continue;
      const where = k === 'dim' ? ' (dim is given before them: x.' + op + '(1, { correction: 0 }))' : '';
      throw new TypeError(`${op}: unknown option "${k}"${where}; the options are ${known.join(', ')}`);
    }
    const o = second as VarianceOptions;
    if (o.unbiased !== undefined && o.correction !== undefined) throw new TypeError(`${op}: give unbiased or correction, not both (as PyTorch)`);
    const dim = o.dim ?? undefined;
    if (dim !== undefined && typeof dim !== 'number' && !Array.isArray(dim)) throw new TypeError(`${op}: dim must be a number, an array of numbers or null, got ${describeValue(dim)}`);
    return { correction: correctionOf(op, o.unbiased, o.correction), keepdim: flag(op, 'keepdim', o.keepdim ?? false), dim };
  }
  return { correction: correctionOf(op, second === undefined ? undefined : flag(op, 'unbiased', second), undefined), keepdim: flag(op, 'keepdim', third ?? false) };
}

function correctionOf(op: string, unbiased: boolean | undefined, correction: unknown): number {
  if (correction === undefined) return flag(op, 'unbiased', unbiased ?? true) ? 1 : 0;
  // PyTorch takes any integer: a negative one divides by more than n (−1 by n + 1).
  if (typeof correction !== 'number' || !Number.isInteger(correction)) {
    throw new RangeError(`${op}: correction must be an integer (1 divides by n − 1, 0 by n), got ${describeValue(correction)}`);
  }
  return correction;
}

function flag(op: string, name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${op}: ${name} must be true or false, got ${describeValue(v)}`);
  return v;
}

/**
 * The variance of `x` over `dim` (every dimension when undefined), dividing the sum of squared deviations by
 * max(0, n − correction) as PyTorch does; its square root when `root` (`std`).
 */
export function variance(x: Tensor, dim: number | readonly number[] | undefined, correction: number, keepdim: boolean, root: boolean, torchName?: string): Tensor {
  const op = root ? 'std' : 'var';
  checkTensor(x, op);
  const dims = normalizeDims(x, dim, op);
  const kept = reducedShape(x.shape, dims, true);
  const index = outputIndex(x.shape, dims);
  const outCount = kept.reduce((p, d) => p * d, 1);
  const n = outCount === 0 ? 0 : x.numel() / outCount;
  const values = x.values();
  const means = new Float64Array(outCount);
  for (let i = 0; i < values.length; i++) means[index[i]!]! += values[i]!;
  for (let o = 0; o < outCount; o++) means[o] = means[o]! / n;
  const squares = new Float64Array(outCount);
  for (let i = 0; i < values.length; i++) {
    const d = values[i]! - means[index[i]!]!;
    squares[index[i]!]! += d * d;
  }
  // Over no elements the mean is 0/0 and PyTorch's result NaN whatever the correction (a negative one too).
  const divisor = n === 0 ? NaN : Math.max(0, n - correction);
  const out = new Float32Array(outCount);
  for (let o = 0; o < outCount; o++) out[o] = root ? Math.sqrt(squares[o]! / divisor) : squares[o]! / divisor;
  const result = new Tensor(out, keepdim ? kept : reducedShape(x.shape, dims, false));
  // As PyTorch 1.13's var_backward, in float32 step by step: (2 / (n − correction)) · g · (x − mean), with std's
  // g / (2 std) first (0 where std is 0, as its masked_fill). n − correction is not clamped there: with a correction
  // of n or more the forward divides by 0 (∞) while the gradient divides by n − correction itself, as PyTorch's.
  const dof = n - correction;
  const node = record(result, root ? 'std' : 'var', [x], (g) => {
    const gv = g.values();
    const xv = x.values();
    const two = Math.fround(2 / dof);
    const scales = new Float32Array(outCount);
    for (let o = 0; o < outCount; o++) {
      const gVar = !root ? gv[o]! : out[o] === 0 ? 0 : Math.fround(gv[o]! / Math.fround(out[o]! * 2));
      scales[o] = two * gVar;
    }
    const meansF32 = Float32Array.from(means);
    const grad = new Float32Array(xv.length);
    for (let i = 0; i < xv.length; i++) {
      const o = index[i]!;
      grad[i] = scales[o]! * Math.fround(xv[i]! - meansF32[o]!);
    }
    return [new Tensor(grad, x.shape)];
    // std's backward reads its result too, as PyTorch's saves it.
  }, root ? [x, result] : [x], torchName);
  // The gradient's graph (createGraph): PyTorch's var_backward and std_backward written with ops (the result itself
  // for std's, as PyTorch's reads it), so the second derivatives are theirs.
  return twice(node, (g) => {
    const gk = g.reshape(kept);
    const r = result.reshape(kept);
    const gVar = root ? gk.div(r.mul(2)).maskedFill(new Tensor(Float32Array.from(out, (v) => (v === 0 ? 1 : 0)), kept), 0) : gk;
    return [gVar.mul(Math.fround(2 / dof)).mul(x.sub(x.mean(dims, true)))];
  });
}

/**
 * `x.var(…)` and `x.std(…)` as PyTorch takes them: `()`, `(unbiased)`, `(dim)`, `(dim, unbiased, keepdim)`, `(dim,
 * { correction, keepdim })` or `({ correction })`, with `dim` a number, an array of numbers, or null for all.
 */
export function varianceCall(x: Tensor, root: boolean, first?: unknown, second?: unknown, third?: unknown): Tensor {
  const op = root ? 'std' : 'var';
  refuseMaskReduction(x, op);
  if (typeof first === 'boolean' || isPlainObject(first)) {
    if (second !== undefined) throw new TypeError(`${op}: after ${typeof first === 'boolean' ? 'unbiased' : 'the options'} nothing may follow, got ${describeValue(second)}; the dimension comes first: x.${op}(dim, unbiased, keepdim)`);
    const { correction, keepdim, dim } = varianceArguments(op, first, undefined, true);
    return variance(x, dim, correction, keepdim, root);
  }
  if (first !== undefined && first !== null && typeof first !== 'number' && !Array.isArray(first)) {
    throw new TypeError(`${op}: dim must be a number, an array of numbers or null, got ${describeValue(first)}`);
  }
  const { correction, keepdim } = varianceArguments(op, second, third);
  return variance(x, (first ?? undefined) as number | readonly number[] | undefined, correction, keepdim, root);
}

/**
 * `[var, mean]` (or `[std, mean]` when `root`) over the same dimensions, as PyTorch's `torch.var_mean` and
 * `torch.std_mean`, taking their arguments as `var` does; both outputs are named as PyTorch's one node
 * (VarMeanBackward0, StdMeanBackward0), and each carries its own gradient.
 */
export function varianceMeanCall(x: Tensor, root: boolean, first?: unknown, second?: unknown, third?: unknown): [Tensor, Tensor] {
  const op = root ? 'stdMean' : 'varMean';
  checkTensor(x, op);
  refuseMaskReduction(x, op);
  const name = root ? 'StdMeanBackward0' : 'VarMeanBackward0';
  let dim: number | readonly number[] | undefined;
  let args: { correction: number; keepdim: boolean; dim?: number | readonly number[] | undefined };
  if (typeof first === 'boolean' || isPlainObject(first)) {
    if (second !== undefined) throw new TypeError(`${op}: after ${typeof first === 'boolean' ? 'unbiased' : 'the options'} nothing may follow, got ${describeValue(second)}`);
    args = varianceArguments(op, first, undefined, true);
    dim = args.dim;
  } else {
    if (first !== undefined && first !== null && typeof first !== 'number' && !Array.isArray(first)) {
      throw new TypeError(`${op}: dim must be a number, an array of numbers or null, got ${describeValue(first)}`);
    }
    dim = (first ?? undefined) as number | readonly number[] | undefined;
    args = varianceArguments(op, second, third);
  }
  return [variance(x, dim, args.correction, args.keepdim, root, name), mean(x, dim, args.keepdim, name)];
}

