import type { Tensor } from '../tensor/tensor.js';

/** A loss's reduction, as PyTorch's `reduction` argument. */
export type Reduction = 'mean' | 'sum' | 'none';

/** `r` as a reduction; throws, naming the op, for anything but 'mean', 'sum' or 'none'. */
export function checkReduction(r: unknown, op: string): Reduction {
  if (r !== 'mean' && r !== 'sum' && r !== 'none') throw new RangeError(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(r)}`);
  return r;
}

/** Elementwise losses reduced as PyTorch's composite losses do: `.mean()` (MeanBackward0), `.sum()` (SumBackward0), or as they are. */
export function applyReduction(out: Tensor, reduction: Reduction): Tensor {
  return reduction === 'mean' ? out.mean() : reduction === 'sum' ? out.sum() : out;
}

