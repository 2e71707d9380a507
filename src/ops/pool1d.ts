/**
 * 1-D max and average pooling, PyTorch's `F.max_pool1d` and `F.avg_pool1d`, over inputs [N, C, L] or [C, L]: the
 * 2-D kernels (ops/pool.ts) on planes one row high, as PyTorch computes them (its 1-D pooling unsqueezes to 2-D and
 * squeezes back, so both name their node SqueezeBackward1), with PyTorch's 1-D checks and messages.
 */
import { record } from '../autograd/record.js';
import { linearTwice } from '../autograd/twice.js';
import { avgPoolBackward, avgPoolForward, maxPoolForward, scatterAdd } from '../kernels/pool.js';
import { describeValue } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { pick } from './gather.js';
import { poolCallOptions } from './pool.js';
import { checkTensor, empty } from './util.js';
import { outLength, type IntPair } from './window.js';
import { checkPoolOutput, single, type Int1 } from './window1d.js';

export interface MaxPool1dOptions {
  /** The window's step (default, or null: the kernel size). */
  readonly stride?: Int1 | null;
  /** −∞ added on each side (default 0; at most half the kernel size). */
  readonly padding?: Int1;
  /** The spacing of the window's taps (default 1). */
  readonly dilation?: Int1;
  /** Round the output length up (a last, partial window), not down (default false). */
  readonly ceilMode?: boolean;
  /** Also return each maximum's position along the input's length (default false). */
  readonly returnIndices?: boolean;
}

export interface AvgPool1dOptions {
  /** The window's step (default, or null: the kernel size). */
  readonly stride?: Int1 | null;
  /** Zeros added on each side (default 0; at most half the kernel size). */
  readonly padding?: Int1;
  /** Round the output length up (a last, partial window), not down (default false). */
  readonly ceilMode?: boolean;
  /** Count the padding's zeros in each window's size (default true, PyTorch's). */
  readonly countIncludePad?: boolean;
}

export const MAX_POOL1D_OPTIONS = ['stride', 'padding', 'dilation', 'ceilMode', 'returnIndices'] as const;
export const AVG_POOL1D_OPTIONS = ['stride', 'padding', 'ceilMode', 'countIncludePad'] as const;

/** A resolved 1-D window: kernel, stride, padding, dilation, ceil mode. */
export interface Window1d { readonly k: number; readonly s: number; readonly p: number; readonly d: number; readonly ceil: boolean }

function flag(where: string, what: string, v: unknown, otherwise: boolean): boolean {
  if (v === undefined) return otherwise;
  if (typeof v !== 'boolean') throw new TypeError(`${where}: ${what} must be true or false, got ${describeValue(v)}`);
  return v;
}

const anyInt = -Infinity;

/** max_pool1d's window, checked as PyTorch's max_pool1d checks it (its messages). */
export function maxPool1dWindow(where: string, kernelSize: unknown, o: MaxPool1dOptions): Window1d {
  const k = single(where, 'kernelSize', kernelSize, anyInt);
  const s = o.stride === undefined || o.stride === null ? k : single(where, 'stride', o.stride, anyInt);
  const p = single(where, 'padding', o.padding ?? 0, anyInt);
  const d = single(where, 'dilation', o.dilation ?? 1, anyInt);
  const ceil = flag(where, 'ceilMode', o.ceilMode, false);
  flag(where, 'returnIndices', o.returnIndices, false);
  if (k <= 0) throw new RangeError(`${where}: max_pool1d() kernel_size must be greater than zero, but got ${k}`);
  if (s <= 0) throw new RangeError(`${where}: max_pool1d() stride must be greater than zero, but got ${s}`);
  if (p < 0) throw new RangeError(`${where}: max_pool1d() padding must be non-negative, but got ${p}`);
  if (p > Math.floor(k / 2)) throw new RangeError(`${where}: max_pool1d() padding should be at most half of kernel size, but got padding=${p} and kernel_size=${k}`);
  if (d <= 0) throw new RangeError(`${where}: max_pool1d() dilation must be greater than zero, but got ${d}`);
  return { k, s, p, d, ceil };
}

