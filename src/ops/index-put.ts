// indexAdd, indexFill, indexCopy and take, as PyTorch 1.13's: slices of x along one dimension, picked by a 1-D index
// (whole numbers held as float32), added to, filled or overwritten; take reads the flattened x. Gradients as
// PyTorch's: the output gradient for x (zeroed in the slices overwritten), gathered back from the slices for the
// source, summed over them for a tensor fill value.
import { record } from '../autograd/record.js';
import { linearTwice, twice } from '../autograd/twice.js';
import { zeros } from '../tensor/creation.js';
import { fmaf } from '../kernels/ref/fmaf.js';
import { KindlingError } from '../errors.js';
import { checkOptions, describeValue } from '../options.js';
import { float32Scalar } from '../tensor/float32-scalar.js';
import { formatShape, normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { indexSelect, pick } from './gather.js';
import { mul } from './binary.js';
import { checkTensor } from './util.js';

/** indexAdd's `alpha`: the source is multiplied by it before it is added, as PyTorch's keyword. */
export interface IndexAddOptions { alpha?: number }

/** x's layout around `dim`: `outer` blocks of `size` slices of `inner` elements each (a 0-d x is one slice of one). */
function around(x: Tensor, d: number): { outer: number; size: number; inner: number } {
  if (x.ndim === 0) return { outer: 1, size: 1, inner: 1 };
  const outer = x.shape.slice(0, d).reduce((p, n) => p * n, 1);
  const inner = x.shape.slice(d + 1).reduce((p, n) => p * n, 1);
  return { outer, size: x.shape[d]!, inner };
}

/** The 1-D (or 0-d) index's values as slice numbers, checked as `op` checks them (`negative`: −size … −1 count from the end). */
function slices(op: string, index: Tensor, size: number, negative: boolean, outOfRange: (k: number) => string): number[] {
  checkTensor(index, op, 'index');
  const out: number[] = [];
  for (const k of index.values()) {
    if (!Number.isInteger(k)) throw new KindlingError(`${op}: the index must hold whole numbers, got ${k}`);
    if (k >= size || k < (negative ? -size : 0)) throw new KindlingError(`${op}: ${outOfRange(k)}`);
    out.push(k < 0 ? k + size : k);
  }
  return out;
}

/** Checks that source has x's shape but `count` along d, as index_add / index_copy want. */
function checkSource(op: string, torchOp: string, x: Tensor, d: number, source: Tensor, count: number): void {
  checkTensor(source, op, 'source');
  const xs = x.ndim === 0 ? [1] : x.shape;
  const ss = source.ndim === 0 ? [1] : source.shape;
  const along = ss[d] ?? 1;
  if (along !== count) {
    throw new KindlingError(op === 'indexAdd'
      ? `indexAdd: ${torchOp}(): Number of indices (${count}) should be equal to source.size(dim): (${along}), for dim: ${d}`
      : `indexCopy: ${torchOp}(): Number of indices (${count}) should be equal to source.size(dim) (${along})`);
  }
  if (ss.length !== xs.length || xs.some((n, k) => k !== d && n !== ss[k])) {
    throw new KindlingError(`${op}: the source must have the input's shape ${formatShape(x.shape)} except along dimension ${d} (${count}, one slice per index), got ${formatShape(source.shape)}`);
  }
}

function vectorIndex(op: string, index: Tensor, message: string): void {
  checkTensor(index, op, 'index');
  if (index.ndim > 1) throw new KindlingError(`${op}: ${message} (index shape ${formatShape(index.shape)})`);
}

/** For each slice number picked (in order) and each element of it, calls `f(offset in x, offset in source)`. */
function eachElement(x: Tensor, d: number, picked: readonly number[], f: (at: number, from: number) => void): void {
  const { outer, size, inner } = around(x, d);
  const count = picked.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < count; j++) {
      const base = (o * size + picked[j]!) * inner;
      const from = (o * count + j) * inner;
      for (let i = 0; i < inner; i++) f(base + i, from + i);
    }
  }
}

/** A mask of x's shape, 1 in the slices along d picked, 0 elsewhere. */
function filledPlaces(x: Tensor, d: number, picked: readonly number[]): Tensor {
  const mask = new Float32Array(x.numel());
  eachElement(x, d, picked, (at) => { mask[at] = 1; });
  return new Tensor(mask, x.shape);
}

/** x with `source`'s slices (times alpha) added into the slices along `dim` that `index` gives, as `torch.index_add`. */
export function indexAdd(x: Tensor, dim: number, index: Tensor, source: Tensor, options: IndexAddOptions = {}): Tensor {
  checkTensor(x, 'indexAdd');
  const { alpha = 1 } = checkOptions('indexAdd', options, ['alpha']);
  if (typeof alpha !== 'number') throw new TypeError(`indexAdd: alpha must be a number, got ${describeValue(alpha)}`);
  const d = normalizeDim(dim, x.ndim, 'indexAdd');
  vectorIndex('indexAdd', index, `index_add_(): Index is supposed to be a vector, but got dim: ${index.ndim}`);
  const size = x.ndim === 0 ? 1 : x.shape[d]!;
  const picked = slices('indexAdd', index, size, false, () => 'index out of range in self');
  checkSource('indexAdd', 'index_add_', x, d, source, picked.length);
  const out = x.toArray();
  const sv = source.values();
  const a = Math.fround(alpha);
  // PyTorch's two CPU kernels round differently: for an input of two or more dimensions it adds each slice with
  // add's kernel, x + alpha·source rounded once (fused, as torch.add(alpha=)); for a 1-D or 0-d input its own loop
  // rounds alpha·source first.
  if (x.ndim >= 2) eachElement(x, d, picked, (at, from) => { out[at] = fmaf(a, sv[from]!, out[at]!); });
  else eachElement(x, d, picked, (at, from) => { out[at] = out[at]! + (a === 1 ? sv[from]! : Math.fround(a * sv[from]!)); });
  // Only source's gradient reads the index: PyTorch's IndexAddBackward0 saves it only when source requires grad, so
  // x's gradient alone is given even after the index changed in place.
  const saved = source.requiresGrad ? [index] : [];
  return linearTwice(record(new Tensor(out, x.shape), 'indexAdd', [x, source], (g) => {
    const picked = indexSelect(g.ndim === 0 ? g.reshape([1]) : g, d, index).reshape(source.shape);
    return [g, a === 1 ? picked : mul(picked, a)];
  }, saved, 'IndexAddBackward0'),
  (h) => indexAdd(h, dim, index, zeros(source.shape), { alpha }), (h) => indexAdd(zeros(x.shape), dim, index, h, { alpha }));
}

