// selectScatter, sliceScatter, diagonalScatter and maskedScatter, as PyTorch 1.13's: a copy of the input with `src`
// written into the places a view (select, a strided slice, a diagonal) or a mask picks, with PyTorch's checks,
// messages and nodes (SelectScatterBackward0 …: the output gradient at those places goes to src, the rest to the
// input); and fillDiagonal_ (its main diagonal, wrapping every n + 1 rows for a tall matrix with `wrap`).
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { pick } from './gather.js';
import { cat } from './join.js';
import { describeValue } from '../options.js';
import { broadcastShapes, contiguousStrides, formatShape, normalizeDim, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { float32Scalar } from '../tensor/float32-scalar.js';
import { expanded } from './binary-math.js';
import { inPlaceOf } from './inplace.js';
import { sliceRange } from './slice-range.js';
import { checkTensor } from './util.js';
import { expand } from './view.js';

/** The input's row-major offsets a view of `shape`, `strides` and `offset` (over a contiguous input) reads, in its order. */
export function viewPlaces(shape: readonly number[], strides: readonly number[], offset: number): Int32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Int32Array(n);
  const idx = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < n; k++) {
    let at = offset;
    for (let d = 0; d < shape.length; d++) at += idx[d]! * strides[d]!;
    out[k] = at;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}

/** x with src's values at `places` (src of `viewShape`, checked as PyTorch checks it), recorded as `torchName`. */
function scatterInto(op: string, x: Tensor, src: Tensor, viewShape: readonly number[], places: Int32Array, torchName: string): Tensor {
  if (src.shape.length !== viewShape.length || src.shape.some((s, i) => s !== viewShape[i])) {
    throw new RangeError(`expected src to have a size equal to the slice of self. src size = ${formatShape(src.shape)}, slice size = ${formatShape(viewShape)}`);
  }
  const out = x.toArray();
  const sv = src.values();
  for (let i = 0; i < places.length; i++) out[places[i]!] = sv[i]!;
  const node = record(new Tensor(out, x.shape), op, [x, src], (g) => {
    const gv = g.values();
    const gx = Float32Array.from(gv);
    const gs = new Float32Array(places.length);
    for (let i = 0; i < places.length; i++) {
      gs[i] = gv[places[i]!]!;
      gx[places[i]!] = 0;
    }
    return [new Tensor(gx, x.shape), new Tensor(gs, src.shape)];
  }, [], torchName);
  return twice(node, (g) => splitGradient(g, x.shape, src.shape, places, op));
}

/**
 * Linear: the gradient with 0 at `places` (row-major offsets) for the input, and its values there for src, with ops
 * (createGraph). The input's is masked with maskedFill, as PyTorch's formulas, so the places written get +0 whatever
 * the gradient's sign (a product with 0 would give −0 for a negative one).
 */
export function splitGradient(g: Tensor, xShape: readonly number[], srcShape: readonly number[], places: Int32Array, op: string): [Tensor, Tensor] {
  const written = new Float32Array(g.numel());
  for (const p of places) written[p] = 1;
  return [g.maskedFill(new Tensor(written, xShape), 0), pick(g, srcShape, places, `${op}Backward`, new Tensor(Float32Array.from(places), [places.length]))];
}

function tensors(op: string, x: Tensor, src: Tensor): void {
  checkTensor(x, op);
  checkTensor(src, op, 'src');
}

