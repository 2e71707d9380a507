// scatterReduce, as PyTorch 1.13's scatter_reduce (beta there): src's elements combined into a copy of x along
// `dim` at the places `index` gives, by 'sum', 'prod', 'mean', 'amax' or 'amin', with x's own value taking part
// (`includeSelf`, the default) or not; each place combined in index order in float32, as PyTorch's serial CPU loop.
// The gradient is PyTorch's (ScatterReduceBackward0): sum and mean pass it on (divided by the count for mean); amax
// and amin share it evenly between the values equal to the result; prod gives each value the product of the others.
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { cat } from './join.js';
import { pick, spread } from './gather.js';
import { checkOptions, describeValue } from '../options.js';
import { contiguousStrides, formatShape, normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { KindlingError } from '../errors.js';
import { checkTensor } from './util.js';

export type ScatterReduction = 'sum' | 'prod' | 'mean' | 'amax' | 'amin';
const REDUCTIONS: readonly ScatterReduction[] = ['sum', 'prod', 'mean', 'amax', 'amin'];

const f = Math.fround;

/** Where each index element writes in x (row-major offsets), and which src element it reads. */
function places(x: Tensor, d: number, index: Tensor, src: Tensor): { to: Int32Array; from: Int32Array } {
  if (index.ndim !== x.ndim || src.ndim !== x.ndim) {
    throw new KindlingError(`Index tensor must have the same number of dimensions as self tensor (index ${formatShape(index.shape)}, self ${formatShape(x.shape)}, src ${formatShape(src.shape)})`);
  }
  index.shape.forEach((n, k) => {
    if ((k !== d && n > x.shape[k]!) || n > src.shape[k]!) {
      throw new KindlingError(`Expected index ${formatShape(index.shape)} to be smaller than self ${formatShape(x.shape)} apart from dimension ${d} and to be smaller size than src ${formatShape(src.shape)}`);
    }
  });
  const iv = index.values();
  const xs = contiguousStrides(x.shape);
  const ss = contiguousStrides(src.shape);
  const to = new Int32Array(iv.length);
  const from = new Int32Array(iv.length);
  const pos = new Array<number>(index.ndim).fill(0);
  for (let i = 0; i < iv.length; i++) {
    const k = iv[i]!;
    if (!Number.isInteger(k) || k < 0 || k >= x.shape[d]!) {
      throw new KindlingError(`index ${k} is out of bounds for dimension ${d} with size ${x.shape[d]}`);
    }
    let t = 0;
    let s = 0;
    for (let a = 0; a < pos.length; a++) {
      t += (a === d ? k : pos[a]!) * xs[a]!;
      s += pos[a]! * ss[a]!;
    }
    to[i] = t;
    from[i] = s;
    for (let a = pos.length - 1; a >= 0; a--) {
      if (++pos[a]! < index.shape[a]!) break;
      pos[a] = 0;
    }
  }
  return { to, from };
}

const maxOf = (a: number, b: number): number => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a > b ? a : b);
const minOf = (a: number, b: number): number => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a < b ? a : b);

