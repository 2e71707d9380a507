// Gradient hooks, as PyTorch 1.13's Tensor.register_hook: functions a tensor's gradient goes through during
// backward(), in the order they were registered, each given the gradient the previous one returned (one that
// returns nothing leaves it as it is). A non-leaf's run on its gradient summed over its uses, before its node sends
// it on; a leaf's before it is added into `.grad`. `retainGrad()` takes its place among them, as in 1.13: it keeps
// the gradient as the hooks registered before it leave it.
import { formatShape, sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../options.js';

/** A gradient hook: the gradient in, a replacement (of the same shape) or nothing out. */
export type GradHook = (grad: Tensor) => Tensor | void | undefined;

/** A tensor's hooks in order; RETAIN marks where `retainGrad()` keeps the gradient. */
export const RETAIN = 'retain';
export type HookEntry = { readonly hook: GradHook } | typeof RETAIN;

/** What `registerHook` returns: `remove()` takes the hook out (again: nothing), as PyTorch's RemovableHandle. */
export class RemovableHandle {
  constructor(private readonly list: HookEntry[], private readonly entry: HookEntry) {}
  remove(): void {
    const i = this.list.indexOf(this.entry);
    if (i >= 0) this.list.splice(i, 1);
  }
}

/**
 * `g` through the hooks of `t` (and, at its place, into `t.grad` for `retainGrad`); returns the gradient to send on.
 * `isTensor` tells a tensor from anything else (hooks.ts cannot import the Tensor class: it is imported by it).
 */
export function runHooks(t: Tensor, g: Tensor, entries: readonly HookEntry[], isTensor: (v: unknown) => v is Tensor): Tensor {
  let grad = g;
  for (const entry of [...entries]) {
    if (entry === RETAIN) {
      t.grad = t.grad === null ? grad.clone() : t.grad.add(grad);
      continue;
    }
    const out = entry.hook(grad);
    if (out === undefined || out === null) continue;
    const name = entry.hook.name || '<anonymous>';
    if (!isTensor(out)) throw new TypeError(`expected a Tensor, but hook '${name}' returned ${describeValue(out)}`);
    if (!sameShape(out.shape, grad.shape)) throw new RangeError(`hook '${name}' has changed the size of value (from ${formatShape(grad.shape)} to ${formatShape(out.shape)})`);
    grad = out;
  }
  return grad;
}
