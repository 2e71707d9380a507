/**
 * 2-D adaptive average and max pooling, PyTorch's `F.adaptive_avg_pool2d` and `F.adaptive_max_pool2d`, over inputs
 * [N, C, H, W] or [C, H, W]: output row i pools input rows ⌊i·H/Ho⌋ to ⌈(i+1)·H/Ho⌉ (exclusive), so windows overlap
 * where Ho does not divide H. The arithmetic is PyTorch's CPU kernel's: a float32 sum divided by the window's height,
 * then its width; the maximum is the first largest value, a NaN wins (the last one seen).
 */
import { linearTwice } from '../autograd/twice.js';
import { record } from '../autograd/record.js';
import { describeValue } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { pick } from './gather.js';
import { checkTensor, empty } from './util.js';

/** PyTorch's `output_size`: an integer, or a pair whose null entries keep the input's size. */
export type AdaptiveSize2d = number | readonly [number | null, number | null];

interface Plan {
  readonly planes: number; readonly H: number; readonly W: number; readonly Ho: number; readonly Wo: number;
  readonly outShape: number[];
}

const start = (i: number, n: number, out: number): number => Math.floor((i * n) / out);
const end = (i: number, n: number, out: number): number => Math.ceil(((i + 1) * n) / out);

function planOf(where: string, torchName: string, x: Tensor, outputSize: unknown): Plan {
  const pairOk = Array.isArray(outputSize) && outputSize.length === 2;
  const raw = typeof outputSize === 'number' ? [outputSize, outputSize] : pairOk ? (outputSize as unknown[]) : null;
  if (raw === null || !raw.every((v) => v === null || (typeof v === 'number' && Number.isInteger(v) && v >= 0))) {
    throw new TypeError(`${where}: outputSize must be a non-negative integer or a pair [height, width] of them (null keeps the input's size), got ${describeValue(outputSize)}`);
  }
  if (x.ndim !== 3 && x.ndim !== 4) {
    throw new RangeError(`${where}: ${torchName}(): Expected 3D or 4D tensor, but got${torchName === 'adaptive_max_pool2d' ? ':' : ''} ${formatShape(x.shape)}`);
  }
  for (let d = 1; d < x.ndim; d++) {
    if (x.shape[d] === 0) {
      throw new RangeError(`${where}: ${torchName}(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${formatShape(x.shape)} with dimension ${d} being empty`);
    }
  }
  const H = x.shape[x.ndim - 2]!;
  const W = x.shape[x.ndim - 1]!;
  const Ho = (raw[0] as number | null) ?? H;
  const Wo = (raw[1] as number | null) ?? W;
  return { planes: x.numel() / (H * W), H, W, Ho, Wo, outShape: [...x.shape.slice(0, -2), Ho, Wo] };
}

/**
 * The mean of each adaptive window of `input`, as PyTorch's `F.adaptive_avg_pool2d(input, output_size)`.
 *
 * @example
 * F.adaptiveAvgPool2d(x, 1);          // global average pooling: [N, C, 1, 1]
 * F.adaptiveAvgPool2d(x, [7, null]);  // 7 rows, the input's width
 */
export function adaptiveAvgPool2d(input: Tensor, outputSize: AdaptiveSize2d): Tensor {
  const where = 'adaptiveAvgPool2d';
  checkTensor(input, where);
  const { planes, H, W, Ho, Wo, outShape } = planOf(where, 'adaptive_avg_pool2d', input, outputSize);
  const out = empty(outShape);
  const X = input.values();
  const Y = out.data;
  for (let p = 0; p < planes; p++) {
    const xo = p * H * W;
    const yo = p * Ho * Wo;
    for (let oh = 0; oh < Ho; oh++) {
      const h0 = start(oh, H, Ho);
      const kh = end(oh, H, Ho) - h0;
      for (let ow = 0; ow < Wo; ow++) {
        const w0 = start(ow, W, Wo);
        const kw = end(ow, W, Wo) - w0;
        let sum = 0;
        for (let ih = h0; ih < h0 + kh; ih++) {
          for (let iw = w0; iw < w0 + kw; iw++) sum = Math.fround(sum + X[xo + ih * W + iw]!);
        }
        Y[yo + oh * Wo + ow] = Math.fround(Math.fround(sum / kh) / kw);
      }
    }
  }
  // Linear: the gradient's graph is recorded with its adjoint, the same pooling (autograd/twice.ts).
  return linearTwice(record(out, where, [input], (grad) => {
    const gx = empty(input.shape);
    const G = grad.data;
    const GX = gx.data;
    for (let p = 0; p < planes; p++) {
      const xo = p * H * W;
      const yo = p * Ho * Wo;
      for (let oh = 0; oh < Ho; oh++) {
        const h0 = start(oh, H, Ho);
        const kh = end(oh, H, Ho) - h0;
        for (let ow = 0; ow < Wo; ow++) {
          const w0 = start(ow, W, Wo);
          const kw = end(ow, W, Wo) - w0;
          const delta = Math.fround(Math.fround(G[yo + oh * Wo + ow]! / kh) / kw);
          for (let ih = h0; ih < h0 + kh; ih++) {
            for (let iw = w0; iw < w0 + kw; iw++) GX[xo + ih * W + iw] += delta;
          }
        }
      }
    }
    return [gx];
    // PyTorch computes a 1×1 output as `input.mean((-1, -2), keepdim=True)`, and so names its node MeanBackward1.
  }, [input], Ho === 1 && Wo === 1 ? 'MeanBackward1' : 'AdaptiveAvgPool2DBackward0'), (h) => adaptiveAvgPool2d(h, outputSize));
}

