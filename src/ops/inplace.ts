// In-place ops (`add_`, `mul_`, `relu_`, `zero_`, …) as PyTorch's. Outside the graph (inside noGrad, on tensors that
// need no gradient) they write into the tensor's storage. On a tensor of the graph, or with an operand that requires
// grad, autograd follows them as PyTorch's does: the tensor gets the op's node (ops/rebase.ts). A leaf that requires
// grad is refused, as PyTorch refuses it. Each bumps the tensor's version (tensor/version.ts), so that a backward
// pass refuses it where an op had saved it, as PyTorch does.
import { checkWritable } from '../tensor/version.js';
import { clearGrad, isEngineGrad } from '../autograd/accumulate.js';
import { isGradRecording, noGrad } from '../autograd/grad-mode.js';
import { binaryFlat, binaryScaledFlat } from '../kernels/elementwise.js';
import { fillFloat32 } from '../kernels/optim.js';
import { sharesElements } from '../kernels/storage.js';
import { opIntoStrided, scatterStrided } from '../kernels/strided.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { sumToShape } from './broadcast.js';
import { rebase } from './rebase.js';
import { GraphNode, record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { empty } from './util.js';
import { alphaOf, type Alpha } from './alpha.js';
import { addScaled } from './add-scaled.js';
import { inStorageOrder } from './binary.js';
import * as ops from './index.js';
import { checkTensor, coversStorage, sameStrides } from './util.js';
import { float32Scalar } from '../tensor/float32-scalar.js';
import { isMask } from '../tensor/mask-mark.js';
import { booleanAlpha, maskAlpha, maskInPlace, refuseMaskSub } from '../tensor/mask-arithmetic.js';
import { clampBounds, type ClampBound, type ClampOptions } from './clamp-bounds.js';
import { checkOptions } from '../options.js';
import { divide, type DivOptions } from './division.js';

/**
 * Refuses what no in-place op may change: a leaf that requires grad (while grad mode is on; PyTorch refuses it too),
 * and a tensor whose elements share memory (an expand; PyTorch: "more than one element of the written-to tensor refers
 * to a single memory location"). fill_ and zero_ outside the graph write one value whatever the order, and PyTorch
 * accepts them there. (It accepts masked_fill_ and index_put_ too, with a deprecation warning; Kindling writes their
 * out-of-place result, whose unchanged elements would overwrite the changed ones, so refuses them.) Returns whether
 * autograd follows the change: grad mode is on and the tensor, or the other operand, requires grad.
 */
export function checkTarget(t: Tensor, op: string, other: unknown = null): boolean {
  checkTensor(t, op);
  checkWritable(t.versionCounter);
  let graph = false;
  if (isGradRecording()) {
    if (t.requiresGrad && t.gradFn === null) {
      throw new Error(`${op}: a leaf tensor that requires grad cannot be changed in place (PyTorch refuses it too); do it inside noGrad(() => …), as optimizers do`);
    }
    const base = t.viewBase;
    if (base !== null && base.requiresGrad && !t.requiresGrad) {
      throw new Error(
        `${op}: this tensor is a view, made inside noGrad (or before its base required grad), of a tensor that requires grad: changed in ` +
          'place with grad mode on, the change would escape autograd (PyTorch refuses it too). Change it inside noGrad(() => …), or make the view outside noGrad',
      );
    }
    graph = t.requiresGrad || (other instanceof Tensor && other.requiresGrad);
    if (graph && t.functionView !== null) throw functionViewError(t, op);
  }
  // A tensor with no elements has none to share (its strides may hold 0s: [3, 0] is laid out [0, 1]).
  const oneValue = !graph && (op === 'fill_' || op === 'zero_');
  for (let i = 0; i < t.ndim && !oneValue && !t.shape.includes(0); i++) {
    if (t.strides[i] === 0 && t.shape[i]! > 1) {
      throw new Error(`${op}: several elements of this tensor share one memory location (an expand, shape ${formatShape(t.shape)} with strides ${formatShape(t.strides)}); make a copy with contiguous() first`);
    }
  }
  return graph;
}

/**
 * PyTorch's refusal of an in-place change, with autograd following, of a view a custom autograd.Function returned (or
 * of an input it returned as it is, or of a view of either): the change would be followed as a view's, and the
 * function's own backward passed over.
 */
function functionViewError(t: Tensor, op: string): Error {
  const { output, multi } = t.functionView!;
  const node = t.gradFn?.torchName ?? 'its node';
  const why = multi
    ? 'it is one of the views a function with several outputs returned, which cannot be changed in place (PyTorch: "This view is the output of a function that returns multiple views"); use the out-of-place form'
    : 'it was made inside a custom Function (or is an input the function returned as it is), and following the change as a view\'s would pass over ' +
      'the function\'s own backward (PyTorch: "This view was created inside a custom Function ... This behavior is forbidden"); clone() the output first, or use the out-of-place form';
  return new Error(`${op}: output ${output} of ${node} is a view and is being changed in place: ${why}`);
}

/** `writeInto` for `op`, as rebase takes it. */
export function writer(op: string): (t: Tensor, result: Tensor) => void {
  return (t, result) => void writeInto(t, result, op);
}

/**
 * t = compute(t), in place: `compute` is the out-of-place op. Outside the graph its result is written into t; in the
 * graph autograd follows the change (see rebase; `readsSelf` says whether the op's backward reads its input). An op
 * that gives back its input (dropout outside training) leaves t as it is. For layers with `inplace: true`; `torchName`
 * is PyTorch's name for the in-place form's node where it differs from the op's (LeakyReluBackward1, EluBackward1);
 * `other`, an operand that may require grad (scatter_'s src), makes autograd follow the change when it does.
 */
export function inPlaceOf(t: Tensor, op: string, compute: (x: Tensor) => Tensor, readsSelf: boolean, torchName?: string, other: unknown = null): Tensor {
  if (checkTarget(t, op, other)) {
    // The ops PyTorch names apart in place (LeakyReluBackward1, EluBackward1) compute their backward from the result.
    rebase(t, op, compute, readsSelf, writer(op), torchName !== undefined);
    if (torchName !== undefined && t.gradFn instanceof GraphNode) t.gradFn.rename(torchName);
    return t;
  }
  const result = noGrad(() => compute(t));
  return result === t ? t : writeInto(t, result, op);
}

/** What the unary in-place ops compute. */
export type UnaryInPlace = 'relu' | 'sigmoid' | 'tanh' | 'exp' | 'log' | 'sqrt' | 'abs' | 'neg';

/** `relu_`, `sigmoid_`, …: the op, in place (log and abs read their input in the backward pass; the others their result or nothing). */
export function unary_(t: Tensor, op: UnaryInPlace): Tensor {
  return inPlaceOf(t, `${op}_`, (x) => ops[op](x), op === 'log' || op === 'abs');
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

/** t = op(t, other·alpha), straight into t's storage where it can be (see `inPlace`), else out of place. */
function arithmetic_(op: Arithmetic, t: Tensor, other: Tensor | number, alpha: number): Tensor {
  if (inPlace(op, t, other, alpha)) {
    t.versionCounter.value++;
    return t;
  }
  if (alpha !== 1 && (op === 'add' || op === 'sub')) return writeInto(t, noGrad(() => addScaled(op, t, other, op === 'add' ? alpha : -alpha, op === 'add' ? 'AddBackward0' : 'SubBackward0')), `${op}_`);
  return writeInto(t, combined(op, t, other), `${op}_`);
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
    // One value (a number rounded to float32, as PyTorch's wrapped scalar), alpha·value added with one rounding.
    const dest = t.data;
    const v = typeof other === 'number' ? Math.fround(other) : other.values()[0]!;
    if (alpha === 1) binaryFlat(op, dest, new Float32Array([v]), dest);
    else binaryScaledFlat(op, dest, new Float32Array(dest.length).fill(v), alpha, dest);
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
  const a = alphaOf(typeof alpha === 'number' ? alpha : booleanAlpha(t, other, alpha, 'add_'), 'add_');
  if (isMask(t)) {
    const b = isMask(other as Tensor) || typeof other === 'boolean' ? maskAlpha(a, 'add_') : a;
    return maskInPlace(t, other, 'add_', () => arithmetic_('add', t, other, b));
  }
  if (checkTarget(t, 'add_', other)) return rebase(t, 'add_', (x) => (a === 1 ? ops.add(x, other) : addScaled('add', x, other, a, 'AddBackward0')), false, writer('add_'));
  return arithmetic_('add', t, other, a);
}

export function sub_(t: Tensor, other: Tensor | number, alpha: Alpha = 1): Tensor {
  if (isMask(t)) refuseMaskSub(t, other, 'sub_');
  const a = alphaOf(typeof alpha === 'number' ? alpha : booleanAlpha(t, other, alpha, 'sub_'), 'sub_');
  if (isMask(t)) return maskInPlace(t, other, 'sub_', () => arithmetic_('sub', t, other, a));
  if (checkTarget(t, 'sub_', other)) return rebase(t, 'sub_', (x) => (a === 1 ? ops.sub(x, other) : addScaled('sub', x, other, -a, 'SubBackward0')), false, writer('sub_'));
  return arithmetic_('sub', t, other, a);
}

/** Whether `other` is a tensor that requires grad: a product's or quotient's backward then reads the other factor, t. */
function needsSelf(other: unknown): boolean {
  return other instanceof Tensor && other.requiresGrad;
}

export function mul_(t: Tensor, other: Tensor | number): Tensor {
  if (isMask(t)) return maskInPlace(t, other, 'mul_', () => arithmetic_('mul', t, other, 1));
  if (checkTarget(t, 'mul_', other)) return rebase(t, 'mul_', (x) => ops.mul(x, other), needsSelf(other), writer('mul_'));
  return arithmetic_('mul', t, other, 1);
}

/**
 * t = t / other; with `{ roundingMode: 'trunc' | 'floor' }` the rounded quotient, its values and zero gradients
 * those of `divide` out of place (PyTorch's `div_(other, rounding_mode=…)`), an unknown mode refused as div refuses it.
 */
export function div_(t: Tensor, other: Tensor | number, options?: DivOptions): Tensor {
  const mode = options === undefined ? undefined : checkOptions('div', options, ['roundingMode']).roundingMode;
  if (mode !== undefined && mode !== null) {
    // divide refuses an unknown mode before anything is written
    return inPlaceOf(t, 'div_', (x) => divide(x, other, { roundingMode: mode }), false, undefined, other);
  }
  if (isMask(t)) return maskInPlace(t, other, 'div_', () => t);
  if (checkTarget(t, 'div_', other)) return rebase(t, 'div_', (x) => ops.div(x, other), needsSelf(other), writer('div_'));
  return arithmetic_('div', t, other, 1);
}

/**
 * clamp_ (and clip_, `op`): a tensor bound that requires grad puts the result in the graph even when t is not in it,
 * as PyTorch's `x.clamp_(min=lo)` has ClampBackward0 and gives lo its gradient.
 */
export function clamp_(t: Tensor, min: ClampBound | ClampOptions, max: ClampBound | ClampOptions, op = 'clamp_'): Tensor {
  const [lo, hi] = clampBounds(op, min, max);
  const other = [lo, hi].find((b) => b instanceof Tensor && b.requiresGrad) ?? null;
  return inPlaceOf(t, op, (x) => ops.clamp(x, lo, hi), true, undefined, other);
}

/** Copies `src` (broadcast to t's shape) into t. */
export function copy_(t: Tensor, src: Tensor): Tensor {
  const graph = checkTarget(t, 'copy_', src);
  checkTensor(src, 'copy_', 'src');
  if (graph) return rebase(t, 'copy_', (x) => copied(x, src), false, writer('copy_'));
  // Into a mask (PyTorch's bool tensor, which never requires grad) the values are cast to bool: non-zero, NaN too, is 1.
  return writeInto(t, noGrad(() => (isMask(t) ? ops.expand(src, t.shape).bool() : ops.expand(src, t.shape))), 'copy_');
}

/**
 * `src` broadcast to x's shape, as a new tensor whose node is PyTorch's CopyBackwards: the gradient goes to `src`
 * (summed over what was broadcast), and zeros to x, whose values it replaces.
 */
function copied(x: Tensor, src: Tensor): Tensor {
  const out = new Tensor(noGrad(() => ops.expand(src, x.shape)).toArray(), x.shape);
  // Written with ops (zeros, a sum): the same function is the gradient's graph (createGraph); so for fill_ and zero_.
  const back = (g: Tensor): (Tensor | null)[] => [x.requiresGrad ? empty(x.shape) : null, src.requiresGrad ? sumToShape(g, src.shape) : null];
  return twice(record(out, 'copy_', [x, src], back, [], 'CopyBackwards'), back);
}

/**
 * x's shape filled with `v`, as a new tensor whose node is PyTorch's FillBackward2 (zeros to x) or, for a 0-d tensor
 * `value`, FillBackward3 (whose gradient, where `value` requires grad, is the sum of the gradient).
 */
function filled(x: Tensor, v: number, value: number | boolean | Tensor): Tensor {
  const out = new Tensor(new Float32Array(x.numel()).fill(v), x.shape);
  if (value instanceof Tensor && value.requiresGrad) {
    const back = (g: Tensor): (Tensor | null)[] => [x.requiresGrad ? empty(x.shape) : null, g.sum().reshape(value.shape)];
    return twice(record(out, 'fill_', [x, value], back, [], 'FillBackward3'), back);
  }
  const zeros = (): Tensor[] => [empty(x.shape)];
  return twice(record(out, 'fill_', [x], zeros, [], value instanceof Tensor ? 'FillBackward3' : 'FillBackward2'), zeros);
}

export function fill_(t: Tensor, value: number | boolean | Tensor): Tensor {
  const graph = checkTarget(t, 'fill_', value);
  if (value instanceof Tensor && value.ndim !== 0) {
    throw new RangeError(`fill_: a tensor value must have 0 dimensions (as PyTorch's), got shape ${formatShape(value.shape)}`);
  }
  // A boolean is 1 or 0, as PyTorch's fill_(True).
  const number = value instanceof Tensor ? value.item() : typeof value === 'boolean' ? Number(value) : value;
  if (typeof number !== 'number') throw new TypeError(`fill_: the value must be a number or a 0-d tensor, got ${typeof number}`);
  // A mask (PyTorch's bool tensor) takes the value as a bool: non-zero, NaN too, is true.
  const v = isMask(t) ? Number(number !== 0) : Math.fround(float32Scalar('fill_', 'value', number));
  if (graph) return rebase(t, 'fill_', (x) => filled(x, v, value), false, writer('fill_'));
  const data = t.data;
  if (t.isContiguous()) fillFloat32(data, v, 0, t.numel());
  else scatterStrided(new Float32Array(t.numel()).fill(v), data, t.shape, t.strides);
  t.versionCounter.value++;
  return t;
}

/** Zeroes t; a gradient buffer of the engine is cleared as `zeroGrad` clears it (touching only the rows it used). */
export function zero_(t: Tensor): Tensor {
  if (checkTarget(t, 'zero_')) {
    return rebase(t, 'zero_', (x) => {
      const zeros = (): Tensor[] => [empty(x.shape)];
      return twice(record(new Tensor(new Float32Array(x.numel()), x.shape), 'zero_', [x], zeros, [], 'ZeroBackward0'), zeros);
    }, false, writer('zero_'));
  }
  if (isEngineGrad(t)) {
    clearGrad(t);
    t.versionCounter.value++;
    return t;
  }
  return fill_(t, 0);
}
