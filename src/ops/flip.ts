// flip, fliplr, flipud, roll, tril and triu, as PyTorch 1.13's: copies (not views, as PyTorch's), each element moved
// or kept in place, so each gradient is the same op run backwards on the output gradient (flip of it, roll by the
// opposite shifts, tril/triu of it).
import { linearTwice } from '../autograd/twice.js';
import { record } from '../autograd/record.js';
import { describeValue } from '../options.js';
import { contiguousStrides, formatShape, normalizeDim } from '../tensor/shape.js';
import { keepMask } from '../tensor/mask-mark.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';

/** `x`'s values rearranged: element i (row-major over `x.shape`) of the result is `x`'s element `from(coords)`. */
function remap(x: Tensor, source: (at: readonly number[]) => number): Float32Array {
  const shape = x.shape;
  const xv = x.values();
  const out = new Float32Array(xv.length);
  const at = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < out.length; i++) {
    out[i] = xv[source(at)]!;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++at[d]! < shape[d]!) break;
      at[d] = 0;
    }
  }
  return out;
}

/** The dims given (a number or a list), normalized and checked not to repeat, as PyTorch's dim lists. */
function dimList(dims: number | readonly number[], ndim: number, op: string): number[] {
  const list = typeof dims === 'number' ? [dims] : dims;
  if (!Array.isArray(list)) throw new TypeError(`${op}: dims must be a number or an array of numbers, got ${describeValue(dims)}`);
  const out = list.map((d) => normalizeDim(d, ndim, op));
  out.forEach((d, i) => {
    if (out.indexOf(d) !== i) throw new RangeError(`${op}: dim ${d} appears multiple times in the list of dims`);
  });
  return out;
}

/** `x` reversed along each of `dims`, as `torch.flip` (a copy). */
export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  checkTensor(x, 'flip');
  const ds = dimList(dims, x.ndim, 'flip');
  const strides = contiguousStrides(x.shape);
  const flipped = x.shape.map((_, d) => ds.includes(d) && x.ndim > 0);
  const out = remap(x, (at) => {
    let o = 0;
    for (let d = 0; d < at.length; d++) o += (flipped[d] ? x.shape[d]! - 1 - at[d]! : at[d]!) * strides[d]!;
    return o;
  });
  return keepMask(x, linearTwice(record(new Tensor(out, x.shape), 'flip', [x], (g) => [flip(g, ds)], [], 'FlipBackward0'), (h) => flip(h, ds)));
}

/** `x` reversed left to right (along dimension 1), as `torch.fliplr`; at least 2-D. */
export function fliplr(x: Tensor): Tensor {
  checkTensor(x, 'fliplr');
  if (x.ndim < 2) throw new RangeError(`fliplr: Input must be >= 2-d. (got shape ${formatShape(x.shape)})`);
  return flip(x, [1]);
}

/** `x` reversed up to down (along dimension 0), as `torch.flipud`; at least 1-D. */
export function flipud(x: Tensor): Tensor {
  checkTensor(x, 'flipud');
  if (x.ndim < 1) throw new RangeError(`flipud: Input must be >= 1-d. (got shape ${formatShape(x.shape)})`);
  return flip(x, [0]);
}

/**
 * `x` shifted cyclically by `shifts[i]` along `dims[i]`, as `torch.roll`; without dims, the flattened tensor is rolled
 * and the shape kept.
 */
