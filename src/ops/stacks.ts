// NumPy-style joins and shape helpers, as PyTorch 1.13's: atleast1d/2d/3d (a reshape of a 0-d tensor, unsqueezes
// of a 1-D or 2-D one), hstack, vstack (rowStack), dstack and columnStack (cat of those), broadcastTensors (expand
// views) and broadcastShapes, with PyTorch's messages.
import { broadcastShapes as broadcastPair } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { cat } from './join.js';
import { checkTensor, describe } from './util.js';
import { expand, reshape, unsqueeze } from './view.js';

/** x with at least one dimension (a 0-d tensor as [1]); an array of tensors gives an array. */
export function atleast1d(x: Tensor): Tensor;
export function atleast1d(xs: readonly Tensor[]): Tensor[];
export function atleast1d(x: Tensor | readonly Tensor[]): Tensor | Tensor[] {
  return each(x, 'atleast1d', (t) => (t.ndim === 0 ? reshape(t, [1]) : t));
}

/** x with at least two dimensions: a 1-D tensor of n as [1, n]. */
export function atleast2d(x: Tensor): Tensor;
export function atleast2d(xs: readonly Tensor[]): Tensor[];
export function atleast2d(x: Tensor | readonly Tensor[]): Tensor | Tensor[] {
  return each(x, 'atleast2d', (t) => (t.ndim === 0 ? reshape(t, [1, 1]) : t.ndim === 1 ? unsqueeze(t, 0) : t));
}

/** x with at least three dimensions: a 1-D tensor of n as [1, n, 1], a 2-D one of [m, n] as [m, n, 1]. */
export function atleast3d(x: Tensor): Tensor;
export function atleast3d(xs: readonly Tensor[]): Tensor[];
export function atleast3d(x: Tensor | readonly Tensor[]): Tensor | Tensor[] {
  return each(x, 'atleast3d', (t) => (t.ndim === 0 ? reshape(t, [1, 1, 1]) : t.ndim === 1 ? unsqueeze(unsqueeze(t, 0), -1) : t.ndim === 2 ? unsqueeze(t, -1) : t));
}

function each(x: Tensor | readonly Tensor[], op: string, fn: (t: Tensor) => Tensor): Tensor | Tensor[] {
  if (Array.isArray(x)) {
    return (x as readonly unknown[]).map((t, i) => {
      checkTensor(t, op, `tensors[${i}]`);
      return fn(t);
    });
  }
  checkTensor(x, op);
  return fn(x);
}

/** The tensors given, checked: a non-empty array of tensors (PyTorch's message for an empty one). */
function list(op: string, torchOp: string, tensors: readonly Tensor[]): readonly Tensor[] {
  if (!Array.isArray(tensors)) throw new TypeError(`${op}: expected an array of tensors, got ${describe(tensors)}`);
  if (tensors.length === 0) throw new RangeError(`${torchOp} expects a non-empty TensorList`);
  tensors.forEach((t, i) => checkTensor(t, op, `tensors[${i}]`));
  return tensors;
}

/** Joined along the second dimension (the first for 1-D tensors), as NumPy's `hstack`. */
export function hstack(tensors: readonly Tensor[]): Tensor {
  const ts = atleast1d(list('hstack', 'hstack', tensors));
  return cat(ts, ts[0]!.ndim === 1 ? 0 : 1);
}

/** Joined along the first dimension, 1-D tensors as rows, as NumPy's `vstack` (PyTorch's `row_stack` too). */
export function vstack(tensors: readonly Tensor[]): Tensor {
  return cat(atleast2d(list('vstack', 'vstack', tensors)), 0);
}
export const rowStack = vstack;

/** Joined along the third dimension, as NumPy's `dstack`. */
export function dstack(tensors: readonly Tensor[]): Tensor {
  return cat(atleast3d(list('dstack', 'dstack', tensors)), 2);
}

/** 1-D (and 0-d) tensors as columns, the others as they are, joined along the second dimension (`column_stack`). */
export function columnStack(tensors: readonly Tensor[]): Tensor {
  const ts = list('columnStack', 'column_stack', tensors).map((t) => (t.ndim <= 1 ? reshape(t, [t.numel(), 1]) : t));
  return hstack(ts);
}

/** The shape all the given shapes broadcast to (PyTorch's `broadcast_shapes`; a number is a 1-D shape). */
export function broadcastShapes(...shapes: (number | readonly number[])[]): number[] {
  let out: number[] = [];
  for (const s of shapes) {
    const shape = typeof s === 'number' ? [s] : s;
    if (!Array.isArray(shape) || shape.some((n) => !Number.isInteger(n) || n < 0)) {
      throw new TypeError(`broadcastShapes: each shape must be an array of sizes or a number, got ${describe(s)}`);
    }
    try {
      out = broadcastPair(out, shape, 'broadcastShapes');
    } catch {
      throw new RangeError('Shape mismatch: objects cannot be broadcast to a single shape');
    }
  }
  return out;
}

/** The tensors expanded to their common shape, as views (PyTorch's `broadcast_tensors`, ExpandBackward0). */
export function broadcastTensors(...tensors: Tensor[]): Tensor[] {
  tensors.forEach((t, i) => checkTensor(t, 'broadcastTensors', `tensors[${i}]`));
  let shape: number[] = [];
  for (const t of tensors) shape = broadcastPair(shape, t.shape, 'broadcastTensors');
  // A tensor of that shape already is given back as it is, as PyTorch's.
  return tensors.map((t) => (t.shape.length === shape.length && t.shape.every((s, i) => s === shape[i]) ? t : expand(t, shape)));
}
