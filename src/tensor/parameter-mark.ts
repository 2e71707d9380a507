import type { Tensor } from './tensor.js';

/**
 * Tensors made parameters (by `nn.Parameter` or a module's `registerParameter`): they stay parameters when frozen
 * (`requiresGrad = false`), as in PyTorch. Kept in the tensor tier so that printing can say so, as PyTorch's
 * `Parameter containing:` does; nn/members.ts marks and asks.
 */
const parameters = new WeakSet<Tensor>();

/** Marks `t` as a parameter. */
export function markParameter(t: Tensor): Tensor {
  parameters.add(t);
  return t;
}

/** Whether `t` was marked a parameter (the tensor itself, not a view or a copy of it). */
export function isMarkedParameter(t: Tensor): boolean {
  return parameters.has(t);
}
