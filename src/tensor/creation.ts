import { checkResultSize } from '../ops/util.js';
import { describeValue, shownValue, isPlainObject } from '../options.js';
import { asksBool, creationOptions, namesDtype, type TensorOptions } from './creation-options.js';
import type { FactoryKwargs } from '../device.js';
import { generatorOf, type Generator } from '../random.js';
import { checkShape, formatShape, numel } from './shape.js';
import { Tensor, type NestedArray } from './tensor.js';
import { isMask, keepMask, markMask } from './mask-mark.js';
import { float32Scalar } from './float32-scalar.js';
import { fma64 } from './fma64.js';
import { rangeArguments } from './number-arguments.js';

export type { TensorOptions } from './creation-options.js';

/** Options of `rand` and `randn`. */
export interface RandomTensorOptions extends TensorOptions {
  /** Draws the values (default: the global generator, which `manualSeed` seeds). */
  generator?: Generator;
}

/** A shape as PyTorch takes it: sizes one by one (`zeros(2, 3)`) or as an array (`zeros([2, 3])`), then options. */
export type SizesAndOptions<O> = [shape: readonly number[], options?: O | undefined] | number[] | [...sizes: number[], options: O | undefined];

/** Advice for options a PyTorch user may pass. */
const HINTS = {
  seed: 'draw from a seeded generator, e.g. { generator: new Generator(42) }, or call manualSeed(42) first',
};

/** The shape and the options of a creation function's arguments (see {@link SizesAndOptions}). */
function shapeAndOptions(op: string, args: readonly unknown[]): { shape: readonly number[]; options: unknown } {
  const [first] = args;
  if (Array.isArray(first)) {
    if (args.length > 2) throw new TypeError(`${op}: a shape array can only be followed by options, as in ${op}([2, 3], { requiresGrad: true }); got ${args.length} arguments`);
    return { shape: first as readonly number[], options: args[1] };
  }
  const last = args[args.length - 1];
  // Options passed on as undefined (`zeros(2, 3, opts)` with opts unset) count as none.
  const sizes = isPlainObject(last) || (last === undefined && args.length > 1) ? args.slice(0, -1) : args;
  if (sizes.length === 0) throw new TypeError(`${op}: give a shape, as in ${op}(2, 3) or ${op}([2, 3]) ([] for a 0-d tensor)`);
  sizes.forEach((d, i) => {
    if (typeof d !== 'number') throw new TypeError(`${op}: sizes must be numbers, as in ${op}(2, 3) or ${op}([2, 3]); argument ${i + 1} is ${describeValue(d)}`);
  });
  return { shape: sizes as number[], options: sizes.length < args.length ? last : undefined };
}

/**
 * A row of the nested values: an array, or a typed array, as PyTorch's `torch.tensor` takes a list of NumPy arrays
 * (`tensor([Float32Array.of(1, 2), Float32Array.of(3, 4)])`, rows read from a file).
 */
