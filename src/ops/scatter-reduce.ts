// scatterReduce, as PyTorch 1.13's scatter_reduce (beta there): src's elements combined into a copy of x along
// `dim` at the places `index` gives, by 'sum', 'prod', 'mean', 'amax' or 'amin', with x's own value taking part
// (`includeSelf`, the default) or not; each place combined in index order in float32, as PyTorch's serial CPU loop.
// The gradient is PyTorch's (ScatterReduceBackward0, FunctionsManual.cpp's scatter_reduce_backward, step for step):
// sum and mean pass it on (divided by the count for mean); amax and amin share it evenly between the values equal to
// the result (x's own counted even when it takes no part, as there; a NaN gives NaN); prod gives x
// grad·(the result with x's zeros as 1) / (x with its zeros as 1), and src grad·result / src, or, for a src value
// that is the only zero at its place, grad times the product of the others. x's gradient is 0 where it took no part.
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { where } from './binary.js';
import { pick, spread } from './gather.js';
import { scatterPlan } from './scatter.js';
import { checkOptions, describeValue } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { KindlingError } from '../errors.js';
import { checkTensor } from './util.js';
import { markMask } from '../tensor/mask-mark.js';

export type ScatterReduction = 'sum' | 'prod' | 'mean' | 'amax' | 'amin';
const REDUCTIONS: readonly ScatterReduction[] = ['sum', 'prod', 'mean', 'amax', 'amin'];

const f = Math.fround;

const maxOf = (a: number, b: number): number => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a > b ? a : b);
const minOf = (a: number, b: number): number => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a < b ? a : b);

/**
 * `base` with src's values at `from` combined in at `to` in order (the sum for 'mean'), as PyTorch's forward loop:
 * without `includeSelf` the places written start from the reduction's identity.
 */
function combine(base: Float32Array, sv: Float32Array, to: Int32Array, from: Int32Array, reduce: ScatterReduction, includeSelf: boolean): Float32Array {
  const out = Float32Array.from(base);
  if (!includeSelf) {
    const start = reduce === 'prod' ? 1 : reduce === 'amax' ? -Infinity : reduce === 'amin' ? Infinity : 0;
    for (const t of to) out[t] = start;
  }
  for (let i = 0; i < to.length; i++) {
    const t = to[i]!;
    const v = sv[from[i]!]!;
    if (reduce === 'sum' || reduce === 'mean') out[t] = f(out[t]! + v);
    else if (reduce === 'prod') out[t] = f(out[t]! * v);
    else if (reduce === 'amax') out[t] = maxOf(out[t]!, v);
    else out[t] = minOf(out[t]!, v);
  }
  return out;
}

/**
 * amax's and amin's tie counts, as PyTorch's backward: whether x equals the result at each place, whether each src
 * value written equals the result at its place, and N, the number of such values at each place (x's own included).
 */
function ties(xv: Float32Array, sv: Float32Array, to: Int32Array, from: Int32Array, out: Float32Array): { selfIs: Float32Array; srcIs: Float32Array; n: Float32Array } {
  const selfIs = Float32Array.from(xv, (v, t) => (v === out[t] ? 1 : 0));
  const srcIs = Float32Array.from(to, (t, i) => (sv[from[i]!] === out[t] ? 1 : 0));
  const n = Float32Array.from(selfIs);
  for (let i = 0; i < to.length; i++) n[to[i]!]! += srcIs[i]!;
  return { selfIs, srcIs, n };
}

/** prod's masks, as PyTorch's backward: x with its zeros as 1, src's zeros, and the src zeros alone at their place. */
function prodMasks(xv: Float32Array, sv: Float32Array, to: Int32Array, from: Int32Array): { maskedSelf: Float32Array; srcZero: Uint8Array; single: Uint8Array } {
  const maskedSelf = Float32Array.from(xv, (v) => (v === 0 ? 1 : v));
  const srcZero = Uint8Array.from(sv, (v) => (v === 0 ? 1 : 0));
  const zeros = new Int32Array(xv.length);
  for (let i = 0; i < to.length; i++) zeros[to[i]!]! += srcZero[from[i]!]!;
  const single = new Uint8Array(sv.length);
  for (let i = 0; i < to.length; i++) if (srcZero[from[i]!] && zeros[to[i]!] === 1) single[from[i]!] = 1;
  return { maskedSelf, srcZero, single };
}

