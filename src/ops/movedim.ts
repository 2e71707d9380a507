// movedim (moveaxis), swapaxes (swapdims) and unbind, as PyTorch 1.13's: views built on permute, transpose and select,
// so their gradients and grad_fn names (PermuteBackward0, TransposeBackward0, UnbindBackward0) are those ops'.
import { describeValue } from '../options.js';
import { formatShape, normalizeDim } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';
import { numberPieces } from '../autograd/next-functions.js';
import { permute, select, transpose } from './view.js';

/** `x` with its dimensions `source` moved to the positions `destination`, the others kept in order, as `torch.movedim`: a view. */
export function movedim(x: Tensor, source: number | readonly number[], destination: number | readonly number[]): Tensor {
  checkTensor(x, 'movedim');
  const src = dimsArg(source, 'source');
  const dst = dimsArg(destination, 'destination');
  if (src.length !== dst.length) {
    throw new RangeError(`movedim: Invalid source or destination dims: source ([${src.join(', ')}] dims) should contain the same number of dims as destination ([${dst.join(', ')}] dims)`);
  }
  const s = src.map((d) => normalizeDim(d, x.ndim, 'movedim'));
  const t = dst.map((d) => normalizeDim(d, x.ndim, 'movedim'));
  if (new Set(s).size !== s.length) throw new RangeError(`movedim: repeated dim in \`source\` ([${src.join(', ')}])`);
  if (new Set(t).size !== t.length) throw new RangeError(`movedim: repeated dim in \`destination\` ([${dst.join(', ')}])`);
  // PyTorch returns a 0-d tensor's alias (AliasBackward0).
  if (x.ndim === 0) return permute(x, [], 'AliasBackward0');
  const order = new Array<number>(x.ndim).fill(-1);
  s.forEach((d, i) => { order[t[i]!] = d; });
  const rest = x.shape.map((_, d) => d).filter((d) => !s.includes(d));
  let k = 0;
  for (let i = 0; i < order.length; i++) if (order[i] === -1) order[i] = rest[k++]!;
  return permute(x, order);
}

/** movedim's source or destination: one dimension or an array of them (PyTorch's int or tuple of ints). */
function dimsArg(v: unknown, what: string): number[] {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return [...(v as number[])];
  throw new TypeError(`movedim: ${what} must be a dimension or an array of dimensions, as in movedim(x, 0, 2) or movedim(x, [0, 1], [2, 0]); got ${describeValue(v)}`);
}

/** `x` with dimensions `dim0` and `dim1` exchanged, as `torch.swapaxes` (`transpose` by another name): a view. */
export function swapaxes(x: Tensor, dim0: number, dim1: number): Tensor {
  checkTensor(x, 'swapaxes');
  normalizeDim(dim0, x.ndim, 'swapaxes');
  normalizeDim(dim1, x.ndim, 'swapaxes');
  return transpose(x, dim0, dim1);
}

/**
 * The last two dimensions swapped, as `torch.adjoint` (the conjugate transpose, for Kindling's real tensors the
 * transpose; `x.adjoint()`, `x.mT`, `x.mH`): a view (TransposeBackward0).
 */
export function adjoint(x: Tensor): Tensor {
  checkTensor(x, 'adjoint');
  return x.adjoint();
}

/** The slices of `x` along `dim`, as `torch.unbind`: views, each with PyTorch's UnbindBackward0. */
export function unbind(x: Tensor, dim = 0): Tensor[] {
  checkTensor(x, 'unbind');
  if (x.ndim === 0) throw new RangeError(`unbind: Dimension specified as ${dim} but tensor has no dimensions (shape ${formatShape(x.shape)})`);
  const d = normalizeDim(dim, x.ndim, 'unbind');
  return numberPieces(Array.from({ length: x.shape[d]! }, (_, i) => select(x, d, i, 'UnbindBackward0')));
}
