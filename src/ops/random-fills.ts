// Tensor-level random fills and draws, as PyTorch 1.13's CPU (no MKL) computes them for float32 tensors, so that
// after the same seed the values are PyTorch's bit for bit: `uniform_`, `normal_`, `bernoulli_`, `exponential_`,
// and `bernoulli(p)`, `randLike`, `randnLike`, `normal(mean, std, size)`. The draws are the Generator's (the kernels
// of rand, randn, nn.init and dropout); this file adds PyTorch's fill order, its checks and autograd's view of the
// change (a fill is an in-place op: refused on a leaf that requires grad, followed on a tensor of the graph, its
// gradient zero, as PyTorch's UniformBackward0 and the like). random_, logNormal_, cauchy_ and geometric_ are in
// random-draws.ts, normal with tensors of means or stds in normal-tensors.ts.
import { isGradRecording, noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { writeValues } from '../nn/init-core.js';
import { boundArguments, checkOptions, describeValue, isPlainObject } from '../options.js';
import { generatorOf, type Generator } from '../random.js';
import type { FactoryKwargs } from '../device.js';
import { creationOptions } from '../tensor/creation-options.js';
import { FLOAT32_MAX } from '../tensor/float32-scalar.js';
import { checkShape, formatShape, numel } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { bernoulliDraws } from './bernoulli-draws.js';
import { drawOrder, inRowMajor, likeDrawOrder, normalValues, uniformValues } from './draw-order.js';
import { checkTarget, writer } from './inplace.js';
import { rebase } from './rebase.js';
import { checkTensor, empty } from './util.js';
import { expand } from './view.js';
import { normalTensors } from './normal-tensors.js';

// The draw order's helpers, where the other random ops take them from.
export { drawOrder, inRowMajor };

/** The generator option of the fills. */
export interface FillOptions {
  /** Draws the values (default: the global generator, which `manualSeed` seeds). */
  generator?: Generator | null;
}

/**
 * Writes `values` (row-major) into t as one in-place change: outside the graph into its storage; in the graph as
 * PyTorch's `torchName` node, whose gradient is zero for t (and for `other`, bernoulli_'s probabilities). @internal
 */
export function fillWith(t: Tensor, op: string, values: Float32Array, torchName: string, graph: boolean, other: Tensor | null = null): Tensor {
  if (graph) {
    const inputs = (x: Tensor): Tensor[] => (other === null ? [x] : [x, other]);
    // Zero gradients, whose own derivative is zero too (createGraph).
    return rebase(t, op, (x) => {
      const zeros = (): (Tensor | null)[] => inputs(x).map((i) => (i.requiresGrad ? empty(i.shape) : null));
      return twice(record(new Tensor(values, x.shape), op, inputs(x), zeros, [], torchName), zeros);
    }, false, writer(op));
  }
  noGrad(() => writeValues(t, values));
  t.versionCounter.value++;
  return t;
}

/** Up to `count` numbers by position (undefined for a default), then an object of named options. @internal */
export function positional<T extends object>(where: string, keys: readonly string[], args: readonly unknown[], accepted: (keyof T & string)[], example: string): Record<string, unknown> {
  const given: Record<string, unknown> = {};
  let k = 0;
  for (; k < keys.length && k < args.length && !isPlainObject(args[k]); k++) if (args[k] !== undefined) given[keys[k]!] = args[k];
  const rest = args.slice(k).filter((v) => v !== undefined);
  if (rest.length > 1 || (rest.length === 1 && !isPlainObject(rest[0]))) {
    throw new TypeError(`${where}: expected up to ${keys.length} number${keys.length > 1 ? 's' : ''} then an object of named options, as in ${example}; got ${describeValue(rest[rest.length - 1])}`);
  }
  const named = checkOptions<T>(where, rest[0] as T | undefined, accepted) as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (Object.hasOwn(named, key)) throw new TypeError(`${where}: ${key} given twice, by position and in the options`);
  }
  return { ...named, ...given };
}

/** A number argument, or `fallback` when left out. @internal */
export function numberArg(where: string, key: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || Number.isNaN(v)) throw new TypeError(`${where}: ${key} must be a number, got ${describeValue(v)}`);
  return v;
}

