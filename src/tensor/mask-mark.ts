import type { Tensor } from './tensor.js';

/**
 * The results of comparisons, logical ops and predicates (`x.gt(0)`, `logicalAnd`, `isnan`, …), which are PyTorch's
 * bool tensors: Kindling stores them as float32 1/0, and this mark lets `index` and `indexPut` read them as masks, as
 * PyTorch reads `x[x > 0]`, and a mask says it is bool (`dtype`, `type()`, printing). Views, copies and reorderings of a
 * mask keep the mark (README lists them), as do or and and of two (mask-arithmetic.ts); other arithmetic and ops give
 * plain float tensors (indices by position), as PyTorch's arithmetic on bools gives numbers.
 */
const masks = new WeakSet<Tensor>();

/** Marks `t` as a mask (a bool tensor in PyTorch). */
export function markMask(t: Tensor): Tensor {
  masks.add(t);
  return t;
}

/** Whether `t` is a mask: made by a comparison, logical op or predicate, or a view or copy of one. */
export function isMask(t: Tensor): boolean {
  return masks.has(t);
}

/** `to` marked as a mask when `from` is one (views and copies of a mask); `to` itself. */
export function keepMask(from: Tensor, to: Tensor): Tensor {
  if (masks.has(from)) masks.add(to);
  return to;
}
