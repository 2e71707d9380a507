// Unary elementwise math ops as PyTorch 1.13's (tan … sinc, logit, nanToNum, isnan …). Transcendental values are
// float64 Math.* (or erf.ts, erfinv.ts's erfc) rounded once to float32, within a few float32 ulps of PyTorch's SLEEF/libm
// kernels (test/golden/unary-math.test.ts reports the largest difference of each); the rest (reciprocal, rsqrt,
// frac, deg2rad, rad2deg, sinc, logit's quotient, erfinv: PyTorch's own float32 algorithm) round each step to float32 as PyTorch's float kernels do.
// Gradients are PyTorch's formulas (derivatives.yaml), each product and quotient rounded to float32 in its order.
// Boolean results (isnan …) are float32 1/0 with no gradient, as Kindling's comparisons.
import { record } from '../autograd/record.js';
import { noGrad } from '../autograd/grad-mode.js';
import { twice, zeroEdge } from '../autograd/twice.js';
import { KindlingError } from '../errors.js';
import { erf as erf64 } from '../kernels/ref/erf.js';
import { erfc as erfc64, erfinv as erfinv64 } from '../kernels/ref/erfinv.js';
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import { FLOAT32_MAX } from '../tensor/float32-scalar.js';
import { Tensor } from '../tensor/tensor.js';
import { where } from './binary.js';
import { checkTensor } from './util.js';
import { markMask } from '../tensor/mask-mark.js';

const f = Math.fround;
const LN2 = f(Math.LN2);
const LN10 = f(Math.LN10);
const PI = f(Math.PI);
const TWO_OVER_SQRT_PI = f(2 / Math.sqrt(Math.PI));
const HALF_SQRT_PI = f(0.5 * Math.sqrt(Math.PI));
const DEG2RAD = f(Math.PI / 180);
const RAD2DEG = f(180 / Math.PI);

/** 1/√v as PyTorch's float kernel computes it: the square root rounded, then the quotient. */
const rsqrtF = (v: number): number => f(1 / f(Math.sqrt(v)));

/** How one op computes: its float32 value, and its input gradient from x, the result y and the output gradient g. */
export interface Spec {
  value: (x: number) => number;
  grad: (x: number, y: number, g: number) => number;
  /** What the backward pass reads, as PyTorch saves it. */
  saves: 'input' | 'output' | 'nothing';
  /** PyTorch's grad_fn class where it is not the name capitalized + 'Backward0'. */
  torch?: string;
  /** The gradient with recorded ops (its graph, for createGraph), where the op is not in GRAPHS below. */
  graph?: (g: Tensor, x: Tensor, y: Tensor) => Tensor;
}

