import { shownValue } from '../options.js';
import { DataError } from './errors.js';

/**
 * Example `i` of a dataset of `length`, negative counting from the end as in Python (`get(-1)` is the last), or a
 * DataError naming `what` and the range.
 */
export function exampleIndex(what: string, i: number, length: number): number {
  if (!Number.isInteger(i) || i < -length || i >= length) {
    throw new DataError(`${what}: index ${shownValue(i)} is out of range for ${length} examples (0 to ${length - 1}, or negative from the end)`);
  }
  return i < 0 ? i + length : i;
}
