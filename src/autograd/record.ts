import type { GradFn, Tensor } from '../tensor/tensor.js';
import { isGradEnabled } from './grad-mode.js';

/**
 * Attaches an op to the graph when grad mode is on and some input requires grad. `backward` receives the
 * gradient of `out` (contiguous, same shape) and returns one gradient per input.
 */
export function record(out: Tensor, name: string, inputs: readonly Tensor[], backward: GradFn['backward']): Tensor {
  if (!isGradEnabled()) return out;
  let needed = false;
  for (const t of inputs) if (t.requiresGrad) needed = true;
  if (!needed) return out;
  out.requiresGrad = true;
  out.gradFn = { name, inputs, backward };
  return out;
}

/** True when a backward closure should bother computing the gradient of `t`. */
export function needsGrad(t: Tensor): boolean {
  return t.requiresGrad;
}
