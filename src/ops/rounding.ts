// floor, ceil, round and trunc, as PyTorch's: round halves to even (torch.round(2.5) is 2), and each has a gradient
// of zeros (PyTorch records them, FloorBackward0 and the like, with zeros for the gradient).
import { twice } from '../autograd/twice.js';
import { record } from '../autograd/record.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, describeValue } from '../options.js';
import { checkTensor } from './util.js';

export type Rounding = 'floor' | 'ceil' | 'round' | 'trunc';

/** Rounds half to even, as C's nearbyint in the default mode (torch.round): 0.5 → 0, 1.5 → 2, 2.5 → 2, −0.5 → −0. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  // Math.round takes halves up; a half whose upper neighbour is odd goes down instead.
  const fixed = r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
  // Keep the sign of zero, as nearbyint does (−0.4 → −0).
  return fixed === 0 ? (Object.is(v, -0) || v < 0 ? -0 : 0) : fixed;
}

const ROUND: Record<Rounding, (v: number) => number> = { floor: Math.floor, ceil: Math.ceil, round: roundHalfEven, trunc: Math.trunc };

export function rounding(x: Tensor, op: Rounding): Tensor {
  checkTensor(x, op);
  const xv = x.values();
  const out = new Float32Array(xv.length);
  const f = ROUND[op];
  for (let i = 0; i < xv.length; i++) out[i] = f(xv[i]!);
  // The gradient is zeros, a constant: the same closure is the gradient's graph (createGraph).
  const zeros = (): Tensor[] => [new Tensor(new Float32Array(xv.length), x.shape)];
  return twice(record(new Tensor(out, x.shape), op, [x], zeros), zeros);
}

/**
 * Rounded half to even at `decimals` decimal places (negative: tens, hundreds…), as PyTorch 1.13's round.decimals
 * kernel in float32: nearbyint(x·10^d) / 10^d, or nearbyint(x / 10^−d)·10^−d; RoundBackward1, zeros for the gradient.
 */
export function roundDecimals(x: Tensor, decimals: number | { decimals?: number }): Tensor {
  checkTensor(x, 'round');
  const d = typeof decimals === 'object' && decimals !== null ? checkOptions('round', decimals, ['decimals']).decimals ?? 0 : decimals;
  if (!Number.isInteger(d)) throw new TypeError(`round: decimals must be a whole number, got ${describeValue(d)}`);
  const f = Math.fround;
  const tenPow = f(10 ** Math.abs(d));
  const xv = x.values();
  const out = new Float32Array(xv.length);
  for (let i = 0; i < xv.length; i++) out[i] = d < 0 ? f(roundHalfEven(f(xv[i]! / tenPow)) * tenPow) : f(roundHalfEven(f(xv[i]! * tenPow)) / tenPow);
  const zeros = (): Tensor[] => [new Tensor(new Float32Array(xv.length), x.shape)];
  return twice(record(new Tensor(out, x.shape), 'round', [x], zeros, [], 'RoundBackward1'), zeros);
}
