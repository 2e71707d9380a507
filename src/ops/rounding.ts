// floor, ceil, round and trunc, as PyTorch's: round halves to even (torch.round(2.5) is 2), and each has a gradient
// of zeros (PyTorch records them, FloorBackward0 and the like, with zeros for the gradient).
import { record } from '../autograd/record.js';
import { Tensor } from '../tensor/tensor.js';
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
  return record(new Tensor(out, x.shape), op, [x], () => [new Tensor(new Float32Array(xv.length), x.shape)]);
}
