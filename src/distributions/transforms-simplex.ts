// Transforms onto the positive half-line and the simplex, as PyTorch 1.13's: SoftplusTransform, SoftmaxTransform (not
// bijective: log y is one preimage) and StickBreakingTransform (K reals to K + 1 probabilities by iterated sigmoids,
// bijective, with its log |det J|) — each PyTorch's formula in its order of ops.
import { logsigmoid } from '../ops/activations-extra.js';
import { softplus } from '../ops/activations-more.js';
import { pad } from '../ops/pad.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { type Constraint, Transform } from './transforms.js';

const TINY = 1.1754943508222875e-38;
const EPS = 2 ** -23;

/** PyTorch's constraints.simplex: non-negative, summing to 1 within 1e-6 along the last dimension. */
export const SIMPLEX: Constraint = {
  name: 'Simplex()',
  ok: (v) => v >= 0,
  whole: (t) => {
    if (!t.values().every((v) => v >= 0)) return false;
    return t.sum(-1).sub(1).abs().values().every((d) => d < 1e-6);
  },
};

/** y = softplus(x) = log(1 + eˣ) (linear above 20); inverse y + log(−expm1(−y)); log |det J| = −softplus(−x). */
export class SoftplusTransform extends Transform {
  get sign(): number { return 1; }
  protected call(x: Tensor): Tensor { return softplus(x); }
  protected invert(y: Tensor): Tensor { return y.neg().expm1().neg().log().add(y); }
  logAbsDetJacobian(x: Tensor): Tensor { return softplus(x.neg()).neg(); }
  codomain(): Constraint { return { name: 'GreaterThan(lower_bound=0.0)', ok: (v) => v > 0 }; }
  override equals(other: Transform): boolean { return other instanceof SoftplusTransform; }
}

/** y = softmax(x) over the last dimension (exp(x − max) normalized); not bijective, its inverse log y. */
export class SoftmaxTransform extends Transform {
  override readonly bijective = false;
  override get domainEventDim(): number { return 1; }
  override get codomainEventDim(): number { return 1; }
  get sign(): number { throw new Error('SoftmaxTransform has no sign: it is not bijective (PyTorch\'s NotImplementedError)'); }
  protected call(x: Tensor): Tensor {
    const probs = x.sub(x.max(-1, true).values).exp();
    return probs.div(probs.sum(-1, true));
  }
  protected invert(y: Tensor): Tensor { return y.log(); }
  override forwardShape(shape: readonly number[]): number[] { return [...lastDim(shape)]; }
  override inverseShape(shape: readonly number[]): number[] { return [...lastDim(shape)]; }
  logAbsDetJacobian(): Tensor { throw new Error('SoftmaxTransform has no log |det J|: it is not bijective (PyTorch\'s NotImplementedError)'); }
  codomain(): Constraint { return SIMPLEX; }
  override equals(other: Transform): boolean { return other instanceof SoftmaxTransform; }
}

/** `shape`, checked to have a last dimension (PyTorch's "Too few dimensions on input"). */
export function lastDim(shape: readonly number[]): readonly number[] {
  if (shape.length < 1) throw new RangeError('Too few dimensions on input: the transform acts on the last dimension');
  return shape;
}

/** log of K, K − 1, …, 1 (PyTorch's offset, K + 1 − cumsum of ones). */
const logOffsets = (k: number): Tensor => tensor(Array.from({ length: k }, (_, i) => k - i)).log();

/**
 * K reals to K + 1 probabilities: z_i = sigmoid(x_i − log(K + 1 − i)) (clipped to (tiny, 1 − ε)), each taking its
 * share of what the ones before left: y = (z, 1)·(1, cumprod(1 − z)).
 */
export class StickBreakingTransform extends Transform {
  override get domainEventDim(): number { return 1; }
  override get codomainEventDim(): number { return 1; }
  get sign(): number { throw new Error('StickBreakingTransform has no sign (PyTorch\'s NotImplementedError)'); }

  override forwardShape(shape: readonly number[]): number[] { return [...lastDim(shape).slice(0, -1), shape[shape.length - 1]! + 1]; }
  override inverseShape(shape: readonly number[]): number[] { return [...lastDim(shape).slice(0, -1), shape[shape.length - 1]! - 1]; }

  protected call(x: Tensor): Tensor {
    const z = x.sub(logOffsets(x.shape[x.ndim - 1]!)).sigmoid().clamp(TINY, 1 - EPS);
    const left = z.neg().add(1).cumprod(-1);
    return pad(z, [0, 1], { value: 1 }).mul(pad(left, [1, 0], { value: 1 }));
  }

  protected invert(y: Tensor): Tensor {
    const k = y.shape[y.ndim - 1]! - 1;
    const crop = y.narrow(-1, 0, k);
    const sf = crop.cumsum(-1).neg().add(1).clamp(TINY);
    return crop.log().sub(sf.log()).add(logOffsets(k));
  }

  /** Σ (−x' + logsigmoid(x') + log y_i), x' = x − log offset. */
  logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    const k = x.shape[x.ndim - 1]!;
    const shifted = x.sub(logOffsets(k));
    return shifted.neg().add(logsigmoid(shifted)).add(y.narrow(-1, 0, k).log()).sum(-1);
  }

  codomain(): Constraint { return SIMPLEX; }
  override equals(other: Transform): boolean { return other instanceof StickBreakingTransform; }
}
