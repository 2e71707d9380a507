// Binary elementwise math as PyTorch 1.13's: atan2, fmod, remainder, floorDivide, trueDivide, hypot, logaddexp,
// logaddexp2, fmax, fmin, xlogy, copysign, clampMin, clampMax (operands broadcast together). Each value is computed as
// PyTorch's float32 CPU kernel computes it, every step rounded to float32 (the transcendental functions in float64,
// rounded once); the gradients are PyTorch's formulas (derivatives.yaml), rounded step by step as its float32 ops
// round them, summed over what was broadcast. A number is taken where PyTorch takes a Scalar (its node is then
// PyTorch's other overload, FmodBackward0 rather than FmodBackward1); elsewhere PyTorch's refusal is Kindling's.
import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { twice, zeroEdge } from '../autograd/twice.js';
import { gatherStrided } from '../kernels/strided.js';
import { broadcastShapes, broadcastStrides, numel } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { float32Scalar } from '../tensor/float32-scalar.js';
import { sumToShape } from './broadcast.js';
import { describeValue } from '../options.js';
import { describe, empty } from './util.js';
import { div, where } from './binary.js';

const f = Math.fround;

/** The values of `t` broadcast to `shape`, as a new contiguous array (a strided copy: −0 stays −0). */
export function expanded(t: Tensor, shape: readonly number[]): Float32Array {
  const out = new Float32Array(numel(shape));
  gatherStrided(t.values(), shape, broadcastStrides(t.shape, shape), out);
  return out;
}

/**
 * `v` as a tensor operand of `op`: a tensor as it is, a number (where PyTorch takes a Scalar) as a 0-d tensor, rounded
 * to float32 (beyond its range ±∞, as in PyTorch's arithmetic; `bound`: refused there, as PyTorch refuses a clamp bound).
 */
export function operand(op: string, what: string, v: unknown, numberOk: boolean, bound = false): Tensor {
  if (v instanceof Tensor) return v;
  if (typeof v === 'number' && numberOk) return new Tensor(new Float32Array([bound ? float32Scalar(op, what, v) : v]), []);
  const expected = numberOk ? 'a Tensor or a number' : 'a Tensor (PyTorch\'s takes no number here either)';
  throw new TypeError(`${op}: argument '${what}' must be ${expected}, got ${describe(v)}`);
}

/** One element's value from the operands' (float32) values. */
type Value = (a: number, b: number) => number;
/** One element's gradient for an operand from the output gradient g, the operands and the result. */
type Partial = (g: number, a: number, b: number, y: number) => number;

export interface BinarySpec {
  /** Kindling's name (errors quote it). */
  name: string;
  value: Value;
  /** The value with a number second operand, where PyTorch's Scalar overload's kernel computes it otherwise. */
  valueNumber?: Value;
  /** The gradients of the first and second operand; null where PyTorch has none (no gradient flows). */
  da: Partial | null;
  db: Partial | null;
  /** PyTorch's node names: with a tensor second operand, with a number, with a number first. */
  torch: string;
  torchNumber?: string;
  torchNumberSelf?: string;
  /** Whether a number is taken as the second (first) operand, as PyTorch's Scalar overloads. */
  numberOther?: boolean;
  numberSelf?: boolean;
  /** Whether a number second operand is a bound (clampMin/clampMax's): refused beyond float32's range, as PyTorch's. */
  bound?: boolean;
  /** The error of backward() where PyTorch records a node that refuses to differentiate (NotImplemented). */
  refuse?: string;
  /** The error of backward() when the first operand requires grad, where PyTorch has no formula for its gradient. */
  refuseInput?: string;
  /** The error of backward() with a number first, where PyTorch's Scalar-first overload has no derivative (NotImplemented). */
  refuseNumberSelf?: string;
  /**
   * The same gradients written with recorded ops (g, the operands and the result broadcast as the op broadcast them),
   * so that they have a graph of their own (createGraph, second derivatives); absent where the op has none.
   */
  graph?: (g: Tensor, a: Tensor, b: Tensor, y: Tensor) => [Tensor | null, Tensor | null];
  /**
   * What each operand's gradient reads ('a', 'b', 'y' the result), where PyTorch saves only what the gradients of the
   * operands that require grad read; absent: both operands, whatever requires grad.
   */
  reads?: readonly [readonly ('a' | 'b' | 'y')[], readonly ('a' | 'b' | 'y')[]];
}

