// repeat, chunk and split, as PyTorch's, built from views (reshape, expand, narrow), so their gradients are those
// views' own.
import { describeValue } from '../options.js';
import { formatShape, normalizeDim } from '../tensor/shape.js';
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { keepMask } from '../tensor/mask-mark.js';
import { Tensor } from '../tensor/tensor.js';
import { expand, narrow, reshape } from './view.js';
import { checkTensor } from './util.js';
import { numberPieces } from '../autograd/next-functions.js';

/**
 * The tensor tiled `sizes[i]` times along each dimension, as `torch.Tensor.repeat` (more sizes than dimensions add
 * leading ones): [a, b] repeated (2, 3) is [2a, 3b].
 */
export function repeat(x: Tensor, sizes: readonly number[]): Tensor {
  checkTensor(x, 'repeat');
  if (sizes.length < x.ndim) {
    throw new RangeError(`repeat: give at least as many sizes as the tensor has dimensions (${x.ndim}, shape ${formatShape(x.shape)}), got ${sizes.length}`);
  }
  for (const r of sizes) if (!Number.isInteger(r) || r < 0) throw new RangeError(`repeat: sizes must be integers ≥ 0, got ${describeValue(r)}`);
  const shape = [...new Array<number>(sizes.length - x.ndim).fill(1), ...x.shape];
  const target = shape.map((d, i) => d * sizes[i]!);
  // Nothing to expand (every size 1) or nothing at all: the reshape below would be a view of x, but PyTorch's
  // repeat always gives a new tensor.
  // Its gradient: zeros, a constant, where a size is 0 (PyTorch's repeat_backward); else g's values, differentiable
  // (an empty x's empty gradient too, as PyTorch's sum over the repeats keeps it in the graph).
  if (sizes.every((r) => r === 1) || target.includes(0)) {
    const back = (g: Tensor): Tensor[] => [sizes.includes(0) ? new Tensor(new Float32Array(x.numel()), x.shape) : g.reshape(x.shape)];
    return keepMask(x, twice(record(new Tensor(target.includes(0) ? new Float32Array(0) : x.toArray(), target), 'repeat', [x], back, [], 'RepeatBackward0'), back));
  }
  // [.., d, ..] → [.., 1, d, ..] expanded to [.., r, d, ..], then merged into [.., r·d, ..].
  const spread = shape.flatMap((d) => [1, d]);
  const wide = shape.flatMap((d, i) => [sizes[i]!, d]);
  return keepMask(x, reshape(expand(reshape(x, spread), wide), shape.map((d, i) => d * sizes[i]!), 'reshape', 'RepeatBackward0'));
}

/** Views of `x` along `dim`, of `size` each (the last may be smaller), or of the sizes listed, as `torch.split`. */
export function split(x: Tensor, sizes: number | readonly number[], dim = 0): Tensor[] {
  checkTensor(x, 'split');
  atLeastOneDim(x, 'split');
  const d = normalizeDim(dim, x.ndim, 'split');
  const n = x.shape[d]!;
  if (typeof sizes === 'number') {
    if (!Number.isInteger(sizes) || sizes < 0 || (sizes === 0 && n !== 0)) throw new RangeError(`split: the size of each part must be a positive integer, got ${describeValue(sizes)}`);
    return piecesOf(x, d, sizes, 'SplitBackward0');
  }
  if (!Array.isArray(sizes) || sizes.some((s) => !Number.isInteger(s) || s < 0)) throw new RangeError(`split: sizes must be integers ≥ 0, got ${describeValue(sizes)}`);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== n) throw new RangeError(`split: the sizes [${sizes.join(', ')}] add up to ${total}, but dimension ${d} has ${n} (shape ${formatShape(x.shape)})`);
  let start = 0;
  return numberPieces(sizes.map((s) => {
    const part = narrow(x, d, start, s, 'SplitWithSizesBackward0');
    start += s;
    return part;
  }));
}

/** `chunks` views of `x` along `dim` of ⌈n / chunks⌉ each (fewer when they run out), as `torch.chunk`. */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  checkTensor(x, 'chunk');
  atLeastOneDim(x, 'chunk');
  if (!Number.isInteger(chunks) || chunks < 1) throw new RangeError(`chunk: the number of chunks must be an integer ≥ 1, got ${describeValue(chunks)}`);
  const d = normalizeDim(dim, x.ndim, 'chunk');
  const n = x.shape[d]!;
  // Along an empty dimension, `chunks` empty pieces, as PyTorch gives (by split_with_sizes, hence the node's name).
  if (n === 0) return emptyPieces(x, d, chunks, 'SplitWithSizesBackward0');
  return split(x, Math.ceil(n / chunks), d);
}

/** `chunks` empty pieces of `x` along its empty dimension `d`, as PyTorch gives them (by split_with_sizes). */
function emptyPieces(x: Tensor, d: number, chunks: number, torchName: string): Tensor[] {
  return numberPieces(Array.from({ length: chunks }, () => narrow(x, d, 0, 0, torchName)));
}

/** Views of `x` along dimension `d` (normalized) of `size` each, the last maybe smaller, their nodes named `torchName`. */
function piecesOf(x: Tensor, d: number, size: number, torchName: string): Tensor[] {
  const n = x.shape[d]!;
  const parts: Tensor[] = [];
  for (let start = 0; start < n || (n === 0 && parts.length === 0); start += size) parts.push(narrow(x, d, start, Math.min(size, n - start), torchName));
  return numberPieces(parts);
}

/**
 * `chunks` pieces of `x` along `dim`, as ATen's `unsafe_chunk`, which the recurrent cells cut their gates with:
 * chunk's pieces, with PyTorch's nodes UnsafeSplitBackward0 (UnsafeSplitWithSizesBackward0 along an empty
 * dimension). @internal
 */
export function unsafeChunk(x: Tensor, chunks: number, dim: number): Tensor[] {
  const d = normalizeDim(dim, x.ndim, 'unsafeChunk');
  const n = x.shape[d]!;
  if (n === 0) return emptyPieces(x, d, chunks, 'UnsafeSplitWithSizesBackward0');
  return piecesOf(x, d, Math.ceil(n / chunks), 'UnsafeSplitBackward0');
}

/** split and chunk cut along a dimension: a 0-d tensor has none (PyTorch refuses it too). */
function atLeastOneDim(x: Tensor, op: string): void {
  if (x.ndim === 0) throw new RangeError(`${op}: expects a tensor of at least 1 dimension, got a 0-d tensor (shape []); reshape(1) makes a 1-element one`);
}