const SPECS = {
  tan: { value: (x) => f(Math.tan(x)), grad: (_x, y, g) => f(g * f(1 + f(y * y))), saves: 'output' },
  asin: { value: (x) => f(Math.asin(x)), grad: (x, _y, g) => f(g * rsqrtF(f(f(-x * x) + 1))), saves: 'input' },
  acos: { value: (x) => f(Math.acos(x)), grad: (x, _y, g) => f(g * -rsqrtF(f(f(-x * x) + 1))), saves: 'input' },
  atan: { value: (x) => f(Math.atan(x)), grad: (x, _y, g) => f(g / f(f(x * x) + 1)), saves: 'input' },
  sinh: { value: (x) => f(Math.sinh(x)), grad: (x, _y, g) => f(g * f(Math.cosh(x))), saves: 'input' },
  cosh: { value: (x) => f(Math.cosh(x)), grad: (x, _y, g) => f(g * f(Math.sinh(x))), saves: 'input' },
  asinh: { value: (x) => f(Math.asinh(x)), grad: (x, _y, g) => f(g * rsqrtF(f(f(x * x) + 1))), saves: 'input' },
  acosh: { value: (x) => f(Math.acosh(x)), grad: (x, _y, g) => f(g * rsqrtF(f(f(x * x) - 1))), saves: 'input' },
  atanh: { value: (x) => f(Math.atanh(x)), grad: (x, _y, g) => f(g / f(1 - f(x * x))), saves: 'input' },
  log1p: { value: (x) => f(Math.log1p(x)), grad: (x, _y, g) => f(g / f(x + 1)), saves: 'input', torch: 'Log1PBackward0' },
  expm1: { value: (x) => f(Math.expm1(x)), grad: (_x, y, g) => f(g * f(y + 1)), saves: 'output' },
  log2: { value: (x) => f(Math.log2(x)), grad: (x, _y, g) => f(g / f(x * LN2)), saves: 'input' },
  log10: { value: (x) => f(Math.log10(x)), grad: (x, _y, g) => f(g / f(x * LN10)), saves: 'input' },
  exp2: { value: (x) => f(2 ** x), grad: (_x, y, g) => f(f(g * y) * LN2), saves: 'output' },
  reciprocal: { value: (x) => f(1 / x), grad: (_x, y, g) => f(-g * f(y * y)), saves: 'output' },
  rsqrt: { value: rsqrtF, grad: (_x, y, g) => f(f(-0.5 * g) * f(f(y * y) * y)), saves: 'output' },
  erf: { value: (x) => f(erf64(x)), grad: (x, _y, g) => f(f(TWO_OVER_SQRT_PI * f(Math.exp(-f(x * x)))) * g), saves: 'input' },
  erfc: { value: (x) => f(erfc64(x)), grad: (x, _y, g) => f(f(-TWO_OVER_SQRT_PI * f(Math.exp(-f(x * x)))) * g), saves: 'input' },
  erfinv: {
    value: (x) => f(erfinv64(x)),
    grad: (x, _y, g) => {
      const e = f(erfinv64(x));
      return f(f(HALF_SQRT_PI * f(Math.exp(f(e * e)))) * g);
    },
    saves: 'input',
  },
  frac: { value: (x) => f(x - Math.trunc(x)), grad: (_x, _y, g) => g, saves: 'nothing' },
  sinc: {
    // PyTorch's float kernel: 1 at 0, else sin(π·x)/(π·x) with π and the product in float32.
    value: (x) => {
      if (x === 0) return 1;
      const p = f(PI * x);
      return f(f(Math.sin(p)) / p);
    },
    // (g·(πx·cos(πx) − sin(πx)))/(x·x·π), 0 where x·x·π is 0 (PyTorch's sinc_backward).
    grad: (x, _y, g) => {
      const p = f(x * PI);
      const sq = f(f(x * x) * PI);
      if (sq === 0) return 0;
      return f(f(g * f(f(p * f(Math.cos(p))) - f(Math.sin(p)))) / sq);
    },
    saves: 'input',
  },
  deg2rad: { value: (x) => f(x * DEG2RAD), grad: (_x, _y, g) => f(g * DEG2RAD), saves: 'nothing', torch: 'Deg2RadBackward0' },
  rad2deg: { value: (x) => f(x * RAD2DEG), grad: (_x, _y, g) => f(g * RAD2DEG), saves: 'nothing', torch: 'Rad2DegBackward0' },
} satisfies Record<string, Spec>;

/** The ops computed by a Spec. */
export type UnaryMathOp = keyof typeof SPECS;

/** y = op(x) elementwise, recorded with PyTorch's gradient formula. */
export function apply(name: string, spec: Spec, x: Tensor): Tensor {
  checkTensor(x, name);
  const xv = x.values();
  const out = new Float32Array(xv.length);
  for (let i = 0; i < xv.length; i++) out[i] = spec.value(xv[i]!);
  const y = new Tensor(out, x.shape);
  const node = record(y, name, [x], (g) => {
    const gd = g.values();
    const gx = new Float32Array(xv.length);
    for (let i = 0; i < xv.length; i++) gx[i] = spec.grad(xv[i]!, out[i]!, gd[i]!);
    return [new Tensor(gx, x.shape)];
  }, spec.saves === 'input' ? [x] : spec.saves === 'output' ? [y] : [], spec.torch);
  const graph = spec.graph ?? GRAPHS[name];
  return graph === undefined ? node : twice(node, (g) => [graph(g, x, y)]);
}