/** The tensors the gradients of the operands that require grad read (`spec.reads`), as PyTorch saves them. */
function savedBy(spec: BinarySpec, a: Tensor, b: Tensor, y: Tensor): Tensor[] {
  if (spec.reads === undefined) return [a, b];
  const of = { a, b, y };
  const keys = new Set([...(a.requiresGrad ? spec.reads[0] : []), ...(b.requiresGrad ? spec.reads[1] : [])]);
  return [...keys].map((k) => of[k]);
}

/** The elementwise result of `spec` over the broadcast operands, recorded with PyTorch's gradients. */
export function binaryMath(spec: BinarySpec, x: unknown, y: unknown): Tensor {
  // PyTorch's overloads take a number for one operand at most (floor_divide, which takes two, aside).
  if (typeof x === 'number' && typeof y === 'number' && spec.name !== 'floorDivide') {
    throw new TypeError(`${spec.name}: argument 'input' or 'other' must be a Tensor (PyTorch's takes one number at most), got the numbers ${x} and ${y}`);
  }
  const a = operand(spec.name, 'input', x, spec.numberSelf === true);
  const b = operand(spec.name, spec.bound === true ? spec.name.slice(5).toLowerCase() : 'other', y, spec.numberOther === true, spec.bound === true);
  const shape = broadcastShapes(a.shape, b.shape, spec.name);
  const av = expanded(a, shape);
  const bv = expanded(b, shape);
  const out = empty(shape);
  const o = out.data;
  const value = typeof y === 'number' ? spec.valueNumber ?? spec.value : spec.value;
  for (let i = 0; i < o.length; i++) o[i] = value(av[i]!, bv[i]!);
  const torchName = typeof x === 'number' ? spec.torchNumberSelf : typeof y === 'number' ? spec.torchNumber : spec.torch;
  const node = record(out, spec.name, [a, b], (g) => {
    if (spec.refuse !== undefined) throw new Error(spec.refuse);
    if (spec.refuseNumberSelf !== undefined && typeof x === 'number') throw new Error(spec.refuseNumberSelf);
    if (spec.refuseInput !== undefined && a.requiresGrad) throw new Error(spec.refuseInput);
    const G = g.values();
    const part = (p: Partial | null, t: Tensor): Tensor | null => {
      if (p === null || !t.requiresGrad) return null;
      const r = empty(shape);
      const d = r.data;
      for (let i = 0; i < d.length; i++) d[i] = p(G[i]!, av[i]!, bv[i]!, o[i]!);
      return sumToShape(r, t.shape);
    };
    return [part(spec.da, a), part(spec.db, b)];
  }, savedBy(spec, a, b, out), torchName);
  const graph = spec.graph;
  if (graph === undefined || (spec.refuseNumberSelf !== undefined && typeof x === 'number')) return node;
  return twice(node, (g) => {
    if (spec.refuse !== undefined) throw new Error(spec.refuse);
    if (spec.refuseInput !== undefined && a.requiresGrad) throw new Error(spec.refuseInput);
    const [ga, gb] = graph(g, a, b, node);
    return [ga !== null && a.requiresGrad ? sumToShape(ga, a.shape) : null, gb !== null && b.requiresGrad ? sumToShape(gb, b.shape) : null];
  });
}

/**
 * g where `pass` holds (a mask of constants), 0 elsewhere — even where g is NaN or ∞, as PyTorch's where/masked_fill
 * give — reaching `on` with a zero derivative as PyTorch's masked gradients do.
 */
const masked = (g: Tensor, pass: Tensor, on: Tensor): Tensor => zeroEdge(where(pass, g, 0), on);
/** Zeros of g's shape, outside the graph (PyTorch's grad.new_zeros). */
const zerosLike = (g: Tensor): Tensor => new Tensor(new Float32Array(g.numel()), g.shape);
/** The same values, outside the graph (a quotient's rounding, a mask). */
const constant = (fn: () => Tensor): Tensor => noGrad(fn);

/** a.div(b, { roundingMode }) recorded (DivBackward2, zero gradients): fmod's and remainder's gradient graphs. */
const quotient = (mode: 'trunc' | 'floor', a: Tensor, b: Tensor): Tensor => binaryMath(mode === 'trunc' ? divTruncSpec : divFloorSpec, a, b);

