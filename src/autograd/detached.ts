// Tensors cut from the graph in place (`detach_()`) while graphs recorded through them may still be walked. PyTorch's
// recorded edges keep such a tensor's node; Kindling's nodes hold the tensor itself, found as it was through
// `inputAt` (ops/graph-identity.ts keeps it), and read its `requiresGrad` when they run. So a walk that reaches a
// detached tensor's former self lets the tensor require grad again until the walk ends: the nodes made before
// `detach_()` compute its gradient as they did.
import type { Tensor } from '../tensor/tensor.js';

/** The tensor each stand-in (the detached tensor as it was, with its node) stands for. */
const standsFor = new WeakMap<Tensor, Tensor>();
/** False until the first `detach_()` of a tensor of the graph: walks look no further. */
let any = false;

/** Notes that `self` is `t` as it was before `t.detach_()`. */
export function noteDetached(self: Tensor, t: Tensor): void {
  standsFor.set(self, t);
  any = true;
}

/** Lets the detached tensors whose former selves `order` holds require grad for one walk; returns them. */
export function reviveDetached(order: readonly Tensor[]): Tensor[] | null {
  if (!any) return null;
  let revived: Tensor[] | null = null;
  for (const t of order) {
    const original = standsFor.get(t);
    if (original === undefined || original.requiresGrad) continue;
    original.requiresGrad = true;
    (revived ??= []).push(original);
  }
  return revived;
}

/** Undoes `reviveDetached` after the walk. */
export function settleDetached(revived: readonly Tensor[] | null): void {
  if (revived !== null) for (const t of revived) t.requiresGrad = false;
}
