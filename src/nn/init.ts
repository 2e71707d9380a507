/**
 * `nn.init`, PyTorch 1.13's `torch.nn.init`: functions that fill a tensor in place with values for a starting
 * point of training, `nn.init.kaimingUniform_(layer.weight, { a: Math.sqrt(5) })`. Each writes without recording
 * autograd (as PyTorch's run under `torch.no_grad()`), counts as one in-place change of the tensor (its `version`)
 * and returns the tensor.
 *
 * The random ones draw from the generator exactly as PyTorch's do, so that after `manualSeed(s)` they give the values
 * `torch.manual_seed(s)` then the same call gives, bit for bit: `uniform_` as PyTorch's float32 `uniform_`, `normal_`
 * as its `normal_` on a contiguous float32 tensor (see `Generator.normalFill`), and the values are drawn in the
 * tensor's row-major order, as PyTorch fills a contiguous tensor — also for a `Linear` weight, which Kindling stores
 * transposed. Bounds and standard deviations are computed in float64 with PyTorch's formulas, in its order.
 * (A view that is not contiguous in PyTorch either, such as a transpose, PyTorch fills in its memory order, and its
 * `normal_` then takes the scalar path: there Kindling's row-major values differ from PyTorch's.)
 *
 * `truncNormal_` (within a few float32 ulps: erfinv as PyTorch's float32 kernel), `orthogonal_` (a QR decomposition,
 * within float32 rounding) and `sparse_` (bit for bit) are in init-extra.ts.
 */
import { noGrad } from '../autograd/grad-mode.js';
import { checkTarget as checkInPlace } from '../ops/inplace.js';
import { checkOptions, describeValue, isPlainObject, leadingOption, soleOption } from '../options.js';
import { generatorOf, type Generator } from '../random.js';
import { formatShape, numel } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { calculateFanInAndFanOut, calculateGain, fillNormal, fillUniform, warnZeroElements, writeValues, type Nonlinearity } from './init-core.js';
import { FLOAT32_MAX } from '../tensor/float32-scalar.js';

export { calculateFanInAndFanOut, calculateGain, type Nonlinearity };
export { orthogonal_, sparse_, truncNormal_ } from './init-extra.js';

/** Which fan `kaimingUniform_`/`kaimingNormal_` scale by. */
export type FanMode = 'fan_in' | 'fan_out';

export interface GeneratorOption {
  /** Draws the values (default: the global generator, which `manualSeed` seeds). */
  generator?: Generator;
}
export interface UniformOptions extends GeneratorOption {
  /** Lower bound (default 0). */
  a?: number;
  /** Upper bound (default 1). */
  b?: number;
}
export interface NormalOptions extends GeneratorOption {
  /** Mean (default 0). */
  mean?: number;
  /** Standard deviation (default 1). */
  std?: number;
}
export interface XavierOptions extends GeneratorOption {
  /** Scaling factor (default 1), e.g. `calculateGain('relu')`. */
  gain?: number;
}
export interface KaimingOptions extends GeneratorOption {
  /** The negative slope of the leaky ReLU that follows (default 0), used only with `nonlinearity: 'leaky_relu'`. */
  a?: number;
  /** 'fan_in' (default) keeps the forward pass's variance, 'fan_out' the backward pass's (any letter case). */
  mode?: FanMode;
  /** The nonlinearity that follows (default 'leaky_relu'), as `calculateGain` names it: 'relu', 'leaky_relu', … */
  nonlinearity?: Nonlinearity;
}

// ---- the public functions ----

/** Refuses what no in-place op may change (not a tensor, an expand), as inside noGrad: a parameter is fine. */
function checkTarget(t: Tensor, where: string): void {
  noGrad(() => checkInPlace(t, where));
}

/** Runs `fill` on t as one in-place change outside the graph, and returns t. */
function inPlace(t: Tensor, where: string, fill: () => void): Tensor {
  checkTarget(t, where);
  noGrad(fill);
  t.versionCounter.value++;
  return t;
}

function numberOption(where: string, key: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || Number.isNaN(v)) throw new TypeError(`${where}: ${key} must be a number, got ${describeValue(v)}`);
  return v;
}

