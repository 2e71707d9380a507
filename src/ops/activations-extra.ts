/**
 * SELU, CELU, Hardswish, Hardsigmoid, Mish, LogSigmoid and Threshold, forward and backward, as PyTorch 1.13's CPU
 * kernels (aten/src/ATen/native/cpu/Activation.cpp, Threshold in TensorCompare's kernels) compute them in float32:
 * each step of PyTorch's formula is rounded to float32 (`f`), and exp, log1p and tanh are computed in float64 and
 * rounded once, where PyTorch's SLEEF functions are within one float32 ulp of that. NaN takes the branch PyTorch's
 * vectorised loop gives it (comparisons with NaN are false). test/golden/activations-extra.test.ts measures it.
 *
 * SELU and CELU are PyTorch's ELU kernel with its scale and input scale (selu is `elu(x, α, λ)`, so its node is
 * EluBackward0; celu is `elu(x, α, 1, 1/α)` with a node of its own, CeluBackward0); each saves its input.
 */
import { twice, zeroEdge } from '../autograd/twice.js';
import { softplus as softplusOp } from './activations-more.js';
import { maskOf } from './mask.js';
import { passWhere } from './activations-clip.js';
import { float32Sigmoid } from './glu.js';
import { isGradRecording } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { KindlingError } from '../errors.js';
import { transientFloat32 } from '../kernels/transient.js';
import { describeValue } from '../options.js';
import { float32Scalar } from '../tensor/float32-scalar.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';

const f = Math.fround;

/** a·b + c rounded once: an FMA, where PyTorch's compiled kernel fuses the multiply and the add (float32 a, b). */
const fma = (a: number, b: number, c: number): number => f(a * b + c);

/** Runs `forward` on each value and records `backward` (value, upstream gradient), reading the saved input. */
function pointwise(name: string, x: Tensor, forward: (v: number) => number, backward: (v: number, g: number) => number, torchName?: string): Tensor {
  const xv = x.values();
  const out = new Tensor(transientFloat32(xv.length), x.shape);
  for (let i = 0; i < xv.length; i++) out.data[i] = forward(xv[i]!);
  if (!(x.requiresGrad && isGradRecording())) return out;
  return record(out, name, [x], (g) => {
    const gx = new Tensor(transientFloat32(xv.length), x.shape);
    for (let i = 0; i < xv.length; i++) gx.data[i] = backward(xv[i]!, g.data[i]!);
    return [gx];
  }, [x], torchName);
}

