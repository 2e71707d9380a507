// Tensors of whole numbers, as PyTorch makes them: random integers, a random permutation, the identity matrix.
// Kindling tensors are float32, so the values are whole float32s (as labels are), exact up to 2^24.
import { inRowMajor, likeDrawOrder } from '../ops/draw-order.js';
import { checkResultSize } from '../ops/util.js';
import { describeValue, isPlainObject } from '../options.js';
import { asksBool, creationOptions } from './creation-options.js';
import { markMask } from './mask-mark.js';
import type { FactoryKwargs } from '../device.js';
import { generatorOf, type Generator } from '../random.js';
import { checkShape, numel } from './shape.js';
import { Tensor } from './tensor.js';
import { boolGradError, type TensorOptions } from './creation.js';

/** Options of `randint` and `randperm`: the generator to draw from (default: the global one). */
export interface IntegerDrawOptions extends FactoryKwargs {
  generator?: Generator;
}

/** The largest whole number float32 holds exactly, and so the widest range these functions take. */
const EXACT = 2 ** 24;

function integer(op: string, name: string, v: unknown, least: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < least || Math.abs(v) > EXACT) {
    throw new RangeError(`${op}: ${name} must be an integer from ${least} to ${EXACT} (float32 holds whole numbers exactly up to 2^24), got ${describeValue(v)}`);
  }
  return v;
}

function drawOptions(op: string, options: unknown): Generator {
  const { generator } = creationOptions(op, options as IntegerDrawOptions | undefined, ['generator'], {
    requiresGrad: 'whole numbers have no gradient (PyTorch refuses requires_grad on integer tensors)',
  });
  return generatorOf(op, generator);
}

/**
 * Integers drawn uniformly from [low, high), exactly as `torch.randint` draws them from the same seed (each one
 * the generator's next 32-bit output mod (high − low), plus low): `randint(10, [3])`, `randint(-5, 5, [2, 2],
 * { generator })`; low, high and size also by name, as PyTorch's keywords (`randint(10, { size: [1] })`, the
 * PyTorch tutorials' `torch.randint(len(data), size=(1,))`).
 */
export function randint(...args: [high: number, size: readonly number[], options?: RandintOptions] | [low: number, high: number, size: readonly number[], options?: RandintOptions] | [low: number, high: number, options: RandintOptions] | [highOrLow: number, options: RandintOptions] | [options: RandintOptions]): Tensor {
  const { low: lowGiven = 0, high: highGiven, size, options, withLow } = randintArguments(args);
  const low = integer('randint', 'low', lowGiven, -EXACT);
  const high = integer('randint', 'high', highGiven, -EXACT);
  if (!Array.isArray(size)) throw new TypeError(`randint: the size must be an array, as in randint(${withLow ? 'low, ' : ''}high, [2, 3]) or randint(${withLow ? 'low, ' : ''}high, { size: [2, 3] }), got ${describeValue(size)}`);
  checkShape(size as number[], 'randint');
  checkResultSize('randint', size as number[]);
  const gen = bounds('randint', low, high, options, 'the size');
  return new Tensor(integers(numel(size as number[]), low, high, gen), size as number[]);
}

/** randint's options: low, high and size by name, as PyTorch's keywords, with the draw options. */
export interface RandintOptions extends IntegerDrawOptions {
  low?: number;
  high?: number;
  size?: readonly number[];
}

/**
 * randint's arguments bound as Python binds torch.randint's overloads, (high, size) and (low, high, size): by
 * position, the rest by name from the options last; one value alone is high unless high is named.
 */
function randintArguments(args: readonly unknown[]): { low?: unknown; high?: unknown; size?: unknown; options: unknown; withLow: boolean } {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  const last = args[end - 1];
  const named = isPlainObject(last) ? (last as RandintOptions) : undefined;
  const given = args.slice(0, named === undefined ? end : end - 1);
  const { low, high, size, ...rest } = named ?? {};
  const names = Array.isArray(given[1]) ? ['high', 'size'] : given.length >= 2 ? ['low', 'high', 'size'] : high === undefined ? ['high'] : ['low'];
  if (named !== undefined && given.length > names.length) throw new TypeError(`randint: takes (high, size) or (low, high, size), then options; got ${describeValue(given[names.length])} after the size`);
  // PyTorch's (high, size) overload has no low: randint(10, [3], low=2) fails there ("invalid combination of arguments").
  if (names[0] === 'high' && given.length >= 1 && low !== undefined) {
    throw new TypeError(`randint: low cannot be named after a high given by position (PyTorch's randint(high, size) has no low); give both by position, randint(low, high, size); got low ${describeValue(low)}`);
  }
  const out: Record<string, unknown> = { low, high, size };
  names.forEach((name, i) => {
    if (i >= given.length) return;
    if (out[name] !== undefined) throw new TypeError(`randint: ${name} given twice: ${describeValue(given[i])} by position and ${describeValue(out[name])} in the options`);
    out[name] = given[i];
  });
  // Something past the size that is not options: bounds() refuses it, naming it.
  const options = given.length > names.length ? given[names.length] : named === undefined ? undefined : rest;
  return { ...out, options, withLow: out['low'] !== undefined };
}