/** avg_pool1d's window, checked as PyTorch's avg_pool1d checks it (its messages). */
export function avgPool1dWindow(where: string, kernelSize: unknown, o: AvgPool1dOptions): Window1d {
  const k = single(where, 'kernelSize', kernelSize, anyInt);
  const s = o.stride === undefined || o.stride === null ? k : single(where, 'stride', o.stride, anyInt);
  const p = single(where, 'padding', o.padding ?? 0, anyInt);
  const ceil = flag(where, 'ceilMode', o.ceilMode, false);
  flag(where, 'countIncludePad', o.countIncludePad, true);
  if (s === 0) throw new RangeError(`${where}: stride should not be zero`);
  if (k <= 0 || s < 0) throw new RangeError(`${where}: kernel_size and stride must be greater than zero, but got kernel_size=${k} and stride=${s}`);
  if (p < 0) throw new RangeError(`${where}: pad must be non-negative, but got pad: ${p}`);
  if (p > Math.floor(k / 2)) throw new RangeError(`${where}: pad should be at most half of kernel size, but got pad=${p} and kernel_size=${k}`);
  return { k, s, p, d: 1, ceil };
}

/** The planes (N·C rows of length L) and output length of a pooling of `x`. */
function rows(where: string, x: Tensor, w: Window1d): { planes: number; L: number; Lo: number; outShape: number[] } {
  const L = x.shape[x.ndim - 1]!;
  const Lo = outLength(L, w.k, w.s, w.d, w.p, w.p, w.ceil);
  checkPoolOutput(where, x.shape, Lo);
  return { planes: L === 0 ? 0 : x.numel() / L, L, Lo, outShape: [...x.shape.slice(0, -1), Lo] };
}

/**
 * The maximum of each window of `input` [N, C, L] (or [C, L]), as PyTorch's `F.max_pool1d(input, kernel_size,
 * stride=kernel_size, padding=0, dilation=1, ceil_mode=False, return_indices=False)`; positions in the padding are
 * −∞; a window's first largest value wins, a NaN over any number. With `returnIndices` it returns `[values, indices]`,
 * the indices (as float32 integers) counting along the length.
 *
 * @example
 * F.maxPool1d(x, 2);                        // halves the length
 * F.maxPool1d(x, 3, 2, { padding: 1 });      // or F.maxPool1d(x, 3, { stride: 2, padding: 1 })
 */
