/**
 * Resampling, PyTorch 1.13's `F.interpolate(input, size, scale_factor, mode, align_corners, recompute_scale_factor)`
 * on [N, C, L], [N, C, H, W] or [N, C, D, H, W]: modes 'nearest' and 'nearest-exact' (any of the three), 'linear'
 * (3-D), 'bilinear' and 'bicubic' (4-D), 'trilinear' (5-D) and 'area' (adaptive average pooling), with PyTorch's
 * checks and messages, its output sizes (⌊size·scale⌋ in float64), and its kernels' float32 source indices: nearest
 * reads ⌊o·s⌋ (s = 1/scale where a scale factor was given and kept, else in/out; o itself, or o/2, where the output
 * is as long as the input or twice as long, in the backward pass and for channels-last inputs), nearest-exact
 * ⌊(o + ½)·s⌋, the linear modes read around s·(o + ½) − ½ (clamped at 0), or o·(in − 1)/(out − 1) with alignCorners
 * (a dimension whose size is unchanged is copied), and bicubic reads the four pixels around the same point (not
 * clamped at 0; edge pixels repeated) with Keys's weights (A = −¾), its gradient copied through where neither side
 * changes size. Each dimension's taps are separable: a value sums the innermost dimension's taps first, as PyTorch's
 * generic kernel.
 */
import { linearTwice } from '../autograd/twice.js';
import { record } from '../autograd/record.js';
import { KindlingError } from '../errors.js';
import { describeValue } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { adaptiveAvgPool2d } from './adaptive-pool.js';
import { adaptiveAvgPool1d } from './adaptive-pool1d.js';
import { adaptiveAvgPool3d } from './pool3d.js';
import { checkTensor, empty } from './util.js';

export type InterpolateMode = 'nearest' | 'nearest-exact' | 'linear' | 'bilinear' | 'bicubic' | 'trilinear' | 'area';

export interface InterpolateOptions {
  /** The output's spatial size: one int for every spatial dimension, or one per dimension. */
  size?: number | readonly number[] | null;
  /** The factor each spatial size is multiplied by (one for all, or one per dimension). */
  scaleFactor?: number | readonly number[] | null;
  /** 'nearest' (default), 'nearest-exact', 'linear' (3-D inputs), 'bilinear' or 'bicubic' (4-D), 'trilinear' (5-D) or 'area'. */
  mode?: InterpolateMode;
  /** Interpolating modes only (linear, bilinear, bicubic, trilinear): map the corner pixels' centres onto each other (default false). */
  alignCorners?: boolean | null;
  /** Compute the kernel's scale from the output size rather than use the given factor (default: use it). */
  recomputeScaleFactor?: boolean | null;
}

const MODES: readonly string[] = ['nearest', 'nearest-exact', 'linear', 'bilinear', 'bicubic', 'trilinear', 'area'];
const INTERPOLATING: readonly string[] = ['linear', 'bilinear', 'bicubic', 'trilinear'];
/** The input rank each interpolating mode needs. */
const RANK: Readonly<Record<string, number>> = { linear: 3, bilinear: 4, bicubic: 4, trilinear: 5 };

const f = Math.fround;
const pyList = (v: readonly (number | string)[]): string => `[${v.join(', ')}]`;
const pyTuple = (v: readonly number[]): string => `(${v.join(', ')}${v.length === 1 ? ',' : ''})`;

/** PyTorch's compute_scales_value: 1/scale (float64, rounded to float32) where a scale is kept, else in/out. */
function scalesValue(scale: number | undefined, inSize: number, outSize: number): number {
  return scale !== undefined && scale > 0 ? f(1 / scale) : f(f(inSize) / f(outSize));
}

/**
 * One dimension's taps: for each output index o, `k` input indices idx[o·k + j] and their weights w[o·k + j].
 */
interface Taps { k: number; idx: Int32Array; w: Float32Array }

/**
 * The input index output `o` reads in nearest mode: ⌊o·s⌋ in float32. With `shortcut`, PyTorch's nearest_idx, which
 * copies where the output's size is the input's and halves the index where it is twice it, whatever the scale factor
 * (its backward kernels, and its forward kernel for channels-last inputs); else its generic forward kernel's index.
 */