/**
 * Two leading options by position, then named ones: `(t, 0, 1)`, `(t, 0, 1, { generator })`, `(t, { a: 0, b: 1 })`,
 * `(t, 0, { b: 1 })`.
 */
function twoLeading<T extends object>(where: string, keys: [string, string], args: unknown[], accepted: (keyof T & string)[], example: string): Partial<T> {
  const given: Record<string, unknown> = {};
  let k = 0;
  for (; k < 2 && k < args.length; k++) {
    const v = args[k];
    if (v === undefined) continue;
    if (typeof v === 'object') break;
    given[keys[k]!] = v;
  }
  const rest = args.slice(k).filter((v) => v !== undefined);
  if (rest.length > 1 || (rest.length === 1 && !isPlainObject(rest[0]))) {
    throw new TypeError(`${where}: expected up to 2 numbers then an object of named options, as in ${example}; got ${describeValue(rest[rest.length - 1])}`);
  }
  const named = checkOptions<T>(where, rest[0] as T | undefined, accepted) as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (Object.hasOwn(named, key)) throw new TypeError(`${where}: ${key} given twice: ${String(given[key])} by position and ${String(named[key])} in the options`);
  }
  return { ...named, ...given } as Partial<T>;
}

/**
 * Fills t with values drawn from U(a, b) (default U(0, 1)): `uniform_(w, -0.1, 0.1)`, `uniform_(w, { a, b, generator })`.
 *
 * @throws RangeError when a > b, a bound is not a finite float32, or b − a exceeds the float32 range (as PyTorch).
 */
export function uniform_(t: Tensor, a?: number | UniformOptions, b?: number | UniformOptions, options?: UniformOptions): Tensor {
  const o = twoLeading<UniformOptions>('uniform_', ['a', 'b'], [a, b, options], ['a', 'b', 'generator'], 'uniform_(w, -0.1, 0.1, { generator })');
  const lo = numberOption('uniform_', 'a', o.a, 0);
  const hi = numberOption('uniform_', 'b', o.b, 1);
  const gen = generatorOf('uniform_', o.generator);
  checkUniformBounds('uniform_', lo, hi);
  return inPlace(t, 'uniform_', () => fillUniform(t, lo, hi, gen));
}

function checkUniformBounds(where: string, lo: number, hi: number): void {
  for (const [v, name] of [[lo, 'a'], [hi, 'b']] as const) {
    if (!(Math.abs(v) <= FLOAT32_MAX)) throw new RangeError(`${where}: ${name} = ${v} is out of the float32 range`);
  }
  if (lo > hi) throw new RangeError(`${where}: expects a range [a, b) with a ≤ b, got a = ${lo} > b = ${hi}`);
  if (hi - lo > FLOAT32_MAX) throw new RangeError(`${where}: b − a must not exceed the largest float32, got a = ${lo} and b = ${hi}`);
}

/**
 * Fills t with values drawn from N(mean, std²) (default N(0, 1)): `normal_(w, 0, 0.02)`, `normal_(w, { std: 0.02 })`.
 *
 * @throws RangeError when std is negative (as PyTorch).
 */
export function normal_(t: Tensor, mean?: number | NormalOptions, std?: number | NormalOptions, options?: NormalOptions): Tensor {
  const o = twoLeading<NormalOptions>('normal_', ['mean', 'std'], [mean, std, options], ['mean', 'std', 'generator'], 'normal_(w, 0, 0.02, { generator })');
  const m = numberOption('normal_', 'mean', o.mean, 0);
  const s = numberOption('normal_', 'std', o.std, 1);
  const gen = generatorOf('normal_', o.generator);
  if (!(s >= 0)) throw new RangeError(`normal_: std must be ≥ 0, got ${s}`);
  return inPlace(t, 'normal_', () => fillNormal(t, m, s, gen));
}

/** Fills t with `val` (as float32): `constant_(b, 0.1)` or `constant_(b, { val: 0.1 })`. */
export function constant_(t: Tensor, val: number | { val: number }): Tensor {
  if (val === undefined) throw new TypeError('constant_: the value to fill with is required, as in constant_(b, 0.1)');
  const v = soleOption('constant_', 'val', val, 0, 'constant_(b, 0.1)');
  if (typeof v !== 'number') throw new TypeError(`constant_: val must be a number, got ${describeValue(v)}`);
  checkTarget(t, 'constant_');
  return noGrad(() => t.fill_(v));
}

