// Covariance and correlation, as PyTorch 1.13's torch.cov and torch.corrcoef (ATen's Correlation.cpp): the same
// tensor ops in the same order (weighted mean, deviations, one matrix product, the division by the degrees of
// freedom; corrcoef divides by the standard deviations twice and clips to [−1, 1]), so gradients come from autograd
// and grad_fn names are PyTorch's (SqueezeBackward0, ClampBackward1). Values agree within float32 rounding (the
// matrix product sums in another order).
import { KindlingError } from '../errors.js';
import { describeValue } from '../options.js';
import { zerosLike } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';
import { warnOnce } from '../warn.js';

export interface CovOptions {
  /** n − correction divides the sums of products (default 1: the unbiased estimate; 0: the maximum likelihood one). */
  correction?: number;
  /** Whole-number repeat counts of the observations (PyTorch's integer fweights). */
  fweights?: Tensor | null;
  /** Non-negative importance weights of the observations. */
  aweights?: Tensor | null;
}


function checkWeights(w: Tensor, name: 'fweights' | 'aweights', n: number): void {
  checkTensor(w, 'cov', name);
  const what = name === 'fweights' ? 'fweights' : 'aweights';
  if (w.ndim > 1) throw new RangeError(`cov(): expected ${what} to have one or fewer dimensions but got ${what} with ${w.ndim} dimensions`);
  const v = w.values();
  if (name === 'fweights' && v.some((x) => !Number.isInteger(x))) {
    throw new TypeError('cov(): expected fweights to have integral dtype (whole numbers), but got fweights with fractional values');
  }
  if (w.numel() !== n) throw new RangeError(`cov(): expected ${what} to have the same numel as there are observations in the input but got ${w.numel()} != ${n}`);
  if (n > 0 && v.some((x) => !(x >= 0))) throw new RangeError(`cov(): ${what} cannot be negative`);
}

/**
 * The covariance matrix of the variables in the rows of a 2-D input (observations in the columns), or the variance of
 * a 1-D input (a 0-D result), as `torch.cov(input, correction=1, fweights=None, aweights=None)`.
 */
export function cov(input: Tensor, options: CovOptions = {}): Tensor {
  checkTensor(input, 'cov');
  const { correction = 1, fweights = null, aweights = null } = options;
  if (typeof correction !== 'number' || !Number.isInteger(correction)) throw new TypeError(`cov(): correction must be an integer, got ${describeValue(correction)}`);
  if (input.ndim > 2) throw new RangeError(`cov(): expected input to have two or fewer dimensions but got an input with ${input.ndim} dimensions`);
  let x = input.ndim < 2 ? input.view(1, -1) : input;
  const n = x.shape[1]!;
  let w: Tensor | null = null;
  if (fweights !== null) {
    checkWeights(fweights, 'fweights', n);
    w = fweights;
  }
  if (aweights !== null) {
    checkWeights(aweights, 'aweights', n);
    w = w === null ? aweights : w.mul(aweights);
  }
  const wSum = w === null ? n : w.sum();
  if (w !== null && (wSum as Tensor).item() === 0) throw new KindlingError("cov(): weights sum to zero, can't be normalized");
  const avg = (w === null ? x : x.mul(w)).sum(1).div(wSum);
  let norm: Tensor | number = w !== null && aweights !== null && correction !== 0
    ? (wSum as Tensor).sub(w.mul(aweights).sum().mul(correction).div(wSum))
    : (typeof wSum === 'number' ? wSum - correction : wSum.sub(correction));
  if ((typeof norm === 'number' ? norm : norm.item()) <= 0) {
    warnOnce('cov(): degrees of freedom is <= 0');
    // PyTorch's norm_factor.zero_() gives +0, so a positive sum of products divides to +∞: norm.mul(0) would keep the
    // sign of a negative norm (−0, and −∞).
    norm = typeof norm === 'number' ? 0 : zerosLike(norm);
  }
  x = x.sub(avg.unsqueeze(1));
  const c = x.mm((w === null ? x : x.mul(w)).t());
  return c.div(norm).squeeze();
}

/** Pearson's correlation coefficients of the rows of a 2-D input (or of a 1-D input with itself), as `torch.corrcoef`. */
export function corrcoef(input: Tensor): Tensor {
  checkTensor(input, 'corrcoef');
  if (input.ndim > 2) throw new RangeError(`corrcoef(): expected input to have two or fewer dimensions but got an input with ${input.ndim} dimensions`);
  let c = cov(input);
  if (c.ndim === 0) return c.div(c);
  const stddev = c.diag().sqrt();
  c = c.div(stddev.view(-1, 1));
  c = c.div(stddev.view(1, -1));
  return c.clip(-1, 1);
}
