import { isGradRecording } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { linearTwice, twice } from '../autograd/twice.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { transientFloat32 } from '../kernels/transient.js';
import { checkOptions, describeValue } from '../options.js';
import { refuseMaskBce } from '../tensor/mask-arithmetic.js';
import { checkTensor } from './util.js';
import { ownResult, reshape } from './view.js';
import { BCE_OPTIONS, bceOptions, type BceLossOptions } from './bce-options.js';
import { outOfRange, weightedBceLoss } from './bce-weighted.js';
import { refuseGradArgument } from './no-grad-argument.js';
import { checkReduction, type Reduction } from './reduction.js';
import { broadcastTargetShape } from './loss-target-shape.js';

/** A new zero-filled contiguous tensor (cheap storage for per-step gradients). */
function empty(shape: readonly number[]): Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  return new Tensor(transientFloat32(n), shape);
}

export { checkReduction, type Reduction };

/** The options every loss takes. */
const LOSS_OPTIONS = ['reduction'] as const;

/** A loss's options checked (no other key) and its reduction ('mean' when none is given). */
export function lossReduction(options: { reduction?: Reduction } | undefined, op: string): Reduction {
  return checkReduction(checkOptions(op, options, LOSS_OPTIONS).reduction ?? 'mean', op);
}

function checkPair(input: Tensor, target: Tensor, op: string): void {
  checkTensor(input, op);
  checkTensor(target, op, 'target');
  if (!sameShape(input.shape, target.shape)) {
    throw new RangeError(`${op}: target shape ${formatShape(target.shape)} does not match input shape ${formatShape(input.shape)}`);
  }
}

/**
 * Reduces elementwise losses `l` and builds the node whose backward scales the elementwise derivative `d`
 * (d loss_i / d input_i) by the incoming gradient, and `targetGrad` (d loss_i / d target_i), when given, for a target
 * that requires grad. Input and target have the same shape. `torchName` names the node for PyTorch (record.ts).
 */
export function reduceLoss(
  name: string, input: Tensor, target: Tensor, l: Float32Array, d: Float32Array, reduction: Reduction, targetGrad: Float32Array | null, torchName?: string,
): Tensor {
  const n = l.length;
  let out: Tensor;
  if (reduction === 'none') {
    out = new Tensor(l, input.shape);
  } else {
    let s = 0;
    for (let i = 0; i < n; i++) s += l[i]!;
    out = new Tensor(new Float32Array([reduction === 'mean' ? s / n : s]), []);
  }
  if (!isGradRecording() || !(input.requiresGrad || target.requiresGrad)) return out;
  return record(out, name, [input, target], (g) => {
    const scale = reduction === 'mean' ? 1 / n : 1;
    const gi = empty(input.shape);
    const gt = targetGrad && target.requiresGrad ? empty(target.shape) : null;
    const G = g.data;
    const GI = gi.data;
    const GT = gt === null ? null : gt.data;
    for (let i = 0; i < n; i++) {
      const gv = reduction === 'none' ? G[i]! : G[0]! * scale;
      GI[i] = gv * d[i]!;
      if (GT && targetGrad) GT[i] = gv * targetGrad[i]!;
    }
    return [input.requiresGrad ? gi : null, gt];
  }, [input, target], torchName);
}

/**
 * Mean (or sum) of squared differences, like `torch.nn.functional.mse_loss`. As there, a target of another shape
 * that broadcasts with the input (an output [1, 10] against a target [10]) is broadcast, with a warning (once).
 */
export function mseLoss(input: Tensor, target: Tensor, options: { reduction?: Reduction } = {}): Tensor {
  const reduction = lossReduction(options, 'mseLoss');
  checkTensor(input, 'mseLoss');
  checkTensor(target, 'mseLoss', 'target');
  const shape = broadcastTargetShape(input, target, 'mseLoss');
  if (shape !== null) return mseLoss(input.expand(...shape), target.expand(...shape), { reduction });
  const x = input.values();
  const y = target.values();
  const n = x.length;
  const l = transientFloat32(n);
  const d = transientFloat32(n);
  const dt = transientFloat32(n);
  for (let i = 0; i < n; i++) {
    const diff = Math.fround(x[i]! - y[i]!);
    l[i] = diff * diff;
    d[i] = 2 * diff;
    dt[i] = -2 * diff;
  }
  // The gradient's graph (createGraph): PyTorch's mse_loss_backward, norm·(input − target)·g with norm 2 or 2/n.
  const norm = reduction === 'mean' ? 2 / n : 2;
  return twice(reduceLoss('mseLoss', input, target, l, d, reduction, dt), (g) => {
    const gi = input.sub(target).mul(norm).mul(g);
    return [input.requiresGrad ? gi : null, target.requiresGrad ? gi.neg() : null];
  });
}

