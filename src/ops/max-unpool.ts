/**
 * Max unpooling, PyTorch 1.13's `F.max_unpool1d/2d/3d(input, indices, kernel_size, stride, padding, output_size)`:
 * the partial inverse of max pooling with `returnIndices`. Each input value goes to its index's position in a plane
 * of zeros (the default size (in − 1)·stride − 2·padding + kernel per dimension, or `outputSize` within a stride of
 * it); a later value at the same index overwrites an earlier one, as PyTorch's CPU loop. The input's gradient gathers
 * the output gradient at the indices. One unbatched sample ([C, …]) is taken too.
 */
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { KindlingError } from '../errors.js';
import { checkOptions, describeValue } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { pick } from './gather.js';
import { sizes } from './conv-volume.js';
import { checkTensor, empty } from './util.js';

export interface MaxUnpoolOptions<S> {
  /** The pooling's stride (default, or null: the kernel size). */
  readonly stride?: S | null;
  /** The pooling's padding (default 0). */
  readonly padding?: S;
  /** The output's spatial size (or its whole shape), within a stride of the default; default (in − 1)·stride − 2·padding + kernel. */
  readonly outputSize?: readonly number[] | null;
}

type Dims = 1 | 2 | 3;

/** PyTorch's `_unpool_output_size`: the default size, or the one asked for when it lies within a stride of it. */
function outputSizeOf(input: Tensor, k: readonly number[], s: readonly number[], p: readonly number[], asked: readonly number[] | null | undefined): number[] {
  const dims = k.length;
  const spatial = input.shape.slice(-dims);
  const byDefault = spatial.map((n, d) => (n - 1) * s[d]! + k[d]! - 2 * p[d]!);
  if (asked === null || asked === undefined) return byDefault;
  if (!Array.isArray(asked) || !asked.every((v) => Number.isInteger(v))) throw new TypeError(`maxUnpool${dims}d: outputSize must be an array of integers, got ${describeValue(asked)}`);
  const size = asked.length === dims + 2 ? asked.slice(2) : [...asked];
  if (size.length !== dims) {
    throw new KindlingError(`maxUnpool${dims}d: output_size should be a sequence containing ${dims} or ${dims + 2} elements, but it has a length of '${asked.length}'`);
  }
  size.forEach((n, d) => {
    const [lo, hi] = [byDefault[d]! - s[d]!, byDefault[d]! + s[d]!];
    if (!(lo < n && n < hi)) throw new KindlingError(`maxUnpool${dims}d: invalid output_size "[${size.join(', ')}]" (dim ${d} must be between ${lo} and ${hi})`);
  });
  return size;
}

