// PyTorch 1.13's Poisson and Gaussian negative log-likelihood losses, op for op (poisson_nll_loss in ATen's Loss.cpp,
// gaussian_nll_loss in functional.py), so values, gradients and grad_fn names are PyTorch's.
import { noGrad } from '../autograd/grad-mode.js';
import { KindlingError } from '../errors.js';
import { checkOptions, describeValue } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';
import { add } from './binary.js';
import { applyReduction, checkReduction, type Reduction } from './reduction.js';
import { checkTensor } from './util.js';
import { checkLossBroadcast } from './loss-target-shape.js';

export interface PoissonNLLLossOptions {
  /** The input is log λ (default true): exp(input) − target·input; else λ: input − target·log(input + eps). */
  readonly logInput?: boolean;
  /** Add Stirling's approximation of log(target!) where target > 1 (default false). */
  readonly full?: boolean;
  /** Keeps log(input + eps) finite when logInput is false (default 1e-8). */
  readonly eps?: number;
  /** 'mean' (default), 'sum' or 'none'. */
  readonly reduction?: Reduction;
}

export interface GaussianNLLLossOptions {
  /** Add the constant ½·log(2π) (default false). */
  readonly full?: boolean;
  /** The smallest variance used (the variance is clamped to it, without a gradient through the clamp; default 1e-6). */
  readonly eps?: number;
  /** 'mean' (default), 'sum' or 'none'. */
  readonly reduction?: Reduction;
}

function flag(where: string, name: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new TypeError(`${where}: ${name} must be true or false, got ${describeValue(v)}`);
  return v;
}

function positive(where: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !(v >= 0)) throw new TypeError(`${where}: eps must be a number ≥ 0, got ${describeValue(v)}`);
  return v;
}

/** PyTorch's `F.poisson_nll_loss(input, target, log_input=True, full=False, eps=1e-8)`. */
export function poissonNllLoss(input: Tensor, target: Tensor, options: PoissonNLLLossOptions = {}): Tensor {
  const where = 'poissonNllLoss';
  checkTensor(input, where);
  checkTensor(target, where, 'target');
  checkLossBroadcast(where, ['input', input], ['target', target]);
  const o = checkOptions<PoissonNLLLossOptions>(where, options, ['logInput', 'full', 'eps', 'reduction']);
  const logInput = flag(where, 'logInput', o.logInput, true);
  const full = flag(where, 'full', o.full, false);
  const eps = positive(where, o.eps, 1e-8);
  const reduction = checkReduction(o.reduction ?? 'mean', where);
  let loss = logInput ? input.exp().sub(target.mul(input)) : input.sub(target.mul(input.add(eps).log()));
  if (full) {
    const stirling = target.mul(target.log()).sub(target).add(target.mul(2 * Math.PI).log().mul(0.5));
    loss = loss.add(stirling.maskedFill(target.le(1), 0));
  }
  return applyReduction(loss, reduction);
}

/**
 * PyTorch's `F.gaussian_nll_loss(input, target, var, full=False, eps=1e-6)`: ½·(log var + (input − target)² / var),
 * var of input's shape, or with its last dimension 1 or missing (one variance for the row).
 */
export function gaussianNllLoss(input: Tensor, target: Tensor, variance: Tensor, options: GaussianNLLLossOptions = {}): Tensor {
  const where = 'gaussianNllLoss';
  checkTensor(input, where);
  checkTensor(target, where, 'target');
  checkTensor(variance, where, 'var');
  checkLossBroadcast(where, ['input', input], ['target', target]);
  const o = checkOptions<GaussianNLLLossOptions>(where, options, ['full', 'eps', 'reduction']);
  const full = flag(where, 'full', o.full, false);
  const eps = positive(where, o.eps, 1e-6);
  const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((s, i) => s === b[i]);
  let v = variance;
  if (!same(v.shape, input.shape)) {
    if (same(input.shape.slice(0, -1), v.shape)) v = v.unsqueeze(-1);
    else if (!(same(input.shape.slice(0, -1), v.shape.slice(0, -1)) && v.shape[v.ndim - 1] === 1)) throw new KindlingError('var is of incorrect size');
  }
  const reduction = checkReduction(o.reduction ?? 'mean', where);
  if (v.values().some((x) => x < 0)) throw new KindlingError('var has negative entry/entries');
  v = v.clone();
  noGrad(() => v.clampMin_(eps));
  let loss = v.log().add(input.sub(target).pow(2).div(v)).mul(0.5);
  if (full) loss = add(loss, 0.5 * Math.log(2 * Math.PI), 'AddBackward1');
  return applyReduction(loss, reduction);
}
