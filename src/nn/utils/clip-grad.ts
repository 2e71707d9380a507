// PyTorch's torch/nn/utils/clip_grad.py: gradient clipping between backward() and the optimizer's step(). The
// gradients are read and written only through the public tensor API (toArray, and in-place ops inside noGrad),
// so a gradient the engine still holds in factored form is written out first, as any reader would.
import { noGrad } from '../../autograd/grad-mode.js';
import { checkOptions, describeValue, leadingOption } from '../../options.js';
import { tensor } from '../../tensor/creation.js';
import { Tensor } from '../../tensor/tensor.js';
import { Module } from '../module.js';

export interface ClipGradNormOptions {
  /** The p of the p-norm: 2 (default), any p ≥ 1, or Infinity for the largest absolute value. */
  normType?: number;
  /** Throw when the total norm is NaN or ±Infinity, instead of scaling by it (PyTorch's `error_if_nonfinite`). */
  errorIfNonfinite?: boolean;
}

const CLIP_NORM_OPTIONS = ['normType', 'errorIfNonfinite'] as const;

/** PyTorch's `1e-6` added to the norm, as the float32 the addition rounds it to. */
const EPS = Math.fround(1e-6);

/**
 * Scales the gradients of `parameters` in place so that their total p-norm (all gradients taken together as one
 * vector) is at most `maxNorm`, as PyTorch's `clip_grad_norm_`: the coefficient maxNorm / (norm + 1e-6), clamped to
 * at most 1, multiplies every gradient. Parameters without a gradient are skipped. Returns the total norm before
 * clipping, as a 0-d tensor (0 when no parameter has a gradient).
 *
 * The norms are computed in float64 and rounded to float32 where PyTorch's float32 tensors round them: each
 * gradient's norm, the norm of those norms, then the coefficient (its float32 `1 / (norm + 1e-6)` times `maxNorm`).
 *
 * @throws TypeError for parameters that are not tensors, a `maxNorm` or `normType` that is not a number, unknown options.
 * @throws RangeError for a negative or NaN `maxNorm`, a negative `normType`, or (with `errorIfNonfinite`) a
 *   non-finite total norm.
 * @example
 * loss.backward();
 * nn.utils.clipGradNorm_(model.parameters(), 1.0);
 * opt.step();
 */
export function clipGradNorm_(parameters: Tensor | Iterable<Tensor>, maxNorm: number, normType?: number, options?: Omit<ClipGradNormOptions, 'normType'>): Tensor;
export function clipGradNorm_(parameters: Tensor | Iterable<Tensor>, maxNorm: number, options?: ClipGradNormOptions): Tensor;
export function clipGradNorm_(parameters: Tensor | Iterable<Tensor>, maxNorm: number, normTypeOrOptions?: number | ClipGradNormOptions, options?: Omit<ClipGradNormOptions, 'normType'>): Tensor {
  const name = 'clipGradNorm_';
  const given = leadingOption<ClipGradNormOptions>(name, 'normType', normTypeOrOptions, options, 'clipGradNorm_(params, 1, 2, { errorIfNonfinite: true })');
  const { normType = 2, errorIfNonfinite = false } = checkOptions(name, given, CLIP_NORM_OPTIONS);
  checkBound(name, 'maxNorm', maxNorm);
  if (typeof normType !== 'number') throw new TypeError(`${name}: normType must be a number (Infinity for the largest absolute value), got ${describeValue(normType)}`);
  if (!(normType >= 0)) throw new RangeError(`${name}: normType must be 0 or more (a p-norm; 0 counts the non-zero values), or Infinity; got ${normType}`);
  if (typeof errorIfNonfinite !== 'boolean') throw new TypeError(`${name}: errorIfNonfinite must be true or false, got ${describeValue(errorIfNonfinite)}`);

  const grads = gradsOf(name, parameters);
  if (grads.length === 0) return tensor(0);
  const norms = grads.map((g) => pNorm(g.toArray(), normType));
  // PyTorch takes the norm of the per-tensor norms, except the largest of one (for one tensor the same for p > 0; for
  // p = 0 it counts whether the norm is non-zero).
  const total = norms.length === 1 && normType !== 0 ? norms[0]! : pNorm(Float32Array.from(norms), normType);
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new RangeError(
      `${name}: the total norm of order ${normType} of the gradients is ${total}, so they cannot be clipped; ` +
        'to scale the gradients by the non-finite norm anyway, leave errorIfNonfinite false',
    );
  }
  // PyTorch computes maxNorm / (total + 1e-6) as (total + 1e-6).reciprocal() * maxNorm, each step in float32.
  const coef = Math.fround(Math.fround(1 / Math.fround(total + EPS)) * Math.fround(maxNorm));
  const clamped = coef > 1 ? 1 : coef; // NaN stays NaN, as torch.clamp leaves it
  // Multiplying by 1 changes no value (PyTorch does it anyway, to avoid a device sync): skip it, and leave the
  // gradients untouched.
  if (clamped !== 1) noGrad(() => grads.forEach((g) => g.mul_(clamped)));
  return tensor(total);
}

