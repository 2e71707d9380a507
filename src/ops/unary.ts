import { maskOf } from './mask.js';
import { isGradRecording, noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { linearTwice, twice, zeroEdge } from '../autograd/twice.js';
import { leakyRelu as leakyReluKernel, leakyReluBackward, unary, unaryBackward } from '../kernels/elementwise.js';
import * as k from '../kernels/ref/elementwise.js';
import { transientFloat32 } from '../kernels/transient.js';
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { keepMask } from '../tensor/mask-mark.js';
import { clampBounds, type ClampBound, type ClampOptions } from './clamp-bounds.js';
import { clampTensors } from './ternary-math.js';
import { checkTensor } from './util.js';
import { float32Scalar } from '../tensor/float32-scalar.js';

/** Whether an op on `x` will be recorded (when not, the backward closure is not even built). */
function recording(x: Tensor): boolean {
  return x.requiresGrad && isGradRecording();
}

/** A new zero-filled contiguous tensor like `x` (cheap storage for per-step activations and gradients). */
function like(x: Tensor, n: number): Tensor {
  return new Tensor(transientFloat32(n), x.shape);
}

/** What each op's backward reads, as PyTorch saves it: its input, its output, or nothing. */
const SAVES: Record<k.UnaryOp, 'input' | 'output' | 'nothing'> = {
  neg: 'nothing', exp: 'output', log: 'input', sqrt: 'output', abs: 'input', sigmoid: 'output', tanh: 'output', relu: 'output',
};

/** Each op's gradient with recorded ops (the graph of the gradient, createGraph): PyTorch's formulas. */
const GRAPH: Record<k.UnaryOp, (g: Tensor, x: Tensor, y: Tensor) => Tensor> = {
  neg: (g) => g.neg(),
  exp: (g, _x, y) => g.mul(y),
  log: (g, x) => g.div(x),
  sqrt: (g, _x, y) => g.div(y.mul(2)),
  // g · sgn(x), sgn(NaN) = 0 and sgn(±0) = +0 as PyTorch's sgn
  abs: (g, x) => zeroEdge(g.mul(new Tensor(x.values().map((v) => (v > 0 ? 1 : v < 0 ? -1 : 0)), x.shape)), x),
  sigmoid: (g, _x, y) => sigmoidBackward(g, y),
  tanh: (g, _x, y) => tanhBackward(g, y),
  // threshold_backward: 0 where the result is ≤ 0, g elsewhere (at NaN too)
  relu: (g, _x, y) => zeroEdge(g.where(maskOf(y.values(), y.shape, (v) => !(v <= 0)), 0), y),
};

/**
 * PyTorch's tanh_backward, g·(1 − y·y) with the kernel's rounding (1 − y·y rounded once), recorded as an op of its own
 * (TanhBackwardBackward0) as PyTorch records it under createGraph, with its derivatives.yaml formulas: tanh_backward(h,
 * y) for g, and h·((−2·y)·g) for y. Rounding y·y first, as the composed ops would, changes the last bit of about
 * one value in three.
 */
function tanhBackward(g: Tensor, y: Tensor): Tensor {
  const yv = y.values();
  const out = like(y, yv.length);
  unaryBackward('tanh', yv, yv, g.values(), out.data);
  const back = (h: Tensor): (Tensor | null)[] => [g.requiresGrad ? tanhBackward(h, y) : null, y.requiresGrad ? h.mul(y.mul(-2).mul(g)) : null];
  return twice(record(out, 'tanhBackward', [g, y], back, [g, y], 'TanhBackwardBackward0'), back);
}

/**
 * PyTorch's sigmoid_backward, g·(1 − y)·y, recorded as an op of its own (SigmoidBackwardBackward0) as PyTorch records
 * it under createGraph, with its derivatives.yaml formulas: sigmoid_backward(h, y) for g, and (h·g)·(1 − 2·y) for y.
 * Differentiating the composed ops instead gave h·g·(1 − y) − h·g·y, NaN where h·g is infinite (GLU's second
 * derivative with an infinite first half), where PyTorch's gives ±∞.
 */
function sigmoidBackward(g: Tensor, y: Tensor): Tensor {
  const out = noGrad(() => g.mul(y.neg().add(1)).mul(y));
  const back = (h: Tensor): (Tensor | null)[] => [g.requiresGrad ? sigmoidBackward(h, y) : null, y.requiresGrad ? h.mul(g).mul(y.mul(-2).add(1)) : null];
  return twice(record(out, 'sigmoidBackward', [g, y], back, [g, y], 'SigmoidBackwardBackward0'), back);
}

function unaryOp(op: k.UnaryOp, x: Tensor): Tensor {
  checkTensor(x, op);
  const xv = x.values();
  const out = like(x, xv.length);
  unary(op, xv, out.data);
  if (!recording(x)) return out;
  const y = out.data;
  return twice(record(out, op, [x], (g) => {
    const gx = like(x, xv.length);
    unaryBackward(op, xv, y, g.data, gx.data);
    return [gx];
  }, SAVES[op] === 'input' ? [x] : SAVES[op] === 'output' ? [out] : []), (g) => [GRAPH[op](g, x, out)]);
}

export const neg = (x: Tensor): Tensor => unaryOp('neg', x);
export const exp = (x: Tensor): Tensor => unaryOp('exp', x);
export const log = (x: Tensor): Tensor => unaryOp('log', x);
export const sqrt = (x: Tensor): Tensor => unaryOp('sqrt', x);
export const abs = (x: Tensor): Tensor => unaryOp('abs', x);
export const sigmoid = (x: Tensor): Tensor => unaryOp('sigmoid', x);
export const tanh = (x: Tensor): Tensor => unaryOp('tanh', x);
export const relu = (x: Tensor): Tensor => unaryOp('relu', x);

/** LeakyReLU: x where x ≥ 0, negativeSlope·x elsewhere; the slope by position or as `{ negativeSlope }` (PyTorch's keyword). */
export function leakyRelu(x: Tensor, slope: number | { negativeSlope?: number } = 0.01): Tensor {
  checkTensor(x, 'leakyRelu');
  const negativeSlope = isPlainObject(slope) ? checkOptions('leakyRelu', slope, ['negativeSlope']).negativeSlope ?? 0.01 : slope;
  if (typeof negativeSlope !== 'number' || !Number.isFinite(negativeSlope)) {
    throw new TypeError(`leakyRelu: negativeSlope must be a finite number, got ${describeValue(negativeSlope)}`);
  }
  float32Scalar('leakyRelu', 'negativeSlope', negativeSlope);
  const xv = x.values();
  const out = like(x, xv.length);
  leakyReluKernel(xv, negativeSlope, out.data);
  if (!recording(x)) return out;
  return twice(record(out, 'leakyRelu', [x], (g) => {
    const gx = like(x, xv.length);
    leakyReluBackward(xv, negativeSlope, g.data, gx.data);
    return [gx];
  }, [x]), (g) => [zeroEdge(g.where(maskOf(xv, x.shape, (v) => v > 0), g.mul(Math.fround(negativeSlope))), x)]);
}

/**
 * Clamps into [min, max] (either bound may be null): both numbers, or both tensors that broadcast with x
 * (`clampTensors`), as PyTorch's two overloads. A number with a tensor is PyTorch's number overload, the tensor a 0-d
 * one that does not require grad, read as its value (`clamp(x, tensor(0), 1)`, ClampBackward1). The gradient passes
 * where min ≤ x ≤ max. PyTorch's keywords as an object: `clamp(x, { min: 0 })`, `clamp(x, 0, { max: 1 })`.
 */
export function clamp(x: Tensor, minArg: ClampBound | ClampOptions, maxArg: ClampBound | ClampOptions = null): Tensor {
  checkTensor(x, 'clamp');
  const [min, max] = clampBounds('clamp', minArg, maxArg);
  if (min instanceof Tensor && max instanceof Tensor) return clampTensors(x, min, max);
  if (min instanceof Tensor || max instanceof Tensor) {
    const other = min instanceof Tensor ? max : min;
    if (other === null || other === undefined) return clampTensors(x, (min ?? null) as Tensor | null, (max ?? null) as Tensor | null);
    return clamp(x, boundValue(min), boundValue(max));
  }
  if ((min === null || min === undefined) && (max === null || max === undefined)) {
    throw new TypeError('clamp: at least one of min or max must be given (clamp(0, 1); max alone is clamp(null, 1))');
  }
  for (const [v, what] of [[min, 'min'], [max, 'max']] as const) {
    if (v !== null && typeof v !== 'number') {
      throw new TypeError(`clamp: ${what} must be a number or null (null for no bound: clamp(null, 1)), got ${describeValue(v)}`);
    }
  }
  // PyTorch rounds the bounds to the tensor's float32 first; so must we, or a bound like 0.1 decides ties differently.
  const lo = min === null ? -Infinity : Math.fround(float32Scalar('clamp', 'min', min));
  const hi = max === null ? Infinity : Math.fround(float32Scalar('clamp', 'max', max));
  const xv = x.values();
  const out = like(x, xv.length);
  // A NaN bound given alone bounds nothing in PyTorch's clamp (its values come back as they are, with no gradient);
  // with the other bound given too, every value is NaN.
  k.clamp(xv, max === null && Number.isNaN(lo) ? -Infinity : lo, min === null && Number.isNaN(hi) ? Infinity : hi, out.data);
  // PyTorch 1.13's clamp(Tensor, Scalar?, Scalar?) is ClampBackward1, whichever bounds are given.
  return twice(record(out, 'clamp', [x], (g) => {
    const gx = like(x, xv.length);
    const GX = gx.data;
    const G = g.data;
    for (let i = 0; i < xv.length; i++) GX[i] = xv[i]! >= lo && xv[i]! <= hi ? G[i]! : 0;
    return [gx];
  }, [x], 'ClampBackward1'), (g) => [g.where(maskOf(xv, x.shape, (v) => v >= lo && v <= hi), 0)]);
}

/**
 * A bound of clamp given with a number for the other: PyTorch's Python binding reads a 0-d tensor that does not
 * require grad as a number there, and matches no overload for any other tensor.
 */
function boundValue(bound: number | Tensor | null): number | null {
  if (!(bound instanceof Tensor)) return bound;
  if (bound.ndim !== 0 || bound.requiresGrad) {
    const what = bound.ndim !== 0 ? `a tensor of shape [${bound.shape.join(', ')}]` : 'a 0-d tensor that requires grad';
    throw new TypeError(
      `clamp: with one bound a number, the other must be a number or a 0-d tensor that does not require grad (read as its value, as PyTorch does), got ${what}; ` +
        'give both bounds as tensors (clamp(x, min, tensor(max))) to broadcast them or take their gradients',
    );
  }
  return bound.item();
}

/** A contiguous copy; the gradient passes through unchanged. `torchName` as record's (`x.to({ copy: true })`'s is ToCopyBackward0). */
export function clone(x: Tensor, torchName?: string): Tensor {
  checkTensor(x, 'clone');
  const out = keepMask(x, new Tensor(x.toArray(), x.shape));
  return linearTwice(record(out, 'clone', [x], (g) => [g], undefined, torchName), (h) => clone(h, torchName));
}