/** The gradients of SPECS with recorded ops: PyTorch's formulas (derivatives.yaml), for the second derivatives. */
const GRAPHS: Partial<Record<string, (g: Tensor, x: Tensor, y: Tensor) => Tensor>> = {
  tan: (g, _x, y) => g.mul(y.mul(y).add(1)),
  atan: (g, x) => g.div(x.mul(x).add(1)),
  sinh: (g, x) => g.mul(cosh(x)),
  cosh: (g, x) => g.mul(sinh(x)),
  asinh: (g, x) => g.mul(rsqrt(x.mul(x).add(1))),
  asin: (g, x) => g.mul(rsqrt(x.mul(x).neg().add(1))),
  acos: (g, x) => g.mul(rsqrt(x.mul(x).neg().add(1)).neg()),
  acosh: (g, x) => g.mul(rsqrt(x.mul(x).sub(1))),
  atanh: (g, x) => g.div(x.mul(x).neg().add(1)),
  frac: (g) => g.mul(1),
  log1p: (g, x) => g.div(x.add(1)),
  expm1: (g, _x, y) => g.mul(y.add(1)),
  log2: (g, x) => g.div(x.mul(LN2)),
  log10: (g, x) => g.div(x.mul(LN10)),
  exp2: (g, _x, y) => g.mul(y).mul(LN2),
  reciprocal: (g, _x, y) => g.neg().mul(y.mul(y)),
  rsqrt: (g, _x, y) => g.mul(-0.5).mul(y.mul(y).mul(y)),
  erf: (g, x) => x.mul(x).neg().exp().mul(TWO_OVER_SQRT_PI).mul(g),
  erfc: (g, x) => x.mul(x).neg().exp().mul(-TWO_OVER_SQRT_PI).mul(g),
  deg2rad: (g) => g.mul(DEG2RAD),
  rad2deg: (g) => g.mul(RAD2DEG),
  // √π/2 · e^(erfinv(x)²)
  erfinv: (g, x) => erfinv(x).square().exp().mul(HALF_SQRT_PI).mul(g),
  // PyTorch's sinc_backward with ops: g·((πx·cos(πx) − sin(πx))/(x·x·π)), 0 where x·x·π is 0
  sinc: (g, x) => {
    const p = x.mul(PI);
    const sq = x.mul(x).mul(PI);
    return where(noGrad(() => sq.eq(0)), 0, g.mul(p.mul(p.cos()).sub(p.sin()).div(sq)));
  },
};


/** One of the Spec ops by name (for the in-place forms). */
export function unaryMath(op: UnaryMathOp, x: Tensor): Tensor {
  return apply(op, SPECS[op], x);
}

export const tan = (x: Tensor): Tensor => apply('tan', SPECS.tan, x);
export const asin = (x: Tensor): Tensor => apply('asin', SPECS.asin, x);
export const acos = (x: Tensor): Tensor => apply('acos', SPECS.acos, x);
export const atan = (x: Tensor): Tensor => apply('atan', SPECS.atan, x);
export const sinh = (x: Tensor): Tensor => apply('sinh', SPECS.sinh, x);
export const cosh = (x: Tensor): Tensor => apply('cosh', SPECS.cosh, x);
export const asinh = (x: Tensor): Tensor => apply('asinh', SPECS.asinh, x);
export const acosh = (x: Tensor): Tensor => apply('acosh', SPECS.acosh, x);
export const atanh = (x: Tensor): Tensor => apply('atanh', SPECS.atanh, x);
export const log1p = (x: Tensor): Tensor => apply('log1p', SPECS.log1p, x);
export const expm1 = (x: Tensor): Tensor => apply('expm1', SPECS.expm1, x);
export const log2 = (x: Tensor): Tensor => apply('log2', SPECS.log2, x);
export const log10 = (x: Tensor): Tensor => apply('log10', SPECS.log10, x);
export const exp2 = (x: Tensor): Tensor => apply('exp2', SPECS.exp2, x);
export const reciprocal = (x: Tensor): Tensor => apply('reciprocal', SPECS.reciprocal, x);
export const rsqrt = (x: Tensor): Tensor => apply('rsqrt', SPECS.rsqrt, x);
export const erf = (x: Tensor): Tensor => apply('erf', SPECS.erf, x);
export const erfc = (x: Tensor): Tensor => apply('erfc', SPECS.erfc, x);
export const erfinv = (x: Tensor): Tensor => apply('erfinv', SPECS.erfinv, x);
export const frac = (x: Tensor): Tensor => apply('frac', SPECS.frac, x);
export const sinc = (x: Tensor): Tensor => apply('sinc', SPECS.sinc, x);
export const deg2rad = (x: Tensor): Tensor => apply('deg2rad', SPECS.deg2rad, x);
export const rad2deg = (x: Tensor): Tensor => apply('rad2deg', SPECS.rad2deg, x);

