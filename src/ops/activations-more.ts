/**
 * GELU, SiLU, ELU and Softplus, forward and backward, as PyTorch 1.13's own CPU kernels compute them in float32
 * (aten/src/ATen/native/cpu/Activation.cpp): each step of PyTorch's formula is rounded to float32 (`f` below, and
 * `fma` where PyTorch's compiled kernel fuses a multiply-add), and its exp, tanh, log1p and erf are computed in
 * float64 and rounded once, where PyTorch's SLEEF functions are within one float32 ulp of that. So the results are
 * PyTorch's bits nearly everywhere, including where its float32 formula cancels: GELU(x) is −0 below x ≈ −5.9
 * (1 + erf rounds to 0), ELU(−10⁻⁶) is −1.0133e-6 (e^x − 1 in float32, not expm1), SiLU(x) is −0 below x ≈ −88.7
 * (e^(−x) overflows). Where the formula cancels, one ulp of a SLEEF result becomes a few ulps of the output;
 * test/golden/activations.test.ts measures it all.
 *
 * Two places where PyTorch itself is not its ATen kernel, and Kindling stays with the kernel:
 *  - a PyTorch built with oneDNN (the x86 wheels, Debian's) hands contiguous float32 GELU 'none' of more than one
 *    element to oneDNN's gelu_erf, whose erf is a polynomial approximation (off by up to about 1.5e-7); PyTorch's
 *    ATen kernel, which Kindling follows, runs for other inputs or with `torch.backends.mkldnn` off;
 *  - SLEEF's vectorised log1p returns +∞ above 1e38, so PyTorch's softplus is +∞ where e^(βx) lies between 1e38 and
 *    float32's largest value (βx from 87.5 to 88.7, reachable only with a threshold above 87.5); Kindling gives
 *    log1p's value (≈ x), as PyTorch's scalar loop does.
 *
 * Each op saves its input for the backward pass, as PyTorch's GeluBackward0, SiluBackward0, EluBackward0 (the
 * out-of-place ELU: `is_result` false, the gradient from the input for every alpha) and SoftplusBackward0 do.
 */
import { maskOf } from './mask.js';
import { composedTwice, twice } from '../autograd/twice.js';
import { isGradRecording } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { erf } from '../kernels/ref/erf.js';
import { transientFloat32 } from '../kernels/transient.js';
import { checkOptions, describeValue, isPlainObject, leadingOption, soleOption } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';
import { float32Scalar } from '../tensor/float32-scalar.js';

const f = Math.fround;

/**
 * a·b + c rounded once, as PyTorch's AVX2 kernels compute it where GCC fused the multiply and the add into one FMA
 * instruction (which sites it fused was found by measurement: these forms give PyTorch's bits on 200,000 inputs, the
 * unfused ones do not). For float32 a and b the product is exact in float64, so this is the fused result unless the
 * float64 sum falls on a float32 tie, which needs luck.
 */
const fma = (a: number, b: number, c: number): number => f(a * b + c);

/** A kernel: reads x (and the upstream gradient g, for a backward one), writes out. */
type Forward = (x: Float32Array, out: Float32Array) => void;
type Backward = (x: Float32Array, g: Float32Array, out: Float32Array) => void;

/** Runs `forward` over x's values and records `backward` (which reads x, saved as PyTorch saves it) when needed. */
function pointwise(name: string, x: Tensor, forward: Forward, backward: Backward): Tensor {
  const xv = x.values();
  const out = new Tensor(transientFloat32(xv.length), x.shape);
  forward(xv, out.data);
  if (!(x.requiresGrad && isGradRecording())) return out;
  return record(out, name, [x], (g) => {
    const gx = new Tensor(transientFloat32(xv.length), x.shape);
    backward(xv, g.data, gx.data);
    return [gx];
  }, [x]);
}

// ---- GELU ----

/** GELU's forms: the exact x·Φ(x) ('none') or the tanh approximation ('tanh'). */
export type GeluApproximate = 'none' | 'tanh';