function isRow(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

function nestedShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let cur: unknown = values;
  while (isRow(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  return shape;
}

/**
 * An element's number: a number, a boolean (1 or 0: where `torch.tensor([True, False])` makes a bool tensor,
 * Kindling makes a mask, float32 ones and zeros as comparisons give, marked as theirs are), or a tensor of one element (its value, detached,
 * as `torch.tensor([t1, t2])` takes 0-d tensors such as losses); anything else is refused, naming where it is.
 */
function leafNumber(v: unknown, where: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Tensor) {
    if (v.numel() === 1) return v.item();
    throw new TypeError(`tensor: ${where} is a tensor of shape ${formatShape(v.shape)}; only one-element tensors can be taken as numbers (as in PyTorch). To join tensors, use stack([...]) or cat([...])`);
  }
  throw new TypeError(`tensor: expected a number at ${where}, got ${Array.isArray(v) ? 'an array' : describeValue(v)}`);
}

/** The elements of a flat array given with a shape: numbers, or booleans and one-element tensors as the nested path takes them. */
function flatNumbers(values: readonly unknown[]): ArrayLike<number> {
  for (let i = 0; i < values.length; i++) {
    if (!(i in values)) throw new TypeError(`tensor: expected a number at [${i}], got a hole (an empty slot of a sparse array)`);
  }
  return values.every((v) => typeof v === 'number') ? (values as readonly number[]) : values.map((v, i) => leafNumber(v, `[${i}]`));
}

function flatten(values: NestedArray, shape: readonly number[], out: Float32Array): void {
  let k = 0;
  const walk = (v: unknown, dim: number, path: string): void => {
    if (dim === shape.length) {
      out[k++] = leafNumber(v, path || 'the top level');
      return;
    }
    if (!isRow(v) || v.length !== shape[dim]) {
      throw new RangeError(`tensor: ragged nested array: ${path || 'the top level'} has ${isRow(v) ? `length ${v.length}` : describeValue(v)} but ${shape[dim]} was expected (shape ${formatShape(shape)})`);
    }
    // A for loop, not forEach: forEach skips the holes of a sparse array, which would shift the later values.
    for (let i = 0; i < v.length; i++) {
      if (!(i in v)) throw new TypeError(`tensor: expected a number at ${path}[${i}], got a hole (an empty slot of a sparse array)`);
      walk(v[i], dim + 1, `${path}[${i}]`);
    }
  };
  walk(values, 0, '');
}

/** What `tensor` takes: numbers, booleans (1 and 0), one-element tensors (taken as their values) and arrays of these, nested, typed arrays among them. */
export type NestedValues = number | boolean | Tensor | ArrayLike<number> | readonly NestedValues[];

/**
 * Makes a tensor from nested arrays (`tensor([[1, 2], [3, 4]])`), a number (0-d), or a flat array / typed array
 * with an explicit shape (`tensor(values, [2, 2])`), or another tensor (a detached copy of its values, as
 * `torch.tensor(t)`). One-element tensors in the arrays count as their values, detached (`tensor([loss1, loss2])`).
 * Values are copied and stored as float32. Options come second or after the shape.
 *
 * @example
 * const x = tensor([1, 2, 3], { requiresGrad: true });
 */
export function tensor(values: NestedValues | ArrayLike<number>, options?: TensorOptions): Tensor;
export function tensor(values: NestedValues | ArrayLike<number>, shape?: readonly number[], options?: TensorOptions): Tensor;
export function tensor(values: NestedValues | ArrayLike<number>, shapeOrOptions?: readonly number[] | TensorOptions, options?: TensorOptions): Tensor {
  let shape = shapeOrOptions as readonly number[] | undefined;
  if (isPlainObject(shapeOrOptions)) {
    if (options !== undefined) throw new TypeError(`tensor: options given twice (second and third argument); the shape, if any, comes second: tensor(values, [2, 2], { requiresGrad: true })`);
    [shape, options] = [undefined, shapeOrOptions];
  }
  const { requiresGrad = false } = creationOptions('tensor', options, ['requiresGrad'], {}, true);
  // `{ dtype: 'bool' }` gives a mask of the values cast to bool (non-zero, NaN too, is true), as PyTorch's.
  const bool = asksBool(options);
  if (requiresGrad && bool) throw boolGradError('tensor');
  if (values instanceof Tensor) {
    if (requiresGrad && isMask(values)) throw boolGradError('tensor');
    const copy = tensor(values.toArray(), shape ?? values.shape, { requiresGrad });
    return bool ? markMask(castToBool(copy)) : namesDtype(options) ? copy : keepMask(values, copy);
  }
  let data: Float32Array;
  let s: readonly number[];
  if (ArrayBuffer.isView(values) || (shape !== undefined && Array.isArray(values) && !values.some(isRow))) {
    // new Float32Array(arrayLike) copies as Float32Array.from does, several times faster.
    data = new Float32Array(ArrayBuffer.isView(values) ? (values as ArrayLike<number>) : flatNumbers(values as readonly unknown[]));
    s = shape ?? [data.length];
  } else {
    const inferred = nestedShape(values as NestedArray);
    data = new Float32Array(numel(inferred));
    flatten(values as NestedArray, inferred, data);
    s = shape ?? inferred;
  }
  checkShape(s, 'tensor');
  if (numel(s) !== data.length) throw new RangeError(`tensor: ${data.length} values cannot have shape ${formatShape(s)}`);
  // Booleans only, where PyTorch makes a bool tensor: a mask, as comparisons give (`index` selects by it).
  // A dtype named decides (`tensor([true], { dtype: 'float32' })` is float32, as PyTorch's).
  const mask = bool || (!ArrayBuffer.isView(values) && data.length > 0 && !namesDtype(options) && booleansOnly(values));
  if (requiresGrad && mask) throw boolGradError('tensor');
  const out = new Tensor(data, s, { requiresGrad });
  return mask ? markMask(bool ? castToBool(out) : out) : out;
}

/** `t` with its values cast to bool in place, as 1 and 0 (non-zero, NaN too, is 1), as PyTorch's `bool()`; `t`. */
function castToBool(t: Tensor): Tensor {
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = d[i] !== 0 ? 1 : 0;
  return t;
}

/** PyTorch's refusal of `torch.tensor([True], requires_grad=True)` (and of `zeros_like(m, requires_grad=True)`). */
export function boolGradError(op: string): TypeError {
  return new TypeError(`${op}: Only Tensors of floating point and complex dtype can require gradients (a mask is a bool tensor; give 1 and 0, or m.float(), for float32)`);
}

/**
 * Whether `*Like(t, options)` gives a mask: of a mask with no dtype asked, as PyTorch's `zeros_like` of a bool tensor
 * is bool (refusing `requiresGrad`, as PyTorch does for bools).
 */
export function keepsMask(t: Tensor, options: TensorOptions | undefined, op: string): boolean {
  if (!(t instanceof Tensor) || !isMask(t) || (options?.dtype ?? null) !== null) return false;
  if (options?.requiresGrad === true) throw boolGradError(op);
  return true;
}

/** Whether every element of a (nested) array is a boolean; stops at the first that is not. */
function booleansOnly(v: unknown): boolean {
  if (typeof v === 'boolean') return true;
  if (!Array.isArray(v)) return false;
  for (const e of v) if (!booleansOnly(e)) return false;
  return true;
}

function filled(shape: readonly number[], value: number | boolean | Tensor, options: TensorOptions | undefined, op: string): Tensor {
  checkShape(shape, op);
  checkResultSize(op, shape);
  const v = fillNumber(op, value);
  const { requiresGrad = false } = creationOptions(op, options, ['requiresGrad'], {}, true);
  // `{ dtype: 'bool' }`: a mask of the value cast to bool (non-zero, NaN too, is true), as PyTorch's.
  if (asksBool(options)) {
    if (requiresGrad) throw boolGradError(op);
    return markMask(new Tensor(new Float32Array(numel(shape)).fill(v !== 0 ? 1 : 0), shape));
  }
  return new Tensor(new Float32Array(numel(shape)).fill(float32Scalar(op, 'fill value', v)), shape, { requiresGrad });
}

/**
 * A fill value as PyTorch's Scalar argument takes it: a number, a boolean (1 or 0), or a 0-d tensor that does not
 * require grad (its value; PyTorch refuses one that does, and any tensor of one or more dimensions, "must be Number,
 * not Tensor").
 */
function fillNumber(op: string, value: unknown): number {
  if (typeof value === 'number') return value;
  // `torch.full([2], True)` makes a bool tensor; Kindling's masks are float32 ones and zeros, as tensor([true]) gives
  // (`full` marks its result as a mask).
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Tensor) {
    if (value.ndim === 0 && !value.requiresGrad) return value.item();
    throw new TypeError(`${op}: fill value must be a number or a 0-d tensor that does not require grad (as PyTorch's), got a tensor of shape ${formatShape(value.shape)}${value.requiresGrad ? ' that requires grad (detach() it)' : ' (item() gives a one-element tensor\'s value)'}`);
  }
  throw new TypeError(`${op}: fill value must be a number, got ${describeValue(value)}`);
}