/**
 * The maximum of each adaptive window of `input`, as PyTorch's `F.adaptive_max_pool2d(input, output_size)`; the
 * gradient goes to each window's maximum. With `returnIndices` (PyTorch's `return_indices=True`) it returns
 * `[values, indices]`, the indices (as float32 integers) counting within each H×W plane.
 *
 * @example
 * F.adaptiveMaxPool2d(x, [3, 3]);
 */
export function adaptiveMaxPool2d(input: Tensor, outputSize: AdaptiveSize2d): Tensor;
export function adaptiveMaxPool2d(input: Tensor, outputSize: AdaptiveSize2d, returnIndices: true): [Tensor, Tensor];
export function adaptiveMaxPool2d(input: Tensor, outputSize: AdaptiveSize2d, returnIndices?: boolean): Tensor | [Tensor, Tensor];
export function adaptiveMaxPool2d(input: Tensor, outputSize: AdaptiveSize2d, returnIndices = false): Tensor | [Tensor, Tensor] {
  const where = 'adaptiveMaxPool2d';
  checkTensor(input, where);
  if (typeof returnIndices !== 'boolean') throw new TypeError(`${where}: returnIndices must be true or false, got ${describeValue(returnIndices)}`);
  const { planes, H, W, Ho, Wo, outShape } = planOf(where, 'adaptive_max_pool2d', input, outputSize);
  const out = empty(outShape);
  const X = input.values();
  const Y = out.data;
  const arg = new Int32Array(out.numel());
  for (let p = 0; p < planes; p++) {
    const xo = p * H * W;
    const yo = p * Ho * Wo;
    for (let oh = 0; oh < Ho; oh++) {
      const h0 = start(oh, H, Ho);
      const h1 = end(oh, H, Ho);
      for (let ow = 0; ow < Wo; ow++) {
        const w0 = start(ow, W, Wo);
        const w1 = end(ow, W, Wo);
        let best = h0 * W + w0;
        let max = -Infinity;
        for (let ih = h0; ih < h1; ih++) {
          for (let iw = w0; iw < w1; iw++) {
            const v = X[xo + ih * W + iw]!;
            if (v > max || Number.isNaN(v)) {
              max = v;
              best = ih * W + iw;
            }
          }
        }
        Y[yo + oh * Wo + ow] = max;
        arg[yo + oh * Wo + ow] = best;
      }
    }
  }
  const result = record(out, where, [input], (grad) => {
    const gx = empty(input.shape);
    const G = grad.data;
    const GX = gx.data;
    for (let p = 0; p < planes; p++) {
      const xo = p * H * W;
      const yo = p * Ho * Wo;
      for (let i = 0; i < Ho * Wo; i++) GX[xo + arg[yo + i]!] += G[yo + i]!;
    }
    return [gx];
  }, [input], 'AdaptiveMaxPool2DBackward0');
  // Linear in g: the gradient's graph picks the gradient's gradient back at each maximum.
  linearTwice(result, (h) => {
    const from = Int32Array.from(arg, (a, k) => Math.floor(k / (Ho * Wo)) * H * W + a);
    return pick(h, outShape, from, 'adaptiveMaxPool2dBackward', new Tensor(Float32Array.from(from), outShape));
  });
  if (!returnIndices) return result;
  const indices = empty(outShape);
  indices.data.set(arg);
  return [result, indices];
}
