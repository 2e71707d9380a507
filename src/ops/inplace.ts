// In-place ops (`add_`, `mul_`, `zero_`, …) as PyTorch's, for what they are used for outside the graph: updating
// weights inside noGrad, clearing or scaling a gradient, clamping a tensor that needs no gradient. A change autograd
// would have to follow is refused, as PyTorch refuses it for a leaf that requires grad. Each bumps the tensor's
// version (tensor/version.ts), so that a backward pass refuses it where an op had saved it, as PyTorch does.
import { clearGrad, isEngineGrad } from '../autograd/accumulate.js';
import { isGradEnabled, noGrad } from '../autograd/grad-mode.js';
import { binaryFlat, binaryScaledFlat } from '../kernels/elementwise.js';
import { fillFloat32 } from '../kernels/optim.js';
import { sharesElements } from '../kernels/storage.js';
import { opIntoStrided, scatterStrided } from '../kernels/strided.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { alphaOf, scaled, type Alpha } from './alpha.js';
import { inStorageOrder } from './binary.js';
import * as ops from './index.js';
import { checkTensor, coversStorage, sameStrides } from './util.js';
import { float32Scalar } from '../tensor/float32-scalar.js';

/** Refuses what autograd could not follow, and a tensor whose elements share memory (an expand). */
export function checkTarget(t: Tensor, op: string, other: unknown = null): void {
  checkTensor(t, op);
  if (isGradEnabled()) {
    if (t.requiresGrad && t.gradFn === null) {
      throw new Error(`${op}: a leaf tensor that requires grad cannot be changed in place (PyTorch refuses it too); do it inside noGrad(() => …), as optimizers do`);
    }
    if (t.requiresGrad) {
      throw new Error(`${op}: this tensor is part of the autograd graph, which Kindling does not let in-place ops change; use the out-of-place form (x = x.${op.slice(0, -1)}(…))`);
    }
    if (other instanceof Tensor && other.requiresGrad) {
      throw new Error(`${op}: the other operand requires grad, which an in-place result cannot carry; use the out-of-place form, or noGrad(() => …)`);
    }
  }
  // A tensor with no elements has none to share (its strides may hold 0s: [3, 0] is laid out [0, 1]).
  for (let i = 0; i < t.ndim && !t.shape.includes(0); i++) {
    if (t.strides[i] === 0 && t.shape[i]! > 1) {
      throw new Error(`${op}: several elements of this tensor share one memory location (an expand, shape ${formatShape(t.shape)} with strides ${formatShape(t.strides)}); make a copy with contiguous() first`);
    }
  }
}

/** Writes `result` (computed without the graph) into `t` through its strides; its shape must be t's. */
function writeInto(t: Tensor, result: Tensor, op: string): Tensor {
  if (!sameShape(result.shape, t.shape)) {
    throw new RangeError(`${op}: the result has shape ${formatShape(result.shape)}, which cannot be written into a tensor of shape ${formatShape(t.shape)}`);
  }
  // `copy_` from a view of the same memory reads the storage it writes (an expand of a same-shaped view is that view):
  // the values are copied first, so the result is the source as it was (PyTorch refuses a partial overlap).
  // A result laid out as t is, both covering their storage exactly (an update of a `Linear` weight, stored transposed,
  // computed in its storage order by inStorageOrder): copied storage to storage, in one pass.
  const asStored = storedAlike(result, t);
  const values = asStored ? result.settled() : result.values();
  const dest = t.data;
  const overlaps = values.buffer === dest.buffer && values.byteOffset < dest.byteOffset + dest.byteLength && dest.byteOffset < values.byteOffset + values.byteLength;
  if (asStored) dest.set(overlaps ? values.slice() : values);
  else scatterStrided(overlaps ? values.slice() : values, dest, t.shape, t.strides);
  t.versionCounter.value++;
  return t;
}


/** True when `r` and `t` (of one shape) are laid out alike, each covering its storage exactly. */
function storedAlike(r: Tensor, t: Tensor): boolean {
  return sameStrides(r, t) && coversStorage(r) && coversStorage(t);
}

type Arithmetic = 'add' | 'sub' | 'mul' | 'div';

/** op(t, other) to write into t: in t's storage order where `inStorageOrder` can, else row-major. */
function combined(op: Arithmetic, t: Tensor, other: Tensor | number): Tensor {
  return noGrad(() => inStorageOrder(op, t, other) ?? ops[op](t, other));
}

/** `other` times alpha, laid out as `other` is when that saves a gather (it is only written into a target). */
function scaledAlike(other: Tensor | number, alpha: number): Tensor | number {
  if (alpha === 1 || typeof other === 'number') return scaled(other, alpha);
  return noGrad(() => inStorageOrder('mul', other, alpha)) ?? scaled(other, alpha);
}

/** t = op(t, other·alpha), straight into t's storage where it can be (see `inPlace`), else out of place. */
function arithmetic_(op: Arithmetic, t: Tensor, other: Tensor | number, alpha: number): Tensor {
  if (!inPlace(op, t, other, alpha)) return writeInto(t, combined(op, t, scaledAlike(other, alpha)), `${op}_`);
  t.versionCounter.value++;
  return t;
}