/** PyTorch's checks of uniform_'s range. */
function checkRange(where: string, from: number, to: number): void {
  for (const [v, name] of [[from, 'from'], [to, 'to']] as const) {
    if (!(Math.abs(v) <= FLOAT32_MAX)) throw new RangeError(`${where}: ${name} = ${v} is out of the float32 range`);
  }
  if (from > to) throw new RangeError(`${where} expects to return a [from, to) range, but found from=${from} > to=${to}`);
  if (to - from > FLOAT32_MAX) throw new RangeError(`${where}: to − from must not exceed the largest float32, got from=${from} and to=${to}`);
}

/**
 * `x.uniform_(from = 0, to = 1, { generator })`: fills x with U(from, to), as PyTorch's `uniform_`.
 * @throws RangeError when from > to or a bound is beyond float32's range; Error on a leaf that requires grad.
 */
export function uniform_(t: Tensor, ...args: unknown[]): Tensor {
  const graph = checkTarget(t, 'uniform_');
  const o = positional<{ from: number; to: number; generator: Generator | null }>('uniform_', ['from', 'to'], args, ['from', 'to', 'generator'], 'x.uniform_(-1, 1, { generator })');
  const from = numberArg('uniform_', 'from', o.from, 0);
  const to = numberArg('uniform_', 'to', o.to, 1);
  checkRange('uniform_', from, to);
  const gen = generatorOf('uniform_', o.generator);
  return fillWith(t, 'uniform_', uniformValues(t.numel(), drawOrder(t), from, to, gen), 'UniformBackward0', graph);
}

/**
 * `x.normal_(mean = 0, std = 1, { generator })`: fills x with N(mean, std²), as PyTorch's `normal_`.
 * @throws RangeError when std < 0.
 */
export function normal_(t: Tensor, ...args: unknown[]): Tensor {
  const graph = checkTarget(t, 'normal_');
  const o = positional<{ mean: number; std: number; generator: Generator | null }>('normal_', ['mean', 'std'], args, ['mean', 'std', 'generator'], 'x.normal_(0, 0.02, { generator })');
  const mean = numberArg('normal_', 'mean', o.mean, 0);
  const std = numberArg('normal_', 'std', o.std, 1);
  if (!(std >= 0)) throw new RangeError(`normal expects std >= 0.0, but found std ${std}`);
  const gen = generatorOf('normal_', o.generator);
  return fillWith(t, 'normal_', normalValues(t.numel(), drawOrder(t), mean, std, gen), 'NormalBackward0', graph);
}

/**
 * `x.exponential_(lambd = 1, { generator })`: fills x with values of the exponential distribution of rate lambd,
 * −1/λ · log(1 − u) in float64 from one `uniform64` draw each, as PyTorch's CPU kernel (λ = 0 gives Infinity).
 * @throws RangeError when lambd < 0.
 */
export function exponential_(t: Tensor, ...args: unknown[]): Tensor {
  const graph = checkTarget(t, 'exponential_');
  const o = positional<{ lambd: number; generator: Generator | null }>('exponential_', ['lambd'], args, ['lambd', 'generator'], 'x.exponential_(2, { generator })');
  const lambd = numberArg('exponential_', 'lambd', o.lambd, 1);
  if (!(lambd >= 0)) throw new RangeError(`exponential_ expects lambda >= 0.0, but found lambda=${lambd}`);
  const gen = generatorOf('exponential_', o.generator);
  const n = t.numel();
  const drawn = new Float32Array(n);
  const scale = -1.0 / lambd;
  for (let i = 0; i < n; i++) drawn[i] = scale * Math.log(1.0 - gen.uniform64());
  return fillWith(t, 'exponential_', inRowMajor(drawn, drawOrder(t)), 'ExponentialBackward0', graph);
}

/** Refuses probabilities outside [0, 1] (NaN too), as PyTorch's bernoulli does. */
function checkProbabilities(where: string, p: Float32Array, shape: readonly number[]): void {
  for (let i = 0; i < p.length; i++) {
    if (!(p[i]! >= 0 && p[i]! <= 1)) {
      throw new RangeError(`${where}: p must hold probabilities in [0, 1] (PyTorch: "Expected p_in >= 0 && p_in <= 1"), got ${p[i]} at flat index ${i} of shape ${formatShape(shape)}`);
    }
  }
}