/** PyTorch's floor division of floats (div_floor_floating): a / b rounded toward −∞, with its care for the last bit. */
export function floorDiv(a: number, b: number): number {
  if (b === 0) return f(a / b);
  const mod = a % b;
  let q = f(f(a - mod) / b);
  if (mod !== 0 && b < 0 !== mod < 0) q = f(q - 1);
  if (q === 0) {
    const r = f(a / b);
    return r < 0 || Object.is(r, -0) ? -0 : 0;
  }
  let fl = Math.floor(q);
  if (f(q - fl) > 0.5) fl = f(fl + 1);
  return fl;
}

/** PyTorch's remainder of floats: C's fmod, moved by b where its sign differs from b's (Python's %). */
export function remainderOf(a: number, b: number): number {
  const mod = f(a % b);
  return mod !== 0 && b < 0 !== mod < 0 ? f(mod + b) : mod;
}

const SPECS = {
  atan2: {
    name: 'atan2', value: (a, b) => f(Math.atan2(a, b)), torch: 'Atan2Backward0',
    // recip = 1 / (a² + b²); grad·b·recip and grad·(−a)·recip
    da: (g, a, b) => f(f(g * b) * f(1 / f(f(a * a) + f(b * b)))),
    db: (g, a, b) => f(f(g * -a) * f(1 / f(f(a * a) + f(b * b)))),
    graph: (g, a, b) => {
      const recip = a.mul(a).add(b.mul(b)).reciprocal();
      return [g.mul(b).mul(recip), g.mul(a.neg()).mul(recip)];
    },
  },
  fmod: {
    name: 'fmod', value: (a, b) => f(a % b), torch: 'FmodBackward1', torchNumber: 'FmodBackward0', numberOther: true,
    da: (g) => g,
    // −grad · trunc(a / b)
    db: (g, a, b) => f(-g * Math.trunc(f(a / b))),
    // PyTorch's −grad · self.div(other, rounding_mode='trunc'): the quotient recorded (DivBackward2, zero gradients),
    // so a second derivative through it is zeros, not a refusal.
    graph: (g, a, b) => [g.mul(1), g.neg().mul(quotient('trunc', a, b))],
  },
  remainder: {
    // A number first is PyTorch's remainder.Scalar_Tensor, which has no derivative.
    name: 'remainder', value: remainderOf, torch: 'RemainderBackward1', torchNumber: 'RemainderBackward0', torchNumberSelf: 'NotImplemented', numberOther: true, numberSelf: true,
    refuseNumberSelf: 'remainder: the derivative for remainder with a number first is not implemented (PyTorch refuses it too: "derivative for aten::remainder is not implemented")',
    da: (g) => g,
    // −grad · floor_divide(a, b)
    db: (g, a, b) => f(-g * floorDiv(a, b)),
    // PyTorch's −grad · self.div(other, rounding_mode='floor'), recorded as fmod's quotient is.
    graph: (g, a, b) => [g.mul(1), g.neg().mul(quotient('floor', a, b))],
  },
  floorDivide: {
    name: 'floorDivide', value: floorDiv, torch: 'NotImplemented', torchNumber: 'NotImplemented', torchNumberSelf: 'NotImplemented', numberOther: true, numberSelf: true, da: null, db: null,
    refuse: 'floorDivide: the derivative for floor_divide is not implemented (PyTorch refuses it too: "derivative for aten::floor_divide is not implemented")',
  },
  divTrunc: {
    // std::trunc(a / b) of the float32 quotient; PyTorch records DivBackward2 with zeros for both gradients (new
    // zeros, outside the graph, with createGraph too)
    name: 'div', value: (a, b) => Math.trunc(f(a / b)), torch: 'DivBackward2', torchNumber: 'DivBackward2', numberOther: true,
    da: () => 0, db: () => 0, graph: (g) => [zerosLike(g), zerosLike(g)],
  },
  divFloor: {
    name: 'div', value: floorDiv, torch: 'DivBackward2', torchNumber: 'DivBackward2', numberOther: true, da: () => 0, db: () => 0,
    graph: (g) => [zerosLike(g), zerosLike(g)],
  },
  hypot: {
    name: 'hypot', value: (a, b) => f(Math.hypot(a, b)), torch: 'HypotBackward0',
    da: (g, a, _b, y) => f(f(g * a) / y),
    db: (g, _a, b, y) => f(f(g * b) / y),
    graph: (g, a, b, y) => [g.mul(a).div(y), g.mul(b).div(y)],
    reads: [['a', 'y'], ['b', 'y']],
  },
  logaddexp: {
    // PyTorch 1.13's kernel: m + log(1 + e^−|a − b|) (log of 1 + x, not log1p: its float32 bits, small tails included)
    name: 'logaddexp', torch: 'LogaddexpBackward0',
    value: (a, b) => {
      if (a === b && (a === Infinity || a === -Infinity)) return a;
      const m = a < b ? b : a;
      return f(m + f(Math.log(f(1 + f(Math.exp(-f(Math.abs(f(a - b)))))))));
    },
    da: (g, a, b) => f(g / f(1 + f(Math.exp(f(b - a))))),
    db: (g, a, b) => f(g / f(1 + f(Math.exp(f(a - b))))),
    graph: (g, a, b) => [g.div(b.sub(a).exp().add(1)), g.div(a.sub(b).exp().add(1))],
  },
  logaddexp2: {
    // m + log2(1 + 2^−|a − b|), as PyTorch 1.13's kernel
    name: 'logaddexp2', torch: 'Logaddexp2Backward0',
    value: (a, b) => {
      if (a === b && (a === Infinity || a === -Infinity)) return a;
      const m = a < b ? b : a;
      return f(m + f(Math.log2(f(1 + f(Math.pow(2, -f(Math.abs(f(a - b)))))))));
    },
    da: (g, a, b) => f(g / f(1 + f(Math.pow(2, f(b - a))))),
    db: (g, a, b) => f(g / f(1 + f(Math.pow(2, f(a - b))))),
    graph: (g, a, b) => [g.div(b.sub(a).exp2().add(1)), g.div(a.sub(b).exp2().add(1))],
  },
  fmax: {
    name: 'fmax', torch: 'FmaxBackward0',
    value: (a, b) => (Number.isNaN(b) ? a : Number.isNaN(a) ? b : a < b ? b : a),
    // to self where a ≥ b or b is NaN, else to other
    da: (g, a, b) => (a >= b || Number.isNaN(b) ? g : 0),
    db: (g, a, b) => (a >= b || Number.isNaN(b) ? 0 : g),
    graph: (g, a, b) => {
      const first = constant(() => a.ge(b).logicalOr(b.isnan()));
      return [masked(g, first, a), masked(g, first.logicalNot(), b)];
    },
  },
  fmin: {
    name: 'fmin', torch: 'FminBackward0',
    value: (a, b) => (Number.isNaN(b) ? a : Number.isNaN(a) ? b : a > b ? b : a),
    da: (g, a, b) => (a <= b || Number.isNaN(b) ? g : 0),
    db: (g, a, b) => (a <= b || Number.isNaN(b) ? 0 : g),
    graph: (g, a, b) => {
      const first = constant(() => a.le(b).logicalOr(b.isnan()));
      return [masked(g, first, a), masked(g, first.logicalNot(), b)];
    },
  },
  xlogy: {
    name: 'xlogy', torch: 'XlogyBackward0', torchNumber: 'XlogyBackward2', torchNumberSelf: 'XlogyBackward1', numberOther: true, numberSelf: true,
    value: (x, y) => (Number.isNaN(y) ? NaN : x === 0 ? 0 : f(x * f(Math.log(y)))),
    // xlogy(grad, y), 0 where x == 0 and y ≤ 0; grad · x / y
    da: (g, x, y) => (x === 0 && y <= 0 ? 0 : Number.isNaN(y) ? NaN : g === 0 ? 0 : f(g * f(Math.log(y)))),
    db: (g, x, y) => f(f(g * x) / y),
    graph: (g, x, y) => [xlogGradient(g, x, y, y.log(), 0), g.mul(x).div(y)],
  },
  xlog1py: {
    name: 'xlog1py', torch: 'SpecialXlog1PyBackward0', torchNumber: 'SpecialXlog1PyBackward2', torchNumberSelf: 'SpecialXlog1PyBackward1', numberOther: true, numberSelf: true,
    value: (x, y) => (Number.isNaN(y) ? NaN : x === 0 ? 0 : f(x * f(Math.log1p(y)))),
    // xlog1py(grad, y), 0 where x == 0 and y ≤ −1; grad · x / (y + 1)
    da: (g, x, y) => (x === 0 && y <= -1 ? 0 : Number.isNaN(y) ? NaN : g === 0 ? 0 : f(g * f(Math.log1p(y)))),
    db: (g, x, y) => f(f(g * x) / f(y + 1)),
    graph: (g, x, y) => [xlogGradient(g, x, y, y.log1p(), -1), g.mul(x).div(y.add(1))],
  },
  copysign: {
    name: 'copysign', torch: 'CopysignBackward0', torchNumber: 'CopysignBackward1', numberOther: true,
    value: (a, b) => (Object.is(b, -0) || b < 0 || (Number.isNaN(b) && signBit(b)) ? -Math.abs(a) : Math.abs(a)),
    // grad · result / self, 0 where self is 0; zeros for other
    da: (g, a, _b, y) => f(g * (a === 0 ? 0 : f(y / a))),
    db: () => 0,
    graph: (g, a, b, y) => {
      const zero = constant(() => a.eq(0));
      // A safe divisor where a is 0, so that the unused branch's gradient is not 0·∞.
      return [g.mul(where(zero, 0, y.div(where(zero, 1, a)))), zeroEdge(g.mul(0), b)];
    },
    reads: [['a', 'y'], []],
  },
  clampMin: {
    name: 'clampMin', torch: 'ClampMinBackward1', torchNumber: 'ClampMinBackward0', numberOther: true, bound: true,
    // With a tensor bound, the bound where the two are equal (−0 against 0), as PyTorch's vectorised maximum gives
    // (its loop over the last few elements keeps x); with a number, x, as its clamp_min(Scalar) kernel keeps it:
    // clampMin(tensor([-0]), 0) is −0.
    value: (a, m) => (Number.isNaN(a) || Number.isNaN(m) ? NaN : a > m ? a : m),
    valueNumber: (a, m) => (Number.isNaN(a) || Number.isNaN(m) ? NaN : a < m ? m : a),
    da: (g, a, m) => (a >= m ? g : 0),
    db: (g, a, m) => (a < m ? g : 0),
    // where(a >= m, g, 0) and where(a < m, g, 0): neither passes at a NaN
    graph: (g, a, m) => [masked(g, constant(() => a.ge(m)), a), masked(g, constant(() => a.lt(m)), m)],
  },
  clampMax: {
    name: 'clampMax', torch: 'ClampMaxBackward1', torchNumber: 'ClampMaxBackward0', numberOther: true, bound: true,
    // As clampMin: clampMax(tensor([0]), -0) is +0, x kept, with a number bound.
    value: (a, m) => (Number.isNaN(a) || Number.isNaN(m) ? NaN : a < m ? a : m),
    valueNumber: (a, m) => (Number.isNaN(a) || Number.isNaN(m) ? NaN : a > m ? m : a),
    da: (g, a, m) => (a <= m ? g : 0),
    db: (g, a, m) => (a > m ? g : 0),
    // where(a <= m, g, 0) and where(a > m, g, 0)
    graph: (g, a, m) => [masked(g, constant(() => a.le(m)), a), masked(g, constant(() => a.gt(m)), m)],
  },
} satisfies Record<string, BinarySpec>;