/** Fills t with ones. */
export function ones_(t: Tensor): Tensor {
  checkTarget(t, 'ones_');
  return noGrad(() => t.fill_(1));
}

/** Fills t with zeros. */
export function zeros_(t: Tensor): Tensor {
  checkTarget(t, 'zeros_');
  return noGrad(() => t.zero_());
}

/**
 * Fills a 2-D t with the identity matrix (ones on the main diagonal, zeros elsewhere; any shape, as `torch.eye(n, m)`).
 *
 * @throws RangeError for a tensor that is not 2-D.
 */
export function eye_(t: Tensor): Tensor {
  checkTarget(t, 'eye_');
  if (t.ndim !== 2) throw new RangeError(`eye_: only tensors with 2 dimensions are supported, got shape ${formatShape(t.shape)}`);
  const [rows, cols] = t.shape as [number, number];
  const values = new Float32Array(rows * cols);
  for (let i = 0; i < Math.min(rows, cols); i++) values[i * cols + i] = 1;
  return inPlace(t, 'eye_', () => writeValues(t, values));
}

/**
 * Fills a 3-, 4- or 5-D convolution weight [out, in, k…] with the Dirac delta, so that the convolution keeps its
 * input: in each of `groups` groups of output channels, channel d gets a 1 at input channel d, the kernel's centre.
 *
 * @throws RangeError for another number of dimensions, or out channels not divisible by `groups`.
 */
export function dirac_(t: Tensor, groups: number | { groups?: number } = 1): Tensor {
  checkTarget(t, 'dirac_');
  const g = soleOption('dirac_', 'groups', groups, 1, 'dirac_(w, 2)');
  if (typeof g !== 'number' || !Number.isInteger(g) || g <= 0) throw new RangeError(`dirac_: groups must be a positive integer, got ${describeValue(g)}`);
  if (t.ndim < 3 || t.ndim > 5) throw new RangeError(`dirac_: only tensors with 3, 4 or 5 dimensions are supported, got shape ${formatShape(t.shape)}`);
  const shape = t.shape;
  if (shape[0]! % g !== 0) throw new RangeError(`dirac_: dimension 0 (${shape[0]}) must be divisible by groups (${g}), got shape ${formatShape(shape)}`);
  const perGroup = shape[0]! / g;
  const values = new Float32Array(numel(shape));
  // Row-major offsets of [o, d, centre…].
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, s) => p * s, 1));
  let centre = 0;
  for (let i = 2; i < shape.length; i++) centre += Math.floor(shape[i]! / 2) * strides[i]!;
  for (let k = 0; k < g; k++) {
    for (let d = 0; d < Math.min(perGroup, shape[1]!); d++) values[(k * perGroup + d) * strides[0]! + d * strides[1]! + centre] = 1;
  }
  return inPlace(t, 'dirac_', () => writeValues(t, values));
}

function xavierStd(where: string, t: Tensor, gain: number): number {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t, where);
  if (fanIn + fanOut === 0) throw new RangeError(`${where}: fan in and fan out are both 0 (shape ${formatShape(t.shape)})`);
  return gain * Math.sqrt(2.0 / (fanIn + fanOut));
}

function xavierOptions(where: string, gain: unknown, options: unknown): { gain: number; gen: Generator } {
  const o = checkOptions<XavierOptions>(where, leadingOption<XavierOptions>(where, 'gain', gain, options, `${where}(w, calculateGain('relu'), { generator })`), ['gain', 'generator']);
  return { gain: numberOption(where, 'gain', o.gain, 1), gen: generatorOf(where, o.generator) };
}

/**
 * Glorot/Xavier uniform: U(−r, r) with r = gain · √(6 / (fanIn + fanOut)) (computed as PyTorch: √3 · gain · √(2 / (fanIn + fanOut))).
 * `xavierUniform_(w)`, `xavierUniform_(w, calculateGain('relu'))`, `xavierUniform_(w, { gain, generator })`.
 *
 * @throws RangeError for a tensor of fewer than 2 dimensions.
 */