/** Draws 0/1 for the probabilities `p` (row-major), in draw order `order`: float32 uniform < p, as PyTorch's. */
function bernoulliTensorValues(p: Float32Array, order: Int32Array | null, gen: Generator): Float32Array {
  const n = p.length;
  const out = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const i = order === null ? k : order[k]!;
    out[i] = gen.uniform(0, 1) < p[i]! ? 1 : 0;
  }
  return out;
}

/**
 * `x.bernoulli_(p = 0.5, { generator })`: fills x with 1 where a draw falls below p, else 0. A number p draws a
 * float64 uniform per value (PyTorch's bernoulli_ with a float, dropout's draws); a tensor of probabilities
 * (broadcast to x's shape) draws a float32 uniform per value, as PyTorch's does.
 * @throws RangeError for a probability outside [0, 1].
 */
export function bernoulli_(t: Tensor, p: number | Tensor | FillOptions = 0.5, options?: FillOptions): Tensor {
  if (isPlainObject(p)) {
    if (options !== undefined) throw new TypeError('bernoulli_: after the options object nothing may follow: x.bernoulli_(0.5, { generator })');
    return bernoulli_(t, 0.5, p);
  }
  const graph = checkTarget(t, 'bernoulli_', p);
  const o = checkOptions<FillOptions>('bernoulli_', options, ['generator']);
  const gen = generatorOf('bernoulli_', o.generator);
  const order = drawOrder(t);
  if (p instanceof Tensor) {
    const probs = noGrad(() => expand(p, t.shape)).values();
    checkProbabilities('bernoulli_', probs, p.shape);
    return fillWith(t, 'bernoulli_', bernoulliTensorValues(probs, order, gen), 'BernoulliBackward1', graph, p);
  }
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`bernoulli_ expects p to be in [0, 1], but got p=${typeof p === 'number' ? p : describeValue(p)}`);
  const drawn = new Float32Array(t.numel());
  bernoulliDraws(gen, p, 1, drawn);
  return fillWith(t, 'bernoulli_', inRowMajor(drawn, order), 'BernoulliBackward2', graph);
}

/**
 * `bernoulli(p, { generator })`, PyTorch's `torch.bernoulli`: a new tensor of p's shape, 1 where a float32 uniform
 * draw (one per value, row-major) falls below p, else 0. Where p requires grad the result does too, with a zero
 * gradient (PyTorch's BernoulliBackward0).
 * @throws RangeError for a probability outside [0, 1].
 */
export function bernoulli(p: Tensor, options?: FillOptions): Tensor {
  checkTensor(p, 'bernoulli', 'p');
  const o = checkOptions<FillOptions>('bernoulli', options, ['generator']);
  const gen = generatorOf('bernoulli', o.generator);
  const probs = p.values();
  checkProbabilities('bernoulli', probs, p.shape);
  const out = new Tensor(bernoulliTensorValues(probs, null, gen), p.shape);
  if (!isGradRecording() || !p.requiresGrad) return out;
  const zeros = (): Tensor[] => [empty(p.shape)];
  return twice(record(out, 'bernoulli', [p], zeros, [], 'BernoulliBackward0'), zeros);
}

/** Options of `randLike`, `randnLike` and `normal`. */
export interface RandomLikeOptions extends FillOptions {
  requiresGrad?: boolean;
}

/** randLike's and randnLike's options: with PyTorch's factory keywords `dtype` and `device` (float32 on the CPU only). */
export interface RandomLikeTensorOptions extends RandomLikeOptions, FactoryKwargs {}

function likeOptions(where: string, x: unknown, options: RandomLikeTensorOptions | undefined): { gen: Generator; requiresGrad: boolean } {
  if (!(x instanceof Tensor)) throw new TypeError(`${where}: expected a Tensor to take the shape of, got ${describeValue(x)}`);
  const o = creationOptions<RandomLikeTensorOptions>(where, options, ['generator', 'requiresGrad']);
  return { gen: generatorOf(where, o.generator), requiresGrad: o.requiresGrad ?? false };
}

