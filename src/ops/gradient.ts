import { checkOptions, describeValue } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { cat } from './join.js';

/** Options of `gradient`, as torch.gradient's keyword arguments. */
export interface GradientOptions {
  /**
   * The distance between neighbouring samples: one number for every dimension, one number per dimension, or one
   * 1-D tensor of coordinates per dimension (samples unevenly spaced). Default 1.
   */
  spacing?: number | readonly number[] | readonly Tensor[];
  /** The dimensions to differentiate along (default: all), a number or an array. */
  dim?: number | readonly number[] | null;
  /** 1 (one-sided first-order differences at the edges, the default) or 2 (second-order). */
  edgeOrder?: 1 | 2;
}

/** `t` from index `start` (negative: from the end) to `end` (exclusive; undefined: the end) along `dim`. */
function slice(t: Tensor, dim: number, start: number, end?: number): Tensor {
  const n = t.shape[dim]!;
  const s = start < 0 ? n + start : start;
  const e = end === undefined ? n : end < 0 ? n + end : end;
  return t.narrow(dim, s, e - s);
}

/** Evenly spaced samples `h` apart: central differences inside, one-sided ones of `edgeOrder` at the ends. */
function uniform(x: Tensor, dim: number, h: number, edgeOrder: 1 | 2): Tensor {
  const center = slice(x, dim, 2).sub(slice(x, dim, 0, -2)).div(h);
  let first: Tensor;
  let last: Tensor;
  if (edgeOrder === 1) {
    first = slice(x, dim, 1, 2).sub(slice(x, dim, 0, 1)).div(h);
    last = slice(x, dim, -1).sub(slice(x, dim, -2, -1)).div(h);
  } else {
    first = slice(x, dim, 0, 1).mul(-1.5).add(slice(x, dim, 1, 2).mul(2)).sub(slice(x, dim, 2, 3).mul(0.5)).div(h);
    last = slice(x, dim, -3, -2).mul(0.5).sub(slice(x, dim, -2, -1).mul(2)).add(slice(x, dim, -1).mul(1.5)).div(h);
  }
  return cat([first, center.div(2), last], dim);
}

/** Samples at the coordinates `at` (1-D): the second-order formula for uneven spacing inside and at order-2 edges. */
function uneven(x: Tensor, dim: number, at: Tensor, edgeOrder: 1 | 2): Tensor {
  const shape = x.shape.map((_, i) => (i === dim ? -1 : 1));
  const dx = at.diff(1, 0);
  const m = dx.shape[0]!;
  const dx1 = dx.narrow(0, 0, m - 1);
  const dx2 = dx.narrow(0, 1, m - 1);
  const a = dx2.neg().div(dx1.mul(dx1.add(dx2))).reshape(shape);
  const b = dx2.sub(dx1).div(dx1.mul(dx2)).reshape(shape);
  const c = dx1.div(dx2.mul(dx1.add(dx2))).reshape(shape);
  const center = a.mul(slice(x, dim, 0, -2)).add(b.mul(slice(x, dim, 1, -1))).add(c.mul(slice(x, dim, 2)));
  const d0 = dx.select(0, 0);
  const dl = dx.select(0, m - 1);
  let first: Tensor;
  let last: Tensor;
  if (edgeOrder === 1) {
    first = slice(x, dim, 1, 2).sub(slice(x, dim, 0, 1)).div(d0);
    last = slice(x, dim, -1).sub(slice(x, dim, -2, -1)).div(dl);
  } else {
    const d1 = dx.select(0, 1);
    const dp = dx.select(0, m - 2);
    const fa = d0.mul(2).add(d1).div(d0.mul(d0.add(d1))).neg();
    const fb = d0.add(d1).div(d0.mul(d1));
    const fc = d0.neg().div(d1.mul(d0.add(d1)));
    first = fa.mul(slice(x, dim, 0, 1)).add(fb.mul(slice(x, dim, 1, 2))).add(fc.mul(slice(x, dim, 2, 3)));
    const la = dl.div(dp.mul(dl.add(dp)));
    const lb = dl.add(dp).div(dl.mul(dp)).neg();
    const lc = dl.mul(2).add(dp).div(dl.mul(dl.add(dp)));
    last = la.mul(slice(x, dim, -3, -2)).add(lb.mul(slice(x, dim, -2, -1))).add(lc.mul(slice(x, dim, -1)));
  }
  return cat([first, center, last], dim);
}

