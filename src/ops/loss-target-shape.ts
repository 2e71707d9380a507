import { broadcastShapes, formatShape, sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { warnOnce } from '../warn.js';

/**
 * The shape an elementwise loss (`mseLoss`, `l1Loss`, `smoothL1Loss`, `huberLoss`) computes at when `target`'s shape
 * differs from `input`'s, or null when they are the same. As PyTorch 1.13's mse_loss, l1_loss, smooth_l1_loss and
 * huber_loss, a target that broadcasts with the input (an output [1, 10] against a target [10]) is broadcast, with a
 * warning (once per loss and pair of shapes, as Python shows PyTorch's, whose text names the sizes); one that does not
 * is refused, naming both shapes.
 */
export function broadcastTargetShape(input: Tensor, target: Tensor, op: string): number[] | null {
  if (sameShape(input.shape, target.shape)) return null;
  let shape: number[];
  try {
    shape = broadcastShapes(input.shape, target.shape, op);
  } catch {
    throw new RangeError(`${op}: target shape ${formatShape(target.shape)} does not match input shape ${formatShape(input.shape)}`);
  }
  warnOnce(`${op}: using a target of shape ${formatShape(target.shape)}, different from the input's ${formatShape(input.shape)}; both are broadcast to ${formatShape(shape)}, as in PyTorch, which likely gives wrong results: make the shapes the same`);
  return shape;
}

/**
 * Refuses, naming the loss and its arguments, tensors that do not broadcast together: a loss computed by elementwise
 * ops (poissonNllLoss, hingeEmbeddingLoss, …) would otherwise fail inside one of them, naming it (`mul: shapes …`).
 * @throws RangeError `poissonNllLoss: input [3, 4] and target [3, 5] do not broadcast together (dimension 1: 4 vs 5)`.
 */
export function checkLossBroadcast(op: string, ...named: readonly (readonly [string, Tensor])[]): void {
  let shape: number[] = [];
  for (let k = 0; k < named.length; k++) {
    const [name, t] = named[k]!;
    const n = Math.max(shape.length, t.ndim);
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const a = shape[shape.length - n + i] ?? 1;
      const b = t.shape[t.ndim - n + i] ?? 1;
      if (a !== b && a !== 1 && b !== 1) {
        const before = named.slice(0, k).map(([m, u]) => `${m} ${formatShape(u.shape)}`).join(' and ');
        throw new RangeError(`${op}: ${before} and ${name} ${formatShape(t.shape)} do not broadcast together (dimension ${i} of ${n}: ${a} vs ${b})`);
      }
      out[i] = a === 1 ? b : a;
    }
    shape = out;
  }
}
