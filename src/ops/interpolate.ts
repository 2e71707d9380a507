/**
 * Resampling, PyTorch 1.13's `F.interpolate(input, size, scale_factor, mode, align_corners, recompute_scale_factor)`
 * for modes 'nearest' ([N, C, L] or [N, C, H, W]), 'linear' ([N, C, L]) and 'bilinear' ([N, C, H, W]), with
 * PyTorch's checks and messages, its output sizes (⌊size·scale⌋ in float64), and its kernels' float32 source
 * indices: nearest reads ⌊o·s⌋ (s = 1/scale where a scale factor was given and kept, else in/out), linear and
 * bilinear read around s·(o + ½) − ½ (clamped at 0), or o·(in − 1)/(out − 1) with alignCorners.
 */
import { record } from '../autograd/record.js';
import { KindlingError } from '../errors.js';
import { describeValue } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor, empty } from './util.js';

export type InterpolateMode = 'nearest' | 'linear' | 'bilinear';

export interface InterpolateOptions {
  /** The output's spatial size: one int for every spatial dimension, or one per dimension. */
  size?: number | readonly number[] | null;
  /** The factor each spatial size is multiplied by (one for all, or one per dimension). */
  scaleFactor?: number | readonly number[] | null;
  /** 'nearest' (default), 'linear' (3-D inputs) or 'bilinear' (4-D inputs). */
  mode?: InterpolateMode;
  /** Linear modes only: map the corner pixels' centres onto each other (default false). */
  alignCorners?: boolean | null;
  /** Compute the kernel's scale from the output size rather than use the given factor (default: use it). */
  recomputeScaleFactor?: boolean | null;
}

const f = Math.fround;
const pyList = (v: readonly (number | string)[]): string => `[${v.join(', ')}]`;
const pyTuple = (v: readonly number[]): string => `(${v.join(', ')}${v.length === 1 ? ',' : ''})`;

/** PyTorch's compute_scales_value: 1/scale (float64, rounded to float32) where a scale is kept, else in/out. */
function scalesValue(scale: number | undefined, inSize: number, outSize: number): number {
  return scale !== undefined && scale > 0 ? f(1 / scale) : f(f(inSize) / f(outSize));
}

/** The input index output `o` reads in nearest mode (PyTorch's nearest_idx). */
function nearestIndex(o: number, inSize: number, outSize: number, scale: number | undefined): number {
  if (outSize === inSize) return o;
  if (outSize === 2 * inSize) return o >> 1;
  const s = scalesValue(scale, inSize, outSize);
  return Math.min(Math.floor(f(f(o) * s)), inSize - 1);
}

interface Taps { i0: Int32Array; i1: Int32Array; w0: Float32Array; w1: Float32Array }

