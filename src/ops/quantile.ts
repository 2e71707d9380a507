// quantile and nanquantile, as PyTorch 1.13's (aten/src/ATen/native/Sorting.cpp): the values sorted along the
// dimension (NaN last) by PyTorch's default sort, which is not stable past 16 values (so a gradient goes to the tied
// value PyTorch's goes to), each q's rank q·(n − 1) in float32 (n the count of non-NaN values for nanquantile; a row
// holding a NaN gives NaN for quantile), and the two neighbouring values gathered and interpolated by `lerp` with
// the rank's fraction ('linear'), 0.5 ('midpoint'), or the rank rounded first ('lower', 'higher', 'nearest'). Composed
// of sort, gather and lerp, so the gradient is theirs, as in PyTorch.
import { checkOptions, describeValue } from '../options.js';
import { normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { gather } from './gather.js';
import { movedim } from './movedim.js';
import { sort } from './sort.js';
import { lerp } from './ternary-math.js';
import { checkTensor } from './util.js';
import { reshape } from './view.js';

export type QuantileInterpolation = 'linear' | 'lower' | 'higher' | 'midpoint' | 'nearest';
export interface QuantileOptions {
  /** The dimension to reduce; all of them (the flattened input) when left out or null. */
  dim?: number | null;
  keepdim?: boolean;
  interpolation?: QuantileInterpolation;
}

const MODES: readonly QuantileInterpolation[] = ['linear', 'lower', 'higher', 'midpoint', 'nearest'];
const f = Math.fround;

/** Rounds half to even, as C's nearbyint (PyTorch's round_). */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The q-th quantiles of x along `dim` (or of all of it): `quantile(x, 0.5)`, `quantile(x, tensor([0.25, 0.75]), { dim: 1 })`. */
export function quantile(x: Tensor, q: number | Tensor, options: QuantileOptions | number = {}, keepdim?: boolean): Tensor {
  return quantileOf('quantile', false, x, q, options, keepdim);
}

/** `quantile`, ignoring NaN values (a row of NaN only gives NaN). */
export function nanquantile(x: Tensor, q: number | Tensor, options: QuantileOptions | number = {}, keepdim?: boolean): Tensor {
  return quantileOf('nanquantile', true, x, q, options, keepdim);
}

function quantileOf(op: string, ignoreNan: boolean, x: Tensor, q: number | Tensor, given: QuantileOptions | number, keep?: boolean): Tensor {
  checkTensor(x, op);
  // PyTorch's messages say quantile() for nanquantile too.
  const says = 'quantile';
  const o = typeof given === 'number' ? { dim: given, keepdim: keep ?? false } : checkOptions(op, given, ['dim', 'keepdim', 'interpolation']);
  const mode = o.interpolation ?? 'linear';
  if (!MODES.includes(mode)) throw new RangeError(`${says}() interpolation must be one of linear, lower, higher, midpoint or nearest, but got ${String(mode)}`);
  const keepdim = o.keepdim ?? false;
  if (typeof keepdim !== 'boolean') throw new TypeError(`${op}: keepdim must be a boolean, got ${describeValue(keepdim)}`);
  const qs = qValues(says, q);
  if (x.numel() === 0) throw new RangeError(`${says}() input tensor must be non-empty`);
  const dim = o.dim ?? null;
  const d = dim === null ? null : normalizeDim(dim, Math.max(x.ndim, 1), op);
  // The values to reduce as the last dimension of `rows`.
  const rows = d === null ? reshape(x, [x.numel()]) : x.ndim === 0 ? reshape(x, [1]) : movedim(x, d, -1);
  const n = rows.shape[rows.ndim - 1]!;
  // PyTorch's default (unstable) sort: a gradient goes to the tied element it leaves at the rank.
  const sorted = sort(rows, -1).values;
  const sv = sorted.values();
  const lead = rows.shape.slice(0, -1);
  const R = sv.length / n;
  const Q = qs.length;
  const below = new Float32Array(R * Q);
  const above = new Float32Array(R * Q);
  const weight = new Float32Array(R * Q);
  for (let r = 0; r < R; r++) {
    let count = n;
    while (count > 0 && Number.isNaN(sv[r * n + count - 1]!)) count--;
    for (let j = 0; j < Q; j++) {
      // PyTorch's float32 rank: q·(count − 1) (0 if that is negative) for nanquantile; for quantile q·(n − 1), or the
      // last index where the row holds a NaN.
      let rank = ignoreNan ? Math.max(f(qs[j]! * (count - 1)), 0) : count < n ? n - 1 : f(qs[j]! * (n - 1));
      if (mode === 'lower') rank = Math.floor(rank);
      else if (mode === 'higher') rank = Math.ceil(rank);
      else if (mode === 'nearest') rank = roundHalfEven(rank);
      const lo = Math.trunc(rank);
      below[r * Q + j] = lo;
      above[r * Q + j] = Math.ceil(rank);
      weight[r * Q + j] = mode === 'midpoint' ? 0.5 : f(rank - lo);
    }
  }
  const idxShape = [...lead, Q];
  let values = gather(sorted, -1, new Tensor(below, idxShape));
  if (mode === 'linear' || mode === 'midpoint') values = lerp(values, gather(sorted, -1, new Tensor(above, idxShape)), new Tensor(weight, idxShape));
  // [..., Q] → [Q, ...] with the reduced dimension kept or dropped, then q's dimension dropped for a number q.
  const reduced = d === null ? (keepdim ? x.shape.map(() => 1) : []) : x.ndim === 0 ? [] : x.shape.map((s, i) => (i === d ? 1 : s)).filter((_, i) => keepdim || i !== d);
  const qFirst = movedim(values, -1, 0);
  return reshape(qFirst, typeof q === 'number' || q.ndim === 0 ? reduced : [Q, ...reduced], op, 'SqueezeBackward3');
}

/** q as a list of probabilities: a number, or a 0-d or 1-D tensor, each in [0, 1] (PyTorch's checks and messages). */
function qValues(op: string, q: number | Tensor): number[] {
  let values: number[];
  if (typeof q === 'number') values = [f(q)];
  else if (q instanceof Tensor) {
    if (q.ndim > 1) throw new RangeError(`${op}() q must be a scalar or 1D tensor`);
    values = Array.from(q.values());
  } else throw new TypeError(`${op}: q must be a number or a tensor, got ${describeValue(q)}`);
  for (const v of values) {
    if (!(v >= 0 && v <= 1)) {
      throw new RangeError(typeof q === 'number' ? `${op}() q must be in the range [0, 1] but got ${q}` : `${op}() q values must be in the range [0, 1]`);
    }
  }
  return values;
}
