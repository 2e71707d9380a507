// amax, amin and aminmax, as PyTorch 1.13's: the largest (smallest) value over a list of dimensions (all of them by
// default), NaN where a reduced slice holds one. Unlike max(dim), the gradient is shared evenly by the tied extremes
// of each slice (PyTorch's scale_grad_by_count: g / count where x equals the result; AmaxBackward0, AminBackward0).
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { formatShape, numel } from '../tensor/shape.js';
import { keepMask } from '../tensor/mask-mark.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../options.js';
import { checkKeepdim, normalizeDims, outputIndex, reducedShape } from './reduce.js';
import { checkTensor } from './util.js';

function extremes(x: Tensor, dim: number | readonly number[] | null | undefined, keepdim: boolean, op: string, min: boolean): { shape: number[]; out: Float32Array; at: Int32Array; dims: number[] } {
  checkTensor(x, op);
  checkKeepdim(keepdim, op);
  const dims = normalizeDims(x, dim, op);
  const v = x.values();
  const all = dim === undefined || dim === null || (Array.isArray(dim) && dim.length === 0);
  if (all && v.length === 0) {
    throw new RangeError(op === 'aminmax'
      ? `aminmax: cannot compute aminmax over an empty dimension as the operation has no identity (shape ${formatShape(x.shape)})`
      : `${op}: Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument (shape ${formatShape(x.shape)})`);
  }
  const empty = dims.find((d) => x.shape[d] === 0);
  if (empty !== undefined) throw new RangeError(`${op}: Expected reduction dim ${empty} to have non-zero size (shape ${formatShape(x.shape)})`);
  const shape = reducedShape(x.shape, dims, keepdim);
  const out = new Float32Array(numel(shape)).fill(min ? Infinity : -Infinity);
  const at = outputIndex(x.shape, dims);
  for (let i = 0; i < v.length; i++) {
    const e = v[i]!;
    const o = at[i]!;
    const cur = out[o]!;
    if (cur !== cur) continue;
    if (e !== e || (min ? e < cur : e > cur)) out[o] = e;
  }
  return { shape, out, at, dims };
}

function extremeOp(x: Tensor, dim: number | readonly number[] | null | undefined, keepdim: boolean, op: 'amax' | 'amin'): Tensor {
  const { shape, out, at, dims } = extremes(x, dim, keepdim, op, op === 'amin');
  const v = x.values();
  const result = new Tensor(out, shape);
  const node = record(result, op, [x], (g) => {
    const G = g.values();
    const count = new Float32Array(out.length);
    for (let i = 0; i < v.length; i++) if (v[i] === out[at[i]!]) count[at[i]!]! += 1;
    const gx = new Float32Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const o = at[i]!;
      // (g / count)·mask, as PyTorch: −0 off the extremes where g < 0, and NaN over a slice whose result is NaN
      // (no element equals it: g / 0 · 0).
      gx[i] = Math.fround(G[o]! / count[o]!) * (v[i] === out[o] ? 1 : 0);
    }
    return [new Tensor(gx, x.shape)];
  }, [x, result], op === 'amax' ? 'AmaxBackward0' : 'AminBackward0');
  // Linear in g (the extremes are constants): (g / count)·mask with ops, g spread back over each slice (createGraph).
  return twice(node, (g) => {
    const count = new Float32Array(out.length);
    for (let i = 0; i < v.length; i++) if (v[i] === out[at[i]!]) count[at[i]!]! += 1;
    const spread = g.reshape(reducedShape(x.shape, dims, true)).expand(x.shape);
    const counts = new Tensor(Float32Array.from(at, (o) => count[o]!), x.shape);
    const mask = new Tensor(Float32Array.from(v, (e, i) => (e === out[at[i]!] ? 1 : 0)), x.shape);
    return [spread.div(counts).mul(mask)];
  });
}

/** The largest value over `dim` (a dimension or a list; all by default), as PyTorch's `amax`. */
export function amax(x: Tensor, dim?: number | readonly number[] | null, keepdim = false): Tensor {
  return keepMask(x, extremeOp(x, dim, keepdim, 'amax'));
}

/** The smallest value over `dim` (a dimension or a list; all by default), as PyTorch's `amin`. */
export function amin(x: Tensor, dim?: number | readonly number[] | null, keepdim = false): Tensor {
  return keepMask(x, extremeOp(x, dim, keepdim, 'amin'));
}

/** What `aminmax` returns, as PyTorch's `torch.return_types.aminmax`: `{ min, max }`, also the pair `[min, max]`. */
export interface MinMax extends Iterable<Tensor> {
  min: Tensor;
  max: Tensor;
  readonly 0: Tensor;
  readonly 1: Tensor;
}

/**
 * The smallest and the largest value, over everything or along one `dim`, as PyTorch's `aminmax({ dim, keepdim })`.
 * No gradient: PyTorch 1.13 has no derivative for aminmax (it refuses backward through it); here the results are
 * outside the graph.
 */
export function aminmax(x: Tensor, options: { dim?: number | null; keepdim?: boolean } = {}): MinMax {
  checkTensor(x, 'aminmax');
  // PyTorch's dim and keepdim are keyword-only (aminmax(1) is a TypeError there): a number here is refused, not read
  // as no options, which reduced everything.
  const { dim, keepdim = false } = checkOptions('aminmax', options, ['dim', 'keepdim']);
  if (dim !== undefined && dim !== null && typeof dim !== 'number') throw new TypeError(`aminmax: dim must be a number or null, got ${typeof dim}`);
  const lo = extremes(x, dim, keepdim, 'aminmax', true);
  const hi = extremes(x, dim, keepdim, 'aminmax', false);
  const res = { min: new Tensor(lo.out, lo.shape), max: new Tensor(hi.out, hi.shape) };
  // Not enumerable, as ValuesIndices' (reduce.ts): the object compares and prints as { min, max }.
  Object.defineProperties(res, {
    [Symbol.iterator]: { value: function* (this: MinMax) { yield this.min; yield this.max; }, configurable: true, writable: true },
    0: { get(this: MinMax) { return this.min; }, configurable: true },
    1: { get(this: MinMax) { return this.max; }, configurable: true },
  });
  return res as MinMax;
}
