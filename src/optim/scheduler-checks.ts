// Checks the schedulers share: a whole number of epochs, a period, and a factor within [0, 1].
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

/**
 * A period in epochs: a finite number > 0, a fraction too, as PyTorch takes a float T_max or step_size (and computes
 * with it as a Python float). 0 divides by zero in PyTorch's step; `example` shows the call.
 */
export function checkPeriod(where: string, what: string, v: unknown, example: string): number {
  if (typeof v !== 'number') throw new TypeError(`${where}: ${what} must be a number (the arguments come by position: ${example}), got ${describeValue(v)}`);
  if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`${where}: ${what} must be a finite number of epochs > 0, got ${v}`);
  return v;
}

/**
 * Python's `a // b` for floats (CPython's float_floor_div): the floor of the exact quotient, which
 * `Math.floor(a / b)` can miss by one when a / b rounds up to a whole number.
 */
export function pyFloorDiv(a: number, b: number): number {
  let mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && (b < 0) !== (mod < 0)) {
    mod += b;
    div -= 1;
  }
  if (div === 0) return 0;
  const floor = Math.floor(div);
  return div - floor > 0.5 ? floor + 1 : floor;
}

/** PyTorch's closed form of a schedule over `totalIters` 0 divides by zero (ZeroDivisionError): refused the same. */
export function refuseZeroIters(where: string, totalIters: number): void {
  if (totalIters === 0) {
    throw new RangeError(`${where}.step(epoch): with totalIters 0 the closed form divides by zero (PyTorch raises ZeroDivisionError); step() keeps the rate`);
  }
}