export function maxPool1d(input: Tensor, kernelSize: Int1, options?: MaxPool1dOptions & { returnIndices?: false }): Tensor;
export function maxPool1d(input: Tensor, kernelSize: Int1, options: MaxPool1dOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool1d(input: Tensor, kernelSize: Int1, stride: Int1 | null | undefined, options?: Omit<MaxPool1dOptions, 'stride'> & { returnIndices?: false }): Tensor;
export function maxPool1d(input: Tensor, kernelSize: Int1, stride: Int1 | null | undefined, options: Omit<MaxPool1dOptions, 'stride'> & { returnIndices: true }): [Tensor, Tensor];
export function maxPool1d(input: Tensor, kernelSize: Int1, strideOrOptions?: Int1 | null | MaxPool1dOptions, options?: Omit<MaxPool1dOptions, 'stride'>): Tensor | [Tensor, Tensor];
export function maxPool1d(
  input: Tensor, kernelSize: Int1, strideOrOptions?: Int1 | null | MaxPool1dOptions, options?: Omit<MaxPool1dOptions, 'stride'>,
): Tensor | [Tensor, Tensor] {
  const where = 'maxPool1d';
  checkTensor(input, where);
  const o = poolCallOptions<{ stride?: IntPair | null }>(where, strideOrOptions as never, options as never, MAX_POOL1D_OPTIONS) as MaxPool1dOptions;
  if (input.ndim !== 2 && input.ndim !== 3 || input.shape.slice(input.ndim - 2).includes(0)) {
    throw new RangeError(`${where}: max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:${formatShape(input.shape)}`);
  }
  const w = maxPool1dWindow(where, kernelSize, o);
  const { planes, L, Lo, outShape } = rows(where, input, w);
  const out = empty(outShape);
  const arg = new Int32Array(out.numel());
  const plan = { planes, H: 1, W: L, Ho: 1, Wo: Lo, kh: 1, kw: w.k, sh: 1, sw: w.s, ph: 0, pw: w.p, dh: 1, dw: w.d };
  maxPoolForward(plan, input.values(), out.data, arg);
  // PyTorch saves the input (and the positions), as for max_pool2d.
  const values = record(out, where, [input], (grad) => {
    const gx = empty(input.shape);
    scatterAdd(plan, grad.data, arg, gx.data);
    return [gx];
  }, [input], 'SqueezeBackward1');
  // Linear in g: the gradient's graph picks the gradient's gradient back at each maximum (as maxPool2d's).
  if (arg.every((a) => a >= 0)) linearTwice(values, (h) => pick(h, outShape, arg, 'maxPool1dBackward', new Tensor(Float32Array.from(arg), outShape)));
  if (o.returnIndices !== true) return values;
  const indices = empty(outShape);
  for (let i = 0; i < arg.length; i++) indices.data[i] = arg[i]! - Math.floor(i / Lo) * L;
  return [values, indices];
}

/**
 * The mean of each window of `input` [N, C, L] (or [C, L]), as PyTorch's `F.avg_pool1d(input, kernel_size,
 * stride=kernel_size, padding=0, ceil_mode=False, count_include_pad=True)`.
 *
 * @example
 * F.avgPool1d(x, 2);
 * F.avgPool1d(x, 3, 2, { padding: 1, countIncludePad: false });
 */
export function avgPool1d(
  input: Tensor, kernelSize: Int1, strideOrOptions?: Int1 | null | AvgPool1dOptions, options?: Omit<AvgPool1dOptions, 'stride'>,
): Tensor {
  const where = 'avgPool1d';
  checkTensor(input, where);
  const o = poolCallOptions<{ stride?: IntPair | null }>(where, strideOrOptions as never, options as never, AVG_POOL1D_OPTIONS) as AvgPool1dOptions;
  if (input.ndim !== 2 && input.ndim !== 3) {
    throw new RangeError(`${where}: Expected 2 to 3 dimensions, but got ${input.ndim}-dimensional tensor for argument #1 'self' (while checking arguments for avg_pool1d)`);
  }
  const w = avgPool1dWindow(where, kernelSize, o);
  const includePad = o.countIncludePad ?? true;
  const { planes, L, Lo, outShape } = rows(where, input, w);
  // Each output's window clipped to the input, and its divisor: the window within input and padding, or without
  // `countIncludePad` the clipped window (PyTorch's).
  const top = new Int32Array(Lo);
  const bottom = new Int32Array(Lo).fill(1);
  const left = new Int32Array(Lo);
  const right = new Int32Array(Lo);
  const divisor = new Float64Array(Lo);
  for (let x = 0; x < Lo; x++) {
    const w0 = x * w.s - w.p;
    const w1 = Math.min(w0 + w.k, L + w.p);
    left[x] = Math.max(w0, 0);
    right[x] = Math.min(w1, L);
    divisor[x] = includePad ? w1 - w0 : right[x]! - left[x]!;
  }
  const out = empty(outShape);
  const plan = { planes, H: 1, W: L, n: Lo, top, bottom, left, right, divisor };
  avgPoolForward(plan, input.values(), out.data);
  // Saved as PyTorch saves it (see maxPool1d), though the gradient does not read it.
  // Linear: the gradient's graph is recorded with its adjoint, the same pooling (autograd/twice.ts).
  return linearTwice(record(out, where, [input], (grad) => {
    const gx = empty(input.shape);
    avgPoolBackward(plan, grad.data, gx.data);
    return [gx];
  }, [input], 'SqueezeBackward1'), (h) => avgPool1d(h, kernelSize, strideOrOptions, options));
}