/**
 * A tensor of `shape` (an array, as in PyTorch's `full`) filled with `value` (a number or a 0-d tensor); filled with a
 * boolean, a mask, as PyTorch's `full([2], True)` is a bool tensor.
 */
export const full = (shape: readonly number[], value: number | boolean | Tensor, options?: TensorOptions): Tensor => {
  // A boolean with no dtype named gives a mask (with `{ dtype: 'float32' }`, ones or zeros, as PyTorch's).
  const mask = typeof value === 'boolean' && !namesDtype(options);
  if (mask && isPlainObject(options) && options.requiresGrad === true) throw boolGradError('full');
  const out = filled(shape, value, options, 'full');
  return mask ? markMask(out) : out;
};

/** Zeros: `zeros(2, 3)` or `zeros([2, 3])`, options last (`zeros(2, 3, { requiresGrad: true })`). */
export function zeros(...args: SizesAndOptions<TensorOptions>): Tensor {
  const { shape, options } = shapeAndOptions('zeros', args);
  return filled(shape, 0, options as TensorOptions | undefined, 'zeros');
}

/** Ones: `ones(2, 3)` or `ones([2, 3])`, options last. */
export function ones(...args: SizesAndOptions<TensorOptions>): Tensor {
  const { shape, options } = shapeAndOptions('ones', args);
  return filled(shape, 1, options as TensorOptions | undefined, 'ones');
}
/** Zeros of `t`'s shape, as PyTorch's `zeros_like`; options as `zeros`'s (`{ requiresGrad: true }`). */
export function zerosLike(t: Tensor, options?: TensorOptions): Tensor {
  const mask = keepsMask(t, options, 'zerosLike');
  const out = filled(likeShape(t, 'zerosLike'), 0, options, 'zerosLike');
  return mask ? markMask(out) : out;
}