function nearestIndex(o: number, inSize: number, outSize: number, scale: number | undefined, shortcut: boolean): number {
  if (shortcut && outSize === inSize) return o;
  if (shortcut && outSize === 2 * inSize) return o >> 1;
  const s = scalesValue(scale, inSize, outSize);
  return Math.min(Math.floor(f(f(o) * s)), inSize - 1);
}

/** The input index output `o` reads in nearest-exact mode: ⌊(o + ½)·s⌋ in float64, rounded to float32 first (floorf). */
function nearestExactIndex(o: number, inSize: number, outSize: number, scale: number | undefined): number {
  const s = scalesValue(scale, inSize, outSize);
  return Math.min(Math.floor(f((o + 0.5) * s)), inSize - 1);
}

/** The source coordinate of output `o` (PyTorch's area_pixel_compute_source_index, float32), not clamped. */
function sourceIndex(o: number, inSize: number, outSize: number, alignCorners: boolean, scale: number | undefined): number {
  if (alignCorners) return f((outSize > 1 ? f(f(inSize - 1) / f(outSize - 1)) : 0) * o);
  return f(f(scalesValue(scale, inSize, outSize) * f(o + 0.5)) - 0.5);
}

/**
 * The two input indices and weights each output index reads in linear modes (PyTorch's compute_source_index_and_lambda,
 * float32): a dimension whose size the scale factor leaves unchanged is copied (index o twice, weights 1 and 0), both
 * ways, whatever the factor.
 */
function linearTaps(inSize: number, outSize: number, alignCorners: boolean, scale: number | undefined): Taps {
  const t: Taps = { k: 2, idx: new Int32Array(2 * outSize), w: new Float32Array(2 * outSize) };
  for (let o = 0; o < outSize; o++) {
    if (outSize === inSize) {
      t.idx[2 * o] = o;
      t.idx[2 * o + 1] = o;
      t.w[2 * o] = 1;
      t.w[2 * o + 1] = 0;
      continue;
    }
    const src = Math.max(sourceIndex(o, inSize, outSize, alignCorners, scale), 0);
    const i0 = Math.trunc(src);
    const l1 = Math.min(Math.max(f(src - i0), 0), 1);
    t.idx[2 * o] = i0;
    t.idx[2 * o + 1] = i0 + (i0 < inSize - 1 ? 1 : 0);
    t.w[2 * o] = f(1 - l1);
    t.w[2 * o + 1] = l1;
  }
  return t;
}

const A = -0.75;
/** Keys's cubic kernel for |x| ≤ 1 and for 1 < |x| < 2, in float32 (PyTorch's cubic_convolution1 and 2). */
const cubic1 = (x: number): number => f(f(f(f(f((A + 2) * x) - (A + 3)) * x) * x) + 1);
const cubic2 = (x: number): number => f(f(f(f(f(f(A * x) - 5 * A) * x) + 8 * A) * x) - 4 * A);

/** The four input indices (clamped to the input) and Keys's weights each output index reads in bicubic mode. */
function cubicTaps(inSize: number, outSize: number, alignCorners: boolean, scale: number | undefined): Taps {
  const t: Taps = { k: 4, idx: new Int32Array(4 * outSize), w: new Float32Array(4 * outSize) };
  for (let o = 0; o < outSize; o++) {
    const src = sourceIndex(o, inSize, outSize, alignCorners, scale);
    const i = Math.floor(src);
    const x = f(src - i);
    const w = [cubic2(f(x + 1)), cubic1(x), cubic1(f(1 - x)), cubic2(f(f(1 - x) + 1))];
    for (let j = 0; j < 4; j++) {
      t.idx[4 * o + j] = Math.max(Math.min(i - 1 + j, inSize - 1), 0);
      t.w[4 * o + j] = w[j]!;
    }
  }
  return t;
}

/** The taps of a mode that reads one input index per output (weight 1). */
function oneTap(outSize: number, index: (o: number) => number): Taps {
  return { k: 1, idx: Int32Array.from({ length: outSize }, (_, o) => index(o)), w: new Float32Array(outSize).fill(1) };
}

function isSizeList(v: unknown): v is readonly number[] {
  return Array.isArray(v);
}

/**
 * `input` resampled as PyTorch's `F.interpolate`.
 *
 * @example
 * F.interpolate(x, { scaleFactor: 2 });                                  // nearest, [N, C, H, W] -> [N, C, 2H, 2W]
 * F.interpolate(x, { size: [5, 7], mode: 'bilinear', alignCorners: true });
 */
