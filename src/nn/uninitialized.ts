/**
 * The placeholders of lazy layers not yet run (nn/lazy.ts), in a file of its own that imports nothing, so that
 * `Module.loadStateDict` and the optimizers can ask about them without importing the layers.
 */
import type { Tensor } from '../tensor/tensor.js';

/** The placeholder tensors of lazy layers not yet run. */
const placeholders = new WeakSet<Tensor>();

/** Whether `t` is the placeholder weight (or bias, or statistic) of a lazy layer not yet run. */
export function isUninitializedParameter(t: Tensor): boolean {
  return placeholders.has(t);
}

/** Marks the tensors as placeholders. */
export function markUninitialized(...ts: readonly (Tensor | null)[]): void {
  for (const t of ts) if (t !== null) placeholders.add(t);
}

/** The method of a lazy layer that sizes it from a state dict's tensors under a prefix, before `loadStateDict` copies them. */
export const MATERIALIZE = Symbol('kindling.lazy.materialize');

/** A module with that method. */
export interface Materializable {
  [MATERIALIZE](state: Readonly<Record<string, Tensor>>, prefix: string): void;
}
