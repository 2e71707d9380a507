// put and put_, as PyTorch 1.13's: source's values written into the flattened x at `index`'s places (whole numbers
// held as float32; negative ones count from the end), in index order, so a place given twice keeps the last; with
// `accumulate` added there instead (a place given twice gets both). Gradients as PyTorch's PutBackward0: x's is the
// output gradient (with 0 at the places written, unless accumulating), source's the output gradient taken back from
// those places (`take`), so a place given twice passes its gradient to both values, and its second derivative sums.
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { KindlingError } from '../errors.js';
import { checkOptions, describeValue, leadingOption } from '../options.js';
import { zeros } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { inPlaceOf } from './inplace.js';
import { take } from './index-put.js';
import { checkTensor } from './util.js';

/** put's `accumulate`: add source's values into the places instead of writing them. */
export interface PutOptions { accumulate?: boolean }

/** index's values as offsets into the flattened x of `n` elements, checked as PyTorch's put_ checks them. */
function places(op: string, index: Tensor, source: Tensor, n: number): Int32Array {
  if (index.numel() !== source.numel()) {
    throw new KindlingError(`${op}: put_(): Expected source and index to have the same number of elements, but got source.numel() = ${source.numel()}, index.numel() = ${index.numel()}`);
  }
  if (n === 0 && index.numel() > 0) throw new KindlingError(`${op}: put_(): Tried to put elements into an empty tensor`);
  const iv = index.values();
  const to = new Int32Array(iv.length);
  for (let i = 0; i < iv.length; i++) {
    const k = iv[i]!;
    if (!Number.isInteger(k)) throw new KindlingError(`${op}: the index must hold whole numbers, got ${k} (element ${i})`);
    if (k >= n || k < -n) throw new KindlingError(`${op}: out of range: tried to access index ${k} on a tensor of ${n} elements.`);
    to[i] = k < 0 ? k + n : k;
  }
  return to;
}

/**
 * x with source's values written at the flattened places `index` gives (any shapes, as many elements each), as
 * `torch.put`; `accumulate` (`true` by position, as PyTorch's, or `{ accumulate: true }`) adds them there.
 *
 * @example
 * put(tensor([[1, 2], [3, 4]]), tensor([0, 3]), tensor([7, 8])) // [[7, 2], [3, 8]]
 */
export function put(x: Tensor, index: Tensor, source: Tensor, options?: PutOptions | boolean): Tensor {
  checkTensor(x, 'put');
  checkTensor(index, 'put', 'index');
  checkTensor(source, 'put', 'source');
  // accumulate by position too, as PyTorch's x.put_(index, source, True).
  const named = leadingOption<PutOptions>('put', 'accumulate', options, undefined, 'x.put_(index, source, true) or x.put_(index, source, { accumulate: true })');
  const { accumulate = false } = checkOptions('put', named, ['accumulate']);
  if (typeof accumulate !== 'boolean') throw new TypeError(`put: accumulate must be true or false, got ${describeValue(accumulate)}`);
  const to = places('put', index, source, x.numel());
  const out = x.toArray();
  const sv = source.values();
  for (let i = 0; i < to.length; i++) out[to[i]!] = accumulate ? Math.fround(out[to[i]!]! + sv[i]!) : sv[i]!;
  const node = record(new Tensor(out, x.shape), 'put', [x, source], (g) => {
    const gx = g.toArray();
    if (!accumulate) for (const t of to) gx[t] = 0;
    const gv = g.values();
    return [new Tensor(gx, x.shape), new Tensor(Float32Array.from(to, (t) => gv[t]!), source.shape)];
  }, [index], 'PutBackward0');
  // Linear: PyTorch's formulas with ops (createGraph), `grad.put(index, zeros)` and `grad.take(index)`.
  return twice(node, (g) => [accumulate ? g : put(g, index, zeros(source.shape)), take(g, index).reshape(source.shape)]);
}

/** put in place, as PyTorch's `put_` (a leaf that requires grad is refused, as for every in-place op). */
export function put_(t: Tensor, index: Tensor, source: Tensor, options?: PutOptions | boolean): Tensor {
  return inPlaceOf(t, 'put_', (x) => put(x, index, source, options), false, undefined, source);
}
