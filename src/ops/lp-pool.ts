/**
 * Power-average pooling, PyTorch 1.13's `F.lp_pool1d` and `F.lp_pool2d(input, norm_type, kernel_size, stride=None,
 * ceil_mode=False)`: (Σ x^p over each window)^(1/p), computed as PyTorch composes it — the average pooling of x^p,
 * sign(a)·relu(|a|) of it, times the window's size, to the power 1/p — so the values and gradients are its ops'.
 */
import type { Tensor } from '../tensor/tensor.js';
import { relu } from './unary.js';
import { avgPool2d } from './pool.js';
import { avgPool1d } from './pool1d.js';
import { checkTensor } from './util.js';
import type { IntPair } from './window.js';
import { KindlingError } from '../errors.js';
import { boundArguments, describeValue, type PositionalThenOptions } from '../options.js';

export interface LpPoolOptions<S> {
  /** The window's step (default, or null: the kernel size). */
  readonly stride?: S | null;
  /** Round the output size up (a last, partial window), not down (default false). */
  readonly ceilMode?: boolean;
}

function checkNorm(where: string, normType: unknown): number {
  if (typeof normType !== 'number' || !Number.isFinite(normType) || normType === 0) {
    throw new KindlingError(`${where}: normType must be a finite number other than 0, got ${describeValue(normType)}`);
  }
  return normType;
}

/** sign(a)·relu(|a|)·size, to the power 1/p: PyTorch's last steps. */
function finish(out: Tensor, size: number, p: number): Tensor {
  return out.sign().mul(relu(out.abs())).mul(size).pow(1.0 / p);
}

/**
 * The p-norm of each window of `input` [N, C, L] (or [C, L]), PyTorch's `F.lp_pool1d(input, norm_type, kernel_size,
 * stride=None, ceil_mode=False)` (by position, then options): p = 1 sums, p = ∞ would be
 * max pooling (not taken: PyTorch's formula gives NaN there too).
 *
 * @example
 * F.lpPool1d(x, 2, 3);                 // the Euclidean norm of each window of 3
 */
export function lpPool1d(input: Tensor, normType: number, kernelSize: number, ...rest: PositionalThenOptions<[stride: number | null, ceilMode: boolean], LpPoolOptions<number>>): Tensor {
  const where = 'lpPool1d';
  const options: LpPoolOptions<number> = boundArguments(where, [input, normType, kernelSize, ...rest], 3, ['stride', 'ceilMode'], [], 'F.lpPool1d(x, 2, 3, 2, false)');
  checkTensor(input, where);
  const p = checkNorm(where, normType);
  if (!Number.isInteger(kernelSize)) throw new TypeError(`${where}: kernelSize must be an integer, got ${describeValue(kernelSize)}`);
  const out = avgPool1d(input.pow(p), kernelSize, options.stride ?? null, { padding: 0, ceilMode: options.ceilMode ?? false });
  return finish(out, kernelSize, p);
}

/**
 * The p-norm of each window of `input` [N, C, H, W] (or [C, H, W]), PyTorch's `F.lp_pool2d(input, norm_type,
 * kernel_size, stride=None, ceil_mode=False)` (by position, then options).
 *
 * @example
 * F.lpPool2d(x, 2, 2);                 // the Euclidean norm of each 2×2 window
 */
export function lpPool2d(input: Tensor, normType: number, kernelSize: IntPair, ...rest: PositionalThenOptions<[stride: IntPair | null, ceilMode: boolean], LpPoolOptions<IntPair>>): Tensor {
  const where = 'lpPool2d';
  const options: LpPoolOptions<IntPair> = boundArguments(where, [input, normType, kernelSize, ...rest], 3, ['stride', 'ceilMode'], [], 'F.lpPool2d(x, 2, 3, 2, false)');
  checkTensor(input, where);
  const p = checkNorm(where, normType);
  const [kh, kw] = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : kernelSize;
  const out = avgPool2d(input.pow(p), kernelSize, options.stride ?? null, { padding: 0, ceilMode: options.ceilMode ?? false });
  return finish(out, kw! * kh!, p);
}
