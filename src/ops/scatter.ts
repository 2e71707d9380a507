// scatter and scatterAdd, as PyTorch 1.13's: `out[…, index[…, j, …], …] = src[…, j, …]` along one dimension (or
// added there), the index whole numbers held as float32. Gradients as PyTorch's: the input's is the output gradient
// (zeroed where scatter wrote), src's the output gradient gathered back from the places written.
import { record } from '../autograd/record.js';
import { linearTwice } from '../autograd/twice.js';
import { zeros } from '../tensor/creation.js';
import { KindlingError } from '../errors.js';
import { checkOptions, describeValue } from '../options.js';
import { contiguousStrides, formatShape, normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { float32Scalar } from '../tensor/float32-scalar.js';
import { offsets } from './gather.js';
import { checkTensor } from './util.js';

/** scatter's `reduce`: the written value added to or multiplied into the one there, as PyTorch's. */
export interface ScatterOptions { reduce?: 'add' | 'multiply' }

const NOTHING_SAVED: readonly Tensor[] = [];

/** Where each element of the index writes (offsets into a contiguous x) and what it reads (offsets into a contiguous src). */
interface Plan { to: Int32Array; from: Int32Array }

/**
 * Checks shapes and index values as PyTorch's scatter (and scatter_reduce) does, and lays out the writes: a 0-d
 * tensor counts as one of shape [1] (so a 0-d input takes a 0-d or one-element 1-D index), and an empty index is
 * not checked at all (it writes nothing).
 */
export function scatterPlan(op: string, x: Tensor, dim: number, index: Tensor, src: Tensor | null): Plan & { dim: number } {
  checkTensor(x, op);
  checkTensor(index, op, 'index');
  const d = normalizeDim(dim, x.ndim, op);
  const at = (s: readonly number[], k: number): number => (s.length === 0 ? 1 : s[k]!);
  const ishape = index.shape.length === 0 ? [1] : index.shape;
  if (index.numel() > 0) {
    if (index.ndim !== x.ndim && !(index.ndim <= 1 && x.ndim <= 1)) {
      throw new KindlingError(`${op}: Index tensor must have the same number of dimensions as self tensor (index shape ${formatShape(index.shape)}, self ${formatShape(x.shape)})`);
    }
    if (src !== null && src.ndim !== index.ndim && !(index.ndim <= 1 && src.ndim <= 1)) {
      throw new KindlingError(`${op}: Index tensor must have the same number of dimensions as src tensor (index shape ${formatShape(index.shape)}, src ${formatShape(src.shape)})`);
    }
    for (let k = 0; k < ishape.length; k++) {
      const n = ishape[k]!;
      if ((k !== d && n > at(x.shape, k)) || (src !== null && n > at(src.shape, k))) {
        throw new KindlingError(
          `${op}: Expected index ${formatShape(index.shape)} to be smaller than self ${formatShape(x.shape)} apart from dimension ${d}` +
            (src === null ? '' : ` and to be smaller size than src ${formatShape(src.shape)}`),
        );
      }
    }
  }
  const size = at(x.shape, d);
  const iv = index.values();
  for (let i = 0; i < iv.length; i++) {
    const k = iv[i]!;
    if (!Number.isInteger(k)) throw new KindlingError(`${op}: the index must hold whole numbers, got ${k} (element ${i})`);
    if (k < 0 || k >= size) throw new KindlingError(`${op}: index ${k} is out of bounds for dimension ${d} with size ${size}`);
  }
  if (iv.length === 0) return { to: new Int32Array(0), from: new Int32Array(0), dim: d };
  const xshape = x.shape.length === 0 ? [1] : x.shape;
  const to = offsets(ishape, contiguousStrides(xshape), d, (i) => iv[i]!);
  const sshape = src === null ? ishape : src.shape.length === 0 ? [1] : src.shape;
  const from = offsets(ishape, contiguousStrides(sshape), -1, () => 0);
  return { to, from, dim: d };
}

/** The gradient of src: the output gradient at each place written, at the src element written there (zeros elsewhere). */
function srcGrad(g: Tensor, src: Tensor, p: Plan): Tensor {
  const gv = g.values();
  const out = new Float32Array(src.numel());
  for (let i = 0; i < p.to.length; i++) out[p.from[i]!] = gv[p.to[i]!]!;
  return new Tensor(out, src.shape);
}

/**
 * x with `src`'s elements (or `value`) written along `dim` at the places `index` gives, as `torch.scatter`; with
 * `{ reduce: 'add' | 'multiply' }` combined with what is there (PyTorch 1.13 has no gradient for that form).
 */
export function scatter(x: Tensor, dim: number, index: Tensor, src: Tensor | number | boolean, options: ScatterOptions = {}): Tensor {
  const { reduce } = checkOptions('scatter', options, ['reduce']);
  if (reduce !== undefined && reduce !== 'add' && reduce !== 'multiply') {
    throw new KindlingError(`scatter: reduce argument must be either add or multiply. (got ${describeValue(reduce)})`);
  }
  // Checked, not coerced: Math.fround would make a missing value, a string or `{ value: 1 }` (PyTorch's keyword, given
  // here by position) a quiet NaN or a number. A boolean is a number, as PyTorch's scatter_(0, index, True) takes it.
  if (typeof src === 'boolean') src = src ? 1 : 0;
  if (!(src instanceof Tensor)) {
    if (typeof src !== 'number') {
      throw new TypeError(`scatter: src must be a Tensor or a number (PyTorch's value), given by position as in x.scatter(1, index, 1.0); got ${describeValue(src)}`);
    }
    float32Scalar('scatter', 'value', src);
  }
  const source = src instanceof Tensor ? src : null;
  const p = scatterPlan('scatter', x, dim, index, source);
  const out = x.toArray();
  const sv = source === null ? null : source.values();
  const value = Math.fround(src as number);
  for (let i = 0; i < p.to.length; i++) {
    const v = sv === null ? value : sv[p.from[i]!]!;
    const t = p.to[i]!;
    out[t] = reduce === 'add' ? out[t]! + v : reduce === 'multiply' ? out[t]! * v : v;
  }
  const result = new Tensor(out, x.shape);
  const inputs = source === null ? [x] : [x, source];
  if (reduce !== undefined) {
    return record(result, 'scatter', inputs, () => {
      throw new KindlingError(`scatter: derivative for aten::scatter is not implemented (PyTorch 1.13 has no gradient for scatter with reduce '${reduce}')`);
    }, [], 'NotImplemented');
  }
  // Linear in x and src (affine with a value): the gradient's graph is recorded with the adjoints of the plain
  // backward (autograd/twice.ts): for x the same scatter with src zero; for src, whose gradient gathers (as PyTorch's
  // ScatterBackward0, even where an index repeats and only the last write survives), gather's adjoint scatterAdd, so
  // a place written twice passes both on, as PyTorch's double backward does.
  return linearTwice(record(result, 'scatter', inputs, (g) => {
    const gx = g.toArray();
    for (const t of p.to) gx[t] = 0;
    return source === null ? [new Tensor(gx, x.shape)] : [new Tensor(gx, x.shape), srcGrad(g, source, p)];
  }, [index], source === null ? 'ScatterBackward1' : 'ScatterBackward0'),
  (h) => scatter(h, dim, index, source === null ? 0 : zeros(source.shape)), (h) => scatterAdd(zeros(x.shape), dim, index, h));
}

/** x with `src`'s elements added along `dim` at the places `index` gives (a place given twice gets both), as `torch.scatter_add`. */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  if (!(src instanceof Tensor)) throw new TypeError(`scatterAdd: src must be a Tensor, got ${describeValue(src)}`);
  const p = scatterPlan('scatterAdd', x, dim, index, src);
  const out = x.toArray();
  const sv = src.values();
  for (let i = 0; i < p.to.length; i++) out[p.to[i]!] = out[p.to[i]!]! + sv[p.from[i]!]!;
  // Only src's gradient reads the index: PyTorch saves it only when src requires grad, so x's gradient alone is
  // given even after the index changed in place.
  const saved = src.requiresGrad ? [index] : NOTHING_SAVED;
  return linearTwice(record(new Tensor(out, x.shape), 'scatterAdd', [x, src], (g) => [g, srcGrad(g, src, p)], saved, 'ScatterAddBackward0'),
    (h) => scatterAdd(h, dim, index, zeros(src.shape)), (h) => scatterAdd(zeros(x.shape), dim, index, h));
}
