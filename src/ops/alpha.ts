// The `alpha` of `add`, `sub`, `add_` and `sub_` (PyTorch's `x.add(y, alpha=2)`, which is x + 2·y).
import { checkOptions, describeValue } from '../options.js';

/** The alpha: by position (`x.add(y, 2)`) or as PyTorch's keyword (`x.add(y, { alpha: 2 })`). */
export type Alpha = number | { alpha?: number };

/**
 * Reads an alpha argument; anything but a number (or `{ alpha }` of one) is a TypeError naming `op`. A NaN or an
 * infinite alpha is taken, as PyTorch 1.13 takes it (x + NaN·y is NaN everywhere).
 */
export function alphaOf(given: Alpha, op: string): number {
  const alpha = typeof given === 'object' && given !== null ? checkOptions(op, given, ['alpha']).alpha ?? 1 : given;
  if (typeof alpha !== 'number') throw new TypeError(`${op}: alpha must be a number (x.${op}(y, 2) or x.${op}(y, { alpha: 2 })), got ${describeValue(alpha)}`);
  return alpha;
}