export interface GeluOptions {
  /** 'none' (default): x·Φ(x) with erf; 'tanh': 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
  readonly approximate?: GeluApproximate;
}

/** The approximate option of GELU, by position (`'tanh'`) or as `{ approximate }`; 'none' when not given. */
export function geluApproximate(where: string, arg: unknown): GeluApproximate {
  const given = leadingOption<GeluOptions>(where, 'approximate', arg, undefined, "'tanh'");
  const approximate: unknown = checkOptions<GeluOptions>(where, given, ['approximate']).approximate ?? 'none';
  if (approximate !== 'none' && approximate !== 'tanh') {
    throw new TypeError(`${where}: approximate must be 'none' or 'tanh' (PyTorch's two forms), got ${describeValue(approximate)}`);
  }
  return approximate;
}

// PyTorch's constants, computed in float64 from C's M_ constants and rounded to float32 as its kernels hold them.
const M_2_SQRTPI = 1.1283791670955126; // 2/√π
const SQRT1_2 = f(Math.SQRT1_2); // M_SQRT1_2
const PDF_SCALE = f(M_2_SQRTPI * Math.SQRT1_2 * 0.5); // 1/√(2π)
const TANH_BETA = f(Math.SQRT2 * M_2_SQRTPI * 0.5); // √(2/π)
const TANH_KAPPA = f(0.044715);
const TANH_3KAPPA = f(3 * TANH_KAPPA);

/** x·0.5·(1 + erf(x·√½)). */
const geluForward: Forward = (x, out) => {
  for (let i = 0; i < out.length; i++) {
    const v = x[i]!;
    out[i] = f(v * 0.5) * f(1 + f(erf(f(v * SQRT1_2))));
  }
};

/** g·(cdf + x·pdf), cdf = 0.5·(1 + erf(x·√½)), pdf = e^(−x²/2)/√(2π). */
const geluBackward: Backward = (x, g, out) => {
  for (let i = 0; i < out.length; i++) {
    const v = x[i]!;
    const cdf = f(0.5 * f(1 + f(erf(f(v * SQRT1_2)))));
    const pdf = f(PDF_SCALE * f(Math.exp(f(f(v * v) * -0.5))));
    out[i] = g[i]! * fma(v, pdf, cdf);
  }
};

/** The tanh argument √(2/π)·(x + 0.044715·x³), with x³ as PyTorch forms it, (x·x)·x. */
function tanhInner(v: number): number {
  const cube = f(f(v * v) * v);
  return f(TANH_BETA * fma(TANH_KAPPA, cube, v));
}

/** 0.5·x·(1 + tanh(inner)). */
const geluTanhForward: Forward = (x, out) => {
  for (let i = 0; i < out.length; i++) {
    const v = x[i]!;
    out[i] = f(0.5 * v) * f(1 + f(Math.tanh(tanhInner(v))));
  }
};

/** g·(0.5·(1 + t) + 0.5·x·(1 − t²)·√(2/π)·(1 + 3·0.044715·x²)), t = tanh(inner), in PyTorch's order. */
const geluTanhBackward: Backward = (x, g, out) => {
  for (let i = 0; i < out.length; i++) {
    const v = x[i]!;
    const sq = f(v * v);
    const t = f(Math.tanh(tanhInner(v)));
    const leftDerivative = f(0.5 * f(1 + t));
    const tanhDerivative = fma(-t, t, 1);
    const innerDerivative = f(TANH_BETA * fma(TANH_3KAPPA, sq, 1));
    const rightDerivative = f(f(f(0.5 * v) * tanhDerivative) * innerDerivative);
    out[i] = g[i]! * f(leftDerivative + rightDerivative);
  }
};

/**
 * GELU, x·Φ(x) (Φ the standard normal CDF), or its tanh approximation: PyTorch's `F.gelu(x, approximate=…)`.
 * `approximate` by position (`gelu(x, 'tanh')`) or as `{ approximate: 'tanh' }`.
 */
export function gelu(x: Tensor, approximate?: GeluApproximate | GeluOptions): Tensor {
  checkTensor(x, 'gelu');
  // The gradients' graphs (createGraph) differentiate the formulas again, written with ops (autograd/twice.ts).
  return geluApproximate('gelu', approximate) === 'tanh'
    ? composedTwice(pointwise('gelu', x, geluTanhForward, geluTanhBackward),
      (a) => a.mul(0.5).mul(a.add(a.mul(a).mul(a).mul(0.044715)).mul(Math.sqrt(2 / Math.PI)).tanh().add(1)))
    : composedTwice(pointwise('gelu', x, geluForward, geluBackward), (a) => a.mul(a.mul(Math.SQRT1_2).erf().add(1)).mul(0.5));
}

// ---- SiLU ----

/** x / (1 + e^(−x)): −0 where e^(−x) overflows float32, as PyTorch's. */
const siluForward: Forward = (x, out) => {
  for (let i = 0; i < out.length; i++) {
    const v = x[i]!;
    out[i] = v / f(1 + f(Math.exp(-v)));
  }
};

/** g·σ·(1 + x·(1 − σ)), σ = 1 / (1 + e^(−x)). */
const siluBackward: Backward = (x, g, out) => {
  for (let i = 0; i < out.length; i++) {
    const v = x[i]!;
    const s = f(1 / f(1 + f(Math.exp(-v))));
    out[i] = f(g[i]! * s) * fma(v, f(1 - s), 1);
  }
};

/** SiLU (swish), x·σ(x): PyTorch's `F.silu`. */
export function silu(x: Tensor): Tensor {
  checkTensor(x, 'silu');
  return composedTwice(pointwise('silu', x, siluForward, siluBackward), (v) => v.mul(v.sigmoid()));
}

// ---- ELU ----

export interface EluOptions {
  /** The value ELU approaches for large negative inputs, −alpha (default 1.0, PyTorch's). */
  readonly alpha?: number;
}

/** ELU's alpha, by position or as `{ alpha }`: a finite number, 1 when not given. */
export function eluAlpha(where: string, arg: unknown): number {
  const alpha = soleOption(where, 'alpha', arg, 1, '0.5');
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw new TypeError(`${where}: alpha must be a finite number, got ${describeValue(alpha)}`);
  return float32Scalar(where, 'alpha', alpha);
}

/**
 * ELU: x for x > 0, alpha·(e^x − 1) elsewhere, with PyTorch's float32 e^x − 1 (not expm1), and its gradient from
 * the input: g for x > 0, g·alpha·e^x elsewhere (so alpha·g at x = 0). A NaN input takes the second branch, as in
 * PyTorch's vectorised loop, so its gradient is NaN (PyTorch's scalar loop, which takes the last few elements of a
 * tensor, gives it g). `alpha` by position or as `{ alpha }` (PyTorch's `F.elu(x, alpha=1.0)`).
 */
export function elu(x: Tensor, alpha?: number | EluOptions): Tensor {
  checkTensor(x, 'elu');
  const a = f(eluAlpha('elu', alpha));
  return twice(pointwise('elu', x, (xv, out) => {
    for (let i = 0; i < out.length; i++) {
      const v = xv[i]!;
      out[i] = v > 0 ? v : f(f(Math.exp(v)) - 1) * a;
    }
  }, (xv, g, out) => {
    for (let i = 0; i < out.length; i++) {
      const v = xv[i]!;
      out[i] = v > 0 ? g[i]! : f(g[i]! * a) * f(Math.exp(v));
    }
  }), (g) => {
    // The gradient with recorded ops: g for x > 0, g·α·e^x below 0, e^x of the values below 0 only (zeros elsewhere)
    // so that none overflows. At x = 0 (and −0) the e^0 = 1 is a constant: the gradient is α·g with no slope, as
    // PyTorch's elu_double_backward, which multiplies by (x < 0), gives it.
    const values = x.values();
    const negative = x.where(maskOf(values, x.shape, (e) => e < 0 || Number.isNaN(e)), 0);
    return [g.where(maskOf(values, x.shape, (e) => e > 0), g.mul(a).mul(negative.exp()))];
  });
}

// ---- Softplus ----

export interface SoftplusOptions {
  /** The sharpness β of log(1 + e^(βx))/β (default 1); any finite number but 0. */
  readonly beta?: number;
  /** Above this βx, softplus is x itself (default 20), as PyTorch's. */
  readonly threshold?: number;
}

/**
 * Softplus's beta and threshold: `(2, 10)` by position as PyTorch's `Softplus(2, 10)`, `(2, { threshold: 10 })`, or
 * `({ beta: 2, threshold: 10 })`; PyTorch's defaults 1 and 20.
 */
export function softplusOptions(where: string, first: unknown, second: unknown, example: string): { beta: number; threshold: number } {
  let rest = second;
  if (second !== undefined && !isPlainObject(second)) {
    if (typeof first === 'object') {
      throw new TypeError(`${where}: threshold comes by position only after beta by position, as in ${example}; got ${describeValue(second)} after ${describeValue(first)}`);
    }
    rest = { threshold: second };
  }
  const given = leadingOption<SoftplusOptions>(where, 'beta', first, rest, example);
  const { beta = 1, threshold = 20 } = checkOptions<SoftplusOptions>(where, given, ['beta', 'threshold']);
  for (const [name, v] of [['beta', beta], ['threshold', threshold]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${where}: ${name} must be a finite number, got ${describeValue(v)}`);
    float32Scalar(where, name, v);
  }
  if (beta === 0) throw new RangeError(`${where}: beta must not be 0 (softplus is log(1 + e^(beta·x)) / beta)`);
  return { beta, threshold };
}

/**
 * Softplus, log(1 + e^(βx))/β, and x itself where βx > threshold (PyTorch's `F.softplus(x, beta, threshold)`):
 * βx is rounded to float32 before the comparison, as PyTorch compares. The gradient is g where βx > threshold and
 * g·z/(z + 1), z = e^(βx), elsewhere. With a threshold above 88.7, e^(βx) can overflow float32: the output is then
 * +∞ and the gradient NaN, as in PyTorch. `softplus(x, 2, 10)`, `softplus(x, 2, { threshold: 10 })` or
 * `softplus(x, { beta: 2, threshold: 10 })`.
 */
export function softplus(x: Tensor, beta?: number, threshold?: number): Tensor;
export function softplus(x: Tensor, beta: number, options: Omit<SoftplusOptions, 'beta'>): Tensor;
export function softplus(x: Tensor, options: SoftplusOptions): Tensor;
export function softplus(x: Tensor, beta?: number | SoftplusOptions, threshold?: number | Omit<SoftplusOptions, 'beta'>): Tensor {
  checkTensor(x, 'softplus');
  const o = softplusOptions('softplus', beta, threshold, 'softplus(x, 2, 10)');
  const b = f(o.beta);
  const t = f(o.threshold);
  return twice(pointwise('softplus', x, (xv, out) => {
    for (let i = 0; i < out.length; i++) {
      const v = xv[i]!;
      const vb = f(v * b);
      out[i] = vb > t ? v : f(Math.log1p(f(Math.exp(vb)))) / b;
    }
  }, (xv, g, out) => {
    for (let i = 0; i < out.length; i++) {
      const vb = f(xv[i]! * b);
      const z = f(Math.exp(vb));
      out[i] = vb > t ? g[i]! : f(g[i]! * z) / f(z + 1);
    }
  }), (g) => {
    // The gradient with recorded ops, g·σ(βx) where βx < threshold; at βx = threshold the slope z/(z + 1) and above
    // it 1 are constants, as PyTorch's softplus_double_backward, which multiplies by (βx < threshold), makes them
    // (and NaN at NaN, as the gradient is).
    const values = x.values();
    const edge = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const vb = f(values[i]! * b);
      const z = f(Math.exp(vb));
      edge[i] = vb > t ? 1 : vb < t ? 0 : f(z) / f(z + 1);
    }
    const slope = x.mul(b).sigmoid().where(maskOf(values, x.shape, (e) => f(e * b) < t), new Tensor(edge, x.shape));
    return [g.mul(slope)];
  });
}
