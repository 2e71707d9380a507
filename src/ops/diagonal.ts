// diagonal, diag, diagEmbed and trace, as PyTorch 1.13's: `diagonal` is a view (its strides step along both
// dimensions at once, as PyTorch's), diag, diagEmbed and trace are new tensors; each gradient puts the output
// gradient back on (or takes it from) the same diagonal.
import { record } from '../autograd/record.js';
import { linearTwice } from '../autograd/twice.js';
import { KindlingError } from '../errors.js';
import { gatherStrided, scatterStrided } from '../kernels/strided.js';
import { describeValue } from '../options.js';
import { contiguousStrides, formatShape, normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkResultSize, checkTensor } from './util.js';
import { offsetView } from './view.js';

/** Where the `offset`-th diagonal of dimensions d1 and d2 lies in a layout of `shape` and `strides`. */
interface DiagonalLayout { shape: number[]; strides: number[]; start: number }

/** The layout of the diagonal (its elements last, the other dimensions kept in order), as PyTorch's `diagonal`. */
function diagonalLayout(shape: readonly number[], strides: readonly number[], offset: number, d1: number, d2: number): DiagonalLayout {
  const n = Math.max(0, offset >= 0 ? Math.min(shape[d1]!, shape[d2]! - offset) : Math.min(shape[d1]! + offset, shape[d2]!));
  const keep = (_: number, k: number): boolean => k !== d1 && k !== d2;
  const start = n === 0 ? 0 : offset >= 0 ? offset * strides[d2]! : -offset * strides[d1]!;
  return { shape: [...shape.filter(keep), n], strides: [...strides.filter(keep), strides[d1]! + strides[d2]!], start };
}

function checkOffset(op: string, offset: number): void {
  if (!Number.isInteger(offset)) throw new KindlingError(`${op}: the offset (diagonal) must be an integer, got ${describeValue(offset)}`);
}