function maxUnpool(dims: Dims, input: Tensor, indices: Tensor, kernelSize: unknown, options: MaxUnpoolOptions<unknown> = {}): Tensor {
  const where = `maxUnpool${dims}d`;
  checkTensor(input, where);
  checkTensor(indices, where, 'indices');
  const o = checkOptions(where, options, ['stride', 'padding', 'outputSize']);
  const k = sizes(where, 'kernelSize', kernelSize, dims, 1);
  const s = o.stride === undefined || o.stride === null ? k : sizes(where, 'stride', o.stride, dims, 1);
  const p = sizes(where, 'padding', o.padding ?? 0, dims, 0);
  // PyTorch unpools 1-D inputs as 2-D ones a column wide; its 2-D kernel takes 3-D or 4-D inputs, its 3-D one 4-D or 5-D.
  const seen = input.ndim + (dims === 1 ? 1 : 0);
  const ranks = dims === 3 ? [4, 5] : [3, 4];
  if (!ranks.includes(seen)) {
    throw new KindlingError(`${where}: Input to max_unpooling${dims === 3 ? 3 : 2}d should be a ${ranks[0]}d or ${ranks[1]}d Tensor, but got a tensor with ${seen} dimensions.`);
  }
  if (indices.shape.length !== input.ndim || indices.shape.some((d, i) => d !== input.shape[i])) {
    throw new KindlingError(`${where}: Expected shape of indices to be same as that of the input tensor (${formatShape(input.shape)}) but got indices tensor with shape: ${formatShape(indices.shape)}`);
  }
  const outSize = outputSizeOf(input, k, s, p, o.outputSize);
  const inPlane = input.shape.slice(-dims).reduce((a, b) => a * b, 1);
  const outPlane = outSize.reduce((a, b) => a * b, 1);
  const planes = inPlane === 0 ? 0 : input.numel() / inPlane;
  const X = input.values();
  const I = indices.values();
  const out = empty([...input.shape.slice(0, -dims), ...outSize]);
  const Y = out.data;
  for (let pl = 0; pl < planes; pl++) {
    for (let i = 0; i < inPlane; i++) {
      const at = I[pl * inPlane + i]!;
      if (!(Number.isInteger(at) && at >= 0 && at < outPlane)) {
        throw new KindlingError(`${where}: Found an invalid max index: ${at} (output volumes are of size ${outSize.join('x')}) at flat index ${pl * inPlane + i} of indices ${formatShape(indices.shape)}`);
      }
      Y[pl * outPlane + at] = X[pl * inPlane + i]!;
    }
  }
  // PyTorch's 1-D unpooling squeezes its 2-D result, so its node is the squeeze's.
  const node = dims === 1 ? 'SqueezeBackward1' : `MaxUnpool${dims}DBackward0`;
  const result = record(out, where, [input], (grad) => {
    const gx = empty(input.shape);
    const G = grad.data;
    for (let pl = 0; pl < planes; pl++) {
      for (let i = 0; i < inPlane; i++) gx.data[pl * inPlane + i] = G[pl * outPlane + I[pl * inPlane + i]!]!;
    }
    return [gx];
  }, [], node);
  // Linear: the gradient picks the same places, with ops (createGraph).
  return twice(result, (grad) => {
    const from = Int32Array.from({ length: planes * inPlane }, (_, j) => Math.floor(j / inPlane) * outPlane + I[j]!);
    return [pick(grad, input.shape, from, `${where}Backward`, new Tensor(Float32Array.from(from), input.shape))];
  });
}

/**
 * Puts each value of `input` [N, C, L] (or [C, L]) back at its `indices` (from `maxPool1d` with returnIndices) in
 * rows of zeros, PyTorch's `F.max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None)`.
 *
 * @example
 * const [v, i] = F.maxPool1d(x, 2, { returnIndices: true });
 * F.maxUnpool1d(v, i, 2); // x's shape, the maxima in place, zeros elsewhere
 */
export function maxUnpool1d(input: Tensor, indices: Tensor, kernelSize: number | readonly [number], options?: MaxUnpoolOptions<number | readonly [number]>): Tensor {
  return maxUnpool(1, input, indices, kernelSize, options);
}

/**
 * Puts each value of `input` [N, C, H, W] (or [C, H, W]) back at its `indices` (from `maxPool2d` with
 * returnIndices) in planes of zeros, PyTorch's `F.max_unpool2d(input, indices, kernel_size, stride=None, padding=0,
 * output_size=None)`.
 *
 * @example
 * const [v, i] = F.maxPool2d(x, 2, { returnIndices: true });
 * F.maxUnpool2d(v, i, 2, { outputSize: x.shape }); // x's shape even when a row or column was left out
 */
export function maxUnpool2d(input: Tensor, indices: Tensor, kernelSize: number | readonly [number, number], options?: MaxUnpoolOptions<number | readonly [number, number]>): Tensor {
  return maxUnpool(2, input, indices, kernelSize, options);
}

/**
 * Puts each value of `input` [N, C, D, H, W] (or [C, D, H, W]) back at its `indices` (from `maxPool3d` with
 * returnIndices) in volumes of zeros, PyTorch's `F.max_unpool3d`.
 */
export function maxUnpool3d(input: Tensor, indices: Tensor, kernelSize: number | readonly [number, number, number], options?: MaxUnpoolOptions<number | readonly [number, number, number]>): Tensor {
  return maxUnpool(3, input, indices, kernelSize, options);
}
