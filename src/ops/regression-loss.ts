/**
 * The losses of differences, as PyTorch 1.13's: `l1Loss` (|x − y|), `smoothL1Loss` (quadratic below `beta`, then
 * linear) and `huberLoss` (quadratic below `delta`, then linear, scaled by `delta`). Like `mseLoss`, a target of
 * another shape that broadcasts with the input is broadcast, with a warning (loss-target-shape.ts), and the target
 * gets a gradient too when it requires one.
 */
import { twice } from '../autograd/twice.js';
import { maskOf } from './mask.js';
import { transientFloat32 } from '../kernels/transient.js';
import { checkOptions, describeValue } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { lossReduction, reduceLoss } from './loss.js';
import { broadcastTargetShape } from './loss-target-shape.js';
import { mean, sum } from './reduce.js';
import { checkReduction, type Reduction } from './reduction.js';
import { checkTensor } from './util.js';

/** The options of `smoothL1Loss` / `SmoothL1Loss`. */
export interface SmoothL1LossOptions {
  reduction?: Reduction;
  /** Where the loss turns from quadratic to linear: a number ≥ 0 (default 1; 0 gives the L1 loss). */
  beta?: number;
}

/** The options of `huberLoss` / `HuberLoss`. */
export interface HuberLossOptions {
  reduction?: Reduction;
  /** Where the loss turns from quadratic to linear: a number > 0 (default 1). */
  delta?: number;
}

export const SMOOTH_L1_OPTIONS = ['reduction', 'beta'] as const;
export const HUBER_OPTIONS = ['reduction', 'delta'] as const;

/** `smoothL1Loss` options checked: no other key, `beta` a number ≥ 0 (NaN refused, as PyTorch's check refuses it). */
export function smoothL1Options(options: SmoothL1LossOptions | undefined, op: string): { reduction: Reduction; beta: number } {
  const o = checkOptions<SmoothL1LossOptions>(op, options, SMOOTH_L1_OPTIONS);
  const reduction = checkReduction(o.reduction ?? 'mean', op);
  const beta = o.beta === undefined ? 1 : o.beta;
  if (typeof beta !== 'number') throw new TypeError(`${op}: beta must be a number (default 1), got ${describeValue(beta)}`);
  if (!(beta >= 0)) throw new RangeError(`${op}: beta must not be negative (PyTorch's smooth_l1_loss refuses negative values), got ${beta}`);
  return { reduction, beta };
}

/** `huberLoss` options checked: no other key, `delta` a number > 0 (NaN refused, as PyTorch's check refuses it). */
export function huberOptions(options: HuberLossOptions | undefined, op: string): { reduction: Reduction; delta: number } {
  const o = checkOptions<HuberLossOptions>(op, options, HUBER_OPTIONS);
  const reduction = checkReduction(o.reduction ?? 'mean', op);
  const delta = o.delta === undefined ? 1 : o.delta;
  if (typeof delta !== 'number') throw new TypeError(`${op}: delta must be a number (default 1), got ${describeValue(delta)}`);
  if (!(delta > 0)) throw new RangeError(`${op}: delta must be positive (PyTorch's huber_loss refuses non-positive values), got ${delta}`);
  return { reduction, delta };
}

/** Input and target checked and brought to one shape (broadcast, with a warning, as PyTorch's). */
function pair(input: Tensor, target: Tensor, op: string): [Tensor, Tensor] {
  checkTensor(input, op);
  checkTensor(target, op, 'target');
  const shape = broadcastTargetShape(input, target, op);
  return shape === null ? [input, target] : [input.expand(...shape), target.expand(...shape)];
}

/**
 * Mean (or sum) of absolute differences |x − y|, like `torch.nn.functional.l1_loss`, computed as PyTorch 1.13
 * computes it: (x − y).abs() and its mean or sum, so the nodes are AbsBackward0, MeanBackward0 and SumBackward0,
 * and the gradient where x = y is 0.
 */
export function l1Loss(input: Tensor, target: Tensor, options: { reduction?: Reduction } = {}): Tensor {
  const reduction = lossReduction(options, 'l1Loss');
  const [x, y] = pair(input, target, 'l1Loss');
  const l = x.sub(y).abs();
  return reduction === 'mean' ? mean(l) : reduction === 'sum' ? sum(l) : l;
}

/**
 * The gradient of a loss of d = x − y written with recorded ops (createGraph), as PyTorch 1.13's smooth_l1_loss_backward
 * and huber_loss_backward compute it: −edge where d ≤ −bound (a tie d = 0 with bound 0 included, as its kernel's first
 * case takes it), edge where d ≥ bound, NaN where d is NaN, and `inner(d)` strictly between, times the incoming
 * gradient (and 1/n for 'mean'). Only the inner part depends on d, so its derivative is inner′ where |d| < bound and 0
 * elsewhere, as PyTorch's *_double_backward; an infinite d takes ±edge, never inner's 0·∞.
 */