/** PyTorch's `logit` keyword. */
export interface LogitOptions {
  /** Inputs are clamped into [eps, 1 − eps] first; none (or a negative eps) clamps nothing: logit(0) = −∞, logit(2) = NaN. */
  eps?: number | null;
}

/**
 * log(x / (1 − x)), x clamped into [eps, 1 − eps] when eps is given (by position or as `{ eps }`), as PyTorch's
 * float kernel: eps and 1 − eps in float32, the quotient rounded, then its log. The gradient (LogitBackward0) is
 * g / (x·(1 − x)) inside the bounds and 0 outside them (and at NaN); without eps, NaN outside [0, 1], ±∞ at 0 and 1
 * (g/(−0) at −0 is +∞ for a negative g, as PyTorch's).
 */
export function logit(x: Tensor, eps: number | null | LogitOptions = null): Tensor {
  checkTensor(x, 'logit');
  const e = isPlainObject(eps) ? checkOptions('logit', eps, ['eps']).eps ?? null : eps;
  if (e !== null && typeof e !== 'number') throw new KindlingError(`logit: eps must be a number or null, got ${describeValue(e)}`);
  const clampIt = e !== null && e >= 0;
  const lo = clampIt ? f(e) : 0;
  const hi = clampIt ? f(1 - lo) : 1;
  const xv = x.values();
  const out = new Float32Array(xv.length);
  for (let i = 0; i < xv.length; i++) {
    let v = xv[i]!;
    if (clampIt) v = v < lo ? lo : v > hi ? hi : v;
    out[i] = v === 1 ? Infinity : f(Math.log(f(v / f(1 - v))));
  }
  const node = record(new Tensor(out, x.shape), 'logit', [x], (g) => {
    const gd = g.values();
    const gx = new Float32Array(xv.length);
    for (let i = 0; i < xv.length; i++) {
      const v = xv[i]!, dy = gd[i]!;
      // PyTorch's vectorized kernel: 0 unless lo ≤ x ≤ hi (NaN too) with eps; without, NaN outside [0, 1].
      if (clampIt) gx[i] = v >= lo && v <= hi ? f(dy / f(v * f(1 - v))) : 0;
      else gx[i] = v < 0 || v > 1 ? NaN : f(dy / f(v * f(1 - v)));
    }
    return [new Tensor(gx, x.shape)];
  }, [x]);
  // The gradient's graph (createGraph): PyTorch's infinitely_differentiable_logit_backward, which is not its kernel's
  // formula everywhere — with no eps, NaN outside [0, 1] as the kernel; with an eps, 0 outside [eps, 1 − eps] (float32
  // bounds), a negative eps too, where PyTorch's plain gradient is NaN outside [0, 1] (its inconsistency, followed so
  // that createGraph's gradients are PyTorch's: logit(−0.5, −1) has the gradient −4/3 there, NaN without createGraph).
  return twice(node, (g) => {
    if (e === null) {
      const outside = noGrad(() => x.lt(0).logicalOr(x.gt(1)));
      return [where(outside, NaN, g.div(x.mul(x.neg().add(1))))];
    }
    const inside = noGrad(() => x.ge(f(e)).logicalAnd(x.le(f(1 - e))));
    // ½ in place of x outside the bounds, so that the unused branch's gradient is finite (not 0·∞).
    const safe = where(inside, x, 0.5);
    return [zeroEdge(where(inside, g.div(safe.mul(safe.neg().add(1))), 0), x)];
  });
}

