/**
 * 1-D adaptive average and max pooling, PyTorch's `F.adaptive_avg_pool1d` and `F.adaptive_max_pool1d`, over inputs
 * [N, C, L] or [C, L]: output i pools inputs ⌊i·L/Lo⌋ to ⌈(i+1)·L/Lo⌉ (exclusive), so windows overlap where Lo does
 * not divide L. PyTorch computes them as the 2-D ones on the input unsqueezed to one row (ops/adaptive-pool.ts), so
 * the arithmetic is that kernel's (a float32 sum divided by the window's length; the first largest value, a NaN
 * winning), its checks of empty inputs name the 2-D op and the unsqueezed sizes, and the node is SqueezeBackward1.
 */
import { record } from '../autograd/record.js';
import { linearTwice } from '../autograd/twice.js';
import { describeValue } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { pick } from './gather.js';
import { checkTensor, empty } from './util.js';
import type { Int1 } from './window1d.js';

interface Plan { readonly planes: number; readonly L: number; readonly Lo: number; readonly outShape: number[] }

const start = (i: number, n: number, out: number): number => Math.floor((i * n) / out);
const end = (i: number, n: number, out: number): number => Math.ceil(((i + 1) * n) / out);

function planOf(where: string, torchName: string, x: Tensor, outputSize: unknown): Plan {
  if (Array.isArray(outputSize) && outputSize.length !== 1) {
    throw new TypeError(`${where}: ${torchName}() argument 'output_size' should contain one int (got ${outputSize.length})`);
  }
  const size = Array.isArray(outputSize) ? (outputSize[0] as unknown) : outputSize;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
    throw new TypeError(`${where}: outputSize must be a non-negative integer or an array of one, got ${describeValue(outputSize)}`);
  }
  if (x.ndim !== 2 && x.ndim !== 3) {
    throw new RangeError(`${where}: Expected 2 to 3 dimensions, but got ${x.ndim}-dimensional tensor for argument #1 'self' (while checking arguments for ${torchName})`);
  }
  // PyTorch's 2-D kernel checks the unsqueezed input [..., C, 1, L]: the max every non-batch dimension, the average
  // the last two only.
  const sizes = [...x.shape.slice(0, -1), 1, x.shape[x.ndim - 1]!];
  const op = torchName.replace('1d', '2d');
  for (let d = torchName === 'adaptive_max_pool1d' ? 1 : sizes.length - 2; d < sizes.length; d++) {
    if (sizes[d] === 0) {
      throw new RangeError(`${where}: ${op}(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${formatShape(sizes)} with dimension ${d} being empty`);
    }
  }
  const L = x.shape[x.ndim - 1]!;
  return { planes: x.numel() / L, L, Lo: size, outShape: [...x.shape.slice(0, -1), size] };
}

/**
 * The mean of each adaptive window of `input`, as PyTorch's `F.adaptive_avg_pool1d(input, output_size)`.
 *
 * @example
 * F.adaptiveAvgPool1d(x, 1);   // global average pooling: [N, C, 1]
 */
export function adaptiveAvgPool1d(input: Tensor, outputSize: Int1): Tensor {
  const where = 'adaptiveAvgPool1d';
  checkTensor(input, where);
  const { planes, L, Lo, outShape } = planOf(where, 'adaptive_avg_pool1d', input, outputSize);
  const out = empty(outShape);
  const X = input.values();
  const Y = out.data;
  for (let p = 0; p < planes; p++) {
    for (let o = 0; o < Lo; o++) {
      const i0 = start(o, L, Lo);
      const i1 = end(o, L, Lo);
      let sum = 0;
      for (let i = i0; i < i1; i++) sum = Math.fround(sum + X[p * L + i]!);
      Y[p * Lo + o] = Math.fround(sum / (i1 - i0));
    }
  }
  return linearTwice(record(out, where, [input], (grad) => {
    const gx = empty(input.shape);
    const G = grad.data;
    const GX = gx.data;
    for (let p = 0; p < planes; p++) {
      for (let o = 0; o < Lo; o++) {
        const i0 = start(o, L, Lo);
        const i1 = end(o, L, Lo);
        const delta = Math.fround(G[p * Lo + o]! / (i1 - i0));
        for (let i = i0; i < i1; i++) GX[p * L + i] += delta;
      }
    }
    return [gx];
  }, [input], 'SqueezeBackward1'), (h) => adaptiveAvgPool1d(h, outputSize));
}

/**
 * The maximum of each adaptive window of `input`, as PyTorch's `F.adaptive_max_pool1d(input, output_size,
 * return_indices=False)`; the gradient goes to each window's maximum. With `returnIndices` it returns
 * `[values, indices]`, the indices (as float32 integers) counting along the length.
 *
 * @example
 * F.adaptiveMaxPool1d(x, 4);
 */
export function adaptiveMaxPool1d(input: Tensor, outputSize: Int1): Tensor;
export function adaptiveMaxPool1d(input: Tensor, outputSize: Int1, returnIndices: true): [Tensor, Tensor];
export function adaptiveMaxPool1d(input: Tensor, outputSize: Int1, returnIndices?: boolean): Tensor | [Tensor, Tensor];
export function adaptiveMaxPool1d(input: Tensor, outputSize: Int1, returnIndices = false): Tensor | [Tensor, Tensor] {
  const where = 'adaptiveMaxPool1d';
  checkTensor(input, where);
  if (typeof returnIndices !== 'boolean') throw new TypeError(`${where}: returnIndices must be true or false, got ${describeValue(returnIndices)}`);
  const { planes, L, Lo, outShape } = planOf(where, 'adaptive_max_pool1d', input, outputSize);
  const out = empty(outShape);
  const X = input.values();
  const Y = out.data;
  const arg = new Int32Array(out.numel());
  for (let p = 0; p < planes; p++) {
    for (let o = 0; o < Lo; o++) {
      const i0 = start(o, L, Lo);
      const i1 = end(o, L, Lo);
      let best = i0;
      let max = -Infinity;
      for (let i = i0; i < i1; i++) {
        const v = X[p * L + i]!;
        if (v > max || Number.isNaN(v)) {
          max = v;
          best = i;
        }
      }
      Y[p * Lo + o] = max;
      arg[p * Lo + o] = best;
    }
  }
  const result = record(out, where, [input], (grad) => {
    const gx = empty(input.shape);
    const G = grad.data;
    const GX = gx.data;
    for (let p = 0; p < planes; p++) {
      for (let o = 0; o < Lo; o++) GX[p * L + arg[p * Lo + o]!] += G[p * Lo + o]!;
    }
    return [gx];
  }, [input], 'SqueezeBackward1');
  // Linear in g: the gradient's graph picks the gradient's gradient back at each maximum.
  linearTwice(result, (h) => {
    const from = Int32Array.from(arg, (a, k) => Math.floor(k / Lo) * L + a);
    return pick(h, outShape, from, 'adaptiveMaxPool1dBackward', new Tensor(Float32Array.from(from), outShape));
  });
  if (!returnIndices) return result;
  const indices = empty(outShape);
  indices.data.set(arg);
  return [result, indices];
}
