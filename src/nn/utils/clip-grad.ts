// PyTorch's torch/nn/utils/clip_grad.py: gradient clipping between backward() and the optimizer's step(). The
// gradients are read and written only through the public tensor API (norms, and in-place ops inside noGrad),
// so a gradient the engine still holds in factored form is written out first, as any reader would.
import { noGrad } from '../../autograd/grad-mode.js';
import { checkOptions, describeValue, leadingOption } from '../../options.js';
import { norm } from '../../ops/norm.js';
import { stack } from '../../ops/join.js';
import { tensor } from '../../tensor/creation.js';
import { formatShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { Module } from '../module.js';

export interface ClipGradNormOptions {
  /** The p of the p-norm: 2 (default), any other number (negative ones too, as torch.norm's), Infinity for the largest absolute value. */
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
 * The total norm is PyTorch 1.13's, computed as it is in float32: for p = Infinity the largest of each gradient's
 * largest |g|, otherwise the p-norm (torch.norm) of the stacked p-norms of the gradients — so it overflows to
 * Infinity (and the gradients are zeroed) where float32 squares do, and tiny gradients' norm underflows to 0. The
 * coefficient is then PyTorch's float32 `1 / (norm + 1e-6)` times `maxNorm`.
 *
 * @throws TypeError for parameters that are not tensors, a `maxNorm` that is neither a number nor a one-element tensor,
 *   a `normType` that is not a number, unknown options.
 * @throws RangeError for a negative or NaN `maxNorm`, a NaN `normType`, an empty gradient with `normType` Infinity
 *   (PyTorch's max of no values), or (with `errorIfNonfinite`) a non-finite total norm.
 * @example
 * loss.backward();
 * nn.utils.clipGradNorm_(model.parameters(), 1.0);
 * opt.step();
 */
export function clipGradNorm_(parameters: Tensor | Iterable<Tensor>, maxNorm: number | Tensor, normType?: number, options?: Omit<ClipGradNormOptions, 'normType'>): Tensor;
export function clipGradNorm_(parameters: Tensor | Iterable<Tensor>, maxNorm: number | Tensor, options?: ClipGradNormOptions): Tensor;
export function clipGradNorm_(parameters: Tensor | Iterable<Tensor>, maxNorm: number | Tensor, normTypeOrOptions?: number | ClipGradNormOptions, options?: Omit<ClipGradNormOptions, 'normType'>): Tensor {
  const name = 'clipGradNorm_';
  const given = leadingOption<ClipGradNormOptions>(name, 'normType', normTypeOrOptions, options, 'clipGradNorm_(params, 1, 2, { errorIfNonfinite: true })');
  const { normType = 2, errorIfNonfinite = false } = checkOptions(name, given, CLIP_NORM_OPTIONS);
  const bound = boundOf(name, 'maxNorm', maxNorm);
  if (typeof normType !== 'number') throw new TypeError(`${name}: normType must be a number (Infinity for the largest absolute value), got ${describeValue(normType)}`);
  if (Number.isNaN(normType)) throw new RangeError(`${name}: normType must be a number (the p of a p-norm, Infinity for the largest absolute value), got NaN`);
  if (typeof errorIfNonfinite !== 'boolean') throw new TypeError(`${name}: errorIfNonfinite must be true or false, got ${describeValue(errorIfNonfinite)}`);

  const grads = gradsOf(name, parameters);
  if (grads.length === 0) return tensor(0);
  const totalNorm = noGrad(() => totalNormOf(name, grads, normType));
  const total = totalNorm.item();
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new RangeError(
      `${name}: the total norm of order ${normType} of the gradients is ${total}, so they cannot be clipped; ` +
        'to scale the gradients by the non-finite norm anyway, leave errorIfNonfinite false',
    );
  }
  // PyTorch computes maxNorm / (total + 1e-6) as (total + 1e-6).reciprocal() * maxNorm, each step in float32.
  const coef = Math.fround(Math.fround(1 / Math.fround(total + EPS)) * Math.fround(bound));
  const clamped = coef > 1 ? 1 : coef; // NaN stays NaN, as torch.clamp leaves it
  // Multiplying by 1 changes no value (PyTorch does it anyway, to avoid a device sync): skip it, and leave the
  // gradients untouched.
  if (clamped !== 1) noGrad(() => grads.forEach((g) => g.mul_(clamped)));
  return totalNorm;
}

/**
 * PyTorch 1.13's total norm, op for op: for p = Infinity each gradient's abs().max() (an error for an empty one, as
 * there), the largest of them; otherwise torch.norm of the stacked torch.norm of each gradient (for one gradient too:
 * it is not the same for p = 0, which counts, nor where the norm of a single value rounds).
 */
function totalNormOf(name: string, grads: readonly Tensor[], p: number): Tensor {
  if (p === Infinity) {
    const maxima = grads.map((g, i) => {
      if (g.numel() === 0) {
        throw new RangeError(`${name}: the gradient of parameter ${i} is empty (shape ${formatShape(g.shape)}), and its largest absolute value (normType Infinity) is undefined, as PyTorch's max() of no values`);
      }
      return g.abs().max();
    });
    return maxima.length === 1 ? maxima[0]! : stack(maxima).max();
  }
  return stack(grads.map((g) => norm(g, p))).norm(p);
}

/**
 * Clamps the gradients of `parameters` in place into [−clipValue, clipValue], as PyTorch's `clip_grad_value_`
 * (NaN gradients stay NaN). Parameters without a gradient are skipped.
 *
 * @throws TypeError for parameters that are not tensors or a `clipValue` that is neither a number nor a one-element tensor.
 * @throws RangeError for a negative or NaN `clipValue`.
 * @example
 * loss.backward();
 * nn.utils.clipGradValue_(model.parameters(), 0.5);
 * opt.step();
 */
export function clipGradValue_(parameters: Tensor | Iterable<Tensor>, clipValue: number | Tensor): void {
  const name = 'clipGradValue_';
  const bound = boundOf(name, 'clipValue', clipValue);
  const grads = gradsOf(name, parameters);
  noGrad(() => grads.forEach((g) => g.clamp_(-bound, bound)));
}

/**
 * The bound as a number: a number, or a one-element tensor read as PyTorch's `float(max_norm)` reads it (a bound
 * computed with tensor ops, as adaptive clipping does); at least 0.
 */
function boundOf(name: string, what: string, v: unknown): number {
  if (v instanceof Tensor && v.numel() === 1) v = v.item();
  if (typeof v !== 'number') throw new TypeError(`${name}: ${what} must be a number (or a one-element tensor), got ${describeValue(v)}`);
  if (!(v >= 0)) throw new RangeError(`${name}: ${what} must be at least 0, got ${v}`);
  return v;
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
