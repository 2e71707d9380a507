// The time steps of a recurrent layer's input projection as separate tensors, with one backward node for them all.
// PyTorch 1.13's CPU layers take the steps with unbind, one UnbindBackward0 node whose backward stacks the steps'
// gradients. Kindling's unbind and narrow give each step a view node of its own; a walk adds each one's gradient
// where it lies into the sequence's (autograd/slice-grad.ts), so they are linear in T too, but here, as in PyTorch,
// the projection feeds one node: the steps' gradients are kept until all have come, then joined once.
import { Function, type FunctionCtx } from '../autograd/function.js';
import { cat, stack } from '../ops/join.js';
import { split } from '../ops/tiling.js';
import type { Tensor } from '../tensor/tensor.js';

/** The slices along dimension 0 (views, as unbind's); the gradient of x is the stack of theirs. */
class Steps extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): Tensor[] {
    return x.unbind(0);
  }

  static override backward(_ctx: FunctionCtx, ...grads: (Tensor | null)[]): Tensor {
    // Gradients come materialised (zeros for a step that got none); stack is differentiable for createGraph.
    return stack(grads as Tensor[], 0);
  }
}

/** Consecutive runs of rows along dimension 0 (views, as split's); the gradient of x is the cat of theirs. */
class RowRuns extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor, sizes: readonly number[]): Tensor[] {
    return split(x, sizes, 0);
  }

  static override backward(_ctx: FunctionCtx, ...grads: (Tensor | null)[]): [Tensor, null] {
    return [cat(grads as Tensor[], 0), null];
  }
}

/** Each step x[t] of `x` [T, …], as `x.unbind(0)` gives them, with a backward linear in T. */
export function timeSteps(x: Tensor): Tensor[] {
  return x.shape[0] === 1 ? [x.squeeze(0)] : Steps.apply(x);
}

/** The rows of `x` [Σ sizes, …] in runs of `sizes` (a packed batch's steps), with a backward linear in the steps. */
export function rowRuns(x: Tensor, sizes: readonly number[]): Tensor[] {
  return sizes.length === 1 ? [x] : RowRuns.apply(x, sizes);
}