/** The two input indices and weights each output index reads in linear modes (PyTorch's float32 arithmetic). */
function linearTaps(inSize: number, outSize: number, alignCorners: boolean, scale: number | undefined): Taps {
  const t: Taps = { i0: new Int32Array(outSize), i1: new Int32Array(outSize), w0: new Float32Array(outSize), w1: new Float32Array(outSize) };
  const ratio = alignCorners ? (outSize > 1 ? f(f(inSize - 1) / f(outSize - 1)) : 0) : scalesValue(scale, inSize, outSize);
  for (let o = 0; o < outSize; o++) {
    let src: number;
    if (alignCorners) src = f(ratio * o);
    else {
      src = f(f(ratio * f(o + 0.5)) - 0.5);
      if (src < 0) src = 0;
    }
    const i0 = Math.trunc(src);
    const i1 = i0 + (i0 < inSize - 1 ? 1 : 0);
    const l1 = Math.min(Math.max(f(src - i0), 0), 1);
    t.i0[o] = i0;
    t.i1[o] = i1;
    t.w1[o] = l1;
    t.w0[o] = f(1 - l1);
  }
  return t;
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
  const mode = options.mode ?? 'nearest';
  if (!['nearest', 'linear', 'bilinear'].includes(mode)) throw new KindlingError(`${where}: mode must be 'nearest', 'linear' or 'bilinear' (Kindling has no other yet), got ${describeValue(mode)}`);
  const size = options.size ?? null;
  const scaleFactor = options.scaleFactor ?? null;
  let alignCorners = options.alignCorners ?? null;
  const recompute = options.recomputeScaleFactor ?? null;
  if (mode === 'nearest') {
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
  if (input.ndim === 3 && mode === 'bilinear') throw new KindlingError(`${where}: Got 3D input, but bilinear mode needs 4D input`);
  if (input.ndim === 4 && mode === 'linear') throw new KindlingError(`${where}: Got 4D input, but linear mode needs 3D input`);
  if (input.ndim !== 3 && input.ndim !== 4) {
    throw new KindlingError(`${where}: Input Error: Only 3D, 4D and 5D input Tensors supported (got ${input.ndim}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got ${mode})`);
  }
  if (outSize === null) {
    outSize = spatial.map((s, i) => Math.floor(s * scales[i]!));
    if (recompute === true) scales = scales.map(() => undefined);
  }
  // PyTorch's kernels' checks.
  if (!(spatial.every((s) => s > 0) && outSize.every((s) => s > 0))) {
    const names = dim === 1 ? ['W'] : ['H', 'W'];
    // PyTorch's 1-D kernels say "and", its 2-D ones do not.
    throw new KindlingError(`${where}: Input and output sizes should be greater than 0, but got input (${names.map((n, i) => `${n}: ${spatial[i]}`).join(', ')})${dim === 1 ? ' and' : ''} output (${names.map((n, i) => `${n}: ${outSize![i]}`).join(', ')})`);
  }
  const [N, C] = [input.shape[0]!, input.shape[1]!];
  const inH = dim === 2 ? spatial[0]! : 1;
  const inW = spatial[dim - 1]!;
  const outH = dim === 2 ? outSize[0]! : 1;
  const outW = outSize[dim - 1]!;
  const scaleH = dim === 2 ? scales[0] : undefined;
  const scaleW = scales[dim - 1];
  const planes = N * C;
  const out = empty([N, C, ...outSize]);
  const X = input.values();
  const Y = out.data;
  let backward: (g: Float32Array, gx: Float32Array) => void;
  if (mode === 'nearest') {
    const hIdx = Int32Array.from({ length: outH }, (_, o) => (dim === 2 ? nearestIndex(o, inH, outH, scaleH) : 0));
    const wIdx = Int32Array.from({ length: outW }, (_, o) => nearestIndex(o, inW, outW, scaleW));
    for (let p = 0; p < planes; p++) {
      for (let oh = 0; oh < outH; oh++) {
        for (let ow = 0; ow < outW; ow++) Y[(p * outH + oh) * outW + ow] = X[(p * inH + hIdx[oh]!) * inW + wIdx[ow]!]!;
      }
    }
    backward = (G, GX) => {
      for (let p = 0; p < planes; p++) {
        for (let oh = 0; oh < outH; oh++) {
          for (let ow = 0; ow < outW; ow++) {
            const at = (p * inH + hIdx[oh]!) * inW + wIdx[ow]!;
            GX[at] = f(GX[at]! + G[(p * outH + oh) * outW + ow]!);
          }
        }
      }
    };
  } else {
    const w = linearTaps(inW, outW, alignCorners === true, scaleW);
    const h = dim === 2 ? linearTaps(inH, outH, alignCorners === true, scaleH) : { i0: Int32Array.of(0), i1: Int32Array.of(0), w0: Float32Array.of(1), w1: Float32Array.of(0) };
    for (let p = 0; p < planes; p++) {
      const base = p * inH * inW;
      for (let oh = 0; oh < outH; oh++) {
        const r0 = base + h.i0[oh]! * inW;
        const r1 = base + h.i1[oh]! * inW;
        for (let ow = 0; ow < outW; ow++) {
          const [a, b, wa, wb] = [w.i0[ow]!, w.i1[ow]!, w.w0[ow]!, w.w1[ow]!];
          const top = f(f(X[r0 + a]! * wa) + f(X[r0 + b]! * wb));
          let v: number;
          if (dim === 1) v = top;
          else {
            const bottom = f(f(X[r1 + a]! * wa) + f(X[r1 + b]! * wb));
            v = f(f(top * h.w0[oh]!) + f(bottom * h.w1[oh]!));
          }
          Y[(p * outH + oh) * outW + ow] = v;
        }
      }
    }
    backward = (G, GX) => {
      for (let p = 0; p < planes; p++) {
        const base = p * inH * inW;
        for (let oh = 0; oh < outH; oh++) {
          const r0 = base + h.i0[oh]! * inW;
          const r1 = base + h.i1[oh]! * inW;
          const [h0, h1] = [h.w0[oh]!, h.w1[oh]!];
          for (let ow = 0; ow < outW; ow++) {
            const g = G[(p * outH + oh) * outW + ow]!;
            const [a, b, wa, wb] = [w.i0[ow]!, w.i1[ow]!, w.w0[ow]!, w.w1[ow]!];
            if (dim === 1) {
              GX[r0 + a] = f(GX[r0 + a]! + f(wa * g));
              GX[r0 + b] = f(GX[r0 + b]! + f(wb * g));
            } else {
              GX[r0 + a] = f(GX[r0 + a]! + f(f(h0 * wa) * g));
              GX[r0 + b] = f(GX[r0 + b]! + f(f(h0 * wb) * g));
              GX[r1 + a] = f(GX[r1 + a]! + f(f(h1 * wa) * g));
              GX[r1 + b] = f(GX[r1 + b]! + f(f(h1 * wb) * g));
            }
          }
        }
      }
    };
  }
  const node = mode === 'nearest' ? `UpsampleNearest${dim}DBackward1` : mode === 'linear' ? 'UpsampleLinear1DBackward1' : 'UpsampleBilinear2DBackward1';
  return record(out, where, [input], (grad) => {
    const gx = empty(input.shape);
    backward(grad.data, gx.data);
    return [gx];
  }, [], node);
}