/**
 * `randLike(x)`, PyTorch's `rand_like`: U(0, 1) values of x's shape. As PyTorch's result takes x's layout (a
 * transpose stays one; an expand, whose elements overlap, gives a row-major one: see `likeDrawOrder`), the values
 * are drawn in that layout's memory order; the result is contiguous.
 */
export function randLike(x: Tensor, options?: RandomLikeTensorOptions): Tensor {
  const { gen, requiresGrad } = likeOptions('randLike', x, options);
  return new Tensor(uniformValues(x.numel(), likeDrawOrder(x), 0, 1, gen), x.shape, { requiresGrad });
}

/** `randnLike(x)`, PyTorch's `randn_like`: N(0, 1) values of x's shape, drawn as for a tensor laid out as x. */
export function randnLike(x: Tensor, options?: RandomLikeTensorOptions): Tensor {
  const { gen, requiresGrad } = likeOptions('randnLike', x, options);
  return new Tensor(normalValues(x.numel(), likeDrawOrder(x), 0, 1, gen), x.shape, { requiresGrad });
}

/** normal's options: mean, std and size by name too, as PyTorch's keywords (`normal(0, 1, { size: [2, 3] })`). */
export interface NormalOptions extends RandomLikeOptions {
  mean?: number | Tensor;
  std?: number | Tensor;
  size?: readonly number[];
}

/**
 * `normal(mean, std, size)`, PyTorch's `torch.normal` with two numbers and a size: N(mean, std²) values, as
 * `randn(size)` scaled by one FMA each (PyTorch's `normal_`). `normal(mean, std?)` with a tensor of means and/or
 * of standard deviations (std 1 by default with a tensor mean): one value per element, of mean's shape, std's, or
 * both broadcast together, drawn as PyTorch's (see normal-tensors.ts); a mean or std that requires grad makes the
 * result require grad too, with zero gradients (PyTorch's NormalBackward1, 2, 3). Any of mean, std and size may be
 * named in the options last, as PyTorch's keywords (`normal(0, 1, { size: [2] })`, `normal({ mean: 0, std: 1, size: [2] })`).
 * @throws RangeError when std < 0 (any element of it).
 */
export function normal(...args: [mean: number | Tensor | NormalOptions, std?: number | Tensor | NormalOptions, size?: readonly number[] | NormalOptions, options?: NormalOptions]): Tensor {
  const usage = 'normal(mean, std, size?, { generator, requiresGrad }), any of mean, std and size also by name';
  const { mean, std, size, generator, requiresGrad } = boundArguments('normal', args, 0, ['mean', 'std', 'size'], ['generator', 'requiresGrad'], usage) as NormalOptions;
  if (mean instanceof Tensor || std instanceof Tensor) {
    if (size !== undefined) throw new TypeError('normal: a size is taken only with a number mean and std (PyTorch\'s normal(mean, std, size)); with a tensor mean or std the result takes their shape');
    if (typeof mean !== 'number' && !(mean instanceof Tensor)) throw new TypeError(`normal: mean must be a number or a tensor, got ${describeValue(mean)}`);
    if (std !== undefined && typeof std !== 'number' && !(std instanceof Tensor)) throw new TypeError(`normal: std must be a number or a tensor, got ${describeValue(std)}`);
    return normalTensors(mean, std ?? 1, generatorOf('normal', generator), requiresGrad ?? false);
  }
  if (typeof mean !== 'number' || typeof std !== 'number' || Number.isNaN(mean) || Number.isNaN(std)) {
    throw new TypeError(`normal: mean and std must be numbers or tensors, got ${describeValue(mean)} and ${describeValue(std)}`);
  }
  if (!Array.isArray(size)) throw new TypeError(`normal: size must be an array of sizes, as in normal(0, 1, [2, 3]) or normal(0, 1, { size: [2, 3] }); got ${describeValue(size)}`);
  checkShape(size, 'normal');
  if (!(std >= 0)) throw new RangeError(`normal expects std >= 0.0, but found std ${std}`);
  const values = normalValues(numel(size), null, mean, std, generatorOf('normal', generator));
  return new Tensor(values, size, { requiresGrad: requiresGrad ?? false });
}
