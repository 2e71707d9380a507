import type { Tensor } from './tensor.js';

/**
 * The placeholder tensors of lazy layers not yet run (PyTorch's UninitializedParameter and UninitializedBuffer).
 * Kept in the tensor tier, as parameter-mark.ts, so that printing can say so (`<UninitializedParameter>`);
 * nn/uninitialized.ts marks and asks.
 */
const placeholders = new WeakSet<Tensor>();

/** Whether `t` is the placeholder weight (or bias, or statistic) of a lazy layer not yet run. */
export function isUninitializedParameter(t: Tensor): boolean {
  return placeholders.has(t);
}

/** Marks the tensors as placeholders. */
export function markUninitialized(...ts: readonly (Tensor | null)[]): void {
  for (const t of ts) if (t !== null) placeholders.add(t);
}
