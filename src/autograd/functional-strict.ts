// The refusals of torch.autograd.functional's `strict` mode, in PyTorch 1.13's words (its _check_requires_grad and
// _fill_in_zeros), each after the name of Kindling's function. A strict call refuses wherever PyTorch's would give
// zeros: an output computed without the graph, an input a result does not depend on, and, with createGraph, a
// result that does not depend on the inputs (it could not be differentiated again: a function linear in its input
// has a constant Jacobian).
import type { Tensor } from '../tensor/tensor.js';

const NOT_ALLOWED = 'This is not allowed in strict mode.';
const ZEROS = ' Leave strict out to get zeros instead.';

/** An output of the function that does not require grad (`_check_requires_grad(outputs, "outputs")`). */
export function checkOutputsRequireGrad(op: string, outputs: readonly Tensor[]): void {
  outputs.forEach((out, i) => {
    if (out.requiresGrad) return;
    throw new Error(
      `${op}: Output ${i} of the user-provided function does not require gradients. The outputs must be computed in a ` +
        'differentiable manner from the input when running in strict mode.',
    );
  });
}

/** An input the outputs do not depend on: its first derivative is missing (PyTorch's stage "back"). */
export function independentOfInput(op: string, i: number): Error {
  return new Error(`${op}: The output of the user-provided function is independent of input ${i}. ${NOT_ALLOWED}${ZEROS}`);
}

/**
 * jvp's first derivatives (with respect to the inputs, in the direction of a vector u that requires grad), checked as
 * PyTorch's `_check_requires_grad(grad_inputs, "grad_inputs")`.
 */
export function checkGradInputs(op: string, grads: readonly (Tensor | null)[]): void {
  grads.forEach((g, i) => {
    if (g === null) throw independentOfInput(op, i);
    if (!g.requiresGrad) throw new Error(`${op}: The gradient with respect to input ${i} is independent of the inputs of the user-provided function. ${NOT_ALLOWED}`);
  });
}

/**
 * The first derivatives of hvp's and vhp's function, checked as PyTorch's `_check_requires_grad(jac, "jacobian")`:
 * each must exist and depend on the inputs, for there to be a second derivative.
 */
export function checkJacobian(op: string, grads: readonly (Tensor | null)[]): void {
  grads.forEach((g, i) => {
    if (g === null) throw independentOfInput(op, i);
    if (g.requiresGrad) return;
    throw new Error(
      `${op}: While computing the hessian, found that the jacobian of the user-provided function with respect to input ${i} is independent ` +
        `of the input. ${NOT_ALLOWED} You should ensure that your function is twice differentiable and that the jacobian depends on the ` +
        'inputs (this would be violated by a linear function for example).',
    );
  });
}

/** Where a strict result is checked, as PyTorch's `_fill_in_zeros` stages: its messages differ by stage. */
export type Stage = 'back' | 'back_trick' | 'double_back' | 'double_back_trick';

/**
 * A result `g` at position `i` checked for a strict call at `stage`: missing (null) is refused; with createGraph, so
 * is one that does not require grad. PyTorch's `_fill_in_zeros`, whose zeros the caller gives when not strict.
 */
export function checkResult(op: string, stage: Stage, g: Tensor | null, i: number, createGraph: boolean): void {
  if (g === null) {
    const message = stage === 'back' ? `The output of the user-provided function is independent of input ${i}. ${NOT_ALLOWED}`
      : stage === 'back_trick' ? `The gradient with respect to the input is independent of entry ${i} in the grad_outputs when using the double backward trick to compute forward mode gradients. ${NOT_ALLOWED}`
        : stage === 'double_back' ? `The jacobian of the user-provided function is independent of input ${i}. ${NOT_ALLOWED}`
          : `The hessian of the user-provided function is independent of entry ${i} in the grad_jacobian. This is not allowed in strict mode as it prevents from using the double backward trick to replace forward mode AD.`;
    throw new Error(`${op}: ${message}${ZEROS}`);
  }
  if (createGraph && !g.requiresGrad) {
    const what = stage === 'back' || stage === 'back_trick' ? 'jacobian' : 'hessian';
    throw new Error(`${op}: The ${what} of the user-provided function is independent of input ${i}. This is not allowed in strict mode when create_graph=True. Leave strict out to get it without a graph.`);
  }
}
