// PyTorch 1.13's triplet margin losses, op for op (triplet_margin_loss in ATen's Loss.cpp,
// triplet_margin_with_distance_loss in functional.py), so values, gradients and grad_fn names are PyTorch's.
import { KindlingError } from '../errors.js';
import { checkOptions, describeValue } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, minimum } from './binary.js';
import { pairwiseDistance } from './distance.js';
import { applyReduction, checkReduction, type Reduction } from './reduction.js';
import { checkTensor } from './util.js';

export interface TripletMarginLossOptions {
  /** Default 1. */
  readonly margin?: number;
  /** The norm of the distances (default 2). */
  readonly p?: number;
  /** Added to the differences before the norm (default 1e-6). */
  readonly eps?: number;
  /** Use the smaller of d(anchor, negative) and d(positive, negative) (default false). */
  readonly swap?: boolean;
  /** 'mean' (default), 'sum' or 'none'. */
  readonly reduction?: Reduction;
}

export interface TripletMarginWithDistanceLossOptions {
  /** A function of two tensors giving their distances (default F.pairwiseDistance). */
  readonly distanceFunction?: ((a: Tensor, b: Tensor) => Tensor) | null;
  /** Default 1. */
  readonly margin?: number;
  /** Default false. */
  readonly swap?: boolean;
  /** 'mean' (default), 'sum' or 'none'. */
  readonly reduction?: Reduction;
}

function number(where: string, name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || Number.isNaN(v)) throw new TypeError(`${where}: ${name} must be a number, got ${describeValue(v)}`);
  return v;
}

function bool(where: string, v: unknown): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new TypeError(`${where}: swap must be true or false, got ${describeValue(v)}`);
  return v;
}

function checkTriplet(where: string, anchor: Tensor, positive: Tensor, negative: Tensor): void {
  checkTensor(anchor, where, 'anchor');
  checkTensor(positive, where, 'positive');
  checkTensor(negative, where, 'negative');
}

/** PyTorch's `F.triplet_margin_loss(anchor, positive, negative, margin=1, p=2, eps=1e-6, swap=False)`: max(0, margin + d(a, p) − d(a, n)). */
export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, options: TripletMarginLossOptions = {}): Tensor {
  const where = 'tripletMarginLoss';
  checkTriplet(where, anchor, positive, negative);
  const o = checkOptions<TripletMarginLossOptions>(where, options, ['margin', 'p', 'eps', 'swap', 'reduction']);
  const margin = number(where, 'margin', o.margin, 1);
  const p = number(where, 'p', o.p, 2);
  const eps = number(where, 'eps', o.eps, 1e-6);
  const swap = bool(where, o.swap);
  const reduction = checkReduction(o.reduction ?? 'mean', where);
  if (anchor.ndim !== positive.ndim || positive.ndim !== negative.ndim) {
    throw new KindlingError(`All inputs should have same dimension but got ${anchor.ndim}D, ${positive.ndim}D and ${negative.ndim}D inputs.`);
  }
  const distPos = pairwiseDistance(anchor, positive, { p, eps });
  let distNeg = pairwiseDistance(anchor, negative, { p, eps });
  if (swap) distNeg = minimum(distNeg, pairwiseDistance(positive, negative, { p, eps }));
  return applyReduction(add(distPos, margin, 'AddBackward1').sub(distNeg).clampMin(0), reduction);
}

/**
 * PyTorch's `F.triplet_margin_with_distance_loss(anchor, positive, negative, distance_function=None, margin=1,
 * swap=False)`: max(0, d(a, p) − d(a, n) + margin) with any distance function.
 */
export function tripletMarginWithDistanceLoss(anchor: Tensor, positive: Tensor, negative: Tensor, options: TripletMarginWithDistanceLossOptions = {}): Tensor {
  const where = 'tripletMarginWithDistanceLoss';
  checkTriplet(where, anchor, positive, negative);
  const o = checkOptions<TripletMarginWithDistanceLossOptions>(where, options, ['distanceFunction', 'margin', 'swap', 'reduction']);
  const distance = o.distanceFunction ?? ((a: Tensor, b: Tensor) => pairwiseDistance(a, b));
  if (typeof distance !== 'function') throw new TypeError(`${where}: distanceFunction must be a function of two tensors, got ${describeValue(distance)}`);
  const margin = number(where, 'margin', o.margin, 1);
  const swap = bool(where, o.swap);
  const reduction = checkReduction(o.reduction ?? 'mean', where);
  const positiveDist = distance(anchor, positive);
  let negativeDist = distance(anchor, negative);
  if (swap) negativeDist = minimum(negativeDist, distance(positive, negative));
  return applyReduction(positiveDist.sub(negativeDist).add(margin).clamp(0, null), reduction);
}