/**
 * t = op(t, other·alpha) computed over t's storage in place, in its storage order: the out-of-place result's bits, as
 * elementwise results do not depend on the order, without the result's temporary and its copy back (nor, for a
 * `Linear` weight, stored transposed, gathering it into row-major order and scattering it back). An operand laid out
 * as t is is read from its storage; one of t's shape laid out otherwise (a row-major update of a transposed weight)
 * is laid out as t first. False, with nothing done, where this does not apply: t does not cover its storage exactly,
 * `other` broadcasts to a bigger shape, or its storage shares only some of t's elements (the old values must then be
 * read before any is written).
 */
function inPlace(op: Arithmetic, t: Tensor, other: Tensor | number, alpha: number): boolean {
  const n = t.numel();
  // Anything but a tensor or a number goes the old way, whose op names what it got.
  if (n === 0 || !coversStorage(t) || (typeof other !== 'number' && !(other instanceof Tensor))) return false;
  if (typeof other === 'number' || (other.numel() === 1 && other.ndim <= t.ndim)) {
    // One value, scaled as `scaled` scales it: a number in float64, a tensor's value in float32.
    const v = typeof other === 'number' ? (scaled(other, alpha) as number) : alpha === 1 ? other.values()[0]! : Math.fround(other.values()[0]! * Math.fround(alpha));
    const dest = t.data;
    binaryFlat(op, dest, new Float32Array([v]), dest);
    return true;
  }
  if (!sameShape(other.shape, t.shape)) return false;
  const scale = Math.fround(alpha);
  if (storedAlike(other, t)) {
    const values = other.settled();
    const target = t.unsettledData;
    if (sharesElements(values, target) && !(values.byteOffset === target.byteOffset && values.length === target.length)) return false;
    const dest = t.data;
    if (scale === 1) binaryFlat(op, dest, values, dest);
    else binaryScaledFlat(op, dest, values, scale, dest);
    return true;
  }
  // Another layout: other's values in row-major order, a copy where they could share t's storage.
  const rowMajor = other.values();
  const values = sharesElements(rowMajor, t.unsettledData) ? rowMajor.slice() : rowMajor;
  const dest = t.data;
  if (!t.isContiguous()) opIntoStrided(op, dest, t.shape, t.strides, values, scale);
  else if (scale === 1) binaryFlat(op, dest, values, dest);
  else binaryScaledFlat(op, dest, values, scale, dest);
  return true;
}

export function add_(t: Tensor, other: Tensor | number, alpha: Alpha = 1): Tensor {
  const a = alphaOf(alpha, 'add_');
  checkTarget(t, 'add_', other);
  return arithmetic_('add', t, other, a);
}

export function sub_(t: Tensor, other: Tensor | number, alpha: Alpha = 1): Tensor {
  const a = alphaOf(alpha, 'sub_');
  checkTarget(t, 'sub_', other);
  return arithmetic_('sub', t, other, a);
}

export function mul_(t: Tensor, other: Tensor | number): Tensor {
  checkTarget(t, 'mul_', other);
  return arithmetic_('mul', t, other, 1);
}

export function div_(t: Tensor, other: Tensor | number): Tensor {
  checkTarget(t, 'div_', other);
  return arithmetic_('div', t, other, 1);
}

export function clamp_(t: Tensor, min: number | null, max: number | null): Tensor {
  checkTarget(t, 'clamp_');
  return writeInto(t, noGrad(() => ops.clamp(t, min, max)), 'clamp_');
}

/** Copies `src` (broadcast to t's shape) into t. */
export function copy_(t: Tensor, src: Tensor): Tensor {
  checkTarget(t, 'copy_', src);
  checkTensor(src, 'copy_', 'src');
  return writeInto(t, noGrad(() => ops.expand(src, t.shape)), 'copy_');
}

export function fill_(t: Tensor, value: number | Tensor): Tensor {
  checkTarget(t, 'fill_', value);
  if (value instanceof Tensor && value.ndim !== 0) {
    throw new RangeError(`fill_: a tensor value must have 0 dimensions (as PyTorch's), got shape ${formatShape(value.shape)}`);
  }
  const number = value instanceof Tensor ? value.item() : value;
  if (typeof number !== 'number') throw new TypeError(`fill_: the value must be a number or a 0-d tensor, got ${typeof number}`);
  const data = t.data;
  const v = Math.fround(float32Scalar('fill_', 'value', number));
  if (t.isContiguous()) fillFloat32(data, v, 0, t.numel());
  else scatterStrided(new Float32Array(t.numel()).fill(v), data, t.shape, t.strides);
  t.versionCounter.value++;
  return t;
}

/** Zeroes t; a gradient buffer of the engine is cleared as `zeroGrad` clears it (touching only the rows it used). */
export function zero_(t: Tensor): Tensor {
  checkTarget(t, 'zero_');
  if (isEngineGrad(t)) {
    clearGrad(t);
    t.versionCounter.value++;
    return t;
  }
  return fill_(t, 0);
}