/**
 * Binary cross-entropy on probabilities, like `torch.nn.functional.binary_cross_entropy`: each log is clamped
 * at −100, and the gradient is (x − y) / max(x(1 − x), 1e-12), exactly PyTorch's formula. With `weight` (a tensor
 * broadcast to the input's shape, no gradient), each element's loss and gradient are scaled by it before the
 * reduction, as PyTorch's (ops/bce-weighted.ts).
 */
export function bceLoss(input: Tensor, target: Tensor, options: BceLossOptions = {}, op = 'bceLoss'): Tensor {
  const { reduction, weight } = bceOptions(options, op, BCE_OPTIONS);
  refuseGradArgument(weight, 'weight', op, 'weight', 'binary_cross_entropy');
  checkPair(input, target, op);
  refuseMaskBce(input, target, op, false);
  if (weight !== undefined) return weightedBceLoss(input, target, reduction, weight, op);
  const x = input.values();
  const y = target.values();
  const n = x.length;
  const l = transientFloat32(n);
  const d = transientFloat32(n);
  // d loss / d target = −logit(x) = log(1 − x) − log(x), unclamped, as PyTorch 1.13 differentiates the target.
  const dt = target.requiresGrad ? transientFloat32(n) : null;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    if (!(xi >= 0 && xi <= 1)) throw outOfRange(op, i, xi);
    const logX = Math.max(Math.fround(Math.log(xi)), -100);
    const log1mX = Math.max(Math.fround(Math.log(Math.fround(1 - xi))), -100);
    l[i] = (y[i]! - 1) * log1mX - y[i]! * logX;
    d[i] = (xi - y[i]!) / Math.max(Math.fround(Math.fround(1 - xi) * xi), 1e-12);
    if (dt !== null) dt[i] = Math.log(1 - xi) - Math.log(xi);
  }
  // The gradient's graph (createGraph): PyTorch's formulas with ops, g·(x − y)/max((1 − x)·x, 1e-12) for the input and
  // g·(log(1 − x) − log x) for a target that requires grad, divided by the element count for 'mean'.
  return twice(reduceLoss('bceLoss', input, target, l, d, reduction, dt, 'BinaryCrossEntropyBackward0'), (g) => {
    const scaled = reduction === 'mean' ? g.div(n) : g;
    const one = input.neg().add(1);
    return [
      input.requiresGrad ? input.sub(target).mul(scaled).div(one.mul(input).clamp(1e-12, null)) : null,
      target.requiresGrad ? one.log().sub(input.log()).mul(scaled) : null,
    ];
  });
}

/**
 * A class-dimension loss of `input` [N, C, d1, …] (class dimension 1, as PyTorch's) computed over rows: `input`
 * with dimension 1 moved last, as [N·d1·…, C], and the target flattened, class indices [N, d1, …] to [N·d1·…]
 * (or, with `probs`, class probabilities of the input's shape, as rows like the input's), given to `rows`, the loss
 * of [M, C] inputs; a 'none' result comes back in shape [N, d1, …]. Each row is one sample, so 'mean' divides by
 * N·d1·…, as PyTorch does. Throws, naming both shapes, for a target of any other shape. `noneTorchName` names the
 * 'none' result's node for PyTorch (record.ts), the last node of PyTorch's computation of it.
 */
export function overClassDim(
  input: Tensor, target: Tensor, reduction: Reduction, op: string, probs: boolean,
  rows: (input: Tensor, target: Tensor) => Tensor, noneTorchName: string,
): Tensor {
  const C = input.shape[1]!;
  const outShape = [input.shape[0]!, ...input.shape.slice(2)];
  const isProbs = probs && sameShape(target.shape, input.shape);
  if (!isProbs && !sameShape(target.shape, outShape)) {
    const want = probs
      ? `class indices of shape ${formatShape(outShape)} or class probabilities of shape ${formatShape(input.shape)}`
      : `class indices of shape ${formatShape(outShape)}`;
    throw new RangeError(`${op}: for an input of shape ${formatShape(input.shape)}, target must be ${want}, got ${formatShape(target.shape)}`);
  }
  let M = 1;
  for (const d of outShape) M *= d;
  // Dimension 1 last: [0, 2, 3, …, 1].
  const perm = [0, ...input.shape.slice(2).map((_, i) => i + 2), 1];
  const x = input.permute(perm).reshape(M, C);
  const t = isProbs ? target.permute(perm).reshape(M, C) : target.reshape(M);
  const l = rows(x, t);
  return reduction === 'none' ? ownResult(reshape(l, outShape, 'reshape', noneTorchName)) : l;
}

