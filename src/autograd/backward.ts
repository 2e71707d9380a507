import { formatShape, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { accumulateGrad } from './accumulate.js';
import { noGrad } from './grad-mode.js';

/** Orders the graph above `root` so that every tensor comes after all tensors computed from it (iterative DFS). */
function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  const stack: Array<{ t: Tensor; next: number }> = [{ t: root, next: 0 }];
  seen.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const inputs = top.t.gradFn?.inputs ?? [];
    if (top.next < inputs.length) {
      const child = inputs[top.next++]!;
      if (!seen.has(child) && child.requiresGrad) {
        seen.add(child);
        stack.push({ t: child, next: 0 });
      }
    } else {
      order.push(top.t);
      stack.pop();
    }
  }
  return order.reverse();
}

/** Backpropagates from `root`, accumulating into the `.grad` of every leaf that requires grad. */
export function backward(root: Tensor, gradient?: Tensor): void {
  if (!root.requiresGrad) {
    throw new Error('backward: this tensor does not require grad and has no grad_fn (was it computed inside noGrad, or from tensors without requiresGrad?)');
  }
  let seed: Tensor;
  if (gradient === undefined) {
    if (root.numel() !== 1) {
      throw new RangeError(`backward: grad can be implicitly created only for scalar outputs (shape ${formatShape(root.shape)}); pass a gradient`);
    }
    seed = new Tensor(new Float32Array(1).fill(1), root.shape);
  } else {
    if (!(gradient instanceof Tensor)) throw new TypeError(`backward: gradient must be a Tensor of shape ${formatShape(root.shape)}, got ${Array.isArray(gradient) ? 'an array' : typeof gradient}`);
    if (!sameShape(gradient.shape, root.shape)) {
      throw new RangeError(`backward: gradient has shape ${formatShape(gradient.shape)} but the tensor has shape ${formatShape(root.shape)}`);
    }
    seed = gradient;
  }
  const grads = new Map<Tensor, Tensor>([[root, seed]]);
  noGrad(() => {
    for (const t of topoOrder(root)) {
      const g = grads.get(t);
      if (g === undefined) continue;
      grads.delete(t);
      const fn = t.gradFn;
      if (fn === null) {
        accumulateGrad(t, g);
        continue;
      }
      const inputGrads = fn.backward(g.isContiguous() ? g : g.contiguous());
      for (let i = 0; i < fn.inputs.length; i++) {
        const input = fn.inputs[i]!;
        const gi = inputGrads[i];
        if (!input.requiresGrad || gi === null || gi === undefined) continue;
        if (!sameShape(gi.shape, input.shape)) {
          throw new Error(`backward of ${fn.name}: gradient for input ${i} has shape ${formatShape(gi.shape)}, expected ${formatShape(input.shape)}`);
        }
        const prev = grads.get(input);
        grads.set(input, prev === undefined ? gi : prev.add(gi));
      }
    }
  });
}