/** x with src combined in along `dim` at `index` by `reduce` (PyTorch's `x.scatter_reduce(dim, index, src, reduce)`). */
export function scatterReduce(x: Tensor, dim: number, index: Tensor, src: Tensor, reduce: ScatterReduction, options: { includeSelf?: boolean } = {}): Tensor {
  checkTensor(x, 'scatterReduce');
  checkTensor(index, 'scatterReduce', 'index');
  checkTensor(src, 'scatterReduce', 'src');
  if (!REDUCTIONS.includes(reduce)) throw new KindlingError('reduce argument must be either sum, prod, mean, amax or amin.');
  const { includeSelf = true } = checkOptions('scatterReduce', options, ['includeSelf']);
  if (typeof includeSelf !== 'boolean') throw new TypeError(`scatterReduce: includeSelf must be true or false, got ${describeValue(includeSelf)}`);
  // PyTorch's scatter checks (a 0-d input takes a 0-d or one-element index and src; indices in range, whole).
  const { to, from, dim: d } = scatterPlan('scatterReduce', x, dim, index, src);
  const xv = x.values();
  const sv = src.values();
  const out = combine(xv, sv, to, from, reduce, includeSelf);
  const count = new Float32Array(out.length).fill(includeSelf ? 1 : 0);
  const hit = new Uint8Array(out.length);
  for (const t of to) {
    hit[t] = 1;
    count[t]! += 1;
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
      // PyTorch's: N = (x == result) + the count of src values equal to the result at each place (x's own counted
      // whether or not it took part), grad / N to x where x == result and to each src value equal to the result, the
      // others getting 0·(grad / N) (NaN where N is 0: a NaN result).
      const { selfIs, srcIs, n } = ties(xv, sv, to, from, out);
      for (let t = 0; t < gx.length; t++) gx[t] = selfIs[t]! * f(gv[t]! / n[t]!);
      for (let i = 0; i < to.length; i++) gs[from[i]!] = srcIs[i]! * f(gv[to[i]!]! / n[to[i]!]!);
    } else {
      // prod, PyTorch's: x gets grad·(the product with x's zeros as 1) / (x with its zeros as 1); a src value that is
      // the only zero at its place gets grad·(the product with it as 1), any other grad·result / (src, zeros as 1).
      const { maskedSelf, single, srcZero } = prodMasks(xv, sv, to, from);
      const withSelfMasked = combine(maskedSelf, sv, to, from, 'prod', includeSelf);
      for (let t = 0; t < gx.length; t++) gx[t] = f(f(gv[t]! * withSelfMasked[t]!) / maskedSelf[t]!);
      const maskedSrc = Float32Array.from(sv, (v, k) => (single[k] ? 1 : v));
      const withSrcMasked = combine(xv, maskedSrc, to, from, 'prod', includeSelf);
      for (let i = 0; i < to.length; i++) {
        const t = to[i]!;
        const k = from[i]!;
        gs[k] = single[k] ? f(gv[t]! * withSrcMasked[t]!) : f(f(gv[t]! * out[t]!) / (srcZero[k] ? 1 : sv[k]!));
      }
    }
    // x's gradient is 0 where it took no part (PyTorch scatters a 0 there, whatever the formula gave).
    if (!includeSelf) for (const t of to) gx[t] = 0;
    return [new Tensor(gx, x.shape), new Tensor(gs, src.shape)];
  }, [index], 'ScatterReduceBackward0');
  return twice(node, (g) => graphBackward(g, { x, src, d, index, result, reduce, includeSelf, to, from, hit, count, out }));
}

interface Scattered {
  x: Tensor; src: Tensor; d: number; index: Tensor; result: Tensor; reduce: ScatterReduction; includeSelf: boolean;
  to: Int32Array; from: Int32Array; hit: Uint8Array; count: Float32Array; out: Float32Array;
}