/**
 * PyTorch's node for nll_loss with reduction 'none' of an input [N, C, d1, …]: NllLoss2DBackward0 for 4-D inputs,
 * which nll_loss2d takes as they are, else the view of nll_loss2d's result back to [N, d1, …].
 */
export function nllNoneTorchName(ndim: number): string {
  return ndim === 4 ? 'NllLoss2DBackward0' : 'ViewBackward0';
}

/** The options of `nllLoss` (and of `crossEntropyLoss` with class indices), as PyTorch's `weight`, `ignore_index`. */
export interface NllLossOptions {
  reduction?: Reduction;
  /** One weight per class, a 1-D tensor [C] (it has no gradient: one that requires grad is refused, as in PyTorch). */
  weight?: Tensor;
  /** Targets equal to it are skipped: no loss, no gradient, not counted by 'mean' (default −100, as PyTorch's). */
  ignoreIndex?: number;
}

/** The options of `crossEntropyLoss`: `nllLoss`'s and `labelSmoothing` (PyTorch's `label_smoothing`). */
export interface CrossEntropyLossOptions extends NllLossOptions {
  /** ε in [0, 1]: the target mixed with the uniform distribution, (1 − ε)·target + ε/C (default 0). */
  labelSmoothing?: number;
}

export const NLL_OPTIONS = ['reduction', 'weight', 'ignoreIndex'] as const;
export const CROSS_ENTROPY_OPTIONS = ['reduction', 'weight', 'ignoreIndex', 'labelSmoothing'] as const;

/** Checked class-loss options, defaults filled in. */
export interface ClassLossOptions {
  reduction: Reduction;
  weight: Tensor | undefined;
  ignoreIndex: number;
  labelSmoothing: number;
}

/**
 * `nllLoss` / `crossEntropyLoss` options checked (no other key; `labelSmoothing` only where `accepted` has it):
 * `weight` a 1-D tensor (its length is checked against C when the input comes), `ignoreIndex` an integer,
 * `labelSmoothing` a number in [0, 1]. `weight` comes back as given: with class indices it must not require grad
 * (`refuseGradArgument`), with class probabilities it gets a gradient, as in PyTorch.
 */