/** Ones of `t`'s shape, as PyTorch's `ones_like`; options as `ones`'s. */
export function onesLike(t: Tensor, options?: TensorOptions): Tensor {
  const mask = keepsMask(t, options, 'onesLike');
  const out = filled(likeShape(t, 'onesLike'), 1, options, 'onesLike');
  return mask ? markMask(out) : out;
}

/** `value` (a number, a boolean or a 0-d tensor) in `t`'s shape, as PyTorch's `full_like`; options as `full`'s. */
export function fullLike(t: Tensor, value: number | boolean | Tensor, options?: TensorOptions): Tensor {
  const mask = keepsMask(t, options, 'fullLike');
  // Of a mask, a mask of the value cast to bool (non-zero, NaN too, is true), as PyTorch's full_like of a bool tensor.
  const out = filled(likeShape(t, 'fullLike'), mask ? fillNumber('fullLike', value) !== 0 : value, options, 'fullLike');
  return mask ? markMask(out) : out;
}

/**
 * A tensor of the given sizes, as PyTorch's `empty`: `empty(2, 3)` or `empty([2, 3])`. PyTorch leaves its values
 * unset (whatever the memory held); Kindling's are zeros.
 */
export function empty(...args: SizesAndOptions<TensorOptions>): Tensor {
  const { shape, options } = shapeAndOptions('empty', args);
  return filled(shape, 0, options as TensorOptions | undefined, 'empty');
}

/** A tensor of `t`'s shape, as PyTorch's `empty_like` (zeros in Kindling, where PyTorch leaves the values unset). */
export function emptyLike(t: Tensor, options?: TensorOptions): Tensor {
  const mask = keepsMask(t, options, 'emptyLike');
  const out = filled(likeShape(t, 'emptyLike'), 0, options, 'emptyLike');
  return mask ? markMask(out) : out;
}

/**
 * The values as a tensor, as PyTorch's `as_tensor`: a tensor is given back as it is (PyTorch shares it when the dtype
 * and device match, which for Kindling's float32 CPU tensors they always do); anything else is copied, as `tensor`.
 * Options: PyTorch's `dtype` and `device` (`asTensor(x, { dtype: 'float32' })`); another dtype or device, or
 * `requiresGrad`, which PyTorch's `as_tensor` does not take, is refused.
 */
export function asTensor(values: NestedArray | ArrayLike<number> | Tensor, options?: FactoryKwargs): Tensor {
  // PyTorch's as_tensor takes dtype and device only (no requires_grad): float32 on the CPU, Kindling's, change nothing.
  creationOptions<FactoryKwargs>('asTensor', options, [], {}, true);
  if (!(values instanceof Tensor)) return tensor(values, options);
  // A dtype other than the tensor's gives a converted copy, as PyTorch's (bool: a mask; float32 of a mask: 1 and 0).
  if (asksBool(options)) return isMask(values) ? values : tensor(values, { dtype: 'bool' });
  return namesDtype(options) && isMask(values) ? tensor(values, { dtype: 'float32' }) : values;
}

/**
 * start, start + step, … up to and including end, as PyTorch's deprecated `range` (PyTorch warns that `arange`,
 * which stops before end, is the one to use); trunc((end − start)/step + 1) values, in float64 as PyTorch counts
 * them (so `range(0.1, 3.3, 0.1)` has 33: the quotient 31.999… plus one rounds to 33), each start + i·step.
 */
