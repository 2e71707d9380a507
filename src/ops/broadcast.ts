import { isGradRecording } from '../autograd/grad-mode.js';
import { broadcastShapes, broadcastStrides, sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { sumDims } from './reduce.js';

/** Sums a gradient of the broadcast shape back down to `shape` (the adjoint of broadcasting). */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  }
  // In a walk that builds the gradient's graph (createGraph) the sum is recorded, as the reshape always is.
  const summed = dims.length === 0 ? g : g.requiresGrad && isGradRecording() ? g.sum(dims, true) : sumDims(g, dims, true);
  return summed.reshape(shape);
}

export function broadcastPair(a: Tensor, b: Tensor, op: string): { shape: number[]; aStrides: number[]; bStrides: number[] } {
  const shape = broadcastShapes(a.shape, b.shape, op);
  return { shape, aStrides: broadcastStrides(a.shape, shape), bStrides: broadcastStrides(b.shape, shape) };
}
