// diff, as PyTorch 1.13's: the n-th forward difference along `dim` (the last by default), out[k] = x[k + 1] − x[k]
// applied n times, after `prepend` and `append` are joined on along `dim`. Computed as PyTorch computes it (a
// subtraction of two narrowed views, SubBackward0); n = 0 gives a copy of the input (CopyBackwards, without prepend
// and append), n < 0 the input (joined to them, CatBackward0), and each difference shortens the dimension by one until
// it is empty. Of a mask (after the join) each difference is the xor of neighbours, a mask, as PyTorch's of bools.
import { isMask } from '../tensor/mask-mark.js';
import { formatShape, normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { boundArguments, describeValue, type PositionalThenOptions } from '../options.js';
import { sub } from './binary.js';
import { cat } from './join.js';
import { logicalXor } from './logical.js';
import { clone } from './unary.js';
import { checkTensor } from './util.js';
import { narrow } from './view.js';

/** diff's options after `n` and `dim`, as PyTorch's keyword arguments. */
export interface DiffOptions {
  prepend?: Tensor | null;
  append?: Tensor | null;
}

/**
 * The n-th forward difference of `x` along `dim`, as `torch.diff(input, n=1, dim=-1, prepend=None, append=None)`:
 * prepend and append by position as there (`diff(x, 1, 0, before)`) or named (`diff(x, 1, 0, { append })`).
 */
export function diff(x: Tensor, n = 1, dim = -1, ...rest: PositionalThenOptions<[Tensor | null, Tensor | null], DiffOptions>): Tensor {
  checkTensor(x, 'diff');
  const options = boundArguments('diff', rest, 0, ['prepend', 'append'], [], 'diff(x, n?, dim?, prepend?, append?) or diff(x, n, dim, { prepend, append })') as DiffOptions;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new TypeError(`diff: n (the number of times to difference) must be an integer, got ${describeValue(n)}`);
  if (x.ndim === 0) throw new RangeError('diff: diff expects input to be at least one-dimensional (got a 0-d tensor)');
  const d = normalizeDim(dim, x.ndim, 'diff');
  const parts: Tensor[] = [];
  for (const [what, t] of [['prepend', options.prepend], ['append', options.append]] as const) {
    if (t === undefined || t === null) continue;
    checkTensor(t, 'diff', what);
    if (t.ndim !== x.ndim) {
      throw new RangeError(`diff: diff expects prepend or append to be the same dimension as input (input shape ${formatShape(x.shape)}, ${what} shape ${formatShape(t.shape)})`);
    }
  }
  // PyTorch 1.13 returns a copy of the input for n = 0, prepend and append ignored (checked, not joined on).
  if (n === 0) return clone(x, 'CopyBackwards');
  if (options.prepend) parts.push(options.prepend);
  parts.push(x);
  if (options.append) parts.push(options.append);
  let out = parts.length > 1 ? cat(parts, d) : x;
  // For n < 0 it returns what it would difference: the input itself, or it joined to prepend and append.
  if (n < 0) return out;
  let len = out.shape[d]!;
  const step = isMask(out) ? logicalXor : sub;
  for (let i = 0; i < n && len > 0; i++, len--) out = step(narrow(out, d, 1, len - 1), narrow(out, d, 0, len - 1));
  return out;
}