function piecewiseGrad(d: Tensor, bound: number, edge: number, inner: (d: Tensor) => Tensor, g: Tensor, norm: number): Tensor {
  const v = d.values();
  const between = maskOf(v, d.shape, (z) => -bound < z && z < bound);
  const outer = new Tensor(Float32Array.from(v, (z) => (z <= -bound ? -edge : z >= bound ? edge : z)), d.shape);
  const piece = inner(d.where(between, 0)).where(between, outer).mul(g);
  return norm === 1 ? piece : piece.mul(norm);
}

/**
 * Elementwise losses of d = x − y (float32, as PyTorch's kernels compute them) with their derivatives in x and in y,
 * reduced in one node named `torchName`. `dLoss(d)` is PyTorch's backward formula of a difference d; the target's is
 * the same formula of y − x, as PyTorch computes it (the two differ only where it breaks a tie at d = 0). The
 * gradient's graph (createGraph) is the same formula in ops (`piecewiseGrad` with `bound`, `edge` and `inner`), so a
 * first derivative taken with createGraph is the plain one, ties, NaN and infinities included, as in PyTorch.
 */
function elementwise(
  op: string, torchName: string, input: Tensor, target: Tensor, reduction: Reduction,
  loss: (z: number) => number, dLoss: (d: number) => number, bound: number, edge: number, inner: (d: Tensor) => Tensor,
): Tensor {
  const [a, b] = pair(input, target, op);
  const x = a.values();
  const y = b.values();
  const n = x.length;
  const l = transientFloat32(n);
  const d = transientFloat32(n);
  const dt = b.requiresGrad ? transientFloat32(n) : null;
  for (let i = 0; i < n; i++) {
    const diff = Math.fround(x[i]! - y[i]!);
    l[i] = loss(Math.abs(diff));
    d[i] = dLoss(diff);
    if (dt !== null) dt[i] = dLoss(Math.fround(y[i]! - x[i]!));
  }
  const norm = reduction === 'mean' ? 1 / n : 1;
  return twice(reduceLoss(op, a, b, l, d, reduction, dt, torchName), (g) => [
    a.requiresGrad ? piecewiseGrad(a.sub(b), bound, edge, inner, g, norm) : null,
    b.requiresGrad ? piecewiseGrad(b.sub(a), bound, edge, inner, g, norm) : null,
  ]);
}

/**
 * Smooth L1 loss, like `torch.nn.functional.smooth_l1_loss`: for z = |x − y|, 0.5·z²/beta where z < beta, else
 * z − 0.5·beta (default beta 1). beta 0 is the L1 loss, with PyTorch 1.13's gradient at x = y: −1 (for the input and
 * the target alike), where its kernel's first case, d ≤ −beta, holds; a negative beta is refused, as PyTorch refuses it.
 */
export function smoothL1Loss(input: Tensor, target: Tensor, options: SmoothL1LossOptions = {}): Tensor {
  const { reduction, beta: beta64 } = smoothL1Options(options, 'smoothL1Loss');
  // PyTorch's kernels take beta as the tensor's float32.
  const beta = Math.fround(beta64);
  const half = Math.fround(0.5 * beta);
  return elementwise('smoothL1Loss', 'SmoothL1LossBackward0', input, target, reduction,
    (z) => (z < beta ? Math.fround(Math.fround(Math.fround(0.5 * z) * z) / beta) : Math.fround(z - half)),
    (d) => (d <= -beta ? -1 : d >= beta ? 1 : Math.fround(d / beta)),
    // With beta 0 nothing lies strictly between the bounds; 0 rather than 0/0 keeps NaN out of the gradient's graph.
    beta, 1, (dd) => (beta === 0 ? dd.mul(0) : dd.div(beta)));
}

/**
 * Huber loss, like `torch.nn.functional.huber_loss`: for z = |x − y|, 0.5·z² where z < delta, else
 * delta·(z − 0.5·delta) (default delta 1); delta must be positive, as PyTorch requires. For delta 1 it is
 * `smoothL1Loss`; otherwise it is delta times `smoothL1Loss` with beta = delta.
 */
export function huberLoss(input: Tensor, target: Tensor, options: HuberLossOptions = {}): Tensor {
  const { reduction, delta: delta64 } = huberOptions(options, 'huberLoss');
  const delta = Math.fround(delta64);
  const half = Math.fround(0.5 * delta);
  return elementwise('huberLoss', 'HuberLossBackward0', input, target, reduction,
    (z) => (z < delta ? Math.fround(Math.fround(0.5 * z) * z) : Math.fround(delta * Math.fround(z - half))),
    (d) => (d <= -delta ? -delta : d >= delta ? delta : d),
    delta, delta, (dd) => dd);
}
