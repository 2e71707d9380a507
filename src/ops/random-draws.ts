// PyTorch 1.13's CPU random_, log_normal_, cauchy_ and geometric_ on a float32 tensor, bit for bit after the same
// seed: each is a serial kernel (one value at a time, in the tensor's memory order) over the generator's raw 32- or
// 64-bit draws, its float64 uniforms or its scalar Box–Muller normals, the result rounded to float32 once.
import { describeValue, isPlainObject, checkOptions } from '../options.js';
import { generatorOf, type Generator } from '../random.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTarget } from './inplace.js';
import { drawOrder, fillWith, inRowMajor, numberArg, positional, type FillOptions } from './random-fills.js';

/** float32's digits: random_() draws integers in [0, 2^24], the range float32 holds exactly. */
const FLOAT_DIGITS = 24;
const TWO_32 = 0x100000000;

/** Draws `n` values with `draw`, in t's memory order, and returns them row-major. */
function drawn(t: Tensor, draw: () => number): Float32Array {
  const out = new Float32Array(t.numel());
  for (let i = 0; i < out.length; i++) out[i] = draw();
  return inRowMajor(out, drawOrder(t));
}

/** An integer bound of random_: a safe integer (PyTorch's int64, as far as a JavaScript number holds one exactly). */
function intArg(key: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new TypeError(`random_: ${key} must be an integer (PyTorch's random_ takes ints), got ${describeValue(v)}`);
  }
  if (!Number.isSafeInteger(v)) throw new RangeError(`random_: ${key} = ${v} is beyond the integers a JavaScript number holds exactly (±(2^53 − 1))`);
  return v;
}

/** PyTorch's update_from<float>: the closest `from` float32 holds whose draws stay ≥ from. */
function updateFrom(from: number): number {
  const fromPlus1 = Math.fround(from + 1);
  if (fromPlus1 < from) {
    const n = Math.floor(Math.log2(Math.abs(from + 1)));
    return fromPlus1 + 2 ** (n - FLOAT_DIGITS + 1);
  }
  return from;
}

/** PyTorch's update_to<float>: the closest `to` float32 holds whose draws stay < to. */
function updateTo(to: number): number {
  const toMinus1 = Math.fround(to - 1);
  if (toMinus1 >= to) {
    const n = Math.floor(Math.log2(Math.abs(to - 1)));
    return toMinus1 - 2 ** (n - FLOAT_DIGITS + 1);
  }
  return to;
}

/**
 * PyTorch's uniform_int_from_to_distribution<float>: (val % range) + from, val one raw 32-bit draw when range is
 * below 2^32, else a 64-bit one (two draws, the first on top).
 */
function fromToDraw(gen: Generator, range: number, from: number): () => number {
  if (range < TWO_32) return () => (gen.nextUint32() % range) + from;
  const r = BigInt(range);
  const f = BigInt(from);
  return () => {
    const hi = BigInt(gen.nextUint32());
    const lo = BigInt(gen.nextUint32());
    return Number((((hi << 32n) | lo) % r) + f);
  };
}

/**
 * `x.random_()`, `x.random_(to)`, `x.random_(from, to)`, `x.random_(from, null)` (PyTorch's `to=None`), each with
 * `{ generator }` last: fills x with whole numbers, as PyTorch's `random_` on a float32 tensor: with no bounds
 * uniform in [0, 2^24] (one raw 32-bit draw modulo 2^24 + 1 each), else in [from, to) (or [from, 2^24]), from
 * one 32-bit draw modulo the range each (two, as one 64-bit draw, when the range is 2^32 or more). Bounds beyond
 * ±2^24 are moved to the nearest ones float32 holds, as PyTorch's update_from/update_to (PyTorch also warns there).
 * @throws RangeError when from ≥ to (PyTorch's message); TypeError for a bound that is not an integer.
 */
export function random_(t: Tensor, ...args: unknown[]): Tensor {
  const graph = checkTarget(t, 'random_');
  const bounds: (number | null)[] = [];
  let k = 0;
  for (; k < args.length && k < 2 && !isPlainObject(args[k]); k++) bounds.push(args[k] === null ? null : (args[k] as number));
  const rest = args.slice(k).filter((v) => v !== undefined);
  if (rest.length > 1 || (rest.length === 1 && !isPlainObject(rest[0]))) {
    throw new TypeError(`random_: expected up to 2 integers (to, or from and to) then an object of named options, as in x.random_(0, 10, { generator }); got ${describeValue(rest[rest.length - 1])}`);
  }
  const o = checkOptions<FillOptions>('random_', rest[0] as FillOptions | undefined, ['generator']);
  const gen = generatorOf('random_', o.generator);
  while (bounds.length > 0 && bounds[bounds.length - 1] === undefined) bounds.pop();
  if (bounds.length === 0) {
    const modulus = 2 ** FLOAT_DIGITS + 1;
    return fillWith(t, 'random_', drawn(t, () => gen.nextUint32() % modulus), 'RandomBackward2', graph);
  }
  if (bounds.length === 1) {
    if (bounds[0] === null) throw new TypeError('random_: to must be an integer, got null (x.random_(from, null) takes from first)');
    return fillFromTo(t, 0, intArg('to', bounds[0]), gen, 'RandomBackward1', graph);
  }
  const from = intArg('from', bounds[0]);
  if (bounds[1] === null) {
    // [from, 2^24], PyTorch's to=None.
    const toInc = 2 ** FLOAT_DIGITS;
    const f = updateFrom(from);
    if (!(f < toInc)) throw new RangeError(`random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' casted to dtype, but got from=${f} > to_inc=${toInc}`);
    return fillWith(t, 'random_', drawn(t, fromToDraw(gen, toInc - f + 1, f)), 'RandomBackward0', graph);
  }
  return fillFromTo(t, from, intArg('to', bounds[1]), gen, 'RandomBackward0', graph);
}