/** x with src combined in along `dim` at `index` by `reduce` (PyTorch's `x.scatter_reduce(dim, index, src, reduce)`). */
export function scatterReduce(x: Tensor, dim: number, index: Tensor, src: Tensor, reduce: ScatterReduction, options: { includeSelf?: boolean } = {}): Tensor {
  checkTensor(x, 'scatterReduce');
  checkTensor(index, 'scatterReduce', 'index');
  checkTensor(src, 'scatterReduce', 'src');
  if (!REDUCTIONS.includes(reduce)) throw new KindlingError('reduce argument must be either sum, prod, mean, amax or amin.');
  const { includeSelf = true } = checkOptions('scatterReduce', options, ['includeSelf']);
  if (typeof includeSelf !== 'boolean') throw new TypeError(`scatterReduce: includeSelf must be true or false, got ${describeValue(includeSelf)}`);
  const d = normalizeDim(dim, Math.max(x.ndim, 1), 'scatterReduce');
  const { to, from } = places(x, d, index, src);
  const xv = x.values();
  const sv = src.values();
  const out = Float32Array.from(xv);
  const count = new Float32Array(out.length).fill(includeSelf ? 1 : 0);
  const hit = new Uint8Array(out.length);
  if (!includeSelf) {
    const start = reduce === 'prod' ? 1 : reduce === 'amax' ? -Infinity : reduce === 'amin' ? Infinity : 0;
    for (const t of to) out[t] = start;
  }
  for (let i = 0; i < to.length; i++) {
    const t = to[i]!;
    const v = sv[from[i]!]!;
    hit[t] = 1;
    count[t]! += 1;
    if (reduce === 'sum' || reduce === 'mean') out[t] = f(out[t]! + v);
    else if (reduce === 'prod') out[t] = f(out[t]! * v);
    else if (reduce === 'amax') out[t] = maxOf(out[t]!, v);
    else out[t] = minOf(out[t]!, v);
  }
  if (reduce === 'mean') for (let t = 0; t < out.length; t++) if (hit[t]) out[t] = f(out[t]! / Math.max(count[t]!, 1));
  const result = new Tensor(out, x.shape);
  const node = record(result, 'scatterReduce', [x, src], (g) => {
    const gv = g.values();
    const gx = Float32Array.from(gv);
    const gs = new Float32Array(sv.length);
    if (reduce === 'sum') {
      if (!includeSelf) for (const t of to) gx[t] = 0;
      for (let i = 0; i < to.length; i++) gs[from[i]!] = gv[to[i]!]!;
    } else if (reduce === 'mean') {
      // grad / N, N the count (at least 1), for x (0 where x took no part) and for every src element written there.
      for (let t = 0; t < gx.length; t++) if (hit[t]) gx[t] = includeSelf ? f(gv[t]! / count[t]!) : 0;
      for (let i = 0; i < to.length; i++) gs[from[i]!] = f(gv[to[i]!]! / Math.max(count[to[i]!]!, 1));
    } else if (reduce === 'amax' || reduce === 'amin') {
      // The values equal to the result share the gradient evenly (x's own where it took part).
      const ties = new Float32Array(out.length);
      for (let t = 0; t < out.length; t++) if (hit[t] && includeSelf && xv[t] === out[t]) ties[t] = 1;
      for (let i = 0; i < to.length; i++) if (sv[from[i]!] === out[to[i]!]) ties[to[i]!]! += 1;
      for (let t = 0; t < gx.length; t++) if (hit[t]) gx[t] = includeSelf && xv[t] === out[t] ? f(gv[t]! / ties[t]!) : 0;
      for (let i = 0; i < to.length; i++) {
        const t = to[i]!;
        gs[from[i]!] = sv[from[i]!] === out[t] ? f(gv[t]! / ties[t]!) : 0;
      }
    } else {
      // prod: each value's gradient is the output gradient times the product of the others written to its place.
      const members = new Map<number, number[]>();
      for (let i = 0; i < to.length; i++) {
        const list = members.get(to[i]!) ?? [];
        list.push(i);
        members.set(to[i]!, list);
      }
      for (const [t, list] of members) {
        const values = list.map((i) => sv[from[i]!]!);
        const own = includeSelf ? xv[t]! : 1;
        const others = (skip: number): number => {
          let p = skip === -1 ? 1 : own;
          values.forEach((v, k) => {
            if (k !== skip) p = f(p * v);
          });
          return p;
        };
        gx[t] = includeSelf ? f(gv[t]! * others(-1)) : 0;
        list.forEach((i, k) => (gs[from[i]!] = f(gv[t]! * others(k))));
      }
    }
    return [new Tensor(gx, x.shape), new Tensor(gs, src.shape)];
  }, [index], 'ScatterReduceBackward0');
  return twice(node, (g) => graphBackward(g, { x, src, reduce, includeSelf, to, from, hit, count, out }));
}

interface Scattered {
  x: Tensor; src: Tensor; reduce: ScatterReduction; includeSelf: boolean;
  to: Int32Array; from: Int32Array; hit: Uint8Array; count: Float32Array; out: Float32Array;
}

const constant = (values: ArrayLike<number>, shape: readonly number[]): Tensor => new Tensor(Float32Array.from(values), shape);