function finite(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${where}: ${name} must be a finite number, got ${describeValue(v)}`);
  return float32Scalar(where, name, v);
}

/**
 * PyTorch's ELU kernel: λ·x for x > 0, else (e^(x·s) − 1)·α·λ (s the input scale); its gradient from the input,
 * g·λ, else g·s·α·λ·e^(x·s). The coefficients as PyTorch's kernel holds them, in float32.
 */
function eluKernel(name: string, x: Tensor, alpha: number, scale: number, inputScale: number, torchName?: string): Tensor {
  const neg = f(f(alpha) * f(scale));
  const pos = f(scale);
  const ipt = f(inputScale);
  const out = pointwise(name, x,
    (v) => (v > 0 ? f(v * pos) : f(f(f(Math.exp(f(v * ipt))) - 1) * neg)),
    (v, g) => (v > 0 ? f(g * pos) : f(f(f(g * ipt) * neg) * f(Math.exp(f(v * ipt))))),
    torchName);
  // The same gradient with recorded ops; e^(x·s) of the values below 0 only (zeros elsewhere), so that none
  // overflows. At x = 0 the gradient's own derivative is 0, as PyTorch's elu_double_backward, which multiplies by
  // (x < 0): the 0 there is a constant, so e^(0·s) = 1 gives the gradient's value and no slope.
  return twice(out, (g) => {
    const values = x.values();
    const negative = x.where(maskOf(values, x.shape, (e) => e < 0 || Number.isNaN(e)), 0);
    return [g.mul(pos).where(maskOf(values, x.shape, (e) => e > 0), g.mul(ipt).mul(neg).mul(negative.mul(ipt).exp()))];
  });
}

/**
 * PyTorch's ELU kernel as its in-place forms record it (elu_, celu_, selu_: elu_backward with is_result): the same
 * values, the gradient computed from the result r, g·λ where r > 0 (and at NaN), else (g·s)·(r + α·λ), which rounds
 * to 0 where e^(x·s) − 1 rounds to −1. The differentiable backward computes r again from `x` with recorded ops (so
 * `x` must keep the input's values): its derivative in r is g·s where r < 0, as PyTorch's elu_double_backward's.
 * @internal
 */
export function eluFromResult(name: string, x: Tensor, alpha: number, scale: number, inputScale: number): Tensor {
  const neg = f(f(alpha) * f(scale));
  const pos = f(scale);
  const ipt = f(inputScale);
  const xv = x.values();
  const out = new Tensor(transientFloat32(xv.length), x.shape);
  for (let i = 0; i < xv.length; i++) {
    const v = xv[i]!;
    out.data[i] = v > 0 ? f(v * pos) : f(f(f(Math.exp(f(v * ipt))) - 1) * neg);
  }
  if (!(x.requiresGrad && isGradRecording())) return out;
  const rv = out.data;
  record(out, name, [x], (g) => {
    const gx = new Tensor(transientFloat32(rv.length), x.shape);
    for (let i = 0; i < rv.length; i++) {
      const r = rv[i]!;
      gx.data[i] = r <= 0 ? f(f(g.data[i]! * ipt) * f(r + neg)) : f(g.data[i]! * pos);
    }
    return [gx];
  }, [out]);
  return twice(out, (g) => {
    // r where r < 0, recomputed from x (e^(x·s) of the values ≤ 0 only, so that none overflows); 0 elsewhere.
    const negative = x.where(maskOf(xv, x.shape, (e) => !(e > 0)), 0);
    const r = negative.mul(ipt).exp().sub(1).mul(neg).where(maskOf(rv, out.shape, (e) => e < 0), 0);
    return [g.mul(pos).where(maskOf(rv, out.shape, (e) => !(e <= 0)), g.mul(ipt).mul(r.add(neg)))];
  });
}

/** SELU's α and λ, PyTorch's (torch/csrc: SELU_ALPHA, SELU_SCALE). */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;

/** SELU, λ·x for x > 0 and λ·α·(e^x − 1) elsewhere, PyTorch's `F.selu` (node EluBackward0, as PyTorch's). */
export function selu(x: Tensor): Tensor {
  checkTensor(x, 'selu');
  return eluKernel('selu', x, SELU_ALPHA, SELU_SCALE, 1, 'EluBackward0');
}

/** CELU's α: a finite number but 0, 1 when not given; PyTorch's refusal of 0. */
export function celuAlpha(where: string, alpha: unknown): number {
  const a = finite(where, 'alpha', alpha ?? 1);
  if (a === 0) throw new KindlingError(`${where}: ZeroDivisionError: alpha cannot be 0 for CELU`);
  return a;
}

/** CELU, x for x > 0 and α·(e^(x/α) − 1) elsewhere (α default 1, not 0), PyTorch's `F.celu(x, alpha)`. */
export function celu(x: Tensor, alpha = 1): Tensor {
  checkTensor(x, 'celu');
  const a = celuAlpha('celu', alpha);
  return eluKernel('celu', x, a, 1, 1 / a, 'CeluBackward0');
}

/**
 * Hardswish, x·min(max(x + 3, 0), 6)/6, PyTorch's `F.hardswish`; gradient 0 below −3, g·(x/3 + ½) from −3 up to
 * (not at) 3, g from 3 on, as PyTorch's vectorised kernel selects (at x = 3 the gradient is g, not 1.5·g).
 */
export function hardswish(x: Tensor): Tensor {
  checkTensor(x, 'hardswish');
  const out = pointwise('hardswish', x,
    (v) => f(f(v * clamp6(f(v + 3))) / 6),
    (v, g) => (v < -3 ? 0 : v < 3 ? f(g * f(f(v / 3) + 0.5)) : v >= 3 ? g : f(g * f(f(v / 3) + 0.5))));
  // g·(x/3 + ½) strictly between −3 and 3, as recorded ops; elsewhere the slope is a constant (0 below −3, −½ at −3,
  // 1 from 3 on, NaN at NaN), so the gradient's own derivative is 0 there, as PyTorch's double backward of
  // hardswish_backward, where(−3 < x < 3, g·gO/3, 0), gives at x = −3 and at NaN.
  return twice(out, (g) => {
    const values = x.values();
    const edge = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      edge[i] = v < -3 ? 0 : v >= 3 ? 1 : f(f(v / 3) + 0.5);
    }
    const slope = x.div(3).add(0.5).where(maskOf(values, x.shape, (v) => v > -3 && v < 3), new Tensor(edge, x.shape));
    return [zeroEdge(g.mul(slope), x)];
  });
}

/** min(max(v, 0), 6), NaN kept (PyTorch's vectorised maximum and minimum propagate it). */
function clamp6(v: number): number {
  return v < 0 ? 0 : v > 6 ? 6 : v;
}

const ONE_SIXTH = f(1 / 6);

/** Hardsigmoid, min(max(x + 3, 0), 6)/6, PyTorch's `F.hardsigmoid`; gradient g/6 strictly between −3 and 3, else 0. */
export function hardsigmoid(x: Tensor): Tensor {
  checkTensor(x, 'hardsigmoid');
  const out = pointwise('hardsigmoid', x,
    (v) => f(clamp6(f(v + 3)) / 6),
    (v, g) => (v > -3 && v < 3 ? f(g * ONE_SIXTH) : 0));
  return twice(out, (g) => [zeroEdge(g.mul(ONE_SIXTH).where(maskOf(x.values(), x.shape, (v) => v > -3 && v < 3), 0), x)]);
}

/**
 * Mish, x·tanh(softplus(x)) with softplus as log1p(e^x), PyTorch's `F.mish`. Its gradient g·(t + x·σ·(1 − t²)),
 * t = tanh(softplus(x)), σ = 1/(1 + e^(−x)), with the two multiply-adds fused as PyTorch's AVX2 kernel computes them
 * (found by measurement: on the fixture's inputs 93 of 96 gradients are PyTorch's bits this way, 77 unfused).
 */
export function mish(x: Tensor): Tensor {
  checkTensor(x, 'mish');
  const out = pointwise('mish', x,
    (v) => f(v * tanhSoftplus(v)),
    (v, g) => {
      const sigmoid = f(1 / f(1 + f(Math.exp(-v))));
      const t = tanhSoftplus(v);
      return f(g * fma(f(v * sigmoid), fma(-t, t, 1), t));
    });
  // The gradient with recorded ops, PyTorch's infinitely_differentiable_mish_backward: g·(t + x·σ(x)·(1 − t²)), t =
  // tanh(softplus(x)) (softplus with its threshold, so no e^x overflows). Differentiating x·tanh(softplus(x)) written
  // with |x| instead lost softplus's slope ½ at x = 0, and with it the second derivative there.
  return twice(out, (g) => {
    const t = softplusOp(x).tanh();
    return [g.mul(t.add(x.mul(x.sigmoid()).mul(t.mul(t).neg().add(1))))];
  });
}

function tanhSoftplus(v: number): number {
  return f(Math.tanh(f(Math.log1p(f(Math.exp(v))))));
}

/** LogSigmoid's gradient from e^(−|x|), as PyTorch's log_sigmoid_backward kernel: g·(1 − b/(1 + b)) for x < 0, g·b/(1 + b) elsewhere. */
function logsigmoidGrad(v: number, g: number): number {
  const b = f(Math.exp(-Math.abs(v)));
  const q = f(b / f(1 + b));
  return v < 0 ? f(f(1 - q) * g) : f(f(0 + q) * g);
}

/**
 * LogSigmoid, log(1/(1 + e^(−x))), in PyTorch's stable form min(x, 0) − log1p(e^(−|x|)), `F.logsigmoid`; the
 * gradient from the same e^(−|x|) (`logsigmoidGrad`).
 */
export function logsigmoid(x: Tensor): Tensor {
  checkTensor(x, 'logsigmoid');
  const out = pointwise('logsigmoid', x, (v) => f(Math.min(v, 0) - f(Math.log1p(f(Math.exp(-Math.abs(v)))))), logsigmoidGrad, 'LogSigmoidBackward0');
  return twice(out, (g) => [logsigmoidBackward(g, x)]);
}

/**
 * σ(x) as PyTorch's vectorised CPU kernel rounds it, 1/(1 + e^(−x)) in float32 steps (1 from x ≈ 16.6 up, where
 * Kindling's sigmoid, rounded once from float64, is 1 − 2^−24 until x ≈ 17.3), with sigmoid's gradient: the op's
 * values moved onto those by a constant (exact: the two differ by an ulp at most).
 */
function floatSigmoid(x: Tensor): Tensor {
  const z = x.sigmoid();
  const zv = z.values();
  const xv = x.values();
  const shift = new Float32Array(xv.length);
  for (let i = 0; i < xv.length; i++) shift[i] = float32Sigmoid(xv[i]!) - zv[i]!;
  return shift.some((d) => d !== 0) ? z.add(new Tensor(shift, x.shape)) : z;
}

/**
 * The gradient with createGraph: the plain kernel's values (as PyTorch's log_sigmoid_backward, the same both ways),
 * recorded as PyTorch's LogSigmoidBackwardBackward0 with its derivatives.yaml formulas — log_sigmoid_backward(h, x)
 * for g, and log_sigmoid_double_backward(h·g, x) = (h·g)·(σ(x) − 1)·σ(x) for x, whose rounding in the tails is
 * PyTorch's (0 where σ(x) rounds to 1). (g·σ(−x) differentiated instead was 0 where PyTorch's is 1e-13 at x = −30,
 * and 1e-7 off at x = ±16; min(x, 0) − log1p(e^(−|x|)) differentiated gave a gradient of 0 at x = 0.)
 */
function logsigmoidBackward(g: Tensor, x: Tensor): Tensor {
  const xv = x.values();
  const gv = g.values();
  const out = new Tensor(new Float32Array(xv.length), x.shape);
  for (let i = 0; i < xv.length; i++) out.data[i] = logsigmoidGrad(xv[i]!, gv[i]!);
  const back = (h: Tensor): (Tensor | null)[] => {
    const z = x.requiresGrad ? floatSigmoid(x) : null;
    return [g.requiresGrad ? logsigmoidBackward(h, x) : null, z === null ? null : h.mul(g).mul(z.sub(1)).mul(z)];
  };
  return twice(record(out, 'logsigmoidBackward', [g, x], back, [g, x], 'LogSigmoidBackwardBackward0'), back);
}

/** Threshold, x where x > threshold and `value` elsewhere, PyTorch's `F.threshold(x, threshold, value)`; gradient g where x > threshold. */
export function threshold(x: Tensor, thresholdValue: number, value: number): Tensor {
  checkTensor(x, 'threshold');
  const [t, fill] = ([['threshold', thresholdValue], ['value', value]] as const).map(([name, v]) => {
    if (typeof v !== 'number') throw new TypeError(`threshold: ${name} must be a number, got ${describeValue(v)}`);
    return f(float32Scalar('threshold', name, v));
  }) as [number, number];
  return passWhere(pointwise('threshold', x, (v) => (v <= t ? fill : v), (v, g) => (v <= t ? 0 : g)), x, (v) => !(v <= t));
}