export function range(...args: [start: number | Tensor | RangeOptions, end?: number | Tensor | RangeOptions, step?: number | Tensor | RangeOptions, options?: RangeOptions]): Tensor {
  const { values, requiresGrad } = rangeArguments('range', args, ['start', 'end', 'step'], 'range(start, end, step?, { requiresGrad })');
  const { start, end, step = 1 } = values as { start: number; end: number; step?: number };
  for (const [what, v] of [['start', start], ['end', end], ['step', step]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`range: ${what} must be a finite number, got ${describeValue(v)}`);
  }
  if (step === 0) throw new RangeError('range: step must be nonzero');
  if ((end - start) / step < 0) throw new RangeError(`range: upper bound and larger bound inconsistent with step sign (start ${start}, end ${end}, step ${step})`);
  const n = Math.trunc((end - start) / step + 1);
  checkResultSize('range', [n]);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new Tensor(data, [n], { requiresGrad });
}

function likeShape(t: unknown, op: string): readonly number[] {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor to take the shape of, got ${typeof t === 'number' ? `the number ${t} (for a shape, zeros(${t}))` : typeof t}`);
  return t.shape;
}

/** arange's options: start, end and step by name too, as PyTorch's keywords (`arange(0, 10, { step: 2 })`). */
export interface ArangeOptions extends TensorOptions {
  start?: number | Tensor;
  end?: number | Tensor;
  step?: number | Tensor;
}

/** range's options: start, end and step by name too, as PyTorch's keywords. */
export type RangeOptions = ArangeOptions;

/**
 * The names arange's values take by position, as Python picks torch.arange's overload: one value alone, with
 * none of start, end and step named, is end (`arange(5)`); otherwise start, end, step in order (so `arange(5,
 * { step: 2 })` lacks end, as PyTorch refuses it).
 */
function arangeNames(args: readonly unknown[]): string[] {
  const last = args[args.length - 1];
  const named = isPlainObject(last) ? last : undefined;
  const given = args.filter((a) => a !== undefined).length - (named === undefined ? 0 : 1);
  const anyNamed = named !== undefined && ['start', 'end', 'step'].some((k) => named[k] !== undefined);
  if (given > 3) throw new TypeError(`arange: takes (end), (start, end) or (start, end, step), then options; got ${given} numbers`);
  return given === 1 && !anyNamed ? ['end'] : ['start', 'end', 'step'];
}

/**
 * Values start, start+step, … below end (like `torch.arange`), then options: `arange(5)`, `arange(2, 8, 2)`,
 * `arange(0, 5, 1, { requiresGrad: true })`. ⌈(end − start)/step⌉ values, computed as PyTorch 1.13's CPU kernel
 * does in one thread: start and step in float64; in vectors of eight, two at a time, the first value of each
 * vector float32(start + step·i) and the others float32(that + step·lane); what remains (fewer than sixteen)
 * float32(start + step·i) one by one; each multiply-add rounded once in float64, as the compiler fuses it (see
 * fma64.ts). (Above 32768 values PyTorch splits the range between its threads, each
 * starting its vectors where its share starts: with several threads the values from there may differ in the last
 * bit.) Whole-numbered ranges are exact either way.
 */
export function arange(end: number | Tensor, options?: ArangeOptions): Tensor;
export function arange(start: number | Tensor, end: number | Tensor, options?: ArangeOptions): Tensor;
export function arange(start: number | Tensor, end: number | Tensor, step: number | Tensor, options?: ArangeOptions): Tensor;
export function arange(options: ArangeOptions): Tensor;
export function arange(...args: unknown[]): Tensor {
  const { values, requiresGrad } = rangeArguments('arange', args, arangeNames(args), 'arange(end), arange(start, end, step?), then options');
  const { start: a = 0, end: b, step = 1 } = values;
  if (b === undefined) throw new TypeError('arange: end is missing: arange(end), arange(start, end) or arange(start, end, step), each also by name (arange(0, { end: 5 })), as torch.arange\'s overloads take them');
  if (typeof a !== 'number' || typeof b !== 'number' || !Number.isFinite(a) || !Number.isFinite(b)) {
    throw new TypeError(`arange: start and end must be finite numbers, got ${describeValue(a)} and ${describeValue(b)}`);
  }
  if (typeof step !== 'number' || step === 0 || !Number.isFinite(step)) throw new RangeError(`arange: step must be a non-zero finite number, got ${describeValue(step)}`);
  if ((b - a) / step < 0) {
    throw new RangeError(`arange: a step of ${step} never goes from ${a} to ${b} (PyTorch refuses it too: the bounds and the step's sign disagree)`);
  }
  const n = Math.ceil((b - a) / step);
  checkResultSize('arange', [n]);
  const data = new Float32Array(n);
  const f = Math.fround;
  const at = (i: number): number => f(fma64(step, i, a));
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    for (const v of [i, i + 8]) {
      const first = at(v);
      for (let lane = 0; lane < 8; lane++) data[v + lane] = f(fma64(lane, step, first));
    }
  }
  for (; i < n; i++) data[i] = at(i);
  return new Tensor(data, [n], { requiresGrad });
}