/** The two dimensions of a diagonal, normalized for `rank` and checked to differ, as PyTorch's. */
function diagonalDims(op: string, rank: number, dim1: number, dim2: number): [number, number] {
  const d1 = normalizeDim(dim1, rank, op);
  const d2 = normalizeDim(dim2, rank, op);
  if (d1 === d2) throw new KindlingError(`${op}: diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  return [d1, d2];
}

/**
 * The `offset`-th diagonal of dimensions `dim1` and `dim2` (above the main one for offset > 0), as the last
 * dimension, the others kept: PyTorch's `diagonal`. A view over x's storage, as PyTorch's.
 */
export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  checkTensor(x, 'diagonal');
  checkOffset('diagonal', offset);
  // PyTorch checks the dimensions against x's rank (a 0-d tensor counts as 1-D there).
  const [d1, d2] = diagonalDims('diagonal', x.ndim, dim1, dim2);
  const at = diagonalLayout(x.shape, x.strides, offset, d1, d2);
  const grad = diagonalLayout(x.shape, contiguousStrides(x.shape), offset, d1, d2);
  return offsetView(x, 'diagonal', at.shape, at.strides, at.start, grad.start, grad.strides, 'DiagonalBackward0');
}

/** The diagonal's elements of a contiguous `values` of `shape`, copied out row-major. */
function extract(values: Float32Array, shape: readonly number[], offset: number, d1: number, d2: number): { data: Float32Array; shape: number[] } {
  const at = diagonalLayout(shape, contiguousStrides(shape), offset, d1, d2);
  const data = new Float32Array(at.shape.reduce((p, d) => p * d, 1));
  if (data.length > 0) gatherStrided(values.subarray(at.start), at.shape, at.strides, data);
  return { data, shape: at.shape };
}

/** Zeros of `shape` with `values` (row-major over the diagonal's shape) written on the diagonal. */
function embed(values: Float32Array, shape: readonly number[], offset: number, d1: number, d2: number): Float32Array {
  const out = new Float32Array(shape.reduce((p, d) => p * d, 1));
  const at = diagonalLayout(shape, contiguousStrides(shape), offset, d1, d2);
  if (values.length > 0) scatterStrided(values, out.subarray(at.start), at.shape, at.strides);
  return out;
}

/** The shape of diagEmbed's output: x's last dimension becomes the two dimensions d1 and d2 of the diagonal. */
function embeddedShape(shape: readonly number[], offset: number, d1: number, d2: number): number[] {
  const n = (shape.length === 0 ? 1 : shape[shape.length - 1]!) + Math.abs(offset);
  const rest = shape.slice(0, -1);
  const out: number[] = [];
  for (let k = 0, r = 0; k < rest.length + 2; k++) out.push(k === d1 || k === d2 ? n : rest[r++]!);
  return out;
}

function embedded(x: Tensor, offset: number, d1: number, d2: number, op: string, torchName: string): Tensor {
  const shape = embeddedShape(x.shape, offset, d1, d2);
  checkResultSize(op, shape);
  const out = new Tensor(embed(x.values(), shape, offset, d1, d2), shape);
  // Linear: the gradient's graph is recorded with its adjoint, the same embedding (autograd/twice.ts).
  return linearTwice(record(out, op, [x], (g) => [new Tensor(extract(g.values(), shape, offset, d1, d2).data, x.shape)], [], torchName), (h) => embedded(h, offset, d1, d2, op, torchName));
}

/**
 * Tensors whose `offset`-th diagonal of dimensions `dim1` and `dim2` (of the output) holds x's last dimension, zeros
 * elsewhere, as PyTorch's `diag_embed`.
 */
export function diagEmbed(x: Tensor, offset = 0, dim1 = -2, dim2 = -1): Tensor {
  checkTensor(x, 'diagEmbed');
  checkOffset('diagEmbed', offset);
  if (x.ndim === 0) throw new KindlingError(`diagEmbed: Dimension out of range (expected to be in range of [-1, 0], but got ${dim1}): the input must have at least 1 dimension, got shape []`);
  const [d1, d2] = diagonalDims('diagEmbed', x.ndim + 1, dim1, dim2);
  return embedded(x, offset, d1, d2, 'diagEmbed', 'DiagEmbedBackward0');
}

/**
 * A 1-D x as the `diagonal`-th diagonal of a square matrix (zeros elsewhere), or a 2-D x's `diagonal`-th diagonal as
 * a 1-D copy: PyTorch's `diag`.
 */
export function diag(x: Tensor, diagonal = 0): Tensor {
  checkTensor(x, 'diag');
  checkOffset('diag', diagonal);
  if (x.ndim === 1) return embedded(x, diagonal, 0, 1, 'diag', 'DiagBackward0');
  if (x.ndim !== 2) throw new KindlingError(`diag: matrix or a vector expected, got shape ${formatShape(x.shape)}`);
  const part = extract(x.values(), x.shape, diagonal, 0, 1);
  return linearTwice(record(new Tensor(part.data, part.shape), 'diag', [x], (g) => [new Tensor(embed(g.values(), x.shape, diagonal, 0, 1), x.shape)], [], 'DiagBackward0'), (h) => diag(h, diagonal));
}

/** The sum of a matrix's main diagonal, as PyTorch's `trace` (summed in float64, as PyTorch's CPU kernel, then rounded). */
export function trace(x: Tensor): Tensor {
  checkTensor(x, 'trace');
  if (x.ndim !== 2) throw new KindlingError(`trace: expected a matrix, but got tensor with dim ${x.ndim} (shape ${formatShape(x.shape)})`);
  const part = extract(x.values(), x.shape, 0, 0, 1).data;
  let sum = 0;
  for (const v of part) sum += v;
  return linearTwice(record(new Tensor(Float32Array.of(sum), []), 'trace', [x], (g) => {
    const d = new Float32Array(part.length).fill(g.item());
    return [new Tensor(embed(d, x.shape, 0, 0, 1), x.shape)];
  }, [], 'TraceBackward0'), (h) => trace(h));
}
