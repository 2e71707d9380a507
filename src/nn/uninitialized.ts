/**
 * The placeholders of lazy layers not yet run (nn/lazy.ts), in a file of its own that imports no layer, so that
 * `Module.loadStateDict` and the optimizers can ask about them without importing the layers.
 */
import type { Tensor } from '../tensor/tensor.js';

// The marks live in the tensor tier, where printing reads them.
export { isUninitializedParameter, markUninitialized } from '../tensor/uninitialized-mark.js';

/** The method of a lazy layer that sizes it from a state dict's tensors under a prefix, before `loadStateDict` copies them. */
export const MATERIALIZE = Symbol('kindling.lazy.materialize');

/** A module with that method. */
export interface Materializable {
  [MATERIALIZE](state: Readonly<Record<string, Tensor>>, prefix: string): void;
}
