import { linearTwice } from '../autograd/twice.js';
import { describeValue } from '../options.js';
import { needsGrad, record } from '../autograd/record.js';
import { formatShape, normalizeDim, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor, describe, empty } from './util.js';
import { unsqueeze } from './view.js';
import { isMask, markMask } from '../tensor/mask-mark.js';

/** The argument of `cat`/`stack`, checked: a non-empty array of tensors. */
function tensorList(tensors: unknown, op: string): readonly Tensor[] {
  if (!Array.isArray(tensors)) {
    const hint = tensors instanceof Tensor ? ` (pass them as one array: ${op}([a, b]))` : '';
    throw new TypeError(`${op}: expected an array of tensors, got ${describe(tensors)}${hint}`);
  }
  if (tensors.length === 0) throw new RangeError(`${op}: expected a non-empty list of tensors`);
  tensors.forEach((t, i) => checkTensor(t, op, `tensors[${i}]`));
  return tensors as readonly Tensor[];
}

/** PyTorch 1.13 still lets a 1-D tensor of size 0 join tensors of any shape, adding nothing ("legacy" cat). */
const skipped = (t: Tensor): boolean => t.ndim === 1 && t.shape[0] === 0;

/**
 * Joins tensors along an existing dimension `dim` (negative counts from the end), as PyTorch's `torch.cat`: every
 * tensor has the same rank and the same sizes except along `dim`. The gradient is split back into each input's part.
 *
 * @example
 * cat([zeros(2, 3), ones(1, 3)]).shape;     // [3, 3]
 * cat([zeros(2, 3), ones(2, 1)], -1).shape; // [2, 4]
 */
export function cat(tensors: readonly Tensor[], dim = 0, ...extra: never[]): Tensor {
  noExtra('cat', extra);
  return join(tensors, dim, undefined);
}

/** Refuses arguments after the dimension, which PyTorch refuses too (cat's out= has no counterpart here). */
function noExtra(op: string, extra: readonly unknown[]): void {
  if (extra.length > 0) throw new TypeError(`${op}: takes the tensors and one dimension, as in ${op}([a, b], 1); got ${extra.length} more argument${extra.length > 1 ? 's' : ''} after the dimension (${describeValue(extra[0])})`);
}

/** `cat`, its node named `torchName` for PyTorch (`stack`'s is StackBackward0). */
function join(tensors: readonly Tensor[], dim: number, torchName: string | undefined): Tensor {
  const list = tensorList(tensors, 'cat');
  list.forEach((t, i) => {
    if (t.ndim === 0) throw new RangeError(`cat: zero-dimensional tensor (at position ${i}) cannot be concatenated; use stack, or unsqueeze(0) it first`);
  });
  const kept = list.filter((t) => !skipped(t));
  const first = kept[0] ?? list[0]!;
  // PyTorch's legacy_cat_wrap_dim: with only 1-D empty tensors no rank is known, any dim is taken, the result is [0].
  const d = kept.length === 0 && Number.isInteger(dim) ? 0 : normalizeDim(dim, first.ndim, 'cat');
  for (let i = 0; i < list.length; i++) {
    const t = list[i]!;
    if (skipped(t)) continue;
    if (t.ndim !== first.ndim) {
      throw new RangeError(`cat: tensors must have the same number of dimensions, got ${formatShape(first.shape)} and ${formatShape(t.shape)} (tensor ${i} in the list)`);
    }
    if (t.shape.some((s, k) => k !== d && s !== first.shape[k])) {
      throw new RangeError(`cat: tensors must have the same shape except in dim ${d}, got ${formatShape(first.shape)} and ${formatShape(t.shape)} (tensor ${i} in the list)`);
    }
  }
  const shape = first.shape.slice();
  shape[d] = kept.reduce((n, t) => n + t.shape[d]!, 0);
  // Row-major, each input is `outer` blocks of size[d]·inner values, laid one after another in the output.
  let outer = 1;
  let inner = 1;
  for (let k = 0; k < d; k++) outer *= shape[k]!;
  for (let k = d + 1; k < shape.length; k++) inner *= shape[k]!;
  const rowLength = shape[d]! * inner;
  const o = new Float32Array(outer * rowLength);
  const starts: number[] = [];
  let at = 0;
  for (const t of list) {
    starts.push(at);
    if (skipped(t)) continue;
    const block = t.shape[d]! * inner;
    const v = t.values();
    for (let r = 0; r < outer; r++) o.set(v.subarray(r * block, (r + 1) * block), r * rowLength + at);
    at += block;
  }
  // Linear: the gradient's graph for input i is cat of it with zeros in the other places (autograd/twice.ts).
  const slot = (i: number) => (h: Tensor): Tensor => join(list.map((t, j) => (j === i ? h : empty(t.shape))), d, torchName);
  // Masks joined are a mask, as PyTorch's cat of bool tensors is bool (with a float among them, float).
  const out = list.every(isMask) ? markMask(new Tensor(o, shape)) : new Tensor(o, shape);
  return linearTwice(record(out, 'cat', list, (g) => {
    const G = g.values();
    return list.map((t, i) => {
      if (!needsGrad(t)) return null;
      const gx = empty(t.shape);
      if (skipped(t)) return gx;
      const block = t.shape[d]! * inner;
      const GX = gx.data;
      for (let r = 0; r < outer; r++) GX.set(G.subarray(r * rowLength + starts[i]!, r * rowLength + starts[i]! + block), r * block);
      return gx;
    });
  }, undefined, torchName), ...list.map((_, i) => slot(i)));
}

/**
 * Joins tensors of one shape along a new dimension `dim` (in [−(rank + 1), rank]), as PyTorch's `torch.stack`:
 * `cat` of the tensors each unsqueezed at `dim`, so the gradient is split back the same way.
 *
 * @example
 * stack([tensor([1, 2]), tensor([3, 4])]).tolist();     // [[1, 2], [3, 4]]
 * stack([tensor([1, 2]), tensor([3, 4])], 1).tolist();  // [[1, 3], [2, 4]]
 */
export function stack(tensors: readonly Tensor[], dim = 0, ...extra: never[]): Tensor {
  noExtra('stack', extra);
  const list = tensorList(tensors, 'stack');
  const first = list[0]!;
  list.forEach((t, i) => {
    if (!sameShape(t.shape, first.shape)) {
      throw new RangeError(`stack: tensors must have the same shape, got ${formatShape(first.shape)} at entry 0 and ${formatShape(t.shape)} at entry ${i}`);
    }
  });
  const d = normalizeDim(dim, first.ndim + 1, 'stack');
  try {
    return join(list.map((t) => unsqueeze(t, d)), d, 'StackBackward0');
  } finally {
    // The views stack made are its own and gone: they must not make an in-place change of the tensors refused.
    for (const t of list) t.versionCounter.views--;
  }
}
