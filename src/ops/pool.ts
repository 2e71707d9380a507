/**
 * 2-D max and average pooling, PyTorch's `F.max_pool2d` and `F.avg_pool2d`, over inputs [N, C, H, W] or [C, H, W].
 * Each window's maximum is found as PyTorch's CPU kernel finds it (the first largest value; a NaN wins, the last one
 * seen), and the backward pass sends each output's gradient to that element.
 */
import { linearTwice } from '../autograd/twice.js';
import { record } from '../autograd/record.js';
import { avgPoolBackward, avgPoolForward, maxPoolForward, scatterAdd } from '../kernels/pool.js';
import { checkOptions, describeValue } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { pick } from './gather.js';
import { checkTensor, empty } from './util.js';
import { checkOutput, outLength, pair, type IntPair, type Pair } from './window.js';

export interface MaxPool2dOptions {
  /** The window's step (default: the kernel size). */
  readonly stride?: IntPair | null;
  /** −∞ added on each side (default 0; at most half the kernel). */
  readonly padding?: IntPair;
  /** The spacing of the window's taps (default 1). */
  readonly dilation?: IntPair;
  /** Round the output size up (a last, partial window), not down (default false). */
  readonly ceilMode?: boolean;
  /** Also return each maximum's position in its H×W plane, as `[values, indices]` (default false). */
  readonly returnIndices?: boolean;
}

export interface AvgPool2dOptions {
  /** The window's step (default: the kernel size). */
  readonly stride?: IntPair | null;
  /** Zeros added on each side (default 0; at most half the kernel). */
  readonly padding?: IntPair;
  /** Round the output size up (a last, partial window), not down (default false). */
  readonly ceilMode?: boolean;
  /** Count the padding's zeros in each window's size (default true, PyTorch's). */
  readonly countIncludePad?: boolean;
  /** Divide every window's sum by this instead of its size (default null). */
  readonly divisorOverride?: number | null;
}

export const MAX_POOL2D_OPTIONS = ['stride', 'padding', 'dilation', 'ceilMode', 'returnIndices'] as const;
export const AVG_POOL2D_OPTIONS = ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'] as const;

interface Window {
  readonly k: Pair; readonly s: Pair; readonly p: Pair; readonly d: Pair; readonly ceil: boolean;
}

/** The planes of the input (N·C of them, each H×W) and the output's size. */
interface Planes {
  readonly planes: number; readonly H: number; readonly W: number; readonly Ho: number; readonly Wo: number;
  readonly outShape: number[];
}

function checkFlag(where: string, what: string, v: unknown): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new TypeError(`${where}: ${what} must be true or false, got ${describeValue(v)}`);
  return v;
}


/**
 * The options of a pooling call or layer whose stride may come after the kernel size by position, as in PyTorch:
 * `(2, 1)`, `(3, 2, { padding: 1 })`, `(3, { stride: 2 })`, or null (PyTorch's `stride=None`: the kernel size).
 */
export function poolCallOptions<T extends { stride?: IntPair | null }>(
  where: string, strideOrOptions: IntPair | null | T | undefined, options: Omit<T, 'stride'> | undefined, accepted: readonly string[],
): T {
  const positional = typeof strideOrOptions === 'number' || Array.isArray(strideOrOptions) || strideOrOptions === null || (strideOrOptions === undefined && options !== undefined);
  if (positional && (typeof options === 'number' || Array.isArray(options))) {
    throw new TypeError(`${where}: only the stride comes by position after the kernel size; give the padding and the rest as options, as in ${where}(3, 2, { padding: 1 })`);
  }
  if (!positional && options !== undefined) {
    throw new TypeError(`${where}: more named options only follow a stride given by position, as in ${where}(3, 2, { padding: 1 }); got ${describeValue(options)} after ${describeValue(strideOrOptions)}`);
  }
  const given = checkOptions<T>(where, (positional ? options : strideOrOptions) as T | undefined, accepted as (keyof T & string)[]);
  if (positional && strideOrOptions != null && given.stride !== undefined) throw new TypeError(`${where}: stride given twice: by position and in the options`);
  return (positional && strideOrOptions != null ? { ...given, stride: strideOrOptions } : { ...given }) as T;
}

/**
 * Resolves kernel size, stride, padding and dilation with PyTorch's defaults and checks. The padding is at most half
 * the kernel size, the dilation aside, as in PyTorch 1.13 (later versions allow half the dilated kernel).
 */