/**
 * Clamps the gradients of `parameters` in place into [−clipValue, clipValue], as PyTorch's `clip_grad_value_`
 * (NaN gradients stay NaN). Parameters without a gradient are skipped.
 *
 * @throws TypeError for parameters that are not tensors or a `clipValue` that is not a number.
 * @throws RangeError for a negative or NaN `clipValue`.
 * @example
 * loss.backward();
 * nn.utils.clipGradValue_(model.parameters(), 0.5);
 * opt.step();
 */
export function clipGradValue_(parameters: Tensor | Iterable<Tensor>, clipValue: number): void {
  const name = 'clipGradValue_';
  checkBound(name, 'clipValue', clipValue);
  const grads = gradsOf(name, parameters);
  noGrad(() => grads.forEach((g) => g.clamp_(-clipValue, clipValue)));
}

function checkBound(name: string, what: string, v: unknown): asserts v is number {
  if (typeof v !== 'number') throw new TypeError(`${name}: ${what} must be a number, got ${describeValue(v)}`);
  if (!(v >= 0)) throw new RangeError(`${name}: ${what} must be at least 0, got ${v}`);
}

/** The gradients of the parameters that have one; `parameters` is one tensor or an iterable of them. */
function gradsOf(name: string, parameters: unknown): Tensor[] {
  if (parameters instanceof Tensor) return parameters.grad === null ? [] : [parameters.grad];
  if (typeof parameters === 'function') {
    throw new TypeError(`${name}: parameters is a function, not the parameters: call it (${name}(model.parameters(), …))`);
  }
  if (parameters instanceof Module) {
    throw new TypeError(`${name}: got a module (${describeValue(parameters)}), not its parameters: pass model.parameters()`);
  }
  if (typeof parameters !== 'object' || parameters === null || typeof (parameters as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
    throw new TypeError(`${name}: parameters must be a tensor or an array (or other iterable) of tensors, such as model.parameters(); got ${describeValue(parameters)}`);
  }
  const out: Tensor[] = [];
  let i = 0;
  for (const p of parameters as Iterable<unknown>) {
    if (!(p instanceof Tensor)) throw new TypeError(`${name}: parameter ${i} is not a Tensor (got ${describeValue(p)})`);
    if (p.grad !== null) out.push(p.grad);
    i++;
  }
  return out;
}

/**
 * ‖x‖_p in float64, rounded to float32 as torch.norm's float32 result: max |x| for p = Infinity (NaN if any is NaN,
 * as torch.max), the square root of the sum of squares for p = 2, (Σ|x|ᵖ)^(1/p) otherwise. The sum runs in four
 * float64 lanes (element i in lane i mod 4, the lanes added as (0 + 1) + (2 + 3)): one running sum waits for each
 * addition before the next, and took most of a one-image step's time on a 784 × 200 gradient.
 */
function pNorm(x: Float32Array, p: number): number {
  if (p === 0) {
    // torch.norm's order 0: how many values are not zero (NaN among them).
    let count = 0;
    for (let i = 0; i < x.length; i++) if (x[i] !== 0) count++;
    return count;
  }
  if (p === Infinity) {
    let acc = 0;
    for (let i = 0; i < x.length; i++) acc = Math.max(acc, Math.abs(x[i]!));
    return Math.fround(acc);
  }
  if (p === 2) return Math.fround(Math.sqrt(sumOfSquares(x)));
  return Math.fround(sumOfPowers(x, p) ** (1 / p));
}

/** Σ x[i]² in float64, in four lanes (see pNorm). */
function sumOfSquares(x: Float32Array): number {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  const n4 = x.length & ~3;
  for (let i = 0; i < n4; i += 4) {
    const v0 = x[i]!;
    const v1 = x[i + 1]!;
    const v2 = x[i + 2]!;
    const v3 = x[i + 3]!;
    a0 += v0 * v0;
    a1 += v1 * v1;
    a2 += v2 * v2;
    a3 += v3 * v3;
  }
  for (let i = n4; i < x.length; i++) {
    const v = x[i]!;
    if (i === n4) a0 += v * v;
    else if (i === n4 + 1) a1 += v * v;
    else a2 += v * v;
  }
  return a0 + a1 + (a2 + a3);
}

/** Σ |x[i]|ᵖ in float64 (|x[i]| for p = 1), in four lanes (see pNorm). */
function sumOfPowers(x: Float32Array, p: number): number {
  const acc = [0, 0, 0, 0];
  for (let i = 0; i < x.length; i++) {
    const v = Math.abs(x[i]!);
    acc[i & 3] += p === 1 ? v : v ** p;
  }
  return acc[0]! + acc[1]! + (acc[2]! + acc[3]!);
}
