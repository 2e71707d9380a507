import type { GradFn, Tensor } from '../tensor/tensor.js';
import { isGradEnabled } from './grad-mode.js';

const NO_INPUTS: readonly Tensor[] = Object.freeze([]);

/** What a released node's backward does; the walk refuses released nodes before it could be called. */
function releasedBackward(): never {
  throw new Error('backward: this node\'s saved values were released by an earlier backward()');
}

/**
 * A node of the graph, as `record` makes it. A backward pass releases every node it walks — the closure and the
 * inputs, so the values saved for the gradient can be garbage-collected — unless called with `retainGraph`, as
 * PyTorch frees a graph's saved tensors. A released node keeps its name for the error a second walk gets.
 */
export class GraphNode implements GradFn {
  released = false;

  constructor(
    readonly name: string,
    public inputs: readonly Tensor[],
    public backward: GradFn['backward'],
  ) {}

  release(): void {
    this.released = true;
    this.inputs = NO_INPUTS;
    this.backward = releasedBackward;
  }
}

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
  out.gradFn = new GraphNode(name, inputs, backward);
  return out;
}

/** True when a backward closure should bother computing the gradient of `t`. */
export function needsGrad(t: Tensor): boolean {
  return t.requiresGrad;
}