export function poolWindow(where: string, kernelSize: unknown, o: { stride?: IntPair | null; padding?: IntPair; dilation?: IntPair; ceilMode?: boolean }): Window {
  const k = pair(where, 'kernelSize', kernelSize, 1);
  const s = o.stride === undefined || o.stride === null ? k : pair(where, 'stride', o.stride, 1);
  const p = pair(where, 'padding', o.padding ?? 0, 0);
  const d = pair(where, 'dilation', o.dilation ?? 1, 1);
  const ceil = checkFlag(where, 'ceilMode', o.ceilMode);
  if (p.some((v, i) => v > k[i]! / 2)) {
    throw new RangeError(`${where}: padding (${p.join(', ')}) must be at most half the kernel size (${k.join(', ')}), as PyTorch requires`);
  }
  return { k, s, p, d, ceil };
}

function planesOf(where: string, x: Tensor, w: Window, detail: string): Planes {
  if (x.ndim !== 3 && x.ndim !== 4) {
    throw new RangeError(`${where}: input must be 4-D [batch, channels, height, width] or 3-D [channels, height, width], got ${formatShape(x.shape)}`);
  }
  const H = x.shape[x.ndim - 2]!;
  const W = x.shape[x.ndim - 1]!;
  const planes = x.numel() / (H * W || 1);
  const Ho = outLength(H, w.k[0], w.s[0], w.d[0], w.p[0], w.p[0], w.ceil);
  const Wo = outLength(W, w.k[1], w.s[1], w.d[1], w.p[1], w.p[1], w.ceil);
  checkOutput(where, x.shape, Ho, Wo, `kernel (${w.k.join(', ')}), stride (${w.s.join(', ')}), padding (${w.p.join(', ')})${detail}`);
  return { planes, H, W, Ho, Wo, outShape: [...x.shape.slice(0, -2), Ho, Wo] };
}

/**
 * The maximum of each window of `input` [N, C, H, W] (or [C, H, W]), as PyTorch's `F.max_pool2d(input,
 * kernel_size, stride=kernel_size, padding=0, dilation=1, ceil_mode=False)`; positions in the padding are −∞.
 *
 * With `returnIndices` it gives `[values, indices]`, each maximum's flat position in its H×W plane (as float32
 * values), which `maxUnpool2d` takes.
 *
 * @example
 * F.maxPool2d(x, 2);                       // halves height and width
 * F.maxPool2d(x, 3, 2, { padding: 1 });     // or F.maxPool2d(x, 3, { stride: 2, padding: 1 })
 * const [v, i] = F.maxPool2d(x, 2, { returnIndices: true });
 */