const constant = (values: ArrayLike<number>, shape: readonly number[]): Tensor => new Tensor(Float32Array.from(values), shape);

const TWO_ZEROS = 'scatter_reduce(): Double backward is unsupported for src when >1 zeros in src are scattered to the same position in self';

/**
 * The same gradients with ops (createGraph), PyTorch's formulas written with ops: for sum, mean, amax and amin linear
 * in g (the counts and the extremes' masks are constants, as PyTorch's); for prod with the masked products recorded
 * (scatterReduce again) and the result itself, so their gradients follow as PyTorch's do. Where two src zeros meet at
 * a place, src's gradient refuses to be differentiated further, as PyTorch's (its DelayedError).
 */
function graphBackward(g: Tensor, s: Scattered): [Tensor, Tensor] {
  const { x, src, d, index, result, reduce, includeSelf, to, from, hit, count, out } = s;
  const xv = x.values();
  const sv = src.values();
  const atTo = (t: Tensor): Tensor => pick(t, [to.length], to, 'scatterReduceBackward', constant(to, [to.length]));
  const atFrom = (t: Tensor): Tensor => pick(t, [to.length], from, 'scatterReduceBackward', constant(from, [from.length]));
  // src's gradient in src's shape: PyTorch's is computed in the index's shape (it refuses a smaller index there), so
  // where the index covers src the values pass as they are (a −0 stays −0); otherwise the rest of src gets zeros.
  const covers = from.length === src.numel() && from.every((k, i) => k === i);
  const toSrc = (t: Tensor): Tensor => (covers ? t.reshape(src.shape) : spread(t, src.shape, from, 'scatterReduceBackward'));
  // x's gradient is 0 where it took no part: PyTorch scatters a 0 there (whatever the formula gave, NaN included).
  const dropSelf = (t: Tensor): Tensor => (includeSelf ? t : t.maskedFill(constant(hit, x.shape), 0));
  if (reduce === 'sum') return [dropSelf(g), toSrc(atTo(g))];
  if (reduce === 'mean') {
    const n = Float32Array.from(count, (c, t) => (hit[t] ? Math.max(c, 1) : 1));
    return [dropSelf(g.div(constant(n, x.shape))), toSrc(atTo(g).div(constant(Array.from(to, (t) => n[t]!), [to.length])))];
  }
  if (reduce === 'amax' || reduce === 'amin') {
    const { selfIs, srcIs, n } = ties(xv, sv, to, from, out);
    const shared = g.div(constant(n, x.shape));
    return [dropSelf(constant(selfIs, x.shape).mul(shared)), toSrc(constant(srcIs, [to.length]).mul(atTo(shared)))];
  }
  const { srcZero, single } = prodMasks(xv, sv, to, from);
  const maskedSelf = x.maskedFill(constant(Array.from(xv, (v) => (v === 0 ? 1 : 0)), x.shape), 1);
  const gradSelf = g.mul(scatterReduce(maskedSelf, d, index, src, 'prod', { includeSelf })).div(maskedSelf);
  const withSrcMasked = scatterReduce(x, d, index, src.maskedFill(constant(single, src.shape), 1), 'prod', { includeSelf });
  const others = atTo(g.mul(withSrcMasked));
  const byDivision = atTo(g.mul(result)).div(atFrom(src.maskedFill(constant(srcZero, src.shape), 1)));
  let gradSrc = toSrc(where(markMask(constant(Array.from(from, (k) => single[k]!), [to.length])), others, byDivision));
  const zeros = new Int32Array(xv.length);
  for (let i = 0; i < to.length; i++) zeros[to[i]!]! += srcZero[from[i]!]!;
  if (zeros.some((z) => z > 1)) {
    gradSrc = record(new Tensor(gradSrc.toArray(), gradSrc.shape), 'scatterReduceBackward', [gradSrc], () => {
      throw new KindlingError(TWO_ZEROS);
    }, [], 'Error');
  }
  return [dropSelf(gradSelf), gradSrc];
}