/** PyTorch's `nan_to_num` keywords. */
export interface NanToNumOptions {
  /** What NaN becomes (0 by default). */
  nan?: number;
  /** What +∞ becomes (float32's largest value by default). */
  posinf?: number | null;
  /** What −∞ becomes (float32's lowest value by default). */
  neginf?: number | null;
}

function replacement(v: unknown, what: string, fallback: number): number {
  if (v === null || v === undefined) return fallback;
  if (typeof v !== 'number') throw new KindlingError(`nanToNum: ${what} must be a number${what === 'nan' ? '' : ' or null'}, got ${describeValue(v)}`);
  return f(v);
}

/**
 * NaN, +∞ and −∞ replaced (by position, `nanToNum(x, 0, 1e4, -1e4)`, or as `{ nan, posinf, neginf }`), the
 * replacements rounded to float32 as PyTorch casts them (1e39 becomes ∞). The gradient (NanToNumBackward0) passes
 * where x is finite, 0 elsewhere.
 */
export function nanToNum(x: Tensor, nan: number | NanToNumOptions = 0, posinf: number | null = null, neginf: number | null = null): Tensor {
  checkTensor(x, 'nanToNum');
  const o: NanToNumOptions = isPlainObject(nan) ? checkOptions('nanToNum', nan, ['nan', 'posinf', 'neginf']) : { nan, posinf, neginf };
  const rNan = replacement(o.nan, 'nan', 0);
  const rPos = replacement(o.posinf, 'posinf', FLOAT32_MAX);
  const rNeg = replacement(o.neginf, 'neginf', -FLOAT32_MAX);
  const xv = x.values();
  const out = new Float32Array(xv.length);
  for (let i = 0; i < xv.length; i++) {
    const v = xv[i]!;
    out[i] = v !== v ? rNan : v === Infinity ? rPos : v === -Infinity ? rNeg : v;
  }
  const node = record(new Tensor(out, x.shape), 'nanToNum', [x], (g) => {
    const gd = g.values();
    const gx = new Float32Array(xv.length);
    for (let i = 0; i < xv.length; i++) gx[i] = gd[i]! * (Number.isFinite(xv[i]!) ? 1 : 0);
    return [new Tensor(gx, x.shape)];
  }, [x]);
  // Linear in g: the finite elements' mask as a constant (createGraph).
  return twice(node, (g) => [g.mul(new Tensor(Float32Array.from(xv, (v) => (Number.isFinite(v) ? 1 : 0)), x.shape))]);
}

/** 1 where `test` holds, 0 elsewhere, as float32; no gradient (as Kindling's comparisons). */
function predicate(name: string, x: Tensor, test: (v: number, i: number, xv: Float32Array) => boolean): Tensor {
  checkTensor(x, name);
  const xv = x.values();
  const out = new Float32Array(xv.length);
  for (let i = 0; i < xv.length; i++) out[i] = test(xv[i]!, i, xv) ? 1 : 0;
  return markMask(new Tensor(out, x.shape));
}

export const isnan = (x: Tensor): Tensor => predicate('isnan', x, (v) => v !== v);
export const isinf = (x: Tensor): Tensor => predicate('isinf', x, (v) => v === Infinity || v === -Infinity);
export const isfinite = (x: Tensor): Tensor => predicate('isfinite', x, (v) => Number.isFinite(v));
export const isposinf = (x: Tensor): Tensor => predicate('isposinf', x, (v) => v === Infinity);
export const isneginf = (x: Tensor): Tensor => predicate('isneginf', x, (v) => v === -Infinity);
/** Whether the sign bit is set: −0 and a NaN with its sign bit set count, as in PyTorch. */
export const signbit = (x: Tensor): Tensor => {
  let bits: Uint32Array | null = null;
  return predicate('signbit', x, (v, i, xv) => {
    if (v === v) return v < 0 || Object.is(v, -0);
    bits ??= new Uint32Array(xv.buffer, xv.byteOffset, xv.length);
    return bits[i]! >>> 31 === 1;
  });
};
