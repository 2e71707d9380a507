// Checks the newer schedulers share: a whole number of epochs, and a factor within [0, 1].
import { describeValue } from '../options.js';

/** A whole number of epochs (steps) ≥ `least`. */
export function checkIters(where: string, what: string, v: unknown, least: number): number {
  if (typeof v !== 'number') throw new TypeError(`${where}: ${what} must be a number, got ${describeValue(v)}`);
  if (!Number.isInteger(v) || v < least) throw new RangeError(`${where}: ${what} must be a whole number ≥ ${least}, got ${v}`);
  return v;
}

/** A multiplicative factor in [0, 1], as PyTorch's ConstantLR and LinearLR require (`message` is PyTorch's). */
export function checkUnitFactor(where: string, what: string, v: unknown, message: string): number {
  if (typeof v !== 'number') throw new TypeError(`${where}: ${what} must be a number, got ${describeValue(v)}`);
  if (!(v >= 0 && v <= 1)) throw new RangeError(`${where}: ${message} (${what} = ${v})`);
  return v;
}

/** A finite number. */
export function checkFinite(where: string, what: string, v: unknown): number {
  if (typeof v !== 'number') throw new TypeError(`${where}: ${what} must be a number, got ${describeValue(v)}`);
  if (!Number.isFinite(v)) throw new RangeError(`${where}: ${what} must be a finite number, got ${v}`);
  return v;
}