export function interpolate(input: Tensor, options: InterpolateOptions = {}): Tensor {
  const where = 'interpolate';
  checkTensor(input, where);
  if (options === null || typeof options !== 'object') throw new TypeError(`${where}: options must be an object ({ size, scaleFactor, mode, alignCorners, recomputeScaleFactor }), got ${describeValue(options)}`);
  for (const k of Object.keys(options)) {
    if (!['size', 'scaleFactor', 'mode', 'alignCorners', 'recomputeScaleFactor'].includes(k)) throw new TypeError(`${where}: unknown option '${k}' (accepted: size, scaleFactor, mode, alignCorners, recomputeScaleFactor)`);
  }
  // Left out is 'nearest'; a null mode is refused, as PyTorch refuses `mode=None` (its default is 'nearest', not None).
  const mode = options.mode === undefined ? 'nearest' : options.mode;
  if (!MODES.includes(mode)) throw new KindlingError(`${where}: mode must be one of ${MODES.map((m) => `'${m}'`).join(', ')}, got ${describeValue(mode)}`);
  const size = options.size ?? null;
  const scaleFactor = options.scaleFactor ?? null;
  let alignCorners = options.alignCorners ?? null;
  const recompute = options.recomputeScaleFactor ?? null;
  if (!INTERPOLATING.includes(mode)) {
    if (alignCorners !== null) throw new KindlingError(`${where}: align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear`);
  } else if (alignCorners === null) alignCorners = false;
  const dim = input.ndim - 2;
  const spatial = input.shape.slice(2);
  let outSize: number[] | null = null;
  let scales: (number | undefined)[] = new Array<undefined>(Math.max(dim, 0)).fill(undefined);
  if (size !== null && scaleFactor !== null) throw new KindlingError(`${where}: only one of size or scale_factor should be defined`);
  if (size !== null) {
    if (isSizeList(size)) {
      if (size.length !== dim) {
        throw new KindlingError(`${where}: Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of ${pyList(spatial)} and output size of ${pyTuple(size)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.`);
      }
      outSize = [...size];
    } else outSize = new Array<number>(Math.max(dim, 0)).fill(size);
    if (!outSize.every((s) => Number.isInteger(s))) throw new TypeError(`${where}: size must be an integer or an array of integers, got ${describeValue(size)}`);
  } else if (scaleFactor !== null) {
    if (isSizeList(scaleFactor)) {
      if (scaleFactor.length !== dim) {
        throw new KindlingError(`${where}: Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of ${pyList(spatial)} and scale_factor of shape ${pyTuple(scaleFactor)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.`);
      }
      scales = [...scaleFactor];
    } else scales = new Array<number>(Math.max(dim, 0)).fill(scaleFactor);
    if (!scales.every((s) => typeof s === 'number' && Number.isFinite(s))) throw new TypeError(`${where}: scaleFactor must be a number or an array of numbers, got ${describeValue(scaleFactor)}`);
  } else throw new KindlingError(`${where}: either size or scale_factor should be defined`);
  if (recompute === true && size !== null) throw new KindlingError(`${where}: recompute_scale_factor is not meaningful with an explicit size.`);
  const needs = RANK[mode];
  if (needs !== undefined && input.ndim !== needs && input.ndim >= 3 && input.ndim <= 5 && !(mode === 'bicubic')) {
    throw new KindlingError(`${where}: Got ${input.ndim}D input, but ${mode} mode needs ${needs}D input`);
  }
  if (input.ndim < 3 || input.ndim > 5 || (mode === 'bicubic' && input.ndim !== 4)) {
    throw new KindlingError(`${where}: Input Error: Only 3D, 4D and 5D input Tensors supported (got ${input.ndim}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got ${mode})`);
  }
  if (outSize === null) {
    outSize = spatial.map((s, i) => Math.floor(s * scales[i]!));
    if (recompute === true) scales = scales.map(() => undefined);
  }
  // Area is adaptive average pooling to the output size (PyTorch's own node: AdaptiveAvgPool…Backward0).
  if (mode === 'area') {
    if (dim === 1) return adaptiveAvgPool1d(input, outSize[0]!);
    if (dim === 2) return adaptiveAvgPool2d(input, [outSize[0]!, outSize[1]!]);
    return adaptiveAvgPool3d(input, [outSize[0]!, outSize[1]!, outSize[2]!]);
  }
  // PyTorch's kernels' checks.
  if (!(spatial.every((s) => s > 0) && outSize.every((s) => s > 0))) {
    const names = ['D', 'H', 'W'].slice(3 - dim);
    // PyTorch's 1-D kernels say "and", its 2-D and 3-D ones do not.
    throw new KindlingError(`${where}: Input and output sizes should be greater than 0, but got input (${names.map((n, i) => `${n}: ${spatial[i]}`).join(', ')})${dim === 1 ? ' and' : ''} output (${names.map((n, i) => `${n}: ${outSize![i]}`).join(', ')})`);
  }
  const ac = alignCorners === true;
  const tapsOf = (shortcut: boolean): Taps[] => spatial.map((inSize, d) => {
    const out = outSize![d]!;
    const scale = scales[d];
    if (mode === 'nearest') return oneTap(out, (o) => nearestIndex(o, inSize, out, scale, shortcut));
    if (mode === 'nearest-exact') return oneTap(out, (o) => nearestExactIndex(o, inSize, out, scale));
    return mode === 'bicubic' ? cubicTaps(inSize, out, ac, scale) : linearTaps(inSize, out, ac, scale);
  });
  // Nearest: PyTorch's forward kernel takes nearest_idx's shortcuts on channels-last inputs only (a contiguous one with
  // one channel is one), its backward kernels always.
  const taps = tapsOf(mode === 'nearest' && dim >= 2 && channelsLast(input));
  const backTaps = mode === 'nearest' ? tapsOf(true) : taps;
  const out = empty([input.shape[0]!, input.shape[1]!, ...outSize]);
  resample(input.values(), out.data, spatial, outSize, taps);
  const node = {
    nearest: `UpsampleNearest${dim}DBackward1`, 'nearest-exact': `UpsampleNearestExact${dim}DBackward1`, linear: 'UpsampleLinear1DBackward1',
    bilinear: 'UpsampleBilinear2DBackward1', bicubic: 'UpsampleBicubic2DBackward1', trilinear: 'UpsampleTrilinear3DBackward1',
  }[mode];
  // Linear: the gradient's graph is recorded with its adjoint, the same resampling (autograd/twice.ts).
  return linearTwice(record(out, where, [input], (grad) => {
    const gx = empty(input.shape);
    if (mode === 'bicubic') bicubicBackward(grad.data, gx.data, spatial, outSize!, taps);
    else spread(grad.data, gx.data, spatial, outSize!, backTaps);
    return [gx];
  }, [], node), (h) => interpolate(h, options));
}

