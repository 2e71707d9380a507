// Tensor contraction over named dimensions, as PyTorch 1.13's `torch.tensordot` (ATen's Linear.cpp): broadcast
// (size-1) contracted dimensions summed first, then both operands permuted and reshaped to one `mm`, whose result is
// reshaped to a's free dimensions then b's (grad_fn ReshapeAliasBackward0, as PyTorch's).
import { Tensor } from '../tensor/tensor.js';
import { normalizeDim } from '../tensor/shape.js';
import { mm } from './products.js';
import { checkTensor } from './util.js';

/**
 * `dims`: how many of a's last dimensions meet as many of b's first, or the two lists of dimensions that meet; either
 * may be a tensor, as PyTorch takes one (a one-element tensor for the count, a [2, k] tensor for the lists).
 */
export type TensordotDims = number | readonly [readonly number[], readonly number[]] | Tensor;

/** PyTorch's reading of a tensor `dims` (torch/functional.py): one element is the count, else its two rows the lists. */
function dimsOfTensor(dims: Tensor): number | number[][] {
  const v = Array.from(dims.values());
  if (v.length === 1) return v[0]!;
  if (dims.ndim !== 2 || dims.shape[0] !== 2 || !v.every((e) => Number.isInteger(e))) {
    throw new TypeError(`tensordot: a dims tensor must hold one count or two rows of dimensions (shape [2, k]), got shape [${dims.shape.join(', ')}]`);
  }
  return dims.tolist() as number[][];
}

function dimsOf(given: unknown): [number[], number[]] {
  const dims = given instanceof Tensor ? dimsOfTensor(given) : given;
  if (typeof dims === 'number') {
    if (!Number.isInteger(dims) || dims < 0) throw new RangeError(`tensordot expects dims >= 0, but got dims=${dims}`);
    return [Array.from({ length: dims }, (_, i) => i - dims), Array.from({ length: dims }, (_, i) => i)];
  }
  if (Array.isArray(dims) && dims.length === 2 && dims.every((d) => Array.isArray(d) && d.every((x) => typeof x === 'number'))) {
    return [[...(dims[0] as number[])], [...(dims[1] as number[])]];
  }
  throw new TypeError(`tensordot expects dims to be int or Tuple[List[int], List[int]] or List[List[int]] containing two lists, but got dims=${JSON.stringify(dims)}`);
}

/**
 * `tensordot(a, b, 2)` sums a's last two dimensions against b's first two; `tensordot(a, b, [[1, 0], [0, 2]])` a's
 * dimension 1 against b's 0 and a's 0 against b's 2. The result has a's other dimensions, then b's. Sizes must match
 * but for 1 (broadcast). Default dims 2, as PyTorch's.
 * @throws RangeError with PyTorch's messages for lists of different lengths, a dimension out of range or sizes that
 * do not match.
 */
export function tensordot(a: Tensor, b: Tensor, dims: TensordotDims = 2): Tensor {
  checkTensor(a, 'tensordot', 'a');
  checkTensor(b, 'tensordot', 'b');
  // A count past a's dimensions: PyTorch's message for the first of them (-dims), before any list of that length is made.
  const count = dims instanceof Tensor && dims.numel() === 1 ? dims.item() : dims;
  if (typeof count === 'number' && Number.isInteger(count) && count > a.ndim) normalizeDim(-count, a.ndim, 'tensordot');
  const [rawA, rawB] = dimsOf(dims);
  if (rawA.length !== rawB.length) throw new RangeError('both dimension lists should have same length');
  const dimsA = rawA.map((d) => normalizeDim(d, a.ndim, 'tensordot'));
  const dimsB = rawB.map((d) => normalizeDim(d, b.ndim, 'tensordot'));
  let t1 = a;
  let t2 = b;
  let csize = 1;
  dimsA.forEach((da, i) => {
    const db = dimsB[i]!;
    const s1 = a.shape[da]!;
    const s2 = b.shape[db]!;
    if (s2 === 1) t1 = t1.sum(da, true);
    else if (s1 === 1) t2 = t2.sum(db, true);
    else {
      if (s1 !== s2) throw new RangeError(`contracted dimensions need to match, but first has size ${s1} in dim ${rawA[i]} and second has size ${s2} in dim ${rawB[i]}`);
      csize *= s1;
    }
  });
  for (const list of [dimsA, dimsB]) {
    const twice = list.find((d, i) => list.indexOf(d) !== i);
    if (twice !== undefined) throw new RangeError(`dim ${twice} appears multiple times in the list of dims`);
  }
  const contractedA = new Set(dimsA);
  const contractedB = new Set(dimsB);
  const p1: number[] = [];
  const p2: number[] = [...dimsB];
  const sizes: number[] = [];
  let size1 = 1;
  let size2 = 1;
  for (let i = 0; i < a.ndim; i++) {
    if (contractedA.has(i)) continue;
    p1.push(i);
    size1 *= t1.shape[i]!;
    sizes.push(t1.shape[i]!);
  }
  p1.push(...dimsA);
  for (let i = 0; i < b.ndim; i++) {
    if (contractedB.has(i)) continue;
    p2.push(i);
    size2 *= t2.shape[i]!;
    sizes.push(t2.shape[i]!);
  }
  return mm(t1.permute(p1).reshape(size1, csize), t2.permute(p2).reshape(csize, size2)).reshape(sizes);
}