/**
 * Estimates the derivative of the function sampled by `input` along each dimension, as torch.gradient: second-order
 * central differences inside, one-sided differences of order `edgeOrder` at the edges; one tensor per dimension,
 * of input's shape. Differentiable (it is made of slices and arithmetic).
 *
 * @example gradient(tensor([1, 4, 9, 16])) // [tensor([3, 4, 6, 7])]
 * @example gradient(t, { spacing: [tensor([0, 1, 1.5, 3.5])], dim: 0, edgeOrder: 2 })
 */
export function gradient(input: Tensor, options: GradientOptions = {}): Tensor[] {
  const where = 'gradient';
  if (!(input instanceof Tensor)) throw new TypeError(`${where}: input must be a Tensor, got ${describeValue(input)}`);
  const o = checkOptions<GradientOptions>(where, options, ['spacing', 'dim', 'edgeOrder']);
  const edgeOrder = o.edgeOrder ?? 1;
  if (edgeOrder !== 1 && edgeOrder !== 2) throw new RangeError(`${where}: edgeOrder must be 1 or 2, got ${describeValue(edgeOrder)}`);
  const nd = input.ndim;
  if (o.dim !== undefined && o.dim !== null && typeof o.dim !== 'number' && !Array.isArray(o.dim)) {
    throw new TypeError(`${where}: dim must be an integer or an array of integers (or left out for every dimension), got ${describeValue(o.dim)}`);
  }
  const given = o.dim === undefined || o.dim === null ? [...Array(nd).keys()] : typeof o.dim === 'number' ? [o.dim] : [...o.dim];
  const dims = given.map((d) => {
    if (!Number.isInteger(d) || d < -nd || d >= nd) throw new RangeError(`${where}: dim ${d} is out of range for a tensor of shape ${formatShape(input.shape)}`);
    return d < 0 ? d + nd : d;
  });
  if (new Set(dims).size !== dims.length) throw new RangeError(`${where}: dim ${formatShape(given)} repeats a dimension`);
  for (const d of dims) {
    if (input.shape[d]! < edgeOrder + 1) {
      throw new RangeError(`${where}: expected each dimension size to be at least edgeOrder + 1 = ${edgeOrder + 1}; dimension ${d} of shape ${formatShape(input.shape)} has ${input.shape[d]}`);
    }
  }
  const spacing = o.spacing ?? 1;
  const per = typeof spacing === 'number' ? dims.map(() => spacing) : spacing;
  if (!Array.isArray(per) || per.length !== dims.length) {
    throw new RangeError(`${where}: spacing must be a number, or one number or 1-D tensor per dimension differentiated (${dims.length}); got ${describeValue(spacing)}`);
  }
  if (per.some((s: unknown) => typeof s === 'number') && per.some((s: unknown) => typeof s !== 'number')) {
    throw new TypeError(`${where}: spacing must be all numbers or all coordinate tensors, not a mix (PyTorch refuses it too)`);
  }
  return dims.map((d, i) => {
    const s: unknown = per[i];
    if (typeof s === 'number') {
      if (!Number.isFinite(s) || s === 0) throw new RangeError(`${where}: a spacing must be a finite number other than 0, got ${describeValue(s)}`);
      return uniform(input, d, s, edgeOrder);
    }
    if (!(s instanceof Tensor) || s.ndim !== 1 || s.shape[0] !== input.shape[d]) {
      throw new RangeError(`${where}: the coordinates for dimension ${d} must be a 1-D tensor of ${input.shape[d]} values (the size of that dimension), got ${s instanceof Tensor ? `shape ${formatShape(s.shape)}` : describeValue(s)}`);
    }
    return uneven(input, d, s, edgeOrder);
  });
}
