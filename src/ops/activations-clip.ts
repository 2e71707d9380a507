/**
 * Hardtanh (and ReLU6, PyTorch's hardtanh(x, 0, 6)), Hardshrink and Softshrink, forward and backward, as PyTorch
 * 1.13's CPU kernels (aten/src/ATen/native/cpu/Activation.cpp) compute them in float32: the forward is a clamp or a
 * select, so Kindling's values are PyTorch's bits. Backward, as PyTorch's: hardtanh passes g where
 * min < x < max, the shrinks where x < −λ or x > λ, so a NaN input gets gradient 0 in all four (PyTorch's
 * vectorised comparisons). Softshrink is +0 on [−λ, λ] (also for −0) and, as PyTorch's, 0 for NaN; Hardshrink keeps
 * NaN and −0.
 */
import { twice, zeroEdge } from '../autograd/twice.js';
import { maskOf } from './mask.js';
import { isGradRecording } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { KindlingError } from '../errors.js';
import { transientFloat32 } from '../kernels/transient.js';
import { describeValue } from '../options.js';
import { float32Scalar } from '../tensor/float32-scalar.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';

const f = Math.fround;

function pointwise(name: string, x: Tensor, forward: (v: number) => number, backward: (v: number, g: number) => number): Tensor {
  const xv = x.values();
  const out = new Tensor(transientFloat32(xv.length), x.shape);
  for (let i = 0; i < xv.length; i++) out.data[i] = forward(xv[i]!);
  if (!(x.requiresGrad && isGradRecording())) return out;
  return record(out, name, [x], (g) => {
    const gx = new Tensor(transientFloat32(xv.length), x.shape);
    for (let i = 0; i < xv.length; i++) gx.data[i] = backward(xv[i]!, g.data[i]!);
    return [gx];
  }, [x]);
}

/**
 * Gives `out`'s node its gradient with recorded ops (createGraph): g where `passes` holds for x's value, 0 elsewhere —
 * the gradient of every piecewise-linear activation here, whose second derivative is 0.
 */
export function passWhere(out: Tensor, x: Tensor, passes: (v: number) => boolean): Tensor {
  return twice(out, (g) => [zeroEdge(g.where(maskOf(x.values(), x.shape, passes), 0), x)]);
}

function finite(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${where}: ${name} must be a finite number, got ${describeValue(v)}`);
  return f(float32Scalar(where, name, v));
}

/**
 * A bound of hardtanh: a number, ±Infinity included (PyTorch's clamp takes them). NaN is refused: PyTorch gives NaN
 * everywhere, with a gradient that depends on which of its loops (vectorised or scalar) takes each element.
 */
function bound(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v)) throw new TypeError(`${where}: ${name} must be a number (±Infinity allowed), got ${describeValue(v)}`);
  return f(float32Scalar(where, name, v));
}

/**
 * Hardtanh: x clamped to [minVal, maxVal] (defaults −1, 1; either may be infinite), PyTorch's
 * `F.hardtanh(x, min_val, max_val)`: min(max(x, minVal), maxVal), as its clamp, so maxVal < minVal gives maxVal.
 */
export function hardtanh(x: Tensor, minVal = -1, maxVal = 1, name = 'hardtanh'): Tensor {
  checkTensor(x, name);
  const lo = bound(name, 'minVal', minVal);
  const hi = bound(name, 'maxVal', maxVal);
  const clamp = (v: number): number => {
    const above = v < lo ? lo : v;
    return above > hi ? hi : above;
  };
  return passWhere(pointwise('hardtanh', x, clamp, (v, g) => (v > lo && v < hi ? g : 0)), x, (v) => v > lo && v < hi);
}

/** ReLU6, min(max(x, 0), 6): PyTorch's `F.relu6`, which is hardtanh(x, 0, 6) (grad_fn HardtanhBackward0). */
export function relu6(x: Tensor): Tensor {
  return hardtanh(x, 0, 6, 'relu6');
}

function lambdOf(where: string, lambd: unknown): number {
  return finite(where, 'lambd', lambd ?? 0.5);
}

/** Hardshrink: 0 on [−λ, λ], x elsewhere (λ defaults 0.5), PyTorch's `F.hardshrink(x, lambd)`. */
export function hardshrink(x: Tensor, lambd = 0.5): Tensor {
  checkTensor(x, 'hardshrink');
  const l = lambdOf('hardshrink', lambd);
  return passWhere(pointwise('hardshrink', x, (v) => (v >= -l && v <= l ? 0 : v), (v, g) => (v < -l || v > l ? g : 0)), x, (v) => v < -l || v > l);
}

/**
 * Softshrink: x − λ above λ, x + λ below −λ, 0 between (λ ≥ 0, default 0.5), PyTorch's `F.softshrink(x, lambd)`;
 * PyTorch refuses a negative λ with the same message.
 */
export function softshrink(x: Tensor, lambd = 0.5): Tensor {
  checkTensor(x, 'softshrink');
  const l = lambdOf('softshrink', lambd);
  if (l < 0) throw new KindlingError(`softshrink: lambda must be greater or equal to 0, but found to be ${lambd}.`);
  return passWhere(pointwise('softshrink', x, (v) => (v > l ? f(v - l) : v < -l ? f(v + l) : 0), (v, g) => (v < -l || v > l ? g : 0)), x, (v) => v < -l || v > l);
}