/** Refuses an empty [low, high) and options other than { generator }; the generator to draw from. */
function bounds(op: string, low: number, high: number, options: unknown, after: string): Generator {
  if (high <= low) throw new RangeError(`${op}: high (${high}) must be greater than low (${low}): the values are drawn from [low, high)`);
  if (options !== undefined && !isPlainObject(options)) throw new TypeError(`${op}: expected options ({ generator }) after ${after}, got ${describeValue(options)}`);
  return drawOptions(op, options);
}

/** n integers from [low, high), in draw order: each the generator's next 32-bit output mod (high − low), plus low. */
function integers(n: number, low: number, high: number, gen: Generator): Float32Array {
  const range = high - low;
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = (gen.nextUint32() % range) + low;
  return data;
}

/**
 * Integers drawn as `randint` draws them, in `t`'s shape, as PyTorch's `randint_like`: `randintLike(t, 10)` from
 * [0, 10), `randintLike(t, 5, 10)` from [5, 10), options ({ generator }) last. As PyTorch's result takes t's layout
 * (a transpose stays one, an expand becomes row-major), the values are drawn in that layout's order, as `randLike`'s;
 * the result is contiguous.
 */
export function randintLike(t: Tensor, ...args: [high: number, options?: IntegerDrawOptions] | [low: number, high: number, options?: IntegerDrawOptions]): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`randintLike: expected a Tensor to take the shape of, got ${describeValue(t)}`);
  const withLow = typeof args[1] === 'number';
  const [lowGiven, highGiven, options] = (withLow ? args : [0, ...args]) as [unknown, unknown, unknown];
  const low = integer('randintLike', 'low', lowGiven, -EXACT);
  const high = integer('randintLike', 'high', highGiven, -EXACT);
  const gen = bounds('randintLike', low, high, options, 'the bounds');
  return new Tensor(inRowMajor(integers(t.numel(), low, high, gen), likeDrawOrder(t)), t.shape);
}

/**
 * A random permutation of 0 … n − 1, exactly as `torch.randperm` draws it from the same seed (for i < n − 1, swap i
 * with i + the next 32-bit output mod (n − i)): `randperm(10)`, `randperm(10, { generator })`.
 */
export function randperm(n: number, options?: IntegerDrawOptions): Tensor {
  integer('randperm', 'n', n, 0);
  return new Tensor(permutation(drawOptions('randperm', options), new Float32Array(n)), [n]);
}

/**
 * Fills `out` with 0 … n − 1 in the order PyTorch 1.13's CPU `randperm` draws from `gen` (for i < n − 1, swap i with
 * i + the next 32-bit output mod (n − i)); the DataLoader's shuffles are these permutations too.
 */
export function permutation<A extends Float32Array | Int32Array>(gen: Generator, out: A): A {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = 0; i < n - 1; i++) {
    const j = i + (gen.nextUint32() % (n - i));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

/** The n × m identity matrix (ones on the diagonal), as `torch.eye`: `eye(3)`, `eye(2, 4)`, `eye(3, { requiresGrad: true })`. */
export function eye(n: number, m?: number | TensorOptions, options?: TensorOptions): Tensor {
  const [cols, opts] = typeof m === 'number' || m === undefined ? [m ?? n, options] : [n, m];
  integer('eye', 'n', n, 0);
  integer('eye', 'm', cols, 0);
  const { requiresGrad = false } = creationOptions('eye', opts, ['requiresGrad'], {}, true);
  // `{ dtype: 'bool' }` gives a mask, as PyTorch's eye(n, dtype=torch.bool).
  const bool = asksBool(opts);
  if (bool && requiresGrad) throw boolGradError('eye');
  checkResultSize('eye', [n, cols]);
  const data = new Float32Array(n * cols);
  for (let i = 0; i < Math.min(n, cols); i++) data[i * cols + i] = 1;
  const out = new Tensor(data, [n, cols], { requiresGrad });
  return bool ? markMask(out) : out;
}
