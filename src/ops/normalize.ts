// F.normalize, as PyTorch 1.13's: input / max(‖input‖_p along dim, eps), composed as PyTorch composes it
// (input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input), then a division: DivBackward0).
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';

export interface NormalizeOptions {
  /** The order of the norm (default 2). */
  readonly p?: number;
  /** The dimension each vector lies along (default 1). */
  readonly dim?: number;
  /** The smallest divisor (default 1e-12): a vector of norm below it is divided by eps instead. */
  readonly eps?: number;
}

/**
 * PyTorch's `F.normalize(input, p=2.0, dim=1, eps=1e-12)`: each vector along `dim` divided by its p-norm, or by
 * `eps` where that is smaller (so a zero vector stays zero). By position (`F.normalize(x, 2, -1)`) or as options
 * (`F.normalize(x, { dim: -1 })`).
 *
 * @throws RangeError for a dim outside the input's dimensions (PyTorch's "Dimension out of range"); TypeError for a
 *   bad p or eps.
 * @example
 * F.normalize(tensor([[3, 4], [0, 0]]));   // [[0.6, 0.8], [0, 0]]
 */
export function normalize(input: Tensor, p?: number | NormalizeOptions, dim?: number, eps?: number): Tensor {
  const where = 'normalize';
  checkTensor(input, where);
  let o: { [K in keyof NormalizeOptions]?: NormalizeOptions[K] | undefined };
  if (isPlainObject(p)) {
    if (dim !== undefined || eps !== undefined) throw new TypeError(`${where}: pass p, dim and eps by position (F.normalize(x, 2, 1)) or as one object of options (F.normalize(x, { dim: 1 })), not both`);
    o = checkOptions<NormalizeOptions>(where, p, ['p', 'dim', 'eps']);
  } else {
    o = { p: p as number | undefined, dim, eps };
  }
  const order = o.p ?? 2;
  const d = o.dim ?? 1;
  const e = o.eps ?? 1e-12;
  if (typeof order !== 'number' || Number.isNaN(order)) throw new TypeError(`${where}: p must be a number (the order of the norm), got ${describeValue(order)}`);
  if (typeof e !== 'number' || Number.isNaN(e)) throw new TypeError(`${where}: eps must be a number, got ${describeValue(e)}`);
  if (typeof d !== 'number' || !Number.isInteger(d)) throw new TypeError(`${where}: dim must be an integer, got ${describeValue(d)}`);
  const rank = Math.max(input.ndim, 1);
  if (d < -rank || d >= rank) {
    throw new RangeError(`${where}: Dimension out of range (expected to be in range of [${-rank}, ${rank - 1}], but got ${d})`);
  }
  return input.div(input.norm(order, d, true).clamp(e, null).expand(input.shape));
}