/**
 * The same gradients with ops (createGraph): for sum, mean, amax and amin linear in g (the counts and the extremes'
 * masks are constants, as PyTorch's); for prod each factor's gradient is g times the product of the others, those
 * gathered with ops from x and src into rows padded with ones (`prod` along the rows, zeros included).
 */
function graphBackward(g: Tensor, s: Scattered): [Tensor, Tensor] {
  const { x, src, reduce, includeSelf, to, from, hit, count, out } = s;
  const xv = x.values();
  const sv = src.values();
  const atTo = (t: Tensor): Tensor => pick(t, [to.length], to, 'scatterReduceBackward', constant(to, [to.length]));
  const toSrc = (t: Tensor): Tensor => spread(t, src.shape, from, 'scatterReduceBackward');
  if (reduce === 'sum') {
    const keep = Float32Array.from(hit, (h) => (h && !includeSelf ? 0 : 1));
    return [g.mul(constant(keep, x.shape)), toSrc(atTo(g))];
  }
  if (reduce === 'mean') {
    const keep = Float32Array.from(hit, (h) => (h && !includeSelf ? 0 : 1));
    const n = Float32Array.from(count, (c, t) => (hit[t] ? Math.max(c, 1) : 1));
    return [g.div(constant(n, x.shape)).mul(constant(keep, x.shape)), toSrc(atTo(g).div(constant(Array.from(to, (t) => n[t]!), [to.length])))];
  }
  if (reduce === 'amax' || reduce === 'amin') {
    const ties = new Float32Array(out.length).fill(1);
    for (let t = 0; t < out.length; t++) if (hit[t]) ties[t] = includeSelf && xv[t] === out[t] ? 1 : 0;
    for (let i = 0; i < to.length; i++) if (sv[from[i]!] === out[to[i]!]) ties[to[i]!]! += 1;
    const keep = Float32Array.from(hit, (h, t) => (!h || (includeSelf && xv[t] === out[t]) ? 1 : 0));
    const srcKeep = Array.from(to, (t, i) => (sv[from[i]!] === out[t] ? 1 : 0));
    return [
      g.div(constant(ties, x.shape)).mul(constant(keep, x.shape)),
      toSrc(atTo(g).div(constant(Array.from(to, (t) => ties[t]!), [to.length])).mul(constant(srcKeep, [to.length]))),
    ];
  }
  // prod: the values of x, then of src, then a 1, as one row-major list to gather the factors from.
  const ones = constant([1], [1]);
  const all = cat([x.reshape([xv.length]), src.reshape([sv.length]), ones], 0);
  const one = xv.length + sv.length;
  const members = new Map<number, number[]>();
  for (let i = 0; i < to.length; i++) members.set(to[i]!, [...(members.get(to[i]!) ?? []), i]);
  const width = Math.max(1, ...Array.from(members.values(), (list) => list.length));
  // x's factor at each place: the product of the src values written there (x's own value passes g on where untouched).
  const xRows = new Int32Array(xv.length * width).fill(one);
  for (const [t, list] of members) list.forEach((i, k) => (xRows[t * width + k] = xv.length + from[i]!));
  const xFactor = pick(all, [xv.length, width], xRows, 'scatterReduceBackward', constant(xRows, [xRows.length])).prod(1).reshape(x.shape);
  const keep = Float32Array.from(hit, (h) => (h && !includeSelf ? 0 : 1));
  // Each src value's factor: x's value (when it takes part) and the other src values written to the same place.
  const sRows = new Int32Array(to.length * width).fill(one);
  for (const list of members.values()) {
    list.forEach((i, k) => {
      let c = 0;
      if (includeSelf) sRows[i * width + c++] = to[i]!;
      list.forEach((j, m) => { if (m !== k) sRows[i * width + c++] = xv.length + from[j]!; });
    });
  }
  const sFactor = pick(all, [to.length, width], sRows, 'scatterReduceBackward', constant(sRows, [sRows.length])).prod(1);
  return [g.mul(xFactor).mul(constant(keep, x.shape)), toSrc(atTo(g).mul(sFactor))];
}