/**
 * Whether `t` [N, C, …] is laid out channels last (PyTorch's is_contiguous(memory_format=channels_last(_3d))): strides
 * growing from C over the spatial dimensions, last first, to N, dimensions of size 1 skipped.
 */
function channelsLast(t: Tensor): boolean {
  let expected = 1;
  for (const d of [1, ...Array.from({ length: t.ndim - 2 }, (_, i) => t.ndim - 1 - i), 0]) {
    const size = t.shape[d]!;
    if (size === 1) continue;
    if (t.strides[d] !== expected) return false;
    expected *= size;
  }
  return true;
}

/** Row-major offsets of a spatial size, padded to three dimensions: [D·H·W per plane, H·W, W]. */
function volume(sizes: readonly number[]): [number, number, number] {
  const [d, h, w] = [1, 1, ...sizes].slice(-3) as [number, number, number];
  return [d, h, w];
}

/** The taps padded to three dimensions, a missing leading dimension reading index 0 with weight 1. */
function volumeTaps(taps: readonly Taps[]): [Taps, Taps, Taps] {
  const one: Taps = { k: 1, idx: Int32Array.of(0), w: Float32Array.of(1) };
  const t = [one, one, ...taps].slice(-3);
  return [t[0]!, t[1]!, t[2]!];
}

/**
 * Y = X resampled: each output value the sum over the outermost dimension's taps of (the sum over the next one's …
 * of the innermost's taps' values times their weights) times the weight, in float32: t₀·w₀, then + tⱼ·wⱼ.
 */