/** linspace's options: start, end and steps by name too, as PyTorch's keywords (`linspace(0, 1, { steps: 5 })`). */
export interface LinspaceOptions extends TensorOptions {
  start?: number | Tensor;
  end?: number | Tensor;
  steps?: number | Tensor;
}

/**
 * `steps` values evenly spaced from `start` to `end`, both included, as `torch.linspace` computes them in float32 on a
 * CPU where PyTorch 1.13 runs its AVX2 kernels (the step is (end − start) / (steps − 1); the first half counts up
 * from `start`, the second down from `end`, in vectors of eight): `linspace(0, 1, 5)` is [0, 0.25, 0.5, 0.75, 1].
 */
export function linspace(...args: [start: number | Tensor | LinspaceOptions, end?: number | Tensor | LinspaceOptions, steps?: number | Tensor | LinspaceOptions, options?: LinspaceOptions]): Tensor {
  const { values, requiresGrad } = rangeArguments('linspace', args, ['start', 'end', 'steps'], 'linspace(start, end, steps, { requiresGrad })');
  const { start, end, steps } = values as { start: number; end: number; steps: number };
  if (typeof start !== 'number' || typeof end !== 'number' || !Number.isFinite(start) || !Number.isFinite(end)) {
    throw new TypeError(`linspace: start and end must be finite numbers, got ${describeValue(start)} and ${describeValue(end)}`);
  }
  if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 0) {
    throw new RangeError(`linspace: steps must be a whole number 0 or more (PyTorch has no default), got ${shownValue(steps)}`);
  }
  checkResultSize('linspace', [steps]);
  const data = new Float32Array(steps);
  const f = Math.fround;
  const [a, b] = [f(start), f(end)];
  if (steps === 1) data[0] = a;
  else if (steps > 1) {
    const step = f(f(b - a) / (steps - 1));
    const half = Math.floor(steps / 2);
    // One rounding, as the compiler's fused multiply-add gives PyTorch (step × i is exact in a double).
    const at = (i: number): number => (i < half ? f(a + step * i) : f(b - step * (steps - i - 1)));
    let i = 0;
    // Vectors of eight, two at a time (what remains, fewer than sixteen, one by one): the first value of each vector
    // as above, the others that value plus step × lane.
    for (; i + 16 <= steps; i += 16) {
      for (const v of [i, i + 8]) {
        const first = at(v);
        for (let lane = 0; lane < 8; lane++) data[v + lane] = f(first + f(step * lane));
      }
    }
    for (; i < steps; i++) data[i] = at(i);
  }
  return new Tensor(data, [steps], { requiresGrad });
}

/** A tensor of random values, which `fill` draws from the options' generator or the global one. */
function random(op: string, args: readonly unknown[], fill: (gen: Generator, data: Float32Array) => void): Tensor {
  const { shape, options } = shapeAndOptions(op, args);
  checkShape(shape, op);
  checkResultSize(op, shape);
  const { requiresGrad = false, generator } = creationOptions(op, options as RandomTensorOptions | undefined, ['requiresGrad', 'generator'], HINTS);
  const data = new Float32Array(numel(shape));
  fill(generatorOf(op, generator), data);
  return new Tensor(data, shape, { requiresGrad });
}

/**
 * Uniform values in [0, 1), drawn exactly as `torch.rand` draws them from the same seed: `rand(2, 3)` or
 * `rand([2, 3], { generator })`.
 */
export function rand(...args: SizesAndOptions<RandomTensorOptions>): Tensor {
  return random('rand', args, (gen, data) => {
    for (let i = 0; i < data.length; i++) data[i] = gen.uniform(0, 1);
  });
}

/**
 * Standard normal values, drawn as `torch.randn` draws them from the same seed on a CPU where PyTorch runs its AVX2
 * kernels (bit for bit against PyTorch 1.13; see `Generator.normalFill`): `randn(2, 3)` or `randn([2, 3], { generator })`.
 */
export function randn(...args: SizesAndOptions<RandomTensorOptions>): Tensor {
  return random('randn', args, (gen, data) => gen.normalFill(data));
}