export function roll(x: Tensor, shifts: number | readonly number[], dims?: number | readonly number[] | null): Tensor {
  checkTensor(x, 'roll');
  if (typeof shifts !== 'number' && !Array.isArray(shifts)) throw new TypeError(`roll: shifts must be an integer or an array of integers, got ${describeValue(shifts)}`);
  if (dims !== undefined && dims !== null && typeof dims !== 'number' && !Array.isArray(dims)) throw new TypeError(`roll: dims must be an integer or an array of integers (or left out), got ${describeValue(dims)}`);
  const sh = typeof shifts === 'number' ? [shifts] : [...shifts];
  for (const s of sh) if (!Number.isInteger(s)) throw new TypeError(`roll: shifts must be integers, got ${describeValue(s)}`);
  // dims left out, null (PyTorch's None) or empty: the flattened tensor rolls.
  if (dims === undefined || dims === null || (Array.isArray(dims) && dims.length === 0)) {
    if (sh.length !== 1) throw new RangeError(`roll: shifts and dimensions must align. shifts: ${sh.length}, dims:0`);
    const n = x.numel();
    const xv = x.values();
    const out = new Float32Array(n);
    const s = n === 0 ? 0 : ((sh[0]! % n) + n) % n;
    for (let i = 0; i < n; i++) out[(i + s) % n] = xv[i]!;
    return keepMask(x, linearTwice(record(new Tensor(out, x.shape), 'roll', [x], (g) => [roll(g, -sh[0]!)], [], 'RollBackward0'), (h) => roll(h, sh[0]!)));
  }
  const dl = typeof dims === 'number' ? [dims] : dims;
  if (sh.length !== dl.length) throw new RangeError(`roll: shifts and dimensions must align. shifts: ${sh.length}, dims:${dl.length}`);
  if (x.ndim === 0) throw new RangeError(`roll: Dimension specified as ${dl[0]} but tensor has no dimensions (roll a 0-d tensor without dims)`);
  const ds = dl.map((d) => normalizeDim(d, x.ndim, 'roll'));
  // A dim listed twice rolls twice (PyTorch rolls one dim at a time): sum the shifts per dim.
  const total = new Array<number>(Math.max(x.ndim, 1)).fill(0);
  ds.forEach((d, i) => { total[d]! += sh[i]!; });
  const strides = contiguousStrides(x.shape);
  const out = remap(x, (at) => {
    let o = 0;
    for (let d = 0; d < at.length; d++) {
      const n = x.shape[d]!;
      o += ((((at[d]! - total[d]!) % n) + n) % n) * strides[d]!;
    }
    return o;
  });
  return keepMask(x, linearTwice(record(new Tensor(out, x.shape), 'roll', [x], (g) => [roll(g, sh.map((s) => -s), ds)], [], 'RollBackward0'), (h) => roll(h, sh, ds)));
}

/** `x` with the elements above (tril) or below (triu) the `diagonal`-th diagonal of its last two dimensions zeroed. */
function triangle(x: Tensor, diagonal: number, op: 'tril' | 'triu'): Tensor {
  checkTensor(x, op);
  if (!Number.isInteger(diagonal)) throw new TypeError(`${op}: diagonal must be an integer, got ${describeValue(diagonal)}`);
  // PyTorch reads dimension −2: its refusal names it.
  if (x.ndim === 0) throw new RangeError(`${op}: Dimension specified as -2 but tensor has no dimensions (${op} needs at least 2, got shape [])`);
  if (x.ndim < 2) throw new RangeError(`${op}: Dimension out of range (expected to be in range of [-1, 0], but got -2): ${op} needs at least 2 dimensions, got shape ${formatShape(x.shape)}`);
  const rows = x.shape[x.ndim - 2]!;
  const cols = x.shape[x.ndim - 1]!;
  const xv = x.values();
  const out = new Float32Array(xv.length);
  for (let i = 0; i < xv.length; i++) {
    const c = i % cols;
    const r = Math.floor(i / cols) % rows;
    const keep = op === 'tril' ? c - r <= diagonal : c - r >= diagonal;
    // Zeros are written, not x·0: NaN and ±∞ above the diagonal become 0, as PyTorch's.
    out[i] = keep ? xv[i]! : 0;
  }
  return linearTwice(record(new Tensor(out, x.shape), op, [x], (g) => [triangle(g, diagonal, op)], [], op === 'tril' ? 'TrilBackward0' : 'TriuBackward0'),
    (h) => triangle(h, diagonal, op));
}

/** The lower triangle of the last two dimensions (elements with column − row ≤ `diagonal`), as `torch.tril`. */
export function tril(x: Tensor, diagonal = 0): Tensor { return triangle(x, diagonal, 'tril'); }

/** The upper triangle of the last two dimensions (elements with column − row ≥ `diagonal`), as `torch.triu`. */
export function triu(x: Tensor, diagonal = 0): Tensor { return triangle(x, diagonal, 'triu'); }