function resample(X: Float32Array, Y: Float32Array, inSizes: readonly number[], outSizes: readonly number[], taps: readonly Taps[]): void {
  const [iD, iH, iW] = volume(inSizes);
  const [oD, oH, oW] = volume(outSizes);
  const [td, th, tw] = volumeTaps(taps);
  const planes = X.length / (iD * iH * iW);
  const row = (at: number, ow: number): number => {
    let v = 0;
    for (let j = 0; j < tw.k; j++) {
      const t = f(X[at + tw.idx[ow * tw.k + j]!]! * tw.w[ow * tw.k + j]!);
      v = j === 0 ? t : f(v + t);
    }
    return v;
  };
  for (let p = 0; p < planes; p++) {
    for (let od = 0; od < oD; od++) {
      for (let oh = 0; oh < oH; oh++) {
        for (let ow = 0; ow < oW; ow++) {
          let v = 0;
          for (let a = 0; a < td.k; a++) {
            const plane = (p * iD + td.idx[od * td.k + a]!) * iH;
            let u = 0;
            for (let b = 0; b < th.k; b++) {
              const t = f(row((plane + th.idx[oh * th.k + b]!) * iW, ow) * th.w[oh * th.k + b]!);
              u = b === 0 ? t : f(u + t);
            }
            const t = f(u * td.w[od * td.k + a]!);
            v = a === 0 ? t : f(v + t);
          }
          Y[((p * oD + od) * oH + oh) * oW + ow] = v;
        }
      }
    }
  }
}

/**
 * GX += the gradient of `resample`, as PyTorch's nearest and linear backward kernels add it: each output gradient
 * times the product of its taps' weights (outermost first), added to each tap in order (outermost dimension first).
 */
function spread(G: Float32Array, GX: Float32Array, inSizes: readonly number[], outSizes: readonly number[], taps: readonly Taps[]): void {
  const [iD, iH, iW] = volume(inSizes);
  const [oD, oH, oW] = volume(outSizes);
  const [td, th, tw] = volumeTaps(taps);
  const dims = taps.length;
  const planes = G.length / (oD * oH * oW);
  for (let p = 0; p < planes; p++) {
    for (let od = 0; od < oD; od++) {
      for (let oh = 0; oh < oH; oh++) {
        for (let ow = 0; ow < oW; ow++) {
          const g = G[((p * oD + od) * oH + oh) * oW + ow]!;
          for (let a = 0; a < td.k; a++) {
            for (let b = 0; b < th.k; b++) {
              for (let c = 0; c < tw.k; c++) {
                // The weights' product as PyTorch writes it: d·h·w·g for 3-D, h·w·g for 2-D, w·g for 1-D.
                const ws = [td.w[od * td.k + a]!, th.w[oh * th.k + b]!, tw.w[ow * tw.k + c]!].slice(3 - dims);
                const weight = ws.reduce((m, x, i) => (i === 0 ? x : f(m * x)), 1);
                const at = ((p * iD + td.idx[od * td.k + a]!) * iH + th.idx[oh * th.k + b]!) * iW + tw.idx[ow * tw.k + c]!;
                GX[at] = f(GX[at]! + f(weight * g));
              }
            }
          }
        }
      }
    }
  }
}

/**
 * GX += bicubic's gradient as PyTorch's backward loop adds it: over x taps, then y taps, g·wy·wx. Where the output's
 * size is the input's (a scale factor that leaves both sides unchanged), PyTorch's backward copies the gradient
 * through, though its forward pass resamples at the factor: so does this.
 */
function bicubicBackward(G: Float32Array, GX: Float32Array, inSizes: readonly number[], outSizes: readonly number[], taps: readonly Taps[]): void {
  const [iH, iW] = inSizes as [number, number];
  const [oH, oW] = outSizes as [number, number];
  if (iH === oH && iW === oW) {
    GX.set(G);
    return;
  }
  const [th, tw] = taps as [Taps, Taps];
  const planes = G.length / (oH * oW);
  for (let oh = 0; oh < oH; oh++) {
    for (let ow = 0; ow < oW; ow++) {
      for (let p = 0; p < planes; p++) {
        const g = G[(p * oH + oh) * oW + ow]!;
        for (let i = 0; i < 4; i++) {
          for (let j = 0; j < 4; j++) {
            const at = (p * iH + th.idx[oh * 4 + j]!) * iW + tw.idx[ow * 4 + i]!;
            GX[at] = f(GX[at]! + f(f(g * th.w[oh * 4 + j]!) * tw.w[ow * 4 + i]!));
          }
        }
      }
    }
  }
}
