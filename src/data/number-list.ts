// Lists of numbers the data utilities take (a Subset's indices, a sampler's indices or weights) as PyTorch takes
// them: a sequence, or a 1-D tensor.
import { describeValue } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { DataError } from './errors.js';

/**
 * `v`'s numbers: an array (or typed array) as it is, a 1-D tensor's values (`torch.randperm(n)` as a Subset's
 * indices, a tensor of weights), anything else refused naming `what` and `name`.
 */
export function numberList(what: string, name: string, v: unknown, example: string): ArrayLike<unknown> {
  if (v instanceof Tensor) {
    if (v.ndim !== 1) throw new DataError(`${what}: ${name} must be a 1-D tensor or an array, got a tensor of shape ${formatShape(v.shape)}`);
    return v.values();
  }
  if (v === null || typeof v !== 'object' || typeof (v as ArrayLike<unknown>).length !== 'number') {
    throw new DataError(`${what}: ${name} must be an array or a 1-D tensor, as in ${example}, got ${describeValue(v)}`);
  }
  return v as ArrayLike<unknown>;
}