const divTruncSpec: BinarySpec = SPECS.divTrunc;
const divFloorSpec: BinarySpec = SPECS.divFloor;

/**
 * xlogy's (xlog1py's) gradient for x: g·log(y) (log1p(y)), 0 where x is 0 and y is at or below `edge`, and where g is 0;
 * NaN where y is.
 */
function xlogGradient(g: Tensor, x: Tensor, y: Tensor, logY: Tensor, edge: number): Tensor {
  const zero = constant(() => x.eq(0).logicalAnd(y.le(edge)).logicalAnd(y.isnan().logicalNot()).logicalOr(g.eq(0).logicalAnd(y.isnan().logicalNot())));
  return where(zero, 0, g.mul(where(zero, 1, logY)));
}

/** Whether a NaN's sign bit is set (JavaScript keeps it in a Float32Array). */
function signBit(v: number): boolean {
  return (new Uint32Array(Float32Array.of(v).buffer)[0]! >>> 31) === 1;
}

/** The angle of the point (other, input) in radians, in [−π, π] (PyTorch's `atan2(input, other)`). */
export const atan2 = (input: Tensor, other: Tensor): Tensor => binaryMath(SPECS.atan2, input, other);
/** C's fmod: the remainder with the sign of the dividend (PyTorch's `fmod`). */
export const fmod = (input: Tensor, other: Tensor | number): Tensor => binaryMath(SPECS.fmod, input, other);
/** Python's modulus: the remainder with the sign of the divisor (PyTorch's `remainder`; a number first has no gradient, as there). */
export const remainder = (input: Tensor | number, other: Tensor | number): Tensor => binaryMath(SPECS.remainder, input, other);
/** input / other rounded toward −∞ (PyTorch 1.13's `floor_divide`); like PyTorch's, it has no gradient. */
export const floorDivide = (input: Tensor | number, other: Tensor | number): Tensor => binaryMath(SPECS.floorDivide, input, other);
/** input / other rounded toward zero ('trunc') or −∞ ('floor'): PyTorch's `div` with a rounding mode (zero gradients). */
export const divRounded = (input: Tensor, other: Tensor | number, mode: 'trunc' | 'floor'): Tensor =>
  binaryMath(mode === 'trunc' ? SPECS.divTrunc : SPECS.divFloor, input, other);