export function maxPool2d(input: Tensor, kernelSize: IntPair, options?: MaxPool2dOptions & { returnIndices?: false }): Tensor;
export function maxPool2d(input: Tensor, kernelSize: IntPair, options: MaxPool2dOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool2d(input: Tensor, kernelSize: IntPair, stride: IntPair | null | undefined, options?: Omit<MaxPool2dOptions, 'stride'> & { returnIndices?: false }): Tensor;
export function maxPool2d(input: Tensor, kernelSize: IntPair, stride: IntPair | null | undefined, options: Omit<MaxPool2dOptions, 'stride'> & { returnIndices: true }): [Tensor, Tensor];
export function maxPool2d(input: Tensor, kernelSize: IntPair, strideOrOptions?: IntPair | null | MaxPool2dOptions, options?: Omit<MaxPool2dOptions, 'stride'>): Tensor | [Tensor, Tensor];
export function maxPool2d(
  input: Tensor, kernelSize: IntPair, strideOrOptions?: IntPair | null | MaxPool2dOptions, options?: Omit<MaxPool2dOptions, 'stride'>,
): Tensor | [Tensor, Tensor] {
  const where = 'maxPool2d';
  checkTensor(input, where);
  const o = poolCallOptions<MaxPool2dOptions>(where, strideOrOptions, options, MAX_POOL2D_OPTIONS);
  const withIndices = checkFlag(where, 'returnIndices', o.returnIndices);
  const w = poolWindow(where, kernelSize, o);
  const pl = planesOf(where, input, w, `, dilation (${w.d.join(', ')})`);
  const { planes, H, W, Ho, Wo } = pl;
  const [kh, kw] = w.k;
  const [sh, sw] = w.s;
  const [ph, pw] = w.p;
  const [dh, dw] = w.d;
  const out = empty(pl.outShape);
  // The flat input position of each output's maximum, for the backward pass.
  const arg = new Int32Array(out.numel());
  const plan = { planes, H, W, Ho, Wo, kh, kw, sh, sw, ph, pw, dh, dw };
  maxPoolForward(plan, input.values(), out.data, arg);
  // PyTorch saves the input (and the positions) for the backward pass: changing the input in place after the forward
  // pass is refused there, and here.
  const values = record(out, where, [input], (grad) => {
    const gx = empty(input.shape);
    scatterAdd(plan, grad.data, arg, gx.data);
    return [gx];
  }, [input], 'MaxPool2DWithIndicesBackward0');
  // Linear in g: the gradient's graph picks the gradient's gradient back at each maximum (when every window has one).
  if (arg.every((a) => a >= 0)) linearTwice(values, (h) => pick(h, pl.outShape, arg, 'maxPool2dBackward', new Tensor(Float32Array.from(arg), pl.outShape)));
  if (!withIndices) return values;
  // Positions within each plane; a window with no tap inside the input (its maximum −∞) names its first tap's.
  const indices = empty(pl.outShape);
  const [ph0, pw0] = w.p;
  for (let o = 0; o < arg.length; o++) {
    const at = o % (Ho * Wo);
    indices.data[o] = arg[o]! >= 0 ? arg[o]! - Math.floor(o / (Ho * Wo)) * H * W
      : Math.max(Math.floor(at / Wo) * w.s[0] - ph0, 0) * W + Math.max((at % Wo) * w.s[1] - pw0, 0);
  }
  return [values, indices];
}

/**
 * The mean of each window of `input` [N, C, H, W] (or [C, H, W]), as PyTorch's `F.avg_pool2d(input, kernel_size,
 * stride=kernel_size, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None)`.
 *
 * @example
 * F.avgPool2d(x, 2);
 */
export function avgPool2d(
  input: Tensor, kernelSize: IntPair, strideOrOptions?: IntPair | null | AvgPool2dOptions, options?: Omit<AvgPool2dOptions, 'stride'>,
): Tensor {
  const where = 'avgPool2d';
  checkTensor(input, where);
  const o = poolCallOptions<AvgPool2dOptions>(where, strideOrOptions, options, AVG_POOL2D_OPTIONS);
  const w = poolWindow(where, kernelSize, o);
  const includePad = o.countIncludePad === undefined ? true : checkFlag(where, 'countIncludePad', o.countIncludePad);
  const override = o.divisorOverride ?? null;
  if (override !== null && (!Number.isInteger(override) || override === 0)) {
    throw new RangeError(`${where}: divisorOverride must be a non-zero integer (or null), got ${describeValue(override)}`);
  }
  const pl = planesOf(where, input, w, '');
  const { planes, H, W, Ho, Wo } = pl;
  const [kh, kw] = w.k;
  const [sh, sw] = w.s;
  const [ph, pw] = w.p;
  // Each output's window, clipped to the input, and its divisor (PyTorch's: the window within input and padding,
  // or the clipped window without `countIncludePad`, or the override).
  const n = Ho * Wo;
  const top = new Int32Array(n);
  const bottom = new Int32Array(n);
  const left = new Int32Array(n);
  const right = new Int32Array(n);
  const divisor = new Float64Array(n);
  for (let y = 0; y < Ho; y++) {
    for (let x = 0; x < Wo; x++) {
      const i = y * Wo + x;
      let h0 = y * sh - ph;
      let w0 = x * sw - pw;
      let h1 = Math.min(h0 + kh, H + ph);
      let w1 = Math.min(w0 + kw, W + pw);
      const size = (h1 - h0) * (w1 - w0);
      h0 = Math.max(h0, 0);
      w0 = Math.max(w0, 0);
      h1 = Math.min(h1, H);
      w1 = Math.min(w1, W);
      top[i] = h0;
      bottom[i] = h1;
      left[i] = w0;
      right[i] = w1;
      divisor[i] = override ?? (includePad ? size : (h1 - h0) * (w1 - w0));
    }
  }
  const out = empty(pl.outShape);
  const plan = { planes, H, W, n, top, bottom, left, right, divisor };
  avgPoolForward(plan, input.values(), out.data);
  // Saved as PyTorch saves it (see maxPool2d), though the gradient does not read it.
  // Linear: the gradient's graph is recorded with its adjoint, the same pooling (autograd/twice.ts).
  return linearTwice(record(out, where, [input], (grad) => {
    const gx = empty(input.shape);
    avgPoolBackward(plan, grad.data, gx.data);
    return [gx];
  }, [input], 'AvgPool2DBackward0'), (h) => avgPool2d(h, kernelSize, strideOrOptions, options));
}
