// tile and repeatInterleave, as PyTorch 1.13's: tile is `repeat` with leading ones added to the sizes (its node is
// RepeatBackward0, as PyTorch's); repeatInterleave is an indexSelect along the dimension (IndexSelectBackward0, as
// PyTorch computes it), each slice repeated in place.
import { KindlingError } from '../errors.js';
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import { formatShape, normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { indexSelect } from './gather.js';
import { repeat } from './tiling.js';
import { checkResultSize, checkTensor } from './util.js';
import { flatten } from './view.js';

/** x repeated `dims[i]` times along each dimension, as `torch.tile`: fewer dims than dimensions repeat the last ones. */
export function tile(x: Tensor, dims: readonly number[]): Tensor {
  checkTensor(x, 'tile');
  if (!Array.isArray(dims)) throw new TypeError(`tile: dims must be an array of integers, got ${describeValue(dims)}`);
  for (const r of dims) if (!Number.isInteger(r)) throw new TypeError(`tile: dims must be integers, got ${describeValue(r)}`);
  const sizes = [...new Array<number>(Math.max(0, x.ndim - dims.length)).fill(1), ...dims];
  const shape = [...new Array<number>(sizes.length - x.ndim).fill(1), ...x.shape].map((d, i) => d * sizes[i]!);
  if (sizes.some((r) => r < 0)) {
    const bad = shape.find((d) => d < 0) ?? sizes.find((r) => r < 0)!;
    throw new KindlingError(`tile: Trying to create tensor with negative dimension ${bad}: ${formatShape(shape)}`);
  }
  return repeat(x, sizes);
}

/** The repeat counts as whole numbers, one per slice (a single count applies to every slice), checked as PyTorch's. */
function counts(repeats: number | Tensor | undefined, size: number): number[] {
  let list: number[];
  if (repeats instanceof Tensor) {
    if (repeats.ndim > 1) throw new KindlingError(`repeatInterleave: repeats must be 0-dim or 1-dim tensor, got shape ${formatShape(repeats.shape)}`);
    list = Array.from(repeats.values());
  } else if (typeof repeats === 'number') {
    list = [repeats];
  } else {
    throw new TypeError(`repeatInterleave: repeats must be a number or a tensor of whole numbers, got ${describeValue(repeats)}`);
  }
  for (const r of list) {
    if (!Number.isInteger(r)) throw new KindlingError(`repeatInterleave: repeats must be whole numbers, got ${r}`);
    if (r < 0) throw new KindlingError(`repeatInterleave: repeats can not be negative (got ${r})`);
  }
  if (list.length === 1) return new Array<number>(size).fill(list[0]!);
  if (list.length !== size) throw new KindlingError(`repeatInterleave: repeats must have the same size as input along dim (${size}), got ${list.length} repeats`);
  return list;
}

/**
 * PyTorch's one-argument `repeat_interleave(repeats)`: each index i of the 1-D `repeats` repeated repeats[i] times,
 * `repeatInterleave(tensor([1, 2, 3]))` is [0, 1, 1, 2, 2, 2] (whole numbers as float32; no gradient, as PyTorch's
 * integer result).
 */
function repeatIndices(repeats: Tensor): Tensor {
  if (repeats.ndim !== 1) throw new KindlingError(`repeatInterleave: repeat_interleave only accept 1D vector as repeat (the one-argument form), got shape ${formatShape(repeats.shape)}`);
  const reps = counts(repeats, repeats.shape[0]!);
  return new Tensor(indicesRepeated(reps), [reps.reduce((s, r) => s + r, 0)]);
}

/** 0 repeated reps[0] times, 1 repeated reps[1] times, …, as float32. */
function indicesRepeated(reps: readonly number[]): Float32Array {
  const index = new Float32Array(reps.reduce((s, r) => s + r, 0));
  let at = 0;
  reps.forEach((r, i) => {
    index.fill(i, at, at + r);
    at += r;
  });
  return index;
}

/** Options of `repeatInterleave`. */
export interface RepeatInterleaveOptions {
  /** The result's size along the dimension, the repeats' total (PyTorch's `output_size`, which spares its device a sync). */
  outputSize?: number;
}

/**
 * Each slice of x along `dim` repeated `repeats` times (a number, or one count per slice) in place, as
 * `torch.repeat_interleave`; without `dim`, the flattened x's elements. With one argument, a 1-D tensor of counts,
 * the indices repeated: `repeatInterleave(tensor([1, 2, 3]))` is [0, 1, 1, 2, 2, 2]. Options last, after any of
 * these: `{ outputSize }`, the total, checked against the repeats as PyTorch checks it.
 */
export function repeatInterleave(x: Tensor, repeats?: number | Tensor | RepeatInterleaveOptions, dim?: number | RepeatInterleaveOptions, options?: RepeatInterleaveOptions): Tensor {
  checkTensor(x, 'repeatInterleave');
  if (isPlainObject(repeats)) {
    if (dim !== undefined || options !== undefined) throw new TypeError('repeatInterleave: after the options object nothing may follow: repeatInterleave(counts, { outputSize })');
    return repeatInterleave(x, undefined, undefined, repeats);
  }
  if (isPlainObject(dim)) {
    if (options !== undefined) throw new TypeError('repeatInterleave: after the options object nothing may follow: repeatInterleave(x, 2, { outputSize })');
    return repeatInterleave(x, repeats, undefined, dim);
  }
  const { outputSize } = checkOptions<RepeatInterleaveOptions>('repeatInterleave', options, ['outputSize']);
  if (outputSize !== undefined && !(Number.isInteger(outputSize) && outputSize >= 0)) {
    throw new TypeError(`repeatInterleave: outputSize must be a whole number ≥ 0, got ${describeValue(outputSize)}`);
  }
  // No options object is left in these two (returned above).
  const [r, dimension] = [repeats as number | Tensor | undefined, dim as number | undefined];
  if (r === undefined && dimension === undefined) return checkedSize(repeatIndices(x), 0, outputSize);
  if (dimension !== undefined && x.ndim === 0) throw new KindlingError(`repeatInterleave: Dimension specified as ${dimension} but tensor has no dimensions`);
  const input = dimension === undefined ? flatten(x) : x;
  const d = dimension === undefined ? 0 : normalizeDim(dimension, x.ndim, 'repeatInterleave');
  const reps = counts(r, input.shape[d]!);
  const total = reps.reduce((s, k) => s + k, 0);
  checkedSize(null, total, outputSize);
  checkResultSize('repeatInterleave', input.shape.map((n, k) => (k === d ? total : n)));
  return indexSelect(input, d, new Tensor(indicesRepeated(reps), [total]));
}

/** Refuses an outputSize other than the repeats' total (of `indices` when given), as PyTorch; gives `indices` back. */
function checkedSize<T extends Tensor | null>(indices: T, total: number, outputSize: number | undefined): T {
  const required = indices === null ? total : indices.shape[0]!;
  if (outputSize !== undefined && outputSize !== required) {
    throw new KindlingError(`repeatInterleave: outputSize is ${outputSize}, but the repeats add up to ${required} (PyTorch: "allocated size does not match required size")`);
  }
  return indices;
}