export function classLossOptions(options: CrossEntropyLossOptions | undefined, op: string, accepted: readonly (keyof CrossEntropyLossOptions)[]): ClassLossOptions {
  const o = checkOptions<CrossEntropyLossOptions>(op, options, accepted);
  const reduction = checkReduction(o.reduction ?? 'mean', op);
  let weight: Tensor | undefined;
  if (o.weight !== undefined) {
    if (!(o.weight instanceof Tensor)) throw new TypeError(`${op}: weight must be a 1-D tensor of one weight per class, got ${describeValue(o.weight)}`);
    if (o.weight.ndim !== 1) throw new RangeError(`${op}: weight must be a 1-D tensor of one weight per class, got shape ${formatShape(o.weight.shape)}`);
    weight = o.weight;
  }
  const ignoreIndex = o.ignoreIndex ?? -100;
  if (typeof ignoreIndex !== 'number' || !Number.isInteger(ignoreIndex)) {
    throw new TypeError(`${op}: ignoreIndex must be an integer (a class index to skip; default -100), got ${describeValue(ignoreIndex)}`);
  }
  const labelSmoothing = o.labelSmoothing ?? 0;
  if (typeof labelSmoothing !== 'number' || !(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new RangeError(`${op}: labelSmoothing must be a number between 0 and 1, got ${describeValue(labelSmoothing)}`);
  }
  return { reduction, weight, ignoreIndex, labelSmoothing };
}

/** The weights of `weight` [C], after checking it has one per class; null for none. */
export function classWeights(weight: Tensor | undefined, C: number, op: string): Float32Array | null {
  if (weight === undefined) return null;
  if (weight.shape[0] !== C) throw new RangeError(`${op}: weight must have one value for each of the input's ${C} classes (shape [${C}]), got shape ${formatShape(weight.shape)}`);
  return weight.values();
}

/**
 * Negative log-likelihood of class `target[i]` in rows of log-probabilities `input` [N, C] (or [C]); also, as
 * PyTorch's, `input` [N, C, d1, …] (class dimension 1) against class indices [N, d1, …]. With `weight`, sample i's
 * loss is scaled by weight[target[i]] and 'mean' divides by the sum of those weights (NaN when it is 0), as
 * PyTorch's; targets equal to `ignoreIndex` give 0 and no gradient, and are left out of the mean.
 */
export function nllLoss(input: Tensor, target: Tensor, options: NllLossOptions = {}): Tensor {
  const o = classLossOptions(options, 'nllLoss', NLL_OPTIONS);
  refuseGradArgument(o.weight, 'weight', 'nllLoss', 'weight', 'nll_loss');
  checkTensor(input, 'nllLoss');
  checkTensor(target, 'nllLoss', 'target');
  return nllLossChecked(input, target, o);
}

/**
 * `nllLoss` after its options are checked (`crossEntropyLoss` calls it with its own). `torchName` names the node for
 * PyTorch: NllLossBackward0 by default, NllLoss2DBackward0 for the rows of an input of more than 2 dimensions.
 */
export function nllLossChecked(input: Tensor, target: Tensor, o: ClassLossOptions, torchName?: string): Tensor {
  const { reduction, ignoreIndex } = o;
  if (input.ndim > 2) {
    return overClassDim(input, target, reduction, 'nllLoss', false, (x, t) => nllLossChecked(x, t, o, 'NllLoss2DBackward0'), nllNoneTorchName(input.ndim));
  }
  const batched = input.ndim === 2;
  if (!(batched || input.ndim === 1)) throw new RangeError(`nllLoss: input must be [N, C], [C] or [N, C, d1, …], got ${formatShape(input.shape)}`);
  const N = batched ? input.shape[0]! : 1;
  const C = input.shape[input.ndim - 1]!;
  if (target.numel() !== N || target.ndim !== (batched ? 1 : 0)) {
    throw new RangeError(`nllLoss: target must have shape ${batched ? `[${N}]` : '[]'} (class indices), got ${formatShape(target.shape)}`);
  }
  const w = classWeights(o.weight, C, 'nllLoss');
  const x = input.values();
  const t = target.values();
  const l = new Float32Array(N);
  let ignored = 0;
  for (let i = 0; i < N; i++) {
    const c = t[i]!;
    if (c === ignoreIndex) {
      ignored++;
      continue;
    }
    if (!Number.isInteger(c) || c < 0 || c >= C) throw new RangeError(`nllLoss: target ${c} at position ${i} is out of bounds for ${C} classes`);
    l[i] = -x[i * C + c]!;
  }
  if (w !== null || ignored > 0) return weightedNll(input, target, l, w, o, N, C, batched, torchName);
  let s = 0;
  for (let i = 0; i < N; i++) s += l[i]!;
  const out = reduction === 'none' ? new Tensor(l, batched ? [N] : []) : new Tensor(new Float32Array([reduction === 'mean' ? s / N : s]), []);
  // Linear in the input: the gradient's graph is this loss of the gradient's gradient (autograd/twice.ts).
  return linearTwice(record(out, 'nllLoss', [input], (g) => {
    const gi = empty(input.shape);
    const G = g.data;
    const GI = gi.data;
    for (let i = 0; i < N; i++) {
      const gv = reduction === 'none' ? G[i]! : reduction === 'mean' ? G[0]! / N : G[0]!;
      GI[i * C + t[i]!] = -gv;
    }
    return [gi];
  }, [input, target], torchName), (h) => nllLossChecked(h, target, o, torchName));
}

/**
 * `nllLoss` with class weights or ignored targets: `l` holds −input[i, target[i]] (0 where ignored). As PyTorch's
 * nll_loss: sample i weighs w[target[i]] (1 without weights, 0 when ignored); 'mean' is Σ w·l / Σ w, and the
 * gradient at [i, target[i]] is w[target[i]]·−(g / Σ w), which is NaN where 0/0, as there.
 */
function weightedNll(
  input: Tensor, target: Tensor, l: Float32Array, w: Float32Array | null, o: ClassLossOptions, N: number, C: number, batched: boolean, torchName: string | undefined,
): Tensor {
  const { reduction, ignoreIndex } = o;
  const t = target.values();
  const wi = new Float32Array(N);
  let total = 0;
  let s = 0;
  for (let i = 0; i < N; i++) {
    const c = t[i]!;
    if (c === ignoreIndex) continue;
    const wc = w === null ? 1 : w[c]!;
    wi[i] = wc;
    if (w !== null) l[i] = wc * l[i]!;
    total += wc;
    s += l[i]!;
  }
  total = Math.fround(total);
  const out = reduction === 'none' ? new Tensor(l, batched ? [N] : []) : new Tensor(new Float32Array([reduction === 'mean' ? s / total : s]), []);
  return linearTwice(record(out, 'nllLoss', [input], (g) => {
    const gi = empty(input.shape);
    const G = g.data;
    const GI = gi.data;
    for (let i = 0; i < N; i++) {
      const c = t[i]!;
      if (c === ignoreIndex) continue;
      const gv = reduction === 'none' ? G[i]! : reduction === 'mean' ? Math.fround(G[0]! / total) : G[0]!;
      GI[i * C + c] = wi[i]! * -gv;
    }
    return [gi];
  }, o.weight === undefined ? [input, target] : [input, target, o.weight], torchName), (h) => nllLossChecked(h, target, o, torchName));
}
