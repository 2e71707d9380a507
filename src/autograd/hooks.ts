// Gradient hooks, as PyTorch 1.13's Tensor.register_hook: functions a tensor's gradient goes through during
// backward(), in the order they were registered, each given the gradient the previous one returned (one that
// returns nothing leaves it as it is). A non-leaf's run on its gradient summed over its uses, before its node sends
// it on; a leaf's before it is added into `.grad`.
//
// Where they run among retainGrad() follows 1.13, which keeps a tensor's Python hooks in one dict, put among the
// node's hooks when the first is registered, and retain_grad's as a hook of its own, put where it was called: the
// hooks run together at the place of the first one registered (`HookBlock`), retainGrad at its own place (`Retain`).
// An in-place change autograd follows (ops/rebase.ts) gives the tensor a new node; the hooks stay with the node it
// had, and hooks registered later still go into that block (PyTorch's dict stays on the old node too), while
// retainGrad moves to the new node. detach_() leaves both with the old node.
import { formatShape, sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../options.js';

/** A gradient hook: the gradient in, a replacement (of the same shape) or nothing out. */
export type GradHook = (grad: Tensor) => Tensor | void | undefined;

/** A tensor's hooks, in the order registered: they run one after another at the block's place. */
export class HookBlock {
  readonly hooks: { readonly hook: GradHook }[] = [];
}

/** retainGrad's place: the gradient there is kept in `owner.grad`. */
export class Retain {
  constructor(readonly owner: Tensor) {}
}

export type HookEntry = HookBlock | Retain;

/** What `registerHook` returns: `remove()` takes the hook out (again: nothing), as PyTorch's RemovableHandle. */
export class RemovableHandle {
  constructor(private readonly list: unknown[], private readonly entry: unknown) {}
  remove(): void {
    const i = this.list.indexOf(this.entry);
    if (i >= 0) this.list.splice(i, 1);
  }
}

/** Whether the entries do anything (a block whose hooks were all removed does not). */
export function hasHookEntries(entries: readonly HookEntry[] | null): boolean {
  return entries !== null && entries.some((e) => e instanceof Retain || e.hooks.length > 0);
}

/**
 * `g` through the entries of a tensor (its hooks, and, at its place, into the retaining tensor's `.grad` for
 * `retainGrad`); returns the gradient to send on. `isTensor` tells a tensor from anything else (hooks.ts cannot import
 * the Tensor class: it is imported by it).
 */
export function runHooks(g: Tensor, entries: readonly HookEntry[], isTensor: (v: unknown) => v is Tensor): Tensor {
  let grad = g;
  for (const entry of [...entries]) {
    if (entry instanceof Retain) {
      const t = entry.owner;
      const kept = t.gradOrNull;
      t.grad = kept === null ? grad.clone() : kept.add(grad);
      continue;
    }
    for (const { hook } of [...entry.hooks]) {
      const out = hook(grad);
      if (out === undefined || out === null) continue;
      const name = hook.name || '<anonymous>';
      if (!isTensor(out)) throw new TypeError(`expected a Tensor, but hook '${name}' returned ${describeValue(out)}`);
      if (!sameShape(out.shape, grad.shape)) throw new RangeError(`hook '${name}' has changed the size of value (from ${formatShape(grad.shape)} to ${formatShape(out.shape)})`);
      grad = out;
    }
  }
  return grad;
}