export function xavierUniform_(t: Tensor, gain?: number | XavierOptions, options?: GeneratorOption): Tensor {
  const o = xavierOptions('xavierUniform_', gain, options);
  const a = Math.sqrt(3.0) * xavierStd('xavierUniform_', t, o.gain);
  return inPlace(t, 'xavierUniform_', () => fillUniform(t, -a, a, o.gen));
}

/**
 * Glorot/Xavier normal: N(0, std²) with std = gain · √(2 / (fanIn + fanOut)).
 *
 * @throws RangeError for a tensor of fewer than 2 dimensions.
 */
export function xavierNormal_(t: Tensor, gain?: number | XavierOptions, options?: GeneratorOption): Tensor {
  const o = xavierOptions('xavierNormal_', gain, options);
  const std = xavierStd('xavierNormal_', t, o.gain);
  return inPlace(t, 'xavierNormal_', () => fillNormal(t, 0, std, o.gen));
}

/** The std of kaiming_*_, or null for a tensor with no elements (which PyTorch leaves alone, checking nothing, with a warning). */
function kaimingStd(where: 'kaimingUniform_' | 'kaimingNormal_', t: Tensor, a: unknown, options: unknown): { std: number | null; bound: number; gen: Generator } {
  const o = checkOptions<KaimingOptions>(where, leadingOption<KaimingOptions>(where, 'a', a, options, `${where}(w, Math.sqrt(5), { mode: 'fan_out' })`), ['a', 'mode', 'nonlinearity', 'generator']);
  const slope = numberOption(where, 'a', o.a, 0);
  const gen = generatorOf(where, o.generator);
  checkTarget(t, where);
  if (t.numel() === 0) {
    warnZeroElements(where);
    return { std: null, bound: 0, gen };
  }
  const mode = o.mode === undefined ? 'fan_in' : o.mode;
  if (typeof mode !== 'string' || !['fan_in', 'fan_out'].includes(mode.toLowerCase())) {
    throw new RangeError(`${where}: mode ${typeof mode === 'string' ? JSON.stringify(mode) : describeValue(mode)} is not supported; use 'fan_in' or 'fan_out'`);
  }
  const [fanIn, fanOut] = calculateFanInAndFanOut(t, where);
  const fan = mode.toLowerCase() === 'fan_in' ? fanIn : fanOut;
  const nonlinearity = o.nonlinearity === undefined ? 'leaky_relu' : o.nonlinearity;
  let gain: number;
  try {
    gain = calculateGain(nonlinearity, slope);
  } catch (e) {
    if (e instanceof Error) e.message = e.message.replace(/^calculateGain/, where);
    throw e;
  }
  const std = gain / Math.sqrt(fan);
  return { std, bound: Math.sqrt(3.0) * std, gen };
}

/**
 * He/Kaiming uniform: U(−bound, bound) with bound = √3 · gain / √fan, gain = `calculateGain(nonlinearity, a)`.
 * `kaimingUniform_(w)`, `kaimingUniform_(w, Math.sqrt(5))` (nn.Linear's default), `kaimingUniform_(w, { mode:
 * 'fan_out', nonlinearity: 'relu' })`. A tensor with no elements is returned as it is, with PyTorch's warning.
 *
 * @throws RangeError for a tensor of fewer than 2 dimensions, an unknown mode or nonlinearity.
 */
export function kaimingUniform_(t: Tensor, a?: number | KaimingOptions, options?: Omit<KaimingOptions, 'a'>): Tensor {
  const k = kaimingStd('kaimingUniform_', t, a, options);
  if (k.std === null) return t;
  return inPlace(t, 'kaimingUniform_', () => fillUniform(t, -k.bound, k.bound, k.gen));
}

/**
 * He/Kaiming normal: N(0, std²) with std = gain / √fan, gain = `calculateGain(nonlinearity, a)`.
 * A tensor with no elements is returned as it is, with PyTorch's warning.
 *
 * @throws RangeError for a tensor of fewer than 2 dimensions, an unknown mode or nonlinearity.
 */
export function kaimingNormal_(t: Tensor, a?: number | KaimingOptions, options?: Omit<KaimingOptions, 'a'>): Tensor {
  const k = kaimingStd('kaimingNormal_', t, a, options);
  if (k.std === null) return t;
  const std = k.std;
  return inPlace(t, 'kaimingNormal_', () => fillNormal(t, 0, std, k.gen));
}
