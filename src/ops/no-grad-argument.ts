import { isGradRecording } from '../autograd/grad-mode.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * PyTorch 1.13's nll_loss (so cross_entropy with class indices), binary_cross_entropy and
 * binary_cross_entropy_with_logits have no derivative for their weights: given a weight that requires grad, with
 * grad mode on, they refuse ("not differentiable with respect to argument 'weight'"). Kindling refuses it too, rather
 * than train while the weight silently gets no gradient. `torchArg` is PyTorch's name of the argument, `torchFn` its
 * function's.
 */
export function refuseGradArgument(t: Tensor | null | undefined, name: string, op: string, torchArg: string, torchFn: string): void {
  if (t === null || t === undefined || !t.requiresGrad || !isGradRecording()) return;
  throw new Error(
    `${op}: ${name} requires grad, but the loss has no gradient for it (PyTorch's ${torchFn} refuses it too: not ` +
      `differentiable with respect to argument '${torchArg}'); pass ${name}.detach(), or, to learn the weights, ` +
      "multiply the loss with reduction: 'none' by them yourself",
  );
}