function integer(op: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${op}: ${what} must be an integer, got ${describeValue(v)}`);
  return v;
}

/** x with src as its slice at `index` along `dim` (PyTorch's `select_scatter`). */
export function selectScatter(x: Tensor, src: Tensor, dim: number, index: number): Tensor {
  tensors('selectScatter', x, src);
  if (x.ndim === 0) throw new RangeError('select_scatter: a 0-d tensor has no dimension to select from');
  const d = normalizeDim(dim, x.ndim, 'selectScatter');
  const n = x.shape[d]!;
  const i = integer('selectScatter', 'index', index);
  if (i < -n || i >= n) throw new RangeError(`select(): index ${i} out of range for tensor of size ${formatShape(x.shape)} at dimension ${d}`);
  const cs = contiguousStrides(x.shape);
  const keep = <T>(a: readonly T[]): T[] => a.filter((_, k) => k !== d);
  const shape = keep(x.shape);
  return scatterInto('selectScatter', x, src, shape, viewPlaces(shape, keep(cs), (i < 0 ? i + n : i) * cs[d]!), 'SelectScatterBackward0');
}

/** x with src as its slice start:end:step along `dim` (PyTorch's `slice_scatter`; start and end clamped, as Python's). */
export function sliceScatter(x: Tensor, src: Tensor, dim = 0, start: number | null = null, end: number | null = null, step = 1): Tensor {
  tensors('sliceScatter', x, src);
  if (x.ndim === 0) throw new RangeError('slice_scatter: a 0-d tensor cannot be sliced');
  const d = normalizeDim(dim, x.ndim, 'sliceScatter');
  const n = x.shape[d]!;
  const k = integer('sliceScatter', 'step', step);
  if (k <= 0) throw new RangeError('slice step must be positive');
  const [from, count] = sliceRange(start === null ? null : integer('sliceScatter', 'start', start), end === null ? null : integer('sliceScatter', 'end', end), k, n);
  const cs = contiguousStrides(x.shape);
  const shape = x.shape.slice();
  shape[d] = count;
  const strides = cs.slice();
  strides[d] = cs[d]! * k;
  return scatterInto('sliceScatter', x, src, shape, viewPlaces(shape, strides, from * cs[d]!), 'SliceScatterBackward0');
}

/** x with src as its `offset`-th diagonal of dimensions dim1 and dim2 (PyTorch's `diagonal_scatter`). */
export function diagonalScatter(x: Tensor, src: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  tensors('diagonalScatter', x, src);
  if (x.ndim < 2) throw new RangeError(`diagonal_scatter: expects a tensor of at least 2 dimensions, got shape ${formatShape(x.shape)}`);
  const a = normalizeDim(dim1, x.ndim, 'diagonalScatter');
  const b = normalizeDim(dim2, x.ndim, 'diagonalScatter');
  if (a === b) throw new RangeError(`diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  const o = integer('diagonalScatter', 'offset', offset);
  const cs = contiguousStrides(x.shape);
  const len = Math.max(0, o >= 0 ? Math.min(x.shape[a]!, x.shape[b]! - o) : Math.min(x.shape[a]! + o, x.shape[b]!));
  const rest = x.shape.map((_, k) => k).filter((k) => k !== a && k !== b);
  const shape = [...rest.map((k) => x.shape[k]!), len];
  const strides = [...rest.map((k) => cs[k]!), cs[a]! + cs[b]!];
  const start = len === 0 ? 0 : o >= 0 ? o * cs[b]! : -o * cs[a]!;
  return scatterInto('diagonalScatter', x, src, shape, viewPlaces(shape, strides, start), 'DiagonalScatterBackward0');
}

/**
 * x with src's values, in order, written where `mask` is set (PyTorch's `masked_scatter`): x and the mask broadcast
 * together, so the result has their broadcast shape and x's gradient is summed over its copies, as PyTorch's.
 */