/** x with the slices along `dim` that `index` gives (negative ones count from the end) set to `value`, as `torch.index_fill`. */
export function indexFill(x: Tensor, dim: number, index: Tensor, value: number | Tensor): Tensor {
  checkTensor(x, 'indexFill');
  const d = normalizeDim(dim, x.ndim, 'indexFill');
  vectorIndex('indexFill', index, 'Index has to be a vector/scalar');
  if (value instanceof Tensor) {
    if (value.ndim !== 0) throw new KindlingError(`indexFill: index_fill_ only supports a 0-dimensional value tensor, but got tensor with ${value.ndim} dimension(s).`);
  } else if (typeof value === 'number') {
    float32Scalar('indexFill', 'value', value);
  } else {
    throw new TypeError(`indexFill: the value must be a number or a 0-d tensor, got ${describeValue(value)}`);
  }
  const size = x.ndim === 0 ? 1 : x.shape[d]!;
  const picked = [...new Set(slices('indexFill', index, size, true, (k) => `index ${k} is out of bounds for dimension ${d} with size ${size}`))];
  const out = x.toArray();
  const v = value instanceof Tensor ? value.item() : Math.fround(value);
  eachElement(x, d, picked, (at) => { out[at] = v; });
  const inputs = value instanceof Tensor ? [x, value] : [x];
  const node = record(new Tensor(out, x.shape), 'indexFill', inputs, (g) => {
    const gx = g.toArray();
    const gv = g.values();
    let sum = 0;
    eachElement(x, d, picked, (at) => { sum += gv[at]!; gx[at] = 0; });
    const grads = [new Tensor(gx, x.shape)];
    if (value instanceof Tensor) grads.push(new Tensor(Float32Array.of(sum), []));
    return grads;
  }, [index], value instanceof Tensor ? 'IndexFillBackward1' : 'IndexFillBackward0');
  // Linear: the filled places' mask and their sum, with ops (createGraph). maskedFill, as PyTorch's formula, so the
  // places filled get +0 whatever the gradient's sign (a product with 0 would give −0 for a negative one).
  return twice(node, (g) => {
    const filled = filledPlaces(x, d, picked);
    const grads = [g.maskedFill(filled, 0)];
    if (value instanceof Tensor) grads.push(g.maskedFill(filled.logicalNot(), 0).sum());
    return grads;
  });
}

/** x with the slices along `dim` that `index` gives replaced by `source`'s, in order, as `torch.index_copy`. */
export function indexCopy(x: Tensor, dim: number, index: Tensor, source: Tensor): Tensor {
  checkTensor(x, 'indexCopy');
  const d = normalizeDim(dim, x.ndim, 'indexCopy');
  vectorIndex('indexCopy', index, 'index_copy_(): Index should have dimension 1 or 0');
  const size = x.ndim === 0 ? 1 : x.shape[d]!;
  const picked = slices('indexCopy', index, size, false, (k) => `index_copy_(): index ${k} is out of bounds for dimension ${d} with size ${size}`);
  checkSource('indexCopy', 'index_copy_', x, d, source, picked.length);
  const out = x.toArray();
  const sv = source.values();
  eachElement(x, d, picked, (at, from) => { out[at] = sv[from]!; });
  const node = record(new Tensor(out, x.shape), 'indexCopy', [x, source], (g) => {
    const gx = g.toArray();
    eachElement(x, d, picked, (at) => { gx[at] = 0; });
    return [new Tensor(gx, x.shape), indexSelect(g.ndim === 0 ? g.reshape([1]) : g, d, index).reshape(source.shape)];
  }, [index], 'IndexCopyBackward0');
  // Linear: x's gradient masked (+0 where copied, as PyTorch's masked_fill), source's the selected slices, with ops
  // (createGraph).
  return twice(node, (g) => [g.maskedFill(filledPlaces(x, d, picked), 0), indexSelect(g.ndim === 0 ? g.reshape([1]) : g, d, index).reshape(source.shape)]);
}

/** The elements of the flattened x at `index`'s places (negative ones count from the end), in index's shape, as `torch.take`. */
export function take(x: Tensor, index: Tensor): Tensor {
  checkTensor(x, 'take');
  checkTensor(index, 'take', 'index');
  const n = x.numel();
  const iv = index.values();
  const from = new Int32Array(iv.length);
  for (let i = 0; i < iv.length; i++) {
    const k = iv[i]!;
    if (!Number.isInteger(k)) throw new KindlingError(`take: the index must hold whole numbers, got ${k}`);
    if (k >= n || k < -n) throw new KindlingError(`take: out of range: tried to access index ${k} on a tensor of ${n} elements.`);
    from[i] = k < 0 ? k + n : k;
  }
  return pick(x, index.shape, from, 'take', index, 'TakeBackward0');
}