function fillFromTo(t: Tensor, from: number, to: number, gen: Generator, torchName: string, graph: boolean): Tensor {
  if (!(from < to)) throw new RangeError(`random_ expects 'from' to be less than 'to', but got from=${from} >= to=${to}`);
  const f = updateFrom(from);
  const e = updateTo(to);
  if (!(f < e)) throw new RangeError(`random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, but got from=${f} >= to=${e}`);
  return fillWith(t, 'random_', drawn(t, fromToDraw(gen, e - f, f)), torchName, graph);
}

/**
 * `x.logNormal_(mean = 1, std = 2, { generator })`, PyTorch's `log_normal_`: exp of N(mean, std²) values, each
 * one float64 Box–Muller value of the generator's scalar normal (its cached half shared with `normal_`), as
 * PyTorch's serial CPU kernel.
 * @throws RangeError when std ≤ 0 (PyTorch's message).
 */
export function logNormal_(t: Tensor, ...args: unknown[]): Tensor {
  const graph = checkTarget(t, 'logNormal_');
  const o = positional<{ mean: number; std: number; generator: Generator | null }>('logNormal_', ['mean', 'std'], args, ['mean', 'std', 'generator'], 'x.logNormal_(0, 0.5, { generator })');
  const mean = numberArg('logNormal_', 'mean', o.mean, 1);
  const std = numberArg('logNormal_', 'std', o.std, 2);
  if (!(std > 0)) throw new RangeError(`log_normal_ expects std > 0.0, but found std=${std}`);
  const gen = generatorOf('logNormal_', o.generator);
  return fillWith(t, 'logNormal_', drawn(t, () => Math.exp(gen.normal(mean, std))), 'LogNormalBackward0', graph);
}

/**
 * `x.cauchy_(median = 0, sigma = 1, { generator })`, PyTorch's `cauchy_`: median + sigma·tan(π(u − 1/2)) from one
 * float64 uniform u each. PyTorch 1.13 checks neither argument (sigma 0 gives the median, a negative sigma
 * mirrors the draws): neither does this.
 */
export function cauchy_(t: Tensor, ...args: unknown[]): Tensor {
  const graph = checkTarget(t, 'cauchy_');
  const o = positional<{ median: number; sigma: number; generator: Generator | null }>('cauchy_', ['median', 'sigma'], args, ['median', 'sigma', 'generator'], 'x.cauchy_(0, 1, { generator })');
  const median = numberArg('cauchy_', 'median', o.median, 0);
  const sigma = numberArg('cauchy_', 'sigma', o.sigma, 1);
  const gen = generatorOf('cauchy_', o.generator);
  return fillWith(t, 'cauchy_', drawn(t, () => median + sigma * Math.tan(Math.PI * (gen.uniform64() - 0.5))), 'CauchyBackward0', graph);
}

/**
 * `x.geometric_(p, { generator })`, PyTorch's `geometric_`: the number of Bernoulli(p) trials up to the first
 * success, ceil(log(u) / log(1 − p)) from one float64 uniform u each.
 * @throws RangeError unless 0 < p < 1 (PyTorch's message).
 */
export function geometric_(t: Tensor, ...args: unknown[]): Tensor {
  const graph = checkTarget(t, 'geometric_');
  const o = positional<{ p: number; generator: Generator | null }>('geometric_', ['p'], args, ['p', 'generator'], 'x.geometric_(0.2, { generator })');
  if (o.p === undefined) throw new TypeError('geometric_: p, the probability of success, is required: x.geometric_(0.2)');
  const p = numberArg('geometric_', 'p', o.p, 0);
  if (!(p > 0 && p < 1)) throw new RangeError(`geometric_ expects p to be in (0, 1), but got p=${p}`);
  const gen = generatorOf('geometric_', o.generator);
  const denominator = Math.log(1 - p);
  return fillWith(t, 'geometric_', drawn(t, () => Math.ceil(Math.log(gen.uniform64()) / denominator)), 'GeometricBackward0', graph);
}