/** input / other (PyTorch's `true_divide`, an alias of `div` that takes no rounding mode). */
export const trueDivide = (input: Tensor, other: Tensor | number, ...extra: unknown[]): Tensor => {
  if (extra.length > 0 && extra[0] !== undefined) {
    throw new TypeError(`trueDivide: takes no rounding mode or other options (PyTorch's true_divide has none), got ${describeValue(extra[0])}; for a rounded quotient use div(input, other, { roundingMode: 'trunc' | 'floor' })`);
  }
  operand('trueDivide', 'input', input, false);
  return div(input, operand('trueDivide', 'other', other, true));
};
/** √(input² + other²), without overflow in between (PyTorch's `hypot`). */
export const hypot = (input: Tensor, other: Tensor): Tensor => binaryMath(SPECS.hypot, input, other);
/** log(e^input + e^other), computed without overflow (PyTorch's `logaddexp`). */
export const logaddexp = (input: Tensor, other: Tensor): Tensor => binaryMath(SPECS.logaddexp, input, other);
/** log2(2^input + 2^other) (PyTorch's `logaddexp2`). */
export const logaddexp2 = (input: Tensor, other: Tensor): Tensor => binaryMath(SPECS.logaddexp2, input, other);
/** The larger of each pair, ignoring a NaN (PyTorch's `fmax`; `maximum` propagates it). */
export const fmax = (input: Tensor, other: Tensor): Tensor => binaryMath(SPECS.fmax, input, other);
/** The smaller of each pair, ignoring a NaN (PyTorch's `fmin`). */
export const fmin = (input: Tensor, other: Tensor): Tensor => binaryMath(SPECS.fmin, input, other);
/** input · log(other), 0 where input is 0 (unless other is NaN) (PyTorch's `xlogy`). */
export const xlogy = (input: Tensor | number, other: Tensor | number): Tensor => binaryMath(SPECS.xlogy, input, other);
/** input · log1p(other), 0 where input is 0 (unless other is NaN) (PyTorch's `special.xlog1py`). */
export const xlog1py = (input: Tensor | number, other: Tensor | number): Tensor => binaryMath(SPECS.xlog1py, input, other);
/** |input| with the sign of other (−0 and a negative NaN count as negative) (PyTorch's `copysign`). */
export const copysign = (input: Tensor, other: Tensor | number): Tensor => binaryMath(SPECS.copysign, input, other);
/** max(input, min) elementwise, NaN propagating (PyTorch's `clamp_min`). */
export const clampMin = (input: Tensor, min: Tensor | number): Tensor => binaryMath(SPECS.clampMin, input, min);
/** min(input, max) elementwise, NaN propagating (PyTorch's `clamp_max`). */
export const clampMax = (input: Tensor, max: Tensor | number): Tensor => binaryMath(SPECS.clampMax, input, max);
