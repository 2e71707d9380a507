// How an op makes its gradient differentiable: the backward a walk with `createGraph` runs (GraphNode.graphBackward),
// written with recorded ops so that the gradient has a graph of its own — second derivatives, Hessians, gradient
// penalties. An op without one is refused by such a walk rather than give a gradient silently cut from the graph.
import type { GradFn } from '../tensor/tensor.js';
import { Tensor } from '../tensor/tensor.js';
import { reshape } from '../ops/view.js';
import { grad } from './grad.js';
import { noGrad } from './grad-mode.js';
import { GraphNode, record } from './record.js';

type Backward = GradFn['backward'];

/**
 * Gives the node just recorded for `out` the differentiable backward `fn` (recorded ops only, reading the op's inputs
 * and output as the plain backward does). `out` must be the tensor `record` was given, freshly made by the op: a tensor
 * that was not recorded (no input requires grad, or grad mode off) is returned as it is.
 */
export function twice(out: Tensor, fn: Backward): Tensor {
  const node = out.gradFn;
  if (node instanceof GraphNode) node.graphBackward = fn;
  return out;
}

/**
 * For an op linear in its inputs whose plain backward reads none of their values (views, reshapes, sums, slices,
 * nllLoss …): the gradient of input i is the plain backward's, recorded as an op of the incoming gradient whose own
 * backward is `forwards[i]` — the op applied to a tensor of input i's shape (the other inputs' parts as zeros), which
 * is the adjoint of the adjoint. That backward records as the op does, so every order of derivative follows.
 */
export function linearTwice(out: Tensor, ...forwards: ((h: Tensor) => Tensor)[]): Tensor {
  const node = out.gradFn;
  if (!(node instanceof GraphNode)) return out;
  const plain = node.backward;
  const name = `${node.name}Backward`;
  node.graphBackward = (g) => {
    const grads = noGrad(() => plain(g));
    return grads.map((gi, i) => {
      if (gi === null || gi === undefined || forwards[i] === undefined) return null;
      // The plain backward may hand back g itself (or the tensor of another op): the node needs a tensor of its own.
      const fresh = gi === g || gi.gradFn !== null ? new Tensor(gi.toArray(), gi.shape) : gi;
      const back: Backward = (h) => [forwards[i]!(h)];
      return twice(record(fresh, name, [g], back), back);
    });
  };
  return out;
}

/**
 * For an op computed by a fused kernel that has an equivalent composition of ops with differentiable gradients
 * (layerNorm, softplus, the norms …): its gradient's graph is the gradient of `compose` (given the op's inputs, in
 * the order recorded) taken with createGraph, the forward recomputed when a second derivative is asked for. Each input
 * enters through a fresh view, so the gradient of each is its own partial derivative even where one input is computed
 * from another. The values are the fused kernel's up to float32 rounding.
 */
export function composedTwice(out: Tensor, compose: (...inputs: Tensor[]) => Tensor): Tensor {
  const node = out.gradFn;
  if (!(node instanceof GraphNode)) return out;
  // The closure reads node.inputs when it runs rather than keeping the array itself: holding the very array the node
  // holds made V8 tenure each step's graph objects (allocation-site pretenuring), which then survived the young
  // collections — a third more time per LayerNorm step and 40 MB more memory (docs/speed.md, "Session 66").
  node.graphBackward = (g) => {
    const inputs = node.inputs;
    const aliases = inputs.map((t) => (t.requiresGrad ? reshape(t, t.shape) : t));
    const y = compose(...aliases);
    const wanted = aliases.filter((t) => t.requiresGrad);
    if (!y.requiresGrad || wanted.length === 0) return inputs.map(() => null);
    const grads = grad(y, wanted, g, { createGraph: true, allowUnused: true });
    return aliases.map((t) => (t.requiresGrad ? grads[wanted.indexOf(t)] ?? null : null));
  };
  return out;
}

/**
 * `t` (a gradient written with recorded ops) made to depend on `on` too, with a zero derivative: PyTorch's double
 * backward of a masked gradient (relu's threshold_backward, leaky_relu_backward, hardtanh_backward) reaches the op's
 * input with zeros, so leaves behind it get a zero `.grad` rather than none, and an optimizer treats them alike.
 */
export function zeroEdge(t: Tensor, on: Tensor): Tensor {
  if (!on.requiresGrad) return t;
  const back: Backward = (h) => [h, new Tensor(new Float32Array(on.numel()), on.shape)];
  return twice(record(new Tensor(t.toArray(), t.shape), 'zeroEdge', [t, on], back), back);
}

/** Whether a walk with `createGraph` can run `fn`: a node with a differentiable backward, or a GradFn of the user's. */
export function runsTwice(fn: GradFn): boolean {
  return !(fn instanceof GraphNode) || fn.graphBackward !== null;
}

/** The backward a walk with `createGraph` runs for `fn`. */
export function graphBackwardOf(fn: GradFn): Backward {
  return fn instanceof GraphNode ? fn.graphBackward! : (g) => fn.backward(g);
}