export function maskedScatter(input: Tensor, mask: Tensor, src: Tensor): Tensor {
  tensors('maskedScatter', input, src);
  checkTensor(mask, 'maskedScatter', 'mask');
  const shape = broadcastShapes(mask.shape, input.shape, 'maskedScatter');
  const x = sameShape(shape, input.shape) ? input : expand(input, shape);
  const m = expanded(mask, shape);
  const places: number[] = [];
  for (let i = 0; i < m.length; i++) if (m[i] !== 0) places.push(i);
  if (places.length > src.numel()) throw new RangeError('Number of elements of source < number of ones in mask');
  const out = x.toArray();
  const sv = src.values();
  places.forEach((p, k) => (out[p] = sv[k]!));
  const node = record(new Tensor(out, x.shape), 'maskedScatter', [x, src], (g) => {
    const gv = g.values();
    const gx = Float32Array.from(gv);
    const gs = new Float32Array(src.numel());
    places.forEach((p, k) => {
      gs[k] = gv[p]!;
      gx[p] = 0;
    });
    return [new Tensor(gx, x.shape), new Tensor(gs, src.shape)];
  }, [mask], 'MaskedScatterBackward0');
  // src's gradient: its first values take the masked places' gradients, the rest 0 (createGraph).
  return twice(node, (g) => {
    const [gx, picked] = splitGradient(g, x.shape, [places.length], Int32Array.from(places), 'maskedScatter');
    const rest = src.numel() - places.length;
    const whole = rest === 0 ? picked : cat([picked, new Tensor(new Float32Array(rest), [rest])], 0);
    return [gx, whole.reshape(src.shape)];
  });
}

/** maskedScatter in place (PyTorch's `masked_scatter_`): the mask must broadcast to t's own shape. */
export function maskedScatter_(t: Tensor, mask: Tensor, src: Tensor): Tensor {
  tensors('maskedScatter_', t, src);
  checkTensor(mask, 'maskedScatter_', 'mask');
  if (!sameShape(broadcastShapes(mask.shape, t.shape, 'maskedScatter_'), t.shape)) {
    throw new RangeError(`maskedScatter_: the mask ${formatShape(mask.shape)} must broadcast to the input's shape ${formatShape(t.shape)} (in place, the result keeps it; the out-of-place maskedScatter takes the broadcast shape)`);
  }
  return inPlaceOf(t, 'maskedScatter_', (x) => maskedScatter(x, mask, src), false, undefined, src);
}

/** x with `value` on its main diagonal (all dimensions of one length, or a matrix, tall ones wrapping with `wrap`). */
function filledDiagonal(x: Tensor, value: number, wrap: boolean): Tensor {
  if (x.ndim < 2) throw new RangeError('dimensions must larger than 1');
  if (x.ndim > 2 && x.shape.some((s) => s !== x.shape[0])) throw new RangeError('all dimensions of input must be of equal length');
  const cs = contiguousStrides(x.shape);
  const step = cs.reduce((a, b) => a + b, 0);
  const minSize = Math.min(...x.shape);
  // A matrix with wrap: every n + 1 rows starts the diagonal anew (NumPy's fill_diagonal).
  const end = x.ndim === 2 && wrap ? x.numel() : minSize * step;
  const out = x.toArray();
  const places: number[] = [];
  for (let p = 0; p < end && p < out.length; p += step) places.push(p);
  for (const p of places) out[p] = value;
  const node = record(new Tensor(out, x.shape), 'fillDiagonal_', [x], (g) => {
    const gx = g.toArray();
    for (const p of places) gx[p] = 0;
    return [new Tensor(gx, x.shape)];
  }, [], 'FillDiagonalBackward0');
  return twice(node, (g) => [splitGradient(g, x.shape, [places.length], Int32Array.from(places), 'fillDiagonal_')[0]]);
}

/** `value` written on the main diagonal, in place (PyTorch's `fill_diagonal_(fill_value, wrap=False)`). */
export function fillDiagonal_(t: Tensor, value: number, wrap = false): Tensor {
  checkTensor(t, 'fillDiagonal_');
  const v = Math.fround(float32Scalar('fillDiagonal_', 'fill_value', value));
  if (typeof wrap !== 'boolean') throw new TypeError(`fillDiagonal_: wrap must be true or false, got ${describeValue(wrap)}`);
  return inPlaceOf(t, 'fillDiagonal_', (x) => filledDiagonal(x, v, wrap), false);
}
