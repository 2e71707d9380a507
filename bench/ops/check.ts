// The figure each side reports beside its timing, so that the table can say whether Kindling and PyTorch computed
// the same thing (bench/ops_reference.py computes it the same way).
import { Tensor } from '../../src/index.js';
import { CHECK_STEPS, type OpsPattern } from './harness.js';

/** The sum of the squares of a tensor's values, added up in float64 (no cancellation, and no float32 rounding of the sum). */
function sumOfSquares(t: Tensor): number {
  let s = 0;
  for (const v of t.toArray()) s += v * v;
  return s;
}

/** A step's result as a number: a loss or a value as it is, a tensor (or the values of `max(dim)`) by its sum of squares. */
function figure(result: unknown, how: OpsPattern['check']): number {
  if (typeof result === 'number') return result;
  const t = result instanceof Tensor ? result : (result as { values?: unknown }).values;
  if (!(t instanceof Tensor)) throw new Error(`a step returned ${typeof result}, not a tensor or a number`);
  return how === 'sumsq' ? sumOfSquares(t) : t.item();
}

/** The pattern's check on a fresh setup: the 30th step's loss for a training loop, else the first step's result. */
export function checkOf(pattern: OpsPattern): number {
  const step = pattern.setup();
  const n = pattern.check === 'loss' ? CHECK_STEPS : 1;
  let result: unknown;
  for (let i = 0; i < n; i++) result = step(i);
  return figure(result, pattern.check);
}

/** Whether two checks agree: within `tolerance` of the larger magnitude (equal numbers always do). */
export function checksAgree(a: number, b: number, tolerance = 1e-5): boolean {
  return a === b || Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));
}
