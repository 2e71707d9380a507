// The in-place forms of the binary and ternary math ops (atan2_, fmod_, lerp_, addcmul_, …), as PyTorch's: the
// out-of-place op's result written into the tensor, whose shape it must have (PyTorch: "output with shape [2, 3]
// doesn't match the broadcast shape [2, 2, 3]"). On a tensor of the graph, or with an operand that requires grad,
// autograd follows the change as for add_ (ops/rebase.ts), the node named as the out-of-place op's (AddcmulBackward0).
import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { broadcastShapes, formatShape, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { eq, ge, gt, le, lt, ne } from './binary.js';
import { checkTarget, inPlaceOf, writer } from './inplace.js';
import { rebase } from './rebase.js';
import { checkTensor, empty } from './util.js';

/** t = compute(t) in place, `operands` the other tensors (or numbers) the op reads. */
export function math_(t: Tensor, op: string, compute: (x: Tensor) => Tensor, operands: readonly unknown[]): Tensor {
  checkTensor(t, op);
  let shape: readonly number[] = t.shape;
  for (const o of operands) if (o instanceof Tensor) shape = broadcastShapes(shape, o.shape, op);
  if (!sameShape(shape, t.shape)) {
    throw new RangeError(`${op}: output with shape ${formatShape(t.shape)} doesn't match the broadcast shape ${formatShape(shape)} (PyTorch refuses it too)`);
  }
  const other = operands.find((o) => o instanceof Tensor && o.requiresGrad) ?? null;
  if (checkTarget(t, op, other)) return rebase(t, op, compute, true, writer(op));
  return inPlaceOf(t, op, compute, true);
}

/**
 * logicalAnd_ and the others, in place: 1/0 written into the tensor, outside the graph only. On a tensor of the graph
 * PyTorch writes the values but leaves its grad_fn as it was (a gradient through it would be the old op's, wrong);
 * Kindling refuses rather than give that gradient.
 */
export function logical_(t: Tensor, op: string, compute: (x: Tensor) => Tensor, operands: readonly unknown[]): Tensor {
  checkTensor(t, op);
  const other = operands.find((o) => o instanceof Tensor && o.requiresGrad) ?? null;
  if (checkTarget(t, op, other)) {
    throw new Error(`${op}: this tensor is part of the graph (it requires grad): its 1/0 values have no gradient, and PyTorch would keep the old grad_fn, giving a wrong gradient. Use the out-of-place form, or change it inside noGrad(() => …) or on a detach()`);
  }
  return math_(t, op, compute, operands);
}

/** The comparisons PyTorch has in place (`eq_` … `ge_`), by their out-of-place names. */
export type Comparison = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

/**
 * eq_, lt_ and the others, in place: 1/0 written into the tensor, as float32. On a tensor of the graph PyTorch
 * records a node with a gradient of zeros (EqBackward0 for a number, EqBackward1 for a tensor, which gets zeros too
 * when it requires grad), and so does Kindling.
 */
export function compare_(t: Tensor, op: Comparison, other: Tensor | number): Tensor {
  const torchName = `${op.charAt(0).toUpperCase()}${op.slice(1)}Backward${other instanceof Tensor ? 1 : 0}`;
  return math_(t, `${op}_`, (x) => {
    const inputs = other instanceof Tensor ? [x, other] : [x];
    const zeros = (): Tensor[] => inputs.map((i) => empty(i.shape));
    // Float 1/0, not a mask: PyTorch's x.eq_(y) keeps x's float dtype (and its graph).
    return twice(record(noGrad(() => COMPARE[op](x, other).float()), op, inputs, zeros, [], torchName), zeros);
  }, [other]);
}

const COMPARE = { eq, ne, lt, le, gt, ge } as const;

/**
 * addmm_ and the other products, in place: the result must have this tensor's shape (no broadcasting of the
 * tensor, as in PyTorch); autograd follows the change when the tensor or a factor requires grad.
 */
export function product_(t: Tensor, op: string, compute: (x: Tensor) => Tensor, factors: readonly Tensor[]): Tensor {
  return inPlaceOf(t, op, compute, true, undefined, factors.find((f) => f instanceof Tensor && f.requiresGrad) ?? null);
}
